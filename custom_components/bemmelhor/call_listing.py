"""Calls of the log for an assistant: by period, with names and outcomes.

The ``bemmelhor__list_calls`` LLM tool answers with this: the periods people
ask about ("today", "yesterday", "this week") turned into a query, and each
call written so that an assistant can read it out: who called whom (names
where known), when, which way and how it ended, and whether it was missed.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonObjectType, JsonValueType

from .call_log.model.calls import Direction, FinishedCall
from .call_log.model.queries import CallQuery
from .call_texts import written_number
from .coordinator import BemMelhorConfigEntry

NOON = 12
EVENING = 18
"""Where the afternoon ends, for "this afternoon"."""


class Period(StrEnum):
    """The periods an assistant asks about."""

    RECENT = "recent"
    """No period: the newest calls."""
    TODAY = "today"
    THIS_MORNING = "this_morning"
    """Today until noon."""
    THIS_AFTERNOON = "this_afternoon"
    """Today from noon until six in the evening."""
    YESTERDAY = "yesterday"
    LAST_7_DAYS = "last_7_days"
    LAST_30_DAYS = "last_30_days"


@dataclass(frozen=True, slots=True)
class Span:
    """When the listed calls ended: ``[start, end)``, either side open."""

    start: datetime | None = None
    end: datetime | None = None

    def as_dict(self) -> JsonObjectType:
        """Return the span in local time (JSON-safe)."""
        return {
            "start": _local(self.start),
            "end": _local(self.end),
        }


def period_span(period: Period, now: datetime | None = None) -> Span:
    """Return the span of a period, in Home Assistant's time zone."""
    now = now or dt_util.now()
    today = dt_util.start_of_local_day(now)
    match period:
        case Period.TODAY:
            return Span(today, None)
        case Period.THIS_MORNING:
            return Span(today, _at_hour(today, NOON))
        case Period.THIS_AFTERNOON:
            return Span(_at_hour(today, NOON), _at_hour(today, EVENING))
        case Period.YESTERDAY:
            return Span(today - timedelta(days=1), today)
        case Period.LAST_7_DAYS:
            return Span(now - timedelta(days=7), None)
        case Period.LAST_30_DAYS:
            return Span(now - timedelta(days=30), None)
    return Span()


def _at_hour(day: datetime, hour: int) -> datetime:
    """Return ``hour`` o'clock, local wall time, on the day that ``day`` starts."""
    return day.replace(hour=hour)


def parse_moment(value: str, *, end: bool = False) -> datetime | None:
    """Read an ISO date or date-time; naive ones are Home Assistant's local time.

    A date alone is its local midnight, or the next one for an ``end``
    (so that ``end: 2026-11-27`` includes that day).
    """
    value = value.strip()
    if (day := dt_util.parse_date(value)) is not None:
        return dt_util.start_of_local_day(day + timedelta(days=1) if end else day)
    if (moment := dt_util.parse_datetime(value)) is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt_util.get_default_time_zone())
    return moment


def call_missed(call: FinishedCall, extension: str | None) -> bool:
    """Return whether a call was missed: by ``extension``, or by its called end."""
    if extension is not None:
        return call.missed_by(extension)
    return call.direction is not Direction.OUTBOUND and call.missed_by(call.to)


def describe_call(call: FinishedCall, extension: str | None) -> JsonObjectType:
    """Return one call as an assistant reads it (JSON-safe)."""
    return {
        "started": _local(call.started),
        "ended": _local(call.ended),
        "extension": call.extension,
        "direction": call.direction_for(extension).value,
        "from": call.from_name or written_number(call.from_),
        "from_number": call.from_,
        "to": call.to_name or written_number(call.to),
        "to_number": call.to,
        "outcome": call.disposition.value,
        "missed": call_missed(call, extension),
        "duration_seconds": call.duration,
        "talk_time_seconds": call.talk_time,
    }


async def async_list_calls(
    entries: list[BemMelhorConfigEntry], query: CallQuery
) -> tuple[list[JsonValueType], bool]:
    """Return the calls of several entries that answer ``query``, newest first.

    Also whether more calls answer it than ``limit`` let through. With more
    than one entry, each call says which PBX it is of.
    """
    found: list[tuple[datetime, BemMelhorConfigEntry, FinishedCall]] = []
    wider = replace(query, limit=query.limit + 1)
    now = dt_util.utcnow()
    for entry in entries:
        store = entry.runtime_data.coordinator.store
        found.extend(
            (call.ended, entry, call) for call in await store.async_query(wider, now)
        )
    found.sort(key=lambda item: item[0], reverse=True)
    calls: list[JsonValueType] = []
    for _, entry, call in found[: query.limit]:
        described = describe_call(call, query.extension)
        if len(entries) > 1:
            described["pbx"] = entry.title
        calls.append(described)
    return calls, len(found) > query.limit


def _local(moment: datetime | None) -> str | None:
    """Return a moment in local time, to the second."""
    if moment is None:
        return None
    return dt_util.as_local(moment).isoformat(timespec="seconds")
