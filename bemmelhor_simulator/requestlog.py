"""Record of the REST requests the simulator received."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .const import Endpoint


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedRequest:
    """One received request; ``path`` is raw (still percent-encoded, with query)."""

    method: str
    path: str
    received_at: datetime
    endpoint: Endpoint | None

    def as_dict(self) -> dict[str, Any]:
        """Return the request as a JSON object."""
        return {
            "method": self.method,
            "path": self.path,
            "received_at": self.received_at.isoformat(),
            "endpoint": None if self.endpoint is None else str(self.endpoint),
        }


MAX_RECORDS = 10_000
"""Records kept; a long demo or benchmark would otherwise grow without end."""


def trim(records: list[Any], limit: int = MAX_RECORDS) -> None:
    """Drop the oldest records beyond ``limit`` (in batches, so it stays cheap)."""
    if len(records) > limit + limit // 10:
        del records[: len(records) - limit]


class RequestLog(list[RecordedRequest]):
    """A list of the latest recorded requests, with a few filters."""

    def record(self, request: RecordedRequest) -> None:
        """Add a request, forgetting the oldest beyond ``MAX_RECORDS``."""
        self.append(request)
        trim(self)

    def paths(self) -> list[str]:
        """Return the raw paths, in arrival order."""
        return [request.path for request in self]

    def for_endpoint(self, endpoint: Endpoint | str) -> list[RecordedRequest]:
        """Return the requests that hit one endpoint kind."""
        return [request for request in self if request.endpoint == endpoint]
