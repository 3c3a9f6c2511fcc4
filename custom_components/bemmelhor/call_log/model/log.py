"""The call log's live part: one source of truth for the calls of one PBX.

It owns call state and nothing else (no Home Assistant imports): the open
calls, the channel each extension showed in the last poll, each extension's
last call, and the call-back list. Webhooks (a dialing, a hangup) are
applied here; poll answers and the stale-call watchdog through its
:class:`.polls.PollApplier`. Each returns what changed, and
:meth:`CallLog.state` builds what an extension's entities show. A call
between two configured extensions is one call seen from both ends.
Duplicate deliveries are recognised by the finished call ids remembered for
a while. Every call that ends is handed to ``finished_listeners``: the
database appends it (``../store.py``), today's figures count it.
"""

from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime, timedelta

from custom_components.bemmelhor.api import ActiveCall, CallEvent, Disposition

from .call_backs import CallBacks
from .calls import Direction, FinishedCall, OpenCall
from .extension_state import ExtensionState
from .figures import NO_CALLS, Figures
from .polls import (
    Changes,
    NameOf,
    PollApplier,
    newest_open_call,
    poll_disposition,
    pop_poll_calls,
)
from .rules import call_owner, finish_call, involved_extensions

HANGUP_EXTENSION = "h"
"""Asterisk's hangup extension, sent as ``to`` in hangups."""

MAX_OPEN_CALLS = 1000
MAX_OPEN_CALL_AGE = timedelta(hours=12)
MAX_FINISHED_IDS = 2000
MAX_FINISHED_ID_AGE = timedelta(hours=1)


def _no_name(_number: str | None) -> str | None:
    return None


class CallLog:
    """Calls of one PBX: open, last per extension and finished."""

    def __init__(
        self,
        extensions: Collection[str],
        *,
        name_of: NameOf = _no_name,
    ) -> None:
        """Start an empty log for the configured ``extensions``."""
        self.extensions = frozenset(extensions)
        self.call_backs = CallBacks(self.extensions)
        self.finished_listeners: list[Callable[[FinishedCall], object]] = []
        """Told of every call that ends, in the order they end."""
        self.name_of = name_of
        self._open: OrderedDict[str, OpenCall] = OrderedDict()
        self._channels: dict[str, ActiveCall | None] = {}
        self._last: dict[str, FinishedCall] = {}
        self._finished_ids: OrderedDict[str, datetime] = OrderedDict()
        self._hung_up_at: dict[str, datetime] = {}
        self.hangups: Counter[str] = Counter()
        """Hangups per extension: a poll answer asked before one is outdated."""
        # Polls work on the same containers: a hangup here idles the channel.
        self._poll_applier = PollApplier(
            self.extensions,
            open_calls=self._open,
            channels=self._channels,
            hung_up_at=self._hung_up_at,
            name_of=name_of,
            finish=self._finish_poll_call,
        )

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
            call=newest_open_call(self._open, extension),
            last_call=self._last.get(extension),
            today=today,
        )

    def states(self, extensions: Iterable[str]) -> dict[str, ExtensionState]:
        """Return the states of several extensions."""
        return {extension: self.state(extension) for extension in extensions}

    def involved(self, *numbers: str | None) -> set[str]:
        """Return every configured extension among the given numbers."""
        return involved_extensions(self.extensions, *numbers)

    def extensions_to_follow(self) -> list[str]:
        """Extensions in an open call that the PBX has not shown as talking yet."""
        return self._poll_applier.extensions_to_follow()

    # Webhooks

    def dialing(
        self, event: CallEvent, now: datetime, placed_by: str | None = None
    ) -> OpenCall | None:
        """Apply a dialing; None when it is a duplicate or its call has ended.

        ``placed_by`` is the Home Assistant user who placed the call, if one did.
        """
        self._forget_old(now)
        if event.call_id in self._open or event.call_id in self._finished_ids:
            return None
        extension, direction = self.owner(event.from_, event.to)
        adopted = pop_poll_calls(self._open, self.involved(event.from_, event.to))
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
            placed_by=placed_by,
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
        opened = self._open.pop(event.call_id, None) or pop_poll_calls(
            self._open, self.involved(from_, to)
        )
        if opened is not None:
            from_, to = from_ or opened.from_, opened.to or to
        disposition = event.disposition or Disposition.UNKNOWN
        finished = self._finish(
            opened,
            event.call_id,
            from_,
            to,
            event.created,
            disposition,
            now,
            raw_disposition=event.raw_disposition,
        )
        for extension in self.involved(finished.from_, finished.to):
            self._channels[extension] = None
            self._hung_up_at[extension] = finished.ended
            self.hangups[extension] += 1
        return finished

    # Polls and the watchdog

    def poll(self, channels: Mapping[str, ActiveCall | None], now: datetime) -> Changes:
        """Apply the channels a poll found (None: the extension is idle)."""
        return self._poll_applier.apply(channels, now)

    def end_stale(self, grace: timedelta, now: datetime) -> list[OpenCall]:
        """End pushed calls the PBX no longer shows (their hangup was lost)."""
        return self._poll_applier.end_stale(grace, now)

    # Restoring

    def restore_open_call(self, call: OpenCall) -> bool:
        """Take back a call that was open before a restart; False if known."""
        if call.call_id in self._open or call.call_id in self._finished_ids:
            return False
        self._open[call.call_id] = call
        return True

    def remember_finished(self, call_ids: Iterable[str], now: datetime) -> None:
        """Take back the ids of calls that ended a moment ago (a restart)."""
        for call_id in call_ids:
            self._finished_ids[call_id] = now

    def set_last_call(self, extension: str, call: FinishedCall) -> bool:
        """Take back an extension's last call, unless a newer one is known."""
        known = self._last.get(extension)
        if extension in self.extensions and (
            known is None or known.ended <= call.ended
        ):
            self._last[extension] = call
            return True
        return False

    # Inside

    def owner(self, from_: str | None, to: str | None) -> tuple[str | None, Direction]:
        """Return the extension a call belongs to (``from`` first) and its direction."""
        return call_owner(self.extensions, from_, to)

    def _finish_poll_call(self, call: OpenCall, now: datetime) -> FinishedCall:
        """Record a poll call whose channel is gone; return it finished."""
        disposition = poll_disposition(call)
        return self._finish(
            call, call.call_id, call.from_, call.to, now, disposition, now
        )

    def _finish(
        self,
        opened: OpenCall | None,
        call_id: str,
        from_: str | None,
        to: str | None,
        ended: datetime,
        disposition: Disposition,
        now: datetime,
        *,
        raw_disposition: str | None = None,
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
            raw_disposition=raw_disposition,
        )
        self._record(finished, now)
        self.call_backs.apply(finished)
        for listener in self.finished_listeners:
            listener(finished)
        return finished

    def _record(self, call: FinishedCall, now: datetime) -> None:
        for extension in self.involved(call.from_, call.to):
            self.set_last_call(extension, call)
        self._finished_ids[call.call_id] = now
        while len(self._finished_ids) > MAX_FINISHED_IDS:
            self._finished_ids.popitem(last=False)

    def _forget_old(self, now: datetime) -> None:
        """Drop finished ids and open calls past their age limits."""
        finished = self._finished_ids
        while finished and now - next(iter(finished.values())) > MAX_FINISHED_ID_AGE:
            finished.popitem(last=False)
        opened = self._open
        while opened and now - next(iter(opened.values())).seen > MAX_OPEN_CALL_AGE:
            opened.popitem(last=False)
