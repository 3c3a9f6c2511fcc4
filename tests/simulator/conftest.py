"""Fixtures for the simulator's own tests.

``pbx_simulator`` and friends come from ``bemmelhor_simulator.pytest_plugin``,
registered by the top-level ``tests/conftest.py``.
"""

from collections.abc import AsyncGenerator

from aiohttp import ClientSession, web
import pytest

from .helpers import WebhookReceiver


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """Allow loopback sockets also under Home Assistant's pytest-socket setup."""


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
