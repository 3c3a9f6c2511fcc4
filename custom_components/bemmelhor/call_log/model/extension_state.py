"""What an extension's entities show: its call state and the calls behind it."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from custom_components.bemmelhor.api import ActiveCall, ChannelState
from custom_components.bemmelhor.const import (
    ATTR_CALL_ID,
    ATTR_CHANNEL,
    ATTR_DIRECTION,
    ATTR_FROM,
    ATTR_LINKED_CHANNEL,
    ATTR_RAW_CHANNEL_STATE,
    ATTR_REMOTE_NAME,
    ATTR_REMOTE_NUMBER,
    ATTR_STARTED,
    ATTR_TO,
)

from .calls import Direction, FinishedCall, OpenCall
from .figures import NO_CALLS, Figures


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
class ExtensionState:
    """Everything known of one extension: polled channel, open call, last call."""

    extension: str
    channel: ActiveCall | None = None
    call: OpenCall | None = None
    last_call: FinishedCall | None = None
    today: Figures = NO_CALLS
    """Today's calls, missed calls and talk time."""

    @property
    def call_state(self) -> CallState:
        """The state shown by the ``call_state`` sensor.

        The PBX's channel decides when the poll shows one. Before that, a
        pushed call is dialing at its calling end and ringing at its called
        end: a dialing webhook between or into extensions rings the called
        one, whose channel the next poll shows ringing too.
        """
        if self.channel is not None:
            return CHANNEL_STATE_TO_CALL_STATE.get(
                self.channel.state, CallState.DIALING
            )
        if self.call is not None:
            if self.call.to == self.extension and self.call.from_ != self.extension:
                return CallState.RINGING
            return CallState.DIALING
        return CallState.IDLE

    @property
    def on_call(self) -> bool:
        """Whether the extension is busy with a call."""
        return self.call_state is not CallState.IDLE

    def call_attributes(self) -> dict[str, Any]:
        """Attributes of the ``call_state`` sensor while a call is active.

        ``direction``, ``remote_number`` and ``remote_name`` are seen from this
        extension: the called end of a call between two extensions is inbound.
        """
        if not self.on_call:
            return {}
        channel, call = self.channel, self.call
        started = call.started if call else None
        if started is None and channel is not None:
            started = channel.created
        inbound = call is not None and (
            call.direction is Direction.INBOUND
            or (call.direction is Direction.INTERNAL and call.to == self.extension)
        )
        return {
            ATTR_CALL_ID: call.call_id if call else None,
            ATTR_FROM: call.from_ if call else _caller_number(channel),
            ATTR_TO: call.to if call else None,
            ATTR_DIRECTION: _seen_direction(call, inbound),
            ATTR_REMOTE_NUMBER: (call.from_ if inbound else call.to) if call else None,
            ATTR_REMOTE_NAME: (
                (call.from_name if inbound else call.to_name) if call else None
            ),
            ATTR_CHANNEL: channel.name if channel else None,
            ATTR_LINKED_CHANNEL: channel.linked_channel if channel else None,
            ATTR_RAW_CHANNEL_STATE: channel.raw_state if channel else None,
            ATTR_STARTED: started.isoformat() if started else None,
        }


def _seen_direction(call: OpenCall | None, inbound: bool) -> str | None:
    if call is None:
        return None
    return (Direction.INBOUND if inbound else Direction.OUTBOUND).value


def _caller_number(channel: ActiveCall | None) -> str | None:
    return channel.caller_id.number if channel else None
