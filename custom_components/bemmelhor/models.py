"""The integration's view of calls: states, outcomes and the calls themselves."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from .api import ActiveCall, ChannelState, Disposition, is_text, parse_datetime
from .const import (
    ATTR_CALL_ID,
    ATTR_CHANNEL,
    ATTR_DISPOSITION,
    ATTR_DURATION,
    ATTR_EXTENSION,
    ATTR_FROM,
    ATTR_LINKED_CHANNEL,
    ATTR_STARTED,
    ATTR_TO,
)


class CallState(StrEnum):
    """What an extension is doing, as the ``call_state`` sensor shows it."""

    IDLE = "idle"
    DIALING = "dialing"
    RINGING = "ringing"
    TALKING = "talking"


CHANNEL_STATE_TO_CALL_STATE: Mapping[ChannelState, CallState] = {
    ChannelState.UP: CallState.TALKING,
    ChannelState.RINGING: CallState.RINGING,
}
"""Every other channel state of an active call means it is still dialing."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenCall:
    """A call whose dialing was seen and whose hangup was not (yet)."""

    call_id: str
    from_: str | None
    to: str | None
    extension: str | None
    started: datetime
    seen: datetime
    """When Home Assistant received the dialing (for the stale-call watchdog)."""

    def as_dict(self) -> dict[str, Any]:
        """Return the call as stored across a restart (JSON-safe)."""
        return {
            ATTR_CALL_ID: self.call_id,
            ATTR_FROM: self.from_,
            ATTR_TO: self.to,
            ATTR_EXTENSION: self.extension,
            ATTR_STARTED: self.started.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], seen: datetime) -> Self | None:
        """Rebuild a call stored before a restart; None if unusable."""
        call_id = _str_or_none(data.get(ATTR_CALL_ID))
        started_at = parse_datetime(data.get(ATTR_STARTED))
        if call_id is None or started_at is None:
            return None
        return cls(
            call_id=call_id,
            from_=_str_or_none(data.get(ATTR_FROM)),
            to=_str_or_none(data.get(ATTR_TO)),
            extension=_str_or_none(data.get(ATTR_EXTENSION)),
            started=started_at,
            seen=seen,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class FinishedCall:
    """A call that ended, with its destination resolved and its duration."""

    call_id: str
    from_: str | None
    to: str | None
    extension: str | None
    disposition: Disposition
    ended: datetime
    duration: int | None

    def as_attributes(self) -> dict[str, Any]:
        """Attributes of the ``last_call`` sensor (JSON-safe)."""
        return {
            ATTR_CALL_ID: self.call_id,
            ATTR_FROM: self.from_,
            ATTR_TO: self.to,
            ATTR_DISPOSITION: self.disposition.value,
            ATTR_DURATION: self.duration,
        }

    @classmethod
    def from_attributes(
        cls, extension: str, ended: datetime, attributes: Mapping[str, Any]
    ) -> Self | None:
        """Rebuild a finished call from stored attributes; None if unusable."""
        call_id = _str_or_none(attributes.get(ATTR_CALL_ID))
        duration = attributes.get(ATTR_DURATION)
        if call_id is None:
            return None
        return cls(
            call_id=call_id,
            from_=_str_or_none(attributes.get(ATTR_FROM)),
            to=_str_or_none(attributes.get(ATTR_TO)),
            extension=extension,
            disposition=Disposition.parse(
                _str_or_none(attributes.get(ATTR_DISPOSITION))
            )
            or Disposition.UNKNOWN,
            ended=ended,
            duration=duration if isinstance(duration, int) else None,
        )


def _str_or_none(value: Any) -> str | None:
    """Return stored text, None for anything else (restore data is untrusted too)."""
    return value if isinstance(value, str) and is_text(value) else None


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtensionState:
    """Everything known of one extension: polled channel, pushed call, last call."""

    channel: ActiveCall | None = None
    call: OpenCall | None = None
    last_call: FinishedCall | None = None

    @property
    def call_state(self) -> CallState:
        """The state shown by the ``call_state`` sensor."""
        if self.channel is not None:
            return CHANNEL_STATE_TO_CALL_STATE.get(
                self.channel.state, CallState.DIALING
            )
        if self.call is not None:
            return CallState.DIALING
        return CallState.IDLE

    @property
    def on_call(self) -> bool:
        """Whether the extension is busy with a call."""
        return self.call_state is not CallState.IDLE

    def call_attributes(self) -> dict[str, Any]:
        """Attributes of the ``call_state`` sensor while a call is active."""
        if not self.on_call:
            return {}
        channel, call = self.channel, self.call
        started = call.started if call else None
        if started is None and channel is not None:
            started = channel.created
        return {
            ATTR_CALL_ID: call.call_id if call else None,
            ATTR_FROM: call.from_ if call else _caller_number(channel),
            ATTR_TO: call.to if call else None,
            ATTR_CHANNEL: channel.name if channel else None,
            ATTR_LINKED_CHANNEL: channel.linked_channel if channel else None,
            ATTR_STARTED: started.isoformat() if started else None,
        }


def _caller_number(channel: ActiveCall | None) -> str | None:
    return channel.caller_id.number if channel else None
