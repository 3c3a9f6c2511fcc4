"""Fixtures of the integration's tests: a real Home Assistant and the PBX simulator."""

from collections.abc import AsyncGenerator, Generator
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_mock_service,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor import PLATFORMS
from custom_components.bemmelhor.const import (
    CONF_CLIENT_ID,
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    DOMAIN,
    EVENT_CALL_DIALING,
    EVENT_CALL_HANGUP,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
    Platform,
)
from homeassistant.core import Event, HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr

from .helpers import (
    CLIENT_ID,
    EXTENSIONS,
    HOST,
    TITLE,
    WEBHOOK_ID,
    WEBHOOK_PATH,
    SystemResolver,
    WebhookClient,
    async_setup_entry,
    device_id_of,
)


@pytest.fixture(autouse=True)
def _custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from this repository."""


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let the tests reach the PBX simulator on 127.0.0.1."""


@pytest.fixture
def hass_config_dir(tmp_path: Path) -> str:
    """Give each test's Home Assistant an empty configuration folder of its own.

    The call log's database is a real file in ``.storage``: without this it
    would land in the test harness's shared configuration folder (and tests
    with the same frozen clock make the same entry ids).
    """
    return str(tmp_path)


@pytest.fixture
def platforms() -> list[Platform]:
    """Return the platforms the integration sets up: all of them.

    A test file that wants fewer overrides this fixture.
    """
    return PLATFORMS


@pytest.fixture(autouse=True)
def _only_platforms(platforms: list[Platform]) -> Generator[None]:
    """Set up only ``platforms``."""
    with patch("custom_components.bemmelhor.PLATFORMS", platforms):
        yield


@pytest.fixture
def pbx_simulator_kwargs() -> dict[str, Any]:
    """Return how the PBX simulator is set up: the configured extensions.

    The simulator is seeded, so that call ids and channels do not vary.
    """
    return {"extensions": [*EXTENSIONS, "6009"], "client_id": CLIENT_ID, "seed": 1}


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
    await async_setup_entry(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.LOADED
    return mock_config_entry


@pytest.fixture
def pbx(
    init_integration: MockConfigEntry, pbx_simulator: SimulatorServer
) -> SimulatorServer:
    """Return the simulator of the loaded entry, its set-up polls forgotten."""
    pbx_simulator.requests.clear()
    return pbx_simulator


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
    pbx_simulator.set_webhook(str(webhook_client.make_url(WEBHOOK_PATH)), CLIENT_ID)
    yield pbx_simulator
    await hass.async_block_till_done()


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Enable the entities that are off by default (the hub's ``last_webhook``)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
def extension_device_id(
    init_integration: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> str:
    """Return the id of extension 6001's device."""
    return device_id_of(device_registry, init_integration, f"{HOST}_6001")


@pytest.fixture
def hub_device_id(
    init_integration: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> str:
    """Return the id of the PBX hub device."""
    return device_id_of(device_registry, init_integration, HOST)


@pytest.fixture
def automation_calls(hass: HomeAssistant) -> list[ServiceCall]:
    """Return the calls of ``test.automation``, the test automations' action."""
    calls: list[ServiceCall] = async_mock_service(hass, "test", "automation")
    return calls


@pytest.fixture
def dialing_events(hass: HomeAssistant) -> list[Event]:
    """Return the ``bemmelhor_call_dialing`` events fired during the test."""
    events: list[Event] = async_capture_events(hass, EVENT_CALL_DIALING)
    return events


@pytest.fixture
def hangup_events(hass: HomeAssistant) -> list[Event]:
    """Return the ``bemmelhor_call_hangup`` events fired during the test."""
    events: list[Event] = async_capture_events(hass, EVENT_CALL_HANGUP)
    return events


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Return syrupy's snapshot with Home Assistant's serializer and folder.

    Syrupy's own fixture wins over the one of Home Assistant's plugin: without
    this, random ids end up in snapshots, stored under ``__snapshots__``.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
async def system_resolver() -> AsyncGenerator[None]:
    """Let the integration resolve ``localhost``."""
    with patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver",
        return_value=SystemResolver(),
    ):
        yield
