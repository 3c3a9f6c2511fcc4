"""Helpers shared by the simulator's own tests.

Tests import these from here; ``conftest.py`` holds only the fixtures.
"""

import asyncio
from dataclasses import dataclass, field
import json
from typing import Any

from aiohttp import web


@dataclass
class WebhookReceiver:
    """A loopback HTTP endpoint recording the webhooks POSTed to it."""

    url: str = ""
    status: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    """Each body as it came (``received`` holds those that are JSON, decoded)."""
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        """Record one webhook."""
        self.content_types.append(request.headers.get("Content-Type", ""))
        body = await request.read()
        self.bodies.append(body)
        try:
            self.received.append(json.loads(body))
        except ValueError:
            self.received.append({})
        self._arrived.set()
        return web.Response(status=self.status)

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Wait until ``count`` webhooks have arrived; return them."""
        async with asyncio.timeout(timeout):
            while len(self.received) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.received

    def events(self) -> list[str]:
        """Return the event names received, in order."""
        return [payload["event"] for payload in self.received]
