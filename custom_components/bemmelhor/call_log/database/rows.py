"""Calls and call-back items as rows of the database, and back.

Times are stored as seconds since the epoch (UTC), enumerations as their
values. Beside its numbers, a call stores their keys (``key_of``: the same
number written in any way has one key), which the indexes use to find the
calls of an extension or of a number. Rows read back are trusted no more
than any stored data: a value the code does not know becomes the default.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from custom_components.bemmelhor.api import Disposition
from custom_components.bemmelhor.call_log.model.call_backs import CallBack
from custom_components.bemmelhor.call_log.model.calls import (
    CallSource,
    Direction,
    FinishedCall,
    member,
)

type KeyOf = Callable[[str], str]
"""Returns the key of a number (``call_backs.same_number_key`` with an area code)."""

CALL_COLUMNS = (
    "call_id",
    "extension",
    "direction",
    "from_number",
    "to_number",
    "from_name",
    "to_name",
    "started",
    "answered",
    "ended",
    "duration",
    "talk_time",
    "disposition",
    "raw_disposition",
    "source",
    "placed_by",
)
"""The columns a call is read back from, in this order."""

INSERT_CALL = (
    "INSERT INTO calls (call_id, extension, direction, from_number, to_number,"
    " from_name, to_name, started, answered, ended, duration, talk_time,"
    " disposition, raw_disposition, source, placed_by, from_key, to_key)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SELECT_CALLS = (
    "SELECT call_id, extension, direction, from_number, to_number, from_name,"
    " to_name, started, answered, ended, duration, talk_time, disposition,"
    " raw_disposition, source, placed_by FROM calls"
)
"""The columns of ``CALL_COLUMNS``: a call is read back from them."""

CALL_BACK_COLUMNS = (
    "uid",
    "number",
    "name",
    "extension",
    "missed",
    "last_missed",
    "completed",
)
UPSERT_CALL_BACK = (
    "INSERT OR REPLACE INTO call_backs"
    " (uid, number, name, extension, missed, last_missed, completed)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
SELECT_CALL_BACKS = (
    "SELECT uid, number, name, extension, missed, last_missed, completed"
    " FROM call_backs"
)


def seconds(moment: datetime) -> float:
    """Return a moment as stored: seconds since the epoch."""
    return moment.timestamp()


def moment(value: float) -> datetime:
    """Return a stored moment (UTC)."""
    return datetime.fromtimestamp(value, UTC)


def _moment_or_none(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _key(key_of: KeyOf, number: str | None) -> str | None:
    return None if number is None else key_of(number)


def call_row(call: FinishedCall, key_of: KeyOf) -> tuple[Any, ...]:
    """Return the values a finished call is inserted with."""
    answered = call.answered
    return (
        call.call_id,
        call.extension,
        call.direction.value,
        call.from_,
        call.to,
        call.from_name,
        call.to_name,
        call.started.timestamp(),
        None if answered is None else answered.timestamp(),
        call.ended.timestamp(),
        call.duration,
        call.talk_time,
        call.disposition.value,
        call.raw_disposition,
        call.source.value,
        call.placed_by,
        _key(key_of, call.from_),
        _key(key_of, call.to),
    )


def call_of_row(row: Sequence[Any]) -> FinishedCall:
    """Return the finished call of a row of ``CALL_COLUMNS``."""
    return FinishedCall(
        call_id=row[0],
        extension=row[1],
        direction=member(Direction, row[2], Direction.OUTBOUND),
        from_=row[3],
        to=row[4],
        from_name=row[5],
        to_name=row[6],
        started=moment(row[7]),
        answered=_moment_or_none(row[8]),
        ended=moment(row[9]),
        duration=row[10],
        talk_time=row[11],
        disposition=member(Disposition, row[12], Disposition.UNKNOWN),
        raw_disposition=row[13],
        source=member(CallSource, row[14], CallSource.WEBHOOK),
        placed_by=row[15],
    )


def call_back_row(item: CallBack) -> tuple[Any, ...]:
    """Return the values a call-back item is stored with."""
    completed = item.completed
    return (
        item.uid,
        item.number,
        item.name,
        item.extension,
        item.missed,
        item.last_missed.timestamp(),
        None if completed is None else completed.timestamp(),
    )


def call_back_of_row(row: Sequence[Any]) -> CallBack:
    """Return the call-back item of a row of ``CALL_BACK_COLUMNS``."""
    return CallBack(
        uid=row[0],
        number=row[1],
        name=row[2],
        extension=row[3],
        missed=max(1, row[4]),
        last_missed=moment(row[5]),
        completed=_moment_or_none(row[6]),
    )
