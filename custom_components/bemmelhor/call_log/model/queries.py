"""Questions to the call log: which calls, by extension, period, direction."""

from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice

from .calls import Direction, FinishedCall
from .log import CallLog

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
_EVER = datetime.min.replace(tzinfo=UTC)
_NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class CallQuery:
    """Which finished calls to list; every filter is optional."""

    extension: str | None = None
    start: datetime | None = None
    """Calls that ended at or after this."""
    end: datetime | None = None
    """Calls that ended before this."""
    direction: Direction | None = None
    """Seen from ``extension`` when one is given (a call between two is both)."""
    missed_only: bool = False
    limit: int = DEFAULT_LIMIT

    def matches(self, log: CallLog, call: FinishedCall) -> bool:
        """Return whether a call answers the query (its period aside)."""
        extension = self.extension
        if extension is not None and not call.involves(extension):
            return False
        if (
            self.direction is not None
            and call.direction_for(extension) is not self.direction
        ):
            return False
        if self.missed_only:
            ends: set[str | None] = (
                {extension} if extension else {*log.involved(call.from_, call.to)}
            )
            return any(call.missed_by(end) for end in ends or {call.to})
        return True


def query_calls(log: CallLog, query: CallQuery) -> list[FinishedCall]:
    """Return the finished calls that answer ``query``, newest first."""
    period = log.history.ended_between(query.start or _EVER, query.end or _NEVER)
    found = (call for call in reversed(period) if query.matches(log, call))
    return list(islice(found, query.limit))
