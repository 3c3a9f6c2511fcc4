"""Fixtures of the integration's tests: a real Home Assistant and the PBX simulator."""

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from aiohttp import web
from aiohttp.resolver import ThreadedResolver
from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from bemmelhor_simulator import CallPhase, Endpoint, FaultKind
from bemmelhor_simulator.model import PHASE_ORDER
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
from homeassistant.components.text import (
    ATTR_VALUE,
    DOMAIN as TEXT_DOMAIN,
    SERVICE_SET_VALUE,
)
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, ConfigFlowResult
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_HOST,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
    Platform,
)
from homeassistant.core import Event, HomeAssistant, ServiceCall, State
from homeassistant.helpers import device_registry as dr

EXTENSIONS = ["6001", "6002", "6003"]
WEBHOOK_ID = "0123456789abcdef0123456789abcdef"
WEBHOOK_PATH = f"/api/webhook/{WEBHOOK_ID}"
CLIENT_ID = "e57575aa-8995-43b6-8942-31e6e9135a25"
HOST = "127.0.0.1"
TITLE = "Bem Melhor PBX"
NOW = "2026-11-27 12:00:00+00:00"
"""Where tests that need fixed dates freeze the clock: ``pytest.mark.freeze_time(NOW)``.

The marker (not a fixture) freezes the clock before any other fixture runs,
Home Assistant's set-up included.
"""
NUMBER = "032999999999"
"""An outside number, as the PBX writes it."""
POLL_SECONDS = 31
"""Just past the 30 s reconciliation poll."""
DESTINATION = "text.extension_6001_destination"
"""The number typed for 6001's dial button."""

type WebhookClient = TestClient[web.Request, web.Application]
"""An HTTP client of the running Home Assistant."""

type BreakPbx = Callable[[SimulatorServer], Awaitable[None]]
"""A way of making the PBX fail."""


@pytest.fixture(autouse=True)
def _custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from this repository."""


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let the tests reach the PBX simulator on 127.0.0.1."""


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


async def async_setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add the entry to Home Assistant and set it up, whatever comes of it."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def async_user_step(
    hass: HomeAssistant, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Start the user flow and answer its first step."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


async def async_poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float = POLL_SECONDS
) -> None:
    """Move the clock ``seconds`` on and let what fell due run to its end.

    By default, just past the 30 s interval: the reconciliation poll runs.
    """
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def get_state(hass: HomeAssistant, entity_id: str) -> State:
    """Return an entity's state, which must exist."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current


def device_id_of(
    device_registry: dr.DeviceRegistry, entry: MockConfigEntry, identifier: str
) -> str:
    """Return the id of the entry's device with this identifier."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, identifier), entry.entry_id
    )
    assert device is not None
    return device.id


def dialing_body(
    call_id: str = "call-1",
    *,
    from_: str = "6001",
    to: str = NUMBER,
    client_id: str | None = CLIENT_ID,
    **data: Any,
) -> dict[str, Any]:
    """Return a short ``call.dialing`` body, with more ``data`` fields if given."""
    return {
        "event": "call.dialing",
        "clientId": client_id,
        "data": {"callId": call_id, "from": from_, "to": to, **data},
    }


def hangup_body(
    call_id: str = "call-1",
    *,
    from_: str = "6001",
    disposition: str | None = "ANSWERED",
    **data: Any,
) -> dict[str, Any]:
    """Return a short ``call.hangup`` body (``to`` is ``h``), with more ``data``."""
    return {
        "event": "call.hangup",
        "clientId": CLIENT_ID,
        "data": {
            "callId": call_id,
            "from": from_,
            "to": "h",
            "disposition": disposition,
            **data,
        },
    }


async def async_post_all(client: WebhookClient, bodies: list[dict[str, Any]]) -> None:
    """POST webhook bodies in order; each must be answered 200."""
    for body in bodies:
        response = await client.post(WEBHOOK_PATH, json=body)
        assert response.status == 200


async def async_start_call(
    simulator: SimulatorServer,
    phase: CallPhase,
    from_: str = "6001",
    to: str = NUMBER,
) -> str:
    """Start a call on the PBX and move it on to ``phase``; return its id."""
    call_id = await simulator.pbx.start_call(from_, to)
    for next_phase in PHASE_ORDER[1 : PHASE_ORDER.index(phase) + 1]:
        await simulator.pbx.set_phase(call_id, next_phase)
    return call_id


async def refuse_connections(simulator: SimulatorServer) -> None:
    """Close the PBX's port."""
    await simulator.refuse_connections()


def fault(endpoint: Endpoint, kind: FaultKind, **kwargs: Any) -> BreakPbx:
    """Return a way of breaking ``endpoint`` of the PBX with a fault."""

    async def apply(simulator: SimulatorServer) -> None:
        simulator.faults.set(endpoint, kind, **kwargs)

    return apply


def integration_records(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    """Return the integration's log messages at ``level`` or above."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.bemmelhor")
        and record.levelno >= level
    ]


async def async_action(
    hass: HomeAssistant, service: str, data: dict[str, Any]
) -> dict[str, Any] | None:
    """Run one of the integration's actions and return its response."""
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )


async def async_set_destination(
    hass: HomeAssistant, value: str, entity_id: str = DESTINATION
) -> None:
    """Type a number in a destination text entity (by default 6001's)."""
    await hass.services.async_call(
        TEXT_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: value},
        blocking=True,
    )
