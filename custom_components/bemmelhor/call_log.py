"""The call log: one source of truth for the calls of one PBX.

It owns call state and nothing else (no Home Assistant imports): the open
calls, the channel each extension showed in the last poll, each extension's
last call, and the finished calls of the last ``history_days``. Webhooks
(a dialing, a hangup), poll answers and the stale-call watchdog are applied
to it; each returns what changed, and :meth:`CallLog.state` builds what an
extension's entities show. A call between two configured extensions is one
call seen from both ends. :mod:`.call_log_store` keeps it on disk.
"""

from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from .api import ActiveCall, CallEvent, ChannelState, Disposition
from .call_backs import CallBacks
from .call_history import MAX_LOGGED_CALLS, CallHistory
from .calls import (
    CallSource,
    Direction,
    FinishedCall,
    OpenCall,
    call_owner,
    finish_call,
)
from .daily_figures import NO_CALLS, Figures
from .models import ExtensionState
from .poll_calls import (
    Changes,
    join_internal,
    new_poll_call,
    poll_disposition,
    pop_poll_calls,
)

HANGUP_EXTENSION = "h"
"""Asterisk's hangup extension, sent as ``to`` in hangups."""

MAX_OPEN_CALLS = 1000
MAX_OPEN_CALL_AGE = timedelta(hours=12)
MAX_FINISHED_IDS = 2000
MAX_FINISHED_ID_AGE = timedelta(hours=1)
type NameOf = Callable[[str | None], str | None]


def _no_name(_number: str | None) -> str | None:
    return None


