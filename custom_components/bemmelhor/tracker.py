"""Follows calls between their dialing and hangup webhooks.

The PBX sends ``to: "h"`` in a hangup; the real destination and the start
time are only known from the dialing with the same ``callId``. The tracker
pairs the two, drops duplicate deliveries and keeps its memory bounded: open
calls are capped in number and age, and only the ids of recently finished
calls are remembered (to recognise a duplicate or a late dialing).
"""

from collections import OrderedDict
from collections.abc import Collection, Iterator
from datetime import datetime, timedelta

from .api import CallEvent, Disposition
from .models import FinishedCall, OpenCall

HANGUP_EXTENSION = "h"
"""Asterisk's hangup extension, sent as ``to`` in hangups."""

MAX_OPEN_CALLS = 1000
MAX_OPEN_CALL_AGE = timedelta(hours=12)
MAX_FINISHED_IDS = 2000
MAX_FINISHED_AGE = timedelta(hours=1)


class CallTracker:
    """Open calls of one PBX, keyed by ``callId``."""

    def __init__(self, extensions: Collection[str]) -> None:
        """Track calls; ``extensions`` are the ones configured in the entry."""
        self._extensions = frozenset(extensions)
        self._open: OrderedDict[str, OpenCall] = OrderedDict()
        self._finished: OrderedDict[str, datetime] = OrderedDict()

    def __len__(self) -> int:
        """Return the number of open calls."""
        return len(self._open)

    def __iter__(self) -> Iterator[OpenCall]:
        """Iterate over a copy of the open calls, oldest first."""
        return iter(list(self._open.values()))

    @property
    def finished_ids(self) -> int:
        """Return how many finished call ids are remembered (de-duplication)."""
        return len(self._finished)

    def extension_of(self, from_: str | None, to: str | None) -> str | None:
        """Return the configured extension a call belongs to (``from`` first)."""
        for number in (from_, to):
            if number in self._extensions:
                return number
        return None

    def involved_extensions(self, *numbers: str | None) -> set[str]:
        """Return every configured extension among the given numbers."""
        return {number for number in numbers if number in self._extensions}

    def latest_calls(self, extensions: Collection[str]) -> dict[str, OpenCall]:
        """Return the newest open call of each of ``extensions`` that has one.

        Looks from the newest call back and stops once every extension is
        found: with many calls whose hangup was lost, a webhook stays cheap.
        """
        found: dict[str, OpenCall] = {}
        for call in reversed(self._open.values()):
            extension = call.extension
            if extension is not None and extension in extensions:
                found.setdefault(extension, call)
                if len(found) == len(extensions):
                    break
        return found

    def open_call(self, call_id: str) -> OpenCall | None:
        """Return the open call with this id, if any."""
        return self._open.get(call_id)

    def dialing(self, event: CallEvent, now: datetime) -> OpenCall | None:
        """Record a dialing; None when it is a duplicate or its call has ended."""
        self._forget_old(now)
        if event.call_id in self._open or event.call_id in self._finished:
            return None
        call = OpenCall(
            call_id=event.call_id,
            from_=event.from_,
            to=event.to,
            extension=self.extension_of(event.from_, event.to),
            started=event.created,
            seen=now,
        )
        self._open[call.call_id] = call
        while len(self._open) > MAX_OPEN_CALLS:
            self._open.popitem(last=False)
        return call

    def restore(self, call: OpenCall) -> bool:
        """Take back a call that was open before a restart; False if known."""
        if call.call_id in self._open or call.call_id in self._finished:
            return False
        self._open[call.call_id] = call
        return True

    def hangup(self, event: CallEvent, now: datetime) -> FinishedCall | None:
        """Record a hangup; None when it is a duplicate."""
        self._forget_old(now)
        if event.call_id in self._finished:
            return None
        opened = self._open.pop(event.call_id, None)
        self._remember_finished(event.call_id, now)
        to = event.to if event.to and event.to != HANGUP_EXTENSION else None
        from_ = event.from_
        duration: int | None = None
        if opened is not None:
            to = opened.to or to
            from_ = from_ or opened.from_
            duration = max(0, round((event.created - opened.started).total_seconds()))
        return FinishedCall(
            call_id=event.call_id,
            from_=from_,
            to=to,
            extension=opened.extension if opened else self.extension_of(from_, to),
            disposition=event.disposition or Disposition.UNKNOWN,
            ended=event.created,
            duration=duration,
        )

    def end_stale(self, call_id: str) -> OpenCall | None:
        """End a call the PBX no longer shows; its late hangup is still welcome."""
        return self._open.pop(call_id, None)

    def _remember_finished(self, call_id: str, now: datetime) -> None:
        self._finished[call_id] = now
        while len(self._finished) > MAX_FINISHED_IDS:
            self._finished.popitem(last=False)

    def _forget_old(self, now: datetime) -> None:
        """Drop finished ids and open calls past their age limits."""
        finished = self._finished
        while finished and now - next(iter(finished.values())) > MAX_FINISHED_AGE:
            finished.popitem(last=False)
        opened = self._open
        while opened and now - next(iter(opened.values())).seen > MAX_OPEN_CALL_AGE:
            opened.popitem(last=False)
