"""Calls seen only by polling: what a poll changed, and how its calls are made.

A channel on an extension that no webhook told of becomes a call: it starts
when the poll first sees it, counts as answered once seen ``UP`` and ends,
answered or not, when the channel is gone.
"""

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime

from .api import ActiveCall, ChannelState, Disposition
from .calls import CallSource, Direction, FinishedCall, OpenCall


@dataclass(slots=True, kw_only=True)
class Changes:
    """What applying something to the log changed."""

    extensions: set[str] = field(default_factory=set)
    """Extensions whose state changed."""
    started: list[OpenCall] = field(default_factory=list)
    finished: list[FinishedCall] = field(default_factory=list)
    stale: list[OpenCall] = field(default_factory=list)
    """Calls ended by the watchdog (no hangup, no channel)."""

    def replace_started(self, call: OpenCall) -> None:
        """Report a started call as it is now (its other end was found)."""
        self.started = [
            call if new.call_id == call.call_id else new for new in self.started
        ]

    def __bool__(self) -> bool:
        """Return whether anything changed."""
        return bool(self.extensions or self.started or self.finished or self.stale)


def new_poll_call(
    channel: ActiveCall,
    extension: str,
    ends: tuple[str | None, str | None],
    owner: tuple[str | None, Direction],
    names: tuple[str | None, str | None],
    now: datetime,
) -> OpenCall:
    """Return the call of a channel seen on ``extension``; ``ends`` is (from, to)."""
    started = channel.created or now
    return OpenCall(
        call_id=f"poll-{channel.id or extension}-{int(started.timestamp())}",
        extension=owner[0],
        direction=owner[1],
        from_=ends[0],
        to=ends[1],
        from_name=names[0],
        to_name=names[1],
        started=started,
        seen=now,
        answered=now if channel.state is ChannelState.UP else None,
        source=CallSource.POLL,
    )


def poll_disposition(call: OpenCall) -> Disposition:
    """Return how a poll call ended: answered when it was seen talking."""
    return Disposition.ANSWERED if call.answered is not None else Disposition.NO_ANSWER


def join_internal(calling: OpenCall, extension: str, name: str | None) -> OpenCall:
    """Return a poll call with its called end found: a call between two extensions."""
    return replace(calling, to=extension, to_name=name, direction=Direction.INTERNAL)


def pop_poll_calls(
    open_calls: dict[str, OpenCall], extensions: Collection[str]
) -> OpenCall | None:
    """Take the poll calls of these extensions out of ``open_calls``; return the newest."""
    found: OpenCall | None = None
    for call in list(open_calls.values()):
        if call.source is CallSource.POLL and any(
            call.involves(extension) for extension in extensions
        ):
            found = open_calls.pop(call.call_id)
    return found
