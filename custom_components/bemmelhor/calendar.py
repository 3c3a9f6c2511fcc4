"""Calendar ``call_history``: every finished call of the log, from start to end."""

from datetime import datetime, timedelta, tzinfo
from typing import Self, override

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
    _events: dict[tuple[str, float], CalendarEvent]
    """Worded events by call id and end (as stored)."""

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

        The database finds them by their end: only the calls that ended from
        ``start_date`` to ``LONGEST_CALL`` after ``end_date`` are looked at.
        It answers their keys first; whole calls are read only for the events
        not worded yet (a calendar asks for the same days again and again).
        """
        texts = await async_call_texts(hass)
        if texts != self._texts:
            self._texts, self._events = texts, {}
        store = self.coordinator.store
        keys = await store.async_call_keys_overlapping(
            start_date, end_date, LONGEST_CALL, dt_util.utcnow()
        )
        worded: dict[int, CalendarEvent] = {}
        for row_id, call_id, ended in keys:
            if (event := self._events.get((call_id, ended))) is not None:
                worded[row_id] = event
        missing = [key[0] for key in keys if key[0] not in worded]
        calls = await store.async_calls_of_ids(missing) if missing else {}
        events = []
        for row_id, call_id, ended in keys:
            if (event := worded.get(row_id)) is None:
                if (call := calls.get(row_id)) is None:
                    continue  # pruned meanwhile
                event = self._event(texts, (call_id, ended), call)
            events.append(event)
        return events

    def _event(
        self, texts: CallTexts, key: tuple[str, float], call: FinishedCall
    ) -> CalendarEvent:
        """Return a call's event, worded once (calls never change once ended)."""
        if len(self._events) >= MAX_WORDED_EVENTS:
            self._events.clear()
        zone = dt_util.get_default_time_zone()
        ended = max(call.ended, call.started + timedelta(seconds=1))
        event = self._events[key] = CalendarEvent(
            start=Moment.of(call.started.timestamp(), zone),
            end=Moment.of(ended.timestamp(), zone),
            summary=texts.summary(call),
            description=texts.description(call),
            uid=call.call_id,
        )
        return event


class Moment(datetime):
    """A moment that copies as itself and is written out once.

    Home Assistant's calendar API turns each event into a dict with
    ``dataclasses.asdict``, which deep-copies every date-time it meets, then
    writes each one out with ``isoformat``: with a day of a busy office's
    calls, the two were most of the cost of the answer. A moment is
    immutable: it needs no copy, and its text never changes. (A moment made
    by ``replace`` or arithmetic has no text yet and writes itself as any
    date-time does.)
    """

    __slots__ = ("text",)
    text: str
    """What ``isoformat`` returns (set by ``of``)."""

    @classmethod
    def of(cls, timestamp: float, zone: tzinfo) -> Self:
        """Return the moment of a timestamp in ``zone``, its text written."""
        moment = cls.fromtimestamp(timestamp, zone)
        moment.text = datetime.isoformat(moment)
        return moment

    def __deepcopy__(self, _memo: object) -> Self:
        """Return the moment itself."""
        return self

    @override
    def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
        """Return the moment's text (as ``datetime.isoformat`` writes it)."""
        text: str | None = getattr(self, "text", None)
        if text is None or sep != "T" or timespec != "auto":
            return super().isoformat(sep, timespec)
        return text
