"""Fault injection for the REST endpoints: what to break, where, how often."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .const import API_STATUS_ERROR, MESSAGE_INVALID_EXTENSION, Endpoint


class FaultKind(StrEnum):
    """How a faulty endpoint misbehaves.

    ``latency``: answer normally after ``delay`` s. ``http_error``: answer with
    ``status`` and ``body``. ``html``: an HTML page with status 200 (captive
    portal / proxy). ``broken_json``: truncated JSON with status 200.
    ``api_error``: well-formed JSON whose ``apiStatus`` is an error.
    Every kind waits ``delay`` s first. Refusing connections is not a fault
    kind: it closes the listening socket (see the server).
    """

    LATENCY = "latency"
    HTTP_ERROR = "http_error"
    HTML = "html"
    BROKEN_JSON = "broken_json"
    API_ERROR = "api_error"


@dataclass(slots=True, kw_only=True)
class Fault:
    """One fault; ``remaining`` is how many more requests it hits (None: all)."""

    kind: FaultKind
    delay: float = 0.0
    status: int = 500
    body: str | None = None
    content_type: str | None = None
    api_status: str = API_STATUS_ERROR
    message: str = MESSAGE_INVALID_EXTENSION
    remaining: int | None = None

    def __post_init__(self) -> None:
        """Validate the settings."""
        self.kind = FaultKind(self.kind)
        if self.delay < 0:
            raise ValueError("delay must not be negative")
        if not 100 <= self.status <= 599:
            raise ValueError("status must be an HTTP status code")
        if self.remaining is not None and self.remaining < 1:
            raise ValueError("count must be at least 1 (or None for permanent)")

    def as_dict(self) -> dict[str, Any]:
        """Return the fault as a JSON object."""
        return {
            "kind": str(self.kind),
            "delay": self.delay,
            "status": self.status,
            "body": self.body,
            "content_type": self.content_type,
            "api_status": self.api_status,
            "message": self.message,
            "remaining": self.remaining,
        }


class Faults:
    """Faults per endpoint kind; one for a specific endpoint beats one for ``all``."""

    def __init__(self) -> None:
        """Start without faults."""
        self._faults: dict[Endpoint, Fault] = {}

    def set(
        self,
        endpoint: Endpoint | str = Endpoint.ALL,
        kind: FaultKind | str = FaultKind.HTTP_ERROR,
        *,
        count: int | None = None,
        delay: float = 0.0,
        status: int = 500,
        body: str | None = None,
        content_type: str | None = None,
        api_status: str = API_STATUS_ERROR,
        message: str = MESSAGE_INVALID_EXTENSION,
    ) -> Fault:
        """Install a fault for the next ``count`` requests (None: until cleared)."""
        fault = Fault(
            kind=FaultKind(kind),
            delay=delay,
            status=status,
            body=body,
            content_type=content_type,
            api_status=api_status,
            message=message,
            remaining=count,
        )
        self._faults[Endpoint(endpoint)] = fault
        return fault

    def clear(self, endpoint: Endpoint | str | None = None) -> None:
        """Remove the fault of one endpoint kind, or every fault."""
        if endpoint is None:
            self._faults.clear()
        else:
            self._faults.pop(Endpoint(endpoint), None)

    def get(self, endpoint: Endpoint | str) -> Fault | None:
        """Return the fault installed for exactly this key, if any."""
        return self._faults.get(Endpoint(endpoint))

    def take(self, endpoint: Endpoint) -> Fault | None:
        """Return the fault hitting a request to ``endpoint``, counting it down."""
        key = endpoint if endpoint in self._faults else Endpoint.ALL
        fault = self._faults.get(key)
        if fault is not None and fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining == 0:
                del self._faults[key]
        return fault

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Return the installed faults as a JSON object keyed by endpoint kind."""
        return {str(key): fault.as_dict() for key, fault in self._faults.items()}

    def __bool__(self) -> bool:
        """Return whether any fault is installed."""
        return bool(self._faults)
