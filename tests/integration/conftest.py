"""Fixtures of the integration's tests: a real Home Assistant and the PBX simulator."""

from collections.abc import AsyncGenerator
from typing import Any
from unittest.mock import patch

from aiohttp import web
from aiohttp.resolver import ThreadedResolver
from aiohttp.test_utils import TestClient
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.const import (
    CONF_CLIENT_ID,
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    DOMAIN,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant

EXTENSIONS = ["6001", "6002", "6003"]
WEBHOOK_ID = "0123456789abcdef0123456789abcdef"
CLIENT_ID = "e57575aa-8995-43b6-8942-31e6e9135a25"
HOST = "127.0.0.1"
TITLE = "Bem Melhor PBX"

type WebhookClient = TestClient[web.Request, web.Application]
"""An HTTP client of the running Home Assistant."""


@pytest.fixture(autouse=True)
def _custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from this repository."""


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let the tests reach the PBX simulator on 127.0.0.1."""


@pytest.fixture
def pbx_simulator_kwargs() -> dict[str, Any]:
    """Return how the PBX simulator is set up: the configured extensions."""
    return {"extensions": [*EXTENSIONS, "6009"], "client_id": CLIENT_ID}


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Return the options of the test entry."""
    return {
        CONF_EXTENSIONS: EXTENSIONS,
        CONF_OUTSIDE_LINE_PREFIX: "0",
        CONF_CLIENT_ID: CLIENT_ID,
    }


@pytest.fixture
def mock_config_entry(
    pbx_simulator: SimulatorServer, entry_options: dict[str, Any]
) -> MockConfigEntry:
    """Return an entry pointing at the PBX simulator."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=TITLE,
        unique_id=HOST,
        data={
            CONF_HOST: HOST,
            CONF_PORT: pbx_simulator.port,
            CONF_SSL: False,
            CONF_VERIFY_SSL: True,
            CONF_WEBHOOK_ID: WEBHOOK_ID,
        },
        options=entry_options,
        version=1,
        minor_version=1,
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Set the integration up against the simulator and return its entry."""
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    return mock_config_entry


@pytest.fixture
async def webhook_client(
    init_integration: MockConfigEntry, hass_client_no_auth: ClientSessionGenerator
) -> WebhookClient:
    """Return an HTTP client of the running Home Assistant (no auth, as the PBX)."""
    return await hass_client_no_auth()


@pytest.fixture
async def wired_simulator(
    hass: HomeAssistant, pbx_simulator: SimulatorServer, webhook_client: WebhookClient
) -> AsyncGenerator[SimulatorServer]:
    """Return the simulator, sending its webhooks to Home Assistant over HTTP."""
    pbx_simulator.set_webhook(
        str(webhook_client.make_url(f"/api/webhook/{WEBHOOK_ID}")), CLIENT_ID
    )
    yield pbx_simulator
    await hass.async_block_till_done()


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Return syrupy's snapshot with Home Assistant's serializer and folder.

    Syrupy's own fixture wins over the one of Home Assistant's plugin: without
    this, random ids end up in snapshots, stored under ``__snapshots__``.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


class SystemResolver(ThreadedResolver):
    """The system's resolver (``/etc/hosts`` knows ``localhost``).

    The test harness hands every Home Assistant one session-wide resolver,
    which the first test to stop closes for good; host names need their own.
    """

    async def real_close(self) -> None:
        """Close the resolver, as Home Assistant does when it stops."""
        await self.close()


@pytest.fixture
async def system_resolver() -> AsyncGenerator[None]:
    """Let the integration resolve ``localhost``."""
    with patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver",
        return_value=SystemResolver(),
    ):
        yield
