"""The finished calls of a call log, in the order they ended.

Kept for ``history`` (older calls are pruned) and at most ``max_calls``.
Sorted by end, so the calls of any period are found by bisection: a day out
of 100,000 calls costs a few comparisons, not a scan. Beside each call its
stored form (a row of ``STORED_FIELDS``) is kept, made once when the call is
added, so saving 100,000 calls is a list copy, not 100,000 conversions.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from .calls import FinishedCall

STORED_FIELDS = (
    "call_id",
    "extension",
    "direction",
    "from",
    "to",
    "from_name",
    "to_name",
    "started",
    "answered",
    "ended",
    "duration",
    "talk_time",
    "disposition",
    "source",
)
"""The columns of a stored finished call."""


def stored_row(call: FinishedCall) -> list[Any]:
    """Return a call's values in the order of ``STORED_FIELDS`` (as ``as_dict``)."""
    answered = call.answered
    return [
        call.call_id,
        call.extension,
        call.direction.value,
        call.from_,
        call.to,
        call.from_name,
        call.to_name,
        call.started.isoformat(),
        answered.isoformat() if answered else None,
        call.ended.isoformat(),
        call.duration,
        call.talk_time,
        call.disposition.value,
        call.source.value,
    ]


MAX_LOGGED_CALLS = 100_000
"""Finished calls kept at most, whatever the history says (pruning trims to it)."""

TRIM_BATCH = 1000
"""Calls over the cap tolerated between two trims."""


def _ended(call: FinishedCall) -> datetime:
    return call.ended


class CallHistory:
    """Finished calls for a while, oldest first."""

    def __init__(self, keep: timedelta, max_calls: int = MAX_LOGGED_CALLS) -> None:
        """Keep calls for ``keep`` (none when it is zero), at most ``max_calls``."""
        self.keep = keep
        self.max_calls = max_calls
        self._calls: list[FinishedCall] = []
        self._rows: list[list[Any]] = []
        """The stored form of each call, in the same order."""

    def __len__(self) -> int:
        """Return the number of calls kept."""
        return len(self._calls)

    def newest_first(self) -> Iterator[FinishedCall]:
        """Iterate over the calls, newest first."""
        return reversed(self._calls)

    def copy(self) -> list[FinishedCall]:
        """Return a copy of the calls, oldest first."""
        return list(self._calls)

    def stored_rows(self) -> list[list[Any]]:
        """Return a copy of the calls' stored rows, oldest first."""
        return list(self._rows)

    def ended_between(self, start: datetime, end: datetime) -> list[FinishedCall]:
        """Return the calls that ended in ``[start, end)``, oldest first."""
        first = bisect_left(self._calls, start, key=_ended)
        return self._calls[first : bisect_left(self._calls, end, lo=first, key=_ended)]

    def add(self, call: FinishedCall) -> None:
        """Keep a call (it may have ended before the newest one)."""
        if self.keep <= timedelta(0):
            return
        row = stored_row(call)
        if not self._calls or self._calls[-1].ended <= call.ended:
            self._calls.append(call)
            self._rows.append(row)
        else:
            index = bisect_right(self._calls, call.ended, key=_ended)
            self._calls.insert(index, call)
            self._rows.insert(index, row)
        if len(self._calls) > self.max_calls + TRIM_BATCH:
            # Trimmed in batches: deleting the head of a long list copies it.
            excess = len(self._calls) - self.max_calls
            del self._calls[:excess]
            del self._rows[:excess]

    def prune(self, now: datetime) -> int:
        """Drop calls older than the history or over the cap; return how many."""
        keep_from = max(
            bisect_left(self._calls, now - self.keep, key=_ended),
            len(self._calls) - self.max_calls,
            0,
        )
        del self._calls[:keep_from]
        del self._rows[:keep_from]
        return keep_from
