"""Calendar ``call_history``: every finished call of the log, from start to end."""

from datetime import datetime, timedelta
from typing import override

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .call_log.model.calls import FinishedCall
from .call_texts import CallTexts, async_call_texts
from .coordinator import BemMelhorConfigEntry
from .entity import BemMelhorHubEntity
from .pushing import PushedBy

PARALLEL_UPDATES = 0

MAX_WORDED_EVENTS = 20_000
"""Worded events kept for the next question (a few weeks of a busy office)."""

LONGEST_CALL = timedelta(hours=12)
"""Calls end at most this long after they start (older open calls are dropped)."""

CALL_HISTORY = CalendarEntityDescription(
    key="call_history", translation_key="call_history"
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BemMelhorConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the hub's call history calendar."""
    async_add_entities(
        [CallHistoryCalendar(entry.runtime_data.coordinator, CALL_HISTORY)]
    )


class CallHistoryCalendar(BemMelhorHubEntity, CalendarEntity):
    """The calls of the PBX as calendar events (read-only)."""

    pushed_by = PushedBy.FINISHED_CALLS

    always_available = True
    """The history comes from the call log, not from the polled API."""

    _texts: CallTexts | None = None
    _events: dict[FinishedCall, CalendarEvent]

    @property
    @override
    def event(self) -> CalendarEvent | None:
        """Return no upcoming event: the history only holds calls that ended."""
        return None

    @override
    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the calls that overlap ``[start_date, end_date)``.

        The history is sorted by end: only the calls that ended from
        ``start_date`` to ``LONGEST_CALL`` after ``end_date`` are looked at.
        """
        texts = await async_call_texts(hass)
        if texts != self._texts:
            self._texts, self._events = texts, {}
        history = self.coordinator.log.history
        return [
            self._event(texts, call)
            for call in history.ended_between(start_date, end_date + LONGEST_CALL)
            if call.started < end_date
        ]

    def _event(self, texts: CallTexts, call: FinishedCall) -> CalendarEvent:
        """Return a call's event, worded once (calls never change once ended)."""
        if (event := self._events.get(call)) is None:
            if len(self._events) >= MAX_WORDED_EVENTS:
                self._events.clear()
            event = self._events[call] = CalendarEvent(
                start=dt_util.as_local(call.started),
                end=dt_util.as_local(
                    max(call.ended, call.started + timedelta(seconds=1))
                ),
                summary=texts.summary(call),
                description=texts.description(call),
                uid=call.call_id,
            )
        return event
