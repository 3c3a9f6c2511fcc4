"""Questions to the call log: which calls, by extension, period, direction, number.

A :class:`CallQuery` says which finished calls are wanted; the database
answers it (``database/questions.py``). :meth:`CallQuery.matches` is what
the answer means, call by call: the database's SQL is held to it by tests.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from custom_components.bemmelhor.api import Disposition

from .calls import Direction, FinishedCall

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class CallQuery:
    """Which finished calls to list, newest first; every filter is optional."""

    extension: str | None = None
    """Calls with this extension at either end."""
    start: datetime | None = None
    """Calls that ended at or after this."""
    end: datetime | None = None
    """Calls that ended before this."""
    direction: Direction | None = None
    """Seen from ``extension`` when one is given (a call between two is both)."""
    missed_only: bool = False
    """Inbound calls that nobody answered (seen from ``extension`` if given)."""
    numbers: frozenset[str] = field(default_factory=frozenset)
    """Calls with one of these numbers (their keys) at either end."""
    limit: int = DEFAULT_LIMIT

    def matches(self, call: FinishedCall, key_of: Callable[[str], str]) -> bool:
        """Return whether a call answers the query (what the SQL must find)."""
        if self.start is not None and call.ended < self.start:
            return False
        if self.end is not None and call.ended >= self.end:
            return False
        extension = self.extension
        if extension is not None and not call.involves(extension):
            return False
        if self.numbers and not any(
            number is not None and key_of(number) in self.numbers
            for number in (call.from_, call.to)
        ):
            return False
        if (
            self.direction is not None
            and call.direction_for(extension) is not self.direction
        ):
            return False
        if self.missed_only:
            if extension is not None:
                return call.missed_by(extension)
            # Missed by its called end: an inbound call, or one between two
            # extensions, that nobody answered.
            return call.disposition is not Disposition.ANSWERED and (
                call.direction is not Direction.OUTBOUND
            )
        return True