class CallLog:
    """Calls of one PBX: open, last per extension and finished."""

    def __init__(
        self,
        extensions: Collection[str],
        *,
        history: timedelta,
        max_calls: int = MAX_LOGGED_CALLS,
        name_of: NameOf = _no_name,
    ) -> None:
        """Start an empty log for the configured ``extensions``."""
        self.extensions = frozenset(extensions)
        self.history = CallHistory(history, max_calls)
        self.call_backs = CallBacks(self.extensions)
        self.finished_listeners: list[Callable[[FinishedCall], object]] = []
        """Told of every call that ends (not of calls restored from storage)."""
        self.name_of = name_of
        self._open: OrderedDict[str, OpenCall] = OrderedDict()
        self._channels: dict[str, ActiveCall | None] = {}
        self._last: dict[str, FinishedCall] = {}
        self._finished_ids: OrderedDict[str, datetime] = OrderedDict()
        self._hung_up_at: dict[str, datetime] = {}
        self.hangups: Counter[str] = Counter()
        """Hangups per extension: a poll answer asked before one is outdated."""

    # What the log holds

    @property
    def open_calls(self) -> list[OpenCall]:
        """Return the open calls, oldest first."""
        return list(self._open.values())

    @property
    def finished_ids(self) -> int:
        """Return how many finished call ids are remembered (de-duplication)."""
        return len(self._finished_ids)

    @property
    def last_calls(self) -> Mapping[str, FinishedCall]:
        """Return each extension's last call."""
        return self._last

    def state(self, extension: str, today: Figures = NO_CALLS) -> ExtensionState:
        """Return what the entities of ``extension`` show, with ``today``'s figures."""
        return ExtensionState(
            extension=extension,
            channel=self._channels.get(extension),
            call=self._newest_open_call(extension),
            last_call=self._last.get(extension),
            today=today,
        )

    def states(self, extensions: Iterable[str]) -> dict[str, ExtensionState]:
        """Return the states of several extensions."""
        return {extension: self.state(extension) for extension in extensions}

    def involved(self, *numbers: str | None) -> set[str]:
        """Return every configured extension among the given numbers."""
        return {number for number in numbers if number in self.extensions}

    def extensions_to_follow(self) -> list[str]:
        """Extensions in an open call that the PBX has not shown as talking yet."""
        return sorted(
            {
                extension
                for call in self._open.values()
                for extension in self.involved(call.from_, call.to)
                if not self._talking(extension)
            }
        )

    def _talking(self, extension: str) -> bool:
        channel = self._channels.get(extension)
        return channel is not None and channel.state is ChannelState.UP

    # Webhooks

    def dialing(self, event: CallEvent, now: datetime) -> OpenCall | None:
        """Apply a dialing; None when it is a duplicate or its call has ended."""
        self._forget_old(now)
        if event.call_id in self._open or event.call_id in self._finished_ids:
            return None
        extension, direction = self.owner(event.from_, event.to)
        adopted = self._pop_poll_calls(self.involved(event.from_, event.to))
        call = OpenCall(
            call_id=event.call_id,
            extension=extension,
            direction=direction,
            from_=event.from_,
            to=event.to,
            from_name=self.name_of(event.from_),
            to_name=self.name_of(event.to),
            started=event.created,
            seen=now,
            answered=adopted.answered if adopted else None,
        )
        self._open[call.call_id] = call
        while len(self._open) > MAX_OPEN_CALLS:
            self._open.popitem(last=False)
        return call

    def hangup(self, event: CallEvent, now: datetime) -> FinishedCall | None:
        """Apply a hangup; None when it is a duplicate."""
        self._forget_old(now)
        if event.call_id in self._finished_ids:
            return None
        from_ = event.from_
        to = event.to if event.to and event.to != HANGUP_EXTENSION else None
        opened = self._open.pop(event.call_id, None) or self._pop_poll_calls(
            self.involved(from_, to)
        )
        if opened is not None:
            from_, to = from_ or opened.from_, opened.to or to
        disposition = event.disposition or Disposition.UNKNOWN
        finished = self._finish(
            opened, event.call_id, from_, to, event.created, disposition, now
        )
        for extension in self.involved(finished.from_, finished.to):
            self._channels[extension] = None
            self._hung_up_at[extension] = finished.ended
            self.hangups[extension] += 1
        return finished

    # Polls and the watchdog

    def poll(self, channels: Mapping[str, ActiveCall | None], now: datetime) -> Changes:
        """Apply the channels a poll found (None: the extension is idle)."""
        changes = Changes()
        for extension, channel in channels.items():
            if self._channels.get(extension) != channel:
                changes.extensions.add(extension)
            self._channels[extension] = channel
            call = self._newest_open_call(extension)
            if channel is None:
                if call is not None and call.source is CallSource.POLL:
                    self._end_poll_call(call, now, changes)
            elif call is None:
                self._start_poll_call(extension, channel, now, changes)
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

    # Restoring

    def restore_open_call(self, call: OpenCall) -> bool:
        """Take back a call that was open before a restart; False if known."""
        if call.call_id in self._open or call.call_id in self._finished_ids:
            return False
        self._open[call.call_id] = call
        return True

    def restore_finished_call(self, call: FinishedCall) -> None:
        """Take back a finished call (in any order); it may be an extension's last."""
        self._record(call, remember_id=False)

    def set_last_call(self, extension: str, call: FinishedCall) -> None:
        """Take back an extension's last call, unless a newer one is known."""
        known = self._last.get(extension)
        if extension in self.extensions and (
            known is None or known.ended <= call.ended
        ):
            self._last[extension] = call

    # Inside

    def owner(self, from_: str | None, to: str | None) -> tuple[str | None, Direction]:
        """Return the extension a call belongs to (``from`` first) and its direction."""
        return call_owner(self.extensions, from_, to)

    def _newest_open_call(self, extension: str) -> OpenCall | None:
        for call in reversed(self._open.values()):
            if call.involves(extension):
                return call
        return None

    def _pop_poll_calls(self, extensions: Collection[str]) -> OpenCall | None:
        """Take away the poll calls of these extensions; return the newest one."""
        return pop_poll_calls(self._open, extensions)

    def _start_poll_call(
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
                caller in self.extensions
                and (calling := self._newest_open_call(caller)) is not None
            ):
                # The other end of a call between two extensions: one call.
                if calling.to is None and calling.source is CallSource.POLL:
                    linked = join_internal(calling, extension, self.name_of(extension))
                    self._open[calling.call_id] = linked
                    changes.replace_started(linked)
                    changes.extensions.add(extension)
                return
        call = new_poll_call(
            channel,
            extension,
            (from_, to),
            self.owner(from_, to),
            (self.name_of(from_), self.name_of(to)),
            now,
        )
        self._open[call.call_id] = call
        changes.started.append(call)
        changes.extensions |= self.involved(from_, to)

    def _end_poll_call(self, call: OpenCall, now: datetime, changes: Changes) -> None:
        del self._open[call.call_id]
        disposition = poll_disposition(call)
        finished = self._finish(
            call, call.call_id, call.from_, call.to, now, disposition, now
        )
        changes.finished.append(finished)
        changes.extensions |= self.involved(call.from_, call.to)

    def _finish(
        self,
        opened: OpenCall | None,
        call_id: str,
        from_: str | None,
        to: str | None,
        ended: datetime,
        disposition: Disposition,
        now: datetime,
    ) -> FinishedCall:
        """Record a call that ended; return it."""
        finished = finish_call(
            opened,
            call_id=call_id,
            owner=self.owner(from_, to),
            from_=from_,
            to=to,
            names=(
                opened.from_name if opened else self.name_of(from_),
                opened.to_name if opened and opened.to == to else self.name_of(to),
            ),
            ended=ended,
            disposition=disposition,
        )
        self._record(finished, remember_id=True, now=now)
        self.call_backs.apply(finished)
        for listener in self.finished_listeners:
            listener(finished)
        return finished

    def _record(
        self, call: FinishedCall, *, remember_id: bool, now: datetime | None = None
    ) -> None:
        for extension in self.involved(call.from_, call.to):
            self.set_last_call(extension, call)
        if remember_id and now is not None:
            self._finished_ids[call.call_id] = now
            while len(self._finished_ids) > MAX_FINISHED_IDS:
                self._finished_ids.popitem(last=False)
        self.history.add(call)

    def _forget_old(self, now: datetime) -> None:
        """Drop finished ids and open calls past their age limits."""
        finished = self._finished_ids
        while finished and now - next(iter(finished.values())) > MAX_FINISHED_ID_AGE:
            finished.popitem(last=False)
        opened = self._open
        while opened and now - next(iter(opened.values())).seen > MAX_OPEN_CALL_AGE:
            opened.popitem(last=False)
