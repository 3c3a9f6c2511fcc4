"""Fixtures for the simulator's own tests.

``pbx_simulator`` and friends come from ``bemmelhor_simulator.pytest_plugin``,
registered by the top-level ``tests/conftest.py``.
"""

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web
import pytest


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """Allow loopback sockets also under Home Assistant's pytest-socket setup."""


@dataclass
class WebhookReceiver:
    """A loopback HTTP endpoint recording the webhooks POSTed to it."""

    url: str = ""
    status: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        """Record one webhook."""
        self.content_types.append(request.headers.get("Content-Type", ""))
        self.received.append(await request.json())
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


@pytest.fixture
async def webhook_receiver() -> AsyncGenerator[WebhookReceiver]:
    """Serve a webhook receiver on a free loopback port."""
    receiver = WebhookReceiver()
    app = web.Application()
    app.router.add_post("/api/webhook/{webhook_id}", receiver.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    receiver.url = f"http://{host}:{port}/api/webhook/test-hook"
    yield receiver
    await runner.cleanup()


@pytest.fixture
async def http() -> AsyncGenerator[ClientSession]:
    """Return an HTTP client session, closed after the test."""
    async with ClientSession() as session:
        yield session
