"""Webhook delivery: POST ``call.dialing`` / ``call.hangup`` events as JSON."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
import logging
from typing import Any

import aiohttp

from .changes import ChangeNotifier
from .clock import utcnow
from .const import DEFAULT_CLIENT_ID
from .requestlog import trim
from .variants import Variants

_LOGGER = logging.getLogger(__name__)

DROPPED = "dropped by fault injection"

type WebhookPoster = Callable[[str, dict[str, Any]], Awaitable[int]]


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookDelivery:
    """One attempt to deliver a webhook: what was sent and how it went.

    ``status`` is the receiver's HTTP status, or None when the POST failed
    (``error`` says why) or was dropped on purpose (``error`` is ``DROPPED``).
    """

    url: str
    payload: dict[str, Any]
    status: int | None
    error: str | None
    sent_at: datetime

    @property
    def event(self) -> str:
        """Return the event name, e.g. ``call.dialing``."""
        return str(self.payload["event"])

    @property
    def data(self) -> dict[str, Any]:
        """Return the payload's ``data`` object."""
        data: dict[str, Any] = self.payload["data"]
        return data

    def as_dict(self) -> dict[str, Any]:
        """Return the delivery as a JSON object."""
        return {
            "url": self.url,
            "payload": self.payload,
            "status": self.status,
            "error": self.error,
            "sent_at": self.sent_at.isoformat(),
        }


@dataclass(slots=True, kw_only=True)
class WebhookFaults:
    """Misbehaviour of the webhook sender, for testing receivers.

    ``delay``: seconds to wait before each delivery; ``duplicate``: extra copies
    POSTed after each delivery; ``drop``: record but do not POST.
    """

    delay: float = 0.0
    duplicate: int = 0
    drop: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return the settings as a JSON object."""
        return {"delay": self.delay, "duplicate": self.duplicate, "drop": self.drop}


class WebhookSender:
    """POSTs webhook events to a URL and keeps a record of every delivery.

    Set ``poster`` to deliver through something else than a real HTTP POST
    (e.g. a test client): it gets the URL and the payload and returns the
    HTTP status; ``aiohttp.ClientError`` / ``TimeoutError`` count as failures.
    """

    def __init__(
        self,
        url: str | None = None,
        client_id: str = DEFAULT_CLIENT_ID,
        *,
        timeout: float = 10.0,
        changes: ChangeNotifier | None = None,
        variants: Variants | None = None,
    ) -> None:
        """Send nothing until ``url`` is set; encode bodies as ``variants`` say."""
        self.url = url
        self.client_id = client_id
        self.timeout = timeout
        self.faults = WebhookFaults()
        self.deliveries: list[WebhookDelivery] = []
        self.changes = changes or ChangeNotifier()
        self.variants = variants or Variants()
        self.poster: WebhookPoster | None = None
        self._session: aiohttp.ClientSession | None = None
        self._pending: set[asyncio.Task[None]] = set()

    def configure(self, url: str | None, client_id: str | None = None) -> None:
        """Change the target URL and, if given, the client id."""
        self.url = url
        if client_id is not None:
            self.client_id = client_id

    def payloads(self, event: str | None = None) -> list[dict[str, Any]]:
        """Return the payloads sent so far, optionally only those of ``event``."""
        return [d.payload for d in self.deliveries if event in (None, d.event)]

    async def send(self, event: str, data: dict[str, Any]) -> None:
        """Deliver one event now (no-op without a URL); failures are only logged.

        URL, client id and faults are those set when this is called.
        """
        await self._deliver(*self._prepare(event, data))

    def send_soon(self, event: str, data: dict[str, Any]) -> asyncio.Task[None]:
        """Deliver one event in the background; ``join()`` waits for it."""
        task = asyncio.create_task(
            self._deliver(*self._prepare(event, data)), name=f"webhook {event}"
        )
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        return task

    async def join(self) -> None:
        """Wait until every background delivery has finished."""
        while self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def wait_for_deliveries(self, count: int, timeout: float = 5.0) -> None:
        """Wait until at least ``count`` deliveries have been recorded."""
        await self.changes.wait_for(lambda: len(self.deliveries) >= count, timeout)

    async def close(self) -> None:
        """Cancel background deliveries and close the HTTP client session."""
        for task in list(self._pending):
            task.cancel()
        await asyncio.gather(*self._pending, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _prepare(
        self, event: str, data: dict[str, Any]
    ) -> tuple[str | None, dict[str, Any], WebhookFaults]:
        payload = {"event": event, "clientId": self.client_id, "data": data}
        return self.url, payload, WebhookFaults(**self.faults.as_dict())

    async def _deliver(
        self, url: str | None, payload: dict[str, Any], faults: WebhookFaults
    ) -> None:
        if url is None:
            return
        if faults.delay:
            await asyncio.sleep(faults.delay)
        if faults.drop:
            self._record(url, payload, None, DROPPED)
            return
        for _ in range(1 + faults.duplicate):
            await self._post(url, payload)

    async def _post(self, url: str, payload: dict[str, Any]) -> None:
        try:
            status = await (self.poster or self._http_post)(url, payload)
        except (aiohttp.ClientError, TimeoutError) as err:
            _LOGGER.warning("Webhook %s to %s failed: %r", payload["event"], url, err)
            self._record(url, payload, None, repr(err))
        else:
            _LOGGER.debug("Webhook %s to %s: HTTP %s", payload["event"], url, status)
            self._record(url, payload, status, None)

    async def _http_post(self, url: str, payload: dict[str, Any]) -> int:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout)
            )
        body, content_type = self.variants.webhook_body(payload)
        async with self._session.post(
            url, data=body, headers={"Content-Type": content_type}
        ) as response:
            await response.read()
            return response.status

    def _record(
        self, url: str, payload: dict[str, Any], status: int | None, error: str | None
    ) -> None:
        self.deliveries.append(
            WebhookDelivery(
                url=url, payload=payload, status=status, error=error, sent_at=utcnow()
            )
        )
        trim(self.deliveries)
        self.changes.notify()
