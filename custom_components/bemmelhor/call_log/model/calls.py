"""Calls as the log keeps them: open and finished, with direction and source.

``as_dict`` / ``from_dict`` are their stored form, with the key names SPEC.md
gives a finished call; stored data is read as untrusted.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from custom_components.bemmelhor.api import Disposition, is_text, parse_datetime
from custom_components.bemmelhor.const import (
    ATTR_CALL_ID,
    ATTR_DIRECTION,
    ATTR_DISPOSITION,
    ATTR_DURATION,
    ATTR_FROM,
    ATTR_FROM_NAME,
    ATTR_RAW_DISPOSITION,
    ATTR_TO,
    ATTR_TO_NAME,
)


class Direction(StrEnum):
    """Which way a call goes, seen from the PBX."""

    OUTBOUND = "outbound"
    INBOUND = "inbound"
    INTERNAL = "internal"
    """Between two configured extensions."""


class CallSource(StrEnum):
    """How the integration learned of a call."""

    WEBHOOK = "webhook"
    POLL = "poll"
    """The PBX showed the call only through ``/api/active``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenCall:
    """A call that started and has not ended yet."""

    call_id: str
    extension: str | None
    """The configured extension it belongs to (``from`` first), if any."""
    direction: Direction
    from_: str | None
    to: str | None
    from_name: str | None = None
    to_name: str | None = None
    started: datetime
    seen: datetime
    """When Home Assistant learned of it (for the stale-call watchdog)."""
    answered: datetime | None = None
    """When the PBX was first seen showing the call as talking."""
    source: CallSource = CallSource.WEBHOOK
    placed_by: str | None = None
    """The Home Assistant user who placed it through Home Assistant, if one did."""

    def involves(self, extension: str) -> bool:
        """Return whether the call is one of ``extension``'s, at either end."""
        return extension in (self.from_, self.to)

    def as_dict(self) -> dict[str, Any]:
        """Return the call as stored (JSON-safe)."""
        return _stored(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], seen: datetime) -> Self | None:
        """Rebuild a stored call; None if unusable."""
        call_id = text_or_none(data.get("call_id"))
        started = parse_datetime(data.get("started"))
        if call_id is None or started is None:
            return None
        return cls(call_id=call_id, started=started, seen=seen, **_read(data))


@dataclass(frozen=True, slots=True, kw_only=True)
class FinishedCall:
    """A call that ended: its destination resolved, its times and outcome."""

    call_id: str
    extension: str | None
    direction: Direction
    from_: str | None
    to: str | None
    from_name: str | None = None
    to_name: str | None = None
    started: datetime
    answered: datetime | None = None
    ended: datetime
    duration: int | None
    """Seconds from start to end; None when the start was not seen."""
    talk_time: int
    """Seconds answered (0 when unanswered)."""
    disposition: Disposition
    source: CallSource = CallSource.WEBHOOK
    raw_disposition: str | None = None
    """The disposition as the PBX wrote it (None: none was sent, or a poll ended it)."""
    placed_by: str | None = None

    def involves(self, extension: str) -> bool:
        """Return whether the call is one of ``extension``'s, at either end."""
        return extension in (self.from_, self.to)

    def direction_for(self, extension: str | None) -> Direction:
        """Return the direction seen from one end: an internal call is both."""
        if self.direction is not Direction.INTERNAL or extension is None:
            return self.direction
        return Direction.OUTBOUND if extension == self.from_ else Direction.INBOUND

    @property
    def remote_number(self) -> str | None:
        """Return the number at the other end, seen from the call's extension."""
        return self.from_ if self.direction is Direction.INBOUND else self.to

    @property
    def remote_name(self) -> str | None:
        """Return the name at the other end, seen from the call's extension."""
        return self.from_name if self.direction is Direction.INBOUND else self.to_name

    def missed_by(self, extension: str | None) -> bool:
        """Return whether this is an inbound call to ``extension`` that nobody answered."""
        return (
            self.direction_for(extension) is Direction.INBOUND
            and self.disposition is not Disposition.ANSWERED
        )

    def as_attributes(self) -> dict[str, Any]:
        """Attributes of the ``last_call`` sensor (JSON-safe)."""
        return {
            ATTR_CALL_ID: self.call_id,
            ATTR_FROM: self.from_,
            ATTR_TO: self.to,
            ATTR_FROM_NAME: self.from_name,
            ATTR_TO_NAME: self.to_name,
            ATTR_DIRECTION: self.direction.value,
            ATTR_DISPOSITION: self.disposition.value,
            ATTR_RAW_DISPOSITION: self.raw_disposition,
            ATTR_DURATION: self.duration,
        }

    def as_dict(self) -> dict[str, Any]:
        """Return the call as stored and as actions answer it (JSON-safe)."""
        return _stored(self) | {
            "remote_number": self.remote_number,
            "remote_name": self.remote_name,
            "ended": self.ended.isoformat(),
            "duration": self.duration,
            "talk_time": self.talk_time,
            "disposition": self.disposition.value,
            "raw_disposition": self.raw_disposition,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self | None:
        """Rebuild a stored call; None if unusable."""
        call_id = text_or_none(data.get("call_id"))
        ended = parse_datetime(data.get("ended"))
        if call_id is None or ended is None:
            return None
        return cls(
            call_id=call_id,
            started=parse_datetime(data.get("started")) or ended,
            ended=ended,
            duration=_seconds_or_none(data.get("duration")),
            talk_time=_seconds_or_none(data.get("talk_time")) or 0,
            disposition=member(
                Disposition, data.get("disposition"), Disposition.UNKNOWN
            ),
            raw_disposition=text_or_none(data.get("raw_disposition")),
            **_read(data),
        )


def _stored(call: OpenCall | FinishedCall) -> dict[str, Any]:
    """Return what open and finished calls store alike (JSON-safe)."""
    return {
        "call_id": call.call_id,
        "extension": call.extension,
        "direction": call.direction.value,
        "from": call.from_,
        "to": call.to,
        "from_name": call.from_name,
        "to_name": call.to_name,
        "started": call.started.isoformat(),
        "answered": call.answered.isoformat() if call.answered else None,
        "source": call.source.value,
        "placed_by": call.placed_by,
    }


def _read(data: Mapping[str, Any]) -> dict[str, Any]:
    """Read back what open and finished calls store alike (untrusted)."""
    return {
        "extension": text_or_none(data.get("extension")),
        "direction": member(Direction, data.get("direction"), Direction.OUTBOUND),
        "from_": text_or_none(data.get("from")),
        "to": text_or_none(data.get("to")),
        "from_name": text_or_none(data.get("from_name")),
        "to_name": text_or_none(data.get("to_name")),
        "answered": parse_datetime(data.get("answered")),
        "source": member(CallSource, data.get("source"), CallSource.WEBHOOK),
        "placed_by": text_or_none(data.get("placed_by")),
    }


def text_or_none(value: Any) -> str | None:
    """Return stored text, None for anything else (stored data is untrusted too)."""
    return value if isinstance(value, str) and is_text(value) else None


def _seconds_or_none(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def member[E: StrEnum](enum: type[E], value: object, default: E) -> E:
    """Return the member of ``enum`` with ``value``; ``default`` for anything else."""
    try:
        return enum(value) if isinstance(value, str) else default
    except ValueError:
        return default
