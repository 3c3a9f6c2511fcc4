"""Poll answers applied to the call log: calls only polls see, and the watchdog.

A channel on an extension that no webhook told of becomes a call: it starts
when the poll first sees it, counts as answered once seen ``UP`` and ends,
answered or not, when the channel is gone. A call a webhook opened whose
hangup was lost is ended by the stale-call watchdog once the PBX no longer
shows it. :class:`PollApplier` does both to a call log's open calls;
:class:`Changes` is what they changed.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from custom_components.bemmelhor.api import ActiveCall, ChannelState, Disposition

from .calls import CallSource, Direction, FinishedCall, OpenCall
from .rules import call_owner, involved_extensions

type NameOf = Callable[[str | None], str | None]
"""Returns the contact name of a number, if known."""
type FinishPollCall = Callable[[OpenCall, datetime], FinishedCall]
"""Records a poll call whose channel is gone (at a time); returns it finished."""


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


class PollApplier:
    """Applies poll answers and the stale-call watchdog to a call log.

    It works on what the log owns and hands it: the open calls (oldest
    first), the channel each extension showed in the last poll, and when each
    extension's last hangup arrived (a channel from before it is outdated).
    """

    def __init__(
        self,
        extensions: frozenset[str],
        *,
        open_calls: dict[str, OpenCall],
        channels: dict[str, ActiveCall | None],
        hung_up_at: Mapping[str, datetime],
        name_of: NameOf,
        finish: FinishPollCall,
    ) -> None:
        """Work on a log's ``open_calls``, ``channels`` and ``hung_up_at``."""
        self._extensions = extensions
        self._open = open_calls
        self._channels = channels
        self._hung_up_at = hung_up_at
        self._name_of = name_of
        self._finish = finish

    def apply(
        self, channels: Mapping[str, ActiveCall | None], now: datetime
    ) -> Changes:
        """Apply the channels a poll found (None: the extension is idle)."""
        changes = Changes()
        for extension, channel in channels.items():
            if self._channels.get(extension) != channel:
                changes.extensions.add(extension)
            self._channels[extension] = channel
            call = newest_open_call(self._open, extension)
            if channel is None:
                if call is not None and call.source is CallSource.POLL:
                    self._end_call(call, now, changes)
            elif call is None:
                self._start_call(extension, channel, now, changes)
            elif channel.state is ChannelState.UP and call.answered is None:
                self._open[call.call_id] = replace(call, answered=now)
        return changes

    def end_stale(self, grace: timedelta, now: datetime) -> list[OpenCall]:
        """End pushed calls the PBX no longer shows (their hangup was lost)."""
        stale = [
            call
            for call in self._open.values()
            if call.source is CallSource.WEBHOOK
            and call.extension is not None
            and self._channels.get(call.extension) is None
            and now - call.seen >= grace
        ]
        for call in stale:
            del self._open[call.call_id]
        return stale

    def extensions_to_follow(self) -> list[str]:
        """Extensions in an open call that the PBX has not shown as talking yet."""
        return sorted(
            {
                extension
                for call in self._open.values()
                for extension in involved_extensions(
                    self._extensions, call.from_, call.to
                )
                if not self._talking(extension)
            }
        )

    def _talking(self, extension: str) -> bool:
        channel = self._channels.get(extension)
        return channel is not None and channel.state is ChannelState.UP

    def _start_call(
        self, extension: str, channel: ActiveCall, now: datetime, changes: Changes
    ) -> None:
        """Make a call of a channel no webhook told of."""
        hung_up = self._hung_up_at.get(extension)
        if hung_up is not None and (channel.created or now) <= hung_up:
            return  # the channel of a call whose hangup already arrived
        caller = channel.caller_id.number
        if caller is None or caller == extension:
            from_, to = extension, None
        else:
            from_, to = caller, extension
            if (
                caller in self._extensions
                and (calling := newest_open_call(self._open, caller)) is not None
            ):
                # The other end of a call between two extensions: one call.
                if calling.to is None and calling.source is CallSource.POLL:
                    linked = replace(
                        calling,
                        to=extension,
                        to_name=self._name_of(extension),
                        direction=Direction.INTERNAL,
                    )
                    self._open[calling.call_id] = linked
                    changes.replace_started(linked)
                    changes.extensions.add(extension)
                return
        call = self._new_call(channel, extension, from_, to, now)
        self._open[call.call_id] = call
        changes.started.append(call)
        changes.extensions |= involved_extensions(self._extensions, from_, to)

    def _new_call(
        self,
        channel: ActiveCall,
        extension: str,
        from_: str | None,
        to: str | None,
        now: datetime,
    ) -> OpenCall:
        """Return the call of a channel seen on ``extension``."""
        started = channel.created or now
        owner, direction = call_owner(self._extensions, from_, to)
        return OpenCall(
            call_id=f"poll-{channel.id or extension}-{int(started.timestamp())}",
            extension=owner,
            direction=direction,
            from_=from_,
            to=to,
            from_name=self._name_of(from_),
            to_name=self._name_of(to),
            started=started,
            seen=now,
            answered=now if channel.state is ChannelState.UP else None,
            source=CallSource.POLL,
        )

    def _end_call(self, call: OpenCall, now: datetime, changes: Changes) -> None:
        """End a poll call whose channel is gone."""
        del self._open[call.call_id]
        changes.finished.append(self._finish(call, now))
        changes.extensions |= involved_extensions(self._extensions, call.from_, call.to)


def poll_disposition(call: OpenCall) -> Disposition:
    """Return how a poll call ended: answered when it was seen talking."""
    return Disposition.ANSWERED if call.answered is not None else Disposition.NO_ANSWER


def newest_open_call(
    open_calls: dict[str, OpenCall], extension: str
) -> OpenCall | None:
    """Return the newest of ``open_calls`` (oldest first) ``extension`` is in."""
    for call in reversed(open_calls.values()):
        if call.involves(extension):
            return call
    return None


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
