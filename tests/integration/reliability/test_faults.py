"""The PBX misbehaving, at start and mid-run, in every way the simulator can."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
import logging
from typing import Any
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.const import DOMAIN, LOGGER
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
from tests.integration.helpers import POLL_SECONDS, async_action

type Fault = Callable[[SimulatorServer], Awaitable[None]]

POLL = timedelta(seconds=POLL_SECONDS)
"""Past the next poll. Real time runs in these tests: latency and timeouts are real."""
CONNECTIVITY = "binary_sensor.bem_melhor_pbx_api_connectivity"
LIVE_ENTITIES = [
    "sensor.extension_6001_call_state",
    "binary_sensor.extension_6001_on_call",
    "button.extension_6001_dial",
]
HISTORY_ENTITIES = [
    "sensor.extension_6001_last_call",
    "sensor.extension_6001_last_call_outcome",
    "text.extension_6001_destination",
    "event.extension_6001_call",
]


async def _refuse(sim: SimulatorServer) -> None:
    await sim.refuse_connections()


async def _timeout(sim: SimulatorServer) -> None:
    sim.faults.set("all", "latency", delay=0.5)


async def _server_error(sim: SimulatorServer) -> None:
    sim.faults.set("all", "http_error", status=503, body="Service Unavailable")


async def _html(sim: SimulatorServer) -> None:
    sim.faults.set("all", "html")


async def _broken_json(sim: SimulatorServer) -> None:
    sim.faults.set("all", "broken_json")


async def _api_error(sim: SimulatorServer) -> None:
    sim.faults.set("all", "api_error", api_status="ERROR", message="Falha interna")


FAULTS = [
    pytest.param(_refuse, "cannot_connect", id="refused"),
    pytest.param(_timeout, "timeout", id="timeout"),
    pytest.param(_server_error, "api_error", id="http-503"),
    pytest.param(_html, "invalid_response", id="html"),
    pytest.param(_broken_json, "invalid_response", id="broken-json"),
    pytest.param(_api_error, "api_error", id="api-status-error"),
]


async def _poll(hass: HomeAssistant) -> None:
    """Fire the next poll (on the real clock) and wait for it to finish."""
    async_fire_time_changed(hass, dt_util.utcnow() + POLL)
    await hass.async_block_till_done(wait_background_tasks=True)


async def _heal(sim: SimulatorServer) -> None:
    sim.faults.clear()
    if sim.refusing:
        await sim.accept_connections()


@pytest.fixture(autouse=True)
def _short_timeout() -> Any:
    """Give the PBX 0.1 s per request, so injected latency becomes a timeout."""
    with patch("custom_components.bemmelhor.pbx_requests.REQUEST_TIMEOUT", 0.1):
        yield


def _entry_state(entry: MockConfigEntry) -> ConfigEntryState:
    """Read the state anew (mypy would keep it narrowed across awaits)."""
    return entry.state


def _integration_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith(LOGGER.name)]


def _tracebacks_above_debug(
    caplog: pytest.LogCaptureFixture,
) -> list[logging.LogRecord]:
    """Log records that would show a traceback at the default log level."""
    return [r for r in caplog.records if r.levelno > logging.DEBUG and r.exc_info]


@pytest.mark.parametrize(("fault", "error"), FAULTS)
async def test_fault_at_start_retries_setup(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    pbx_simulator: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
    fault: Fault,
    error: str,
) -> None:
    """A misbehaving PBX at start: set-up retries, without a traceback, then loads."""
    await fault(pbx_simulator)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _entry_state(mock_config_entry) is ConfigEntryState.SETUP_RETRY
    assert mock_config_entry.reason is not None
    assert _tracebacks_above_debug(caplog) == []

    await _heal(pbx_simulator)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=2))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _entry_state(mock_config_entry) is ConfigEntryState.LOADED


@pytest.mark.parametrize(("fault", "error"), FAULTS)
async def test_fault_mid_run_makes_live_entities_unavailable(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
    fault: Fault,
    error: str,
) -> None:
    """Live entities go unavailable and come back; one log line each way."""
    assert hass.states.get(CONNECTIVITY).state == STATE_ON  # type: ignore[union-attr]
    await fault(pbx_simulator)
    for _ in range(3):
        await _poll(hass)

    for entity_id in LIVE_ENTITIES:
        assert hass.states.get(entity_id).state == STATE_UNAVAILABLE  # type: ignore[union-attr]
    for entity_id in HISTORY_ENTITIES:
        assert hass.states.get(entity_id).state != STATE_UNAVAILABLE  # type: ignore[union-attr]
    assert hass.states.get(CONNECTIVITY).state == STATE_OFF  # type: ignore[union-attr]
    coordinator = init_integration.runtime_data.coordinator
    assert coordinator.last_exception is not None
    assert coordinator.last_exception.translation_key == error

    await _heal(pbx_simulator)
    await _poll(hass)

    for entity_id in LIVE_ENTITIES:
        assert hass.states.get(entity_id).state != STATE_UNAVAILABLE  # type: ignore[union-attr]
    assert hass.states.get(CONNECTIVITY).state == STATE_ON  # type: ignore[union-attr]
    messages = [record.getMessage() for record in _integration_records(caplog)]
    assert len([m for m in messages if m.startswith("Error fetching")]) == 1
    assert len([m for m in messages if "recovered" in m]) == 1
    assert _tracebacks_above_debug(caplog) == []


@pytest.mark.parametrize(("fault", "error"), FAULTS)
async def test_fault_mid_run_makes_actions_raise_translated_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
    fault: Fault,
    error: str,
) -> None:
    """The call action explains a misbehaving PBX with a translated error."""
    await fault(pbx_simulator)
    with pytest.raises(HomeAssistantError) as err:
        await async_action(hass, "call", {"extension": "6001", "destination": "6002"})
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == error


async def test_one_slow_answer_within_the_timeout_is_fine(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
) -> None:
    """Latency below the request timeout changes nothing."""
    pbx_simulator.faults.set("active", "latency", delay=0.02)
    await _poll(hass)
    assert hass.states.get(CONNECTIVITY).state == STATE_ON  # type: ignore[union-attr]
    assert init_integration.runtime_data.coordinator.last_update_success


async def test_a_fault_on_one_poll_only_is_one_blip(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
) -> None:
    """A fault limited to a single request fails one poll; the next recovers."""
    pbx_simulator.faults.set("active", "http_error", status=500, count=1)
    await _poll(hass)
    assert hass.states.get(CONNECTIVITY).state == STATE_OFF  # type: ignore[union-attr]
    await _poll(hass)
    assert hass.states.get(CONNECTIVITY).state == STATE_ON  # type: ignore[union-attr]


async def test_poll_makes_one_request_per_extension_even_failing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
) -> None:
    """A failing poll does not retry: one request per extension, no storm."""
    pbx_simulator.faults.set("active", "http_error", status=503)
    pbx_simulator.requests.clear()
    await _poll(hass)
    assert sorted(pbx_simulator.requests.paths()) == [
        "/api/active/6001",
        "/api/active/6002",
        "/api/active/6003",
    ]
