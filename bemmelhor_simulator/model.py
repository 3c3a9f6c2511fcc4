"""Plain data of the call model: phases, timings, channels and calls."""

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .const import ChannelState, Disposition


class CallPhase(StrEnum):
    """Where a call is in its life."""

    DIALING = "dialing"
    RINGING = "ringing"
    TALKING = "talking"
    ENDED = "ended"


PHASE_ORDER = (CallPhase.DIALING, CallPhase.RINGING, CallPhase.TALKING, CallPhase.ENDED)

# Channel state ``/api/active`` reports for each phase of an active call.
PHASE_CHANNEL_STATE = {
    CallPhase.DIALING: ChannelState.DIALING,
    CallPhase.RINGING: ChannelState.RINGING,
    CallPhase.TALKING: ChannelState.UP,
}


class Mode(StrEnum):
    """How calls move between phases when nobody drives them explicitly."""

    MANUAL = "manual"
    TIMED = "timed"


@dataclass(frozen=True, slots=True, kw_only=True)
class CallTimings:
    """Seconds each phase lasts when a call is driven by a timer.

    ``ring_after``: dialing -> ringing. ``answer_after``: ringing -> talking (or,
    for a call whose disposition is not ANSWERED, ringing -> ended).
    ``talk_for``: talking -> ended.
    """

    ring_after: float = 1.0
    answer_after: float = 4.0
    talk_for: float = 10.0

    def __post_init__(self) -> None:
        """Reject negative durations."""
        if min(self.ring_after, self.answer_after, self.talk_for) < 0:
            raise ValueError("call timings must not be negative")

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> CallTimings:
        """Build from a JSON object, defaults for missing keys."""
        unknown = set(values) - {"ring_after", "answer_after", "talk_for"}
        if unknown:
            raise ValueError(f"unknown timing keys: {sorted(unknown)}")
        return cls(**{key: float(value) for key, value in values.items()})

    def as_dict(self) -> dict[str, float]:
        """Return the timings as a JSON object."""
        return {
            "ring_after": self.ring_after,
            "answer_after": self.answer_after,
            "talk_for": self.talk_for,
        }

    def delay(self, phase: CallPhase) -> float:
        """Return how long a call stays in ``phase`` before the timer moves it."""
        if phase is CallPhase.DIALING:
            return self.ring_after
        if phase is CallPhase.RINGING:
            return self.answer_after
        return self.talk_for


@dataclass(frozen=True, slots=True)
class Channel:
    """One Asterisk channel of a call, e.g. ``1609957242.2`` / ``SIP/6001-00000002``."""

    id: str
    name: str


@dataclass(slots=True, kw_only=True, eq=False)
class Call:
    """A call the PBX knows about, active or ended.

    ``transitions`` lists every phase the call entered, with when.
    """

    call_id: str
    from_: str
    to: str
    created: datetime
    caller: Channel
    callee: Channel
    planned_disposition: Disposition = Disposition.ANSWERED
    timings: CallTimings | None = None
    phase: CallPhase = CallPhase.DIALING
    phase_changed: datetime | None = None
    ended: datetime | None = None
    disposition: Disposition | None = None
    transitions: list[tuple[CallPhase, datetime]] = field(default_factory=list)
    dialing_delivery: asyncio.Task[None] | None = field(default=None, repr=False)
    timer: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def active(self) -> bool:
        """Return whether the call has not ended yet."""
        return self.phase is not CallPhase.ENDED

    @property
    def state(self) -> ChannelState | None:
        """Return the channel state of the current phase (None once ended)."""
        return PHASE_CHANNEL_STATE.get(self.phase)

    @property
    def timed(self) -> bool:
        """Return whether a timer drives this call."""
        return self.timings is not None

    def next_phase(self) -> CallPhase:
        """Return the phase the call moves to next on its planned path.

        An answered call goes dialing -> ringing -> talking -> ended; any other
        disposition goes dialing -> ringing -> ended.
        """
        if self.phase is CallPhase.DIALING:
            return CallPhase.RINGING
        if (
            self.phase is CallPhase.RINGING
            and self.planned_disposition is Disposition.ANSWERED
        ):
            return CallPhase.TALKING
        return CallPhase.ENDED
