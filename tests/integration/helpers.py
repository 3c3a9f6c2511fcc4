"""Constants and helpers shared by the integration's tests.

Tests import these from here; ``conftest.py`` holds only the fixtures.
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiohttp import web
from aiohttp.resolver import ThreadedResolver
from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import probatio
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from bemmelhor_simulator import CallPhase, Endpoint, FaultKind
from bemmelhor_simulator.model import PHASE_ORDER
from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.call_log.model.calls import FinishedCall
from custom_components.bemmelhor.call_log.model.queries import MAX_LIMIT, CallQuery
from custom_components.bemmelhor.call_log.store import CallLogStore
from custom_components.bemmelhor.const import (
    BUSY_WRITE_INTERVAL,
    CONF_ALLOWED_DESTINATIONS,
    CONF_ALLOWED_PREFIXES,
    CONF_REFUSED_PREFIXES,
    DOMAIN,
)
from custom_components.bemmelhor.dial_policy import DEFAULT_ALLOWED_DESTINATIONS
from homeassistant.components.text import (
    ATTR_VALUE,
    DOMAIN as TEXT_DOMAIN,
    SERVICE_SET_VALUE,
)
from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigFlowResult
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, State
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.util import dt as dt_util

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
DEFAULT_DIALING_OPTIONS: dict[str, list[str]] = {
    CONF_ALLOWED_DESTINATIONS: list(DEFAULT_ALLOWED_DESTINATIONS),
    CONF_ALLOWED_PREFIXES: [],
    CONF_REFUSED_PREFIXES: [],
}
"""Where the extensions may call, as the options flow saves it untouched."""

type WebhookClient = TestClient[web.Request, web.Application]
"""An HTTP client of the running Home Assistant."""

type BreakPbx = Callable[[SimulatorServer], Awaitable[None]]
"""A way of making the PBX fail."""


class SystemResolver(ThreadedResolver):
    """The system's resolver (``/etc/hosts`` knows ``localhost``).

    The test harness hands every Home Assistant one session-wide resolver,
    which the first test to stop closes for good; host names need their own.
    """

    async def real_close(self) -> None:
        """Close the resolver, as Home Assistant does when it stops."""
        await self.close()


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


def shown_fields(result: ConfigFlowResult) -> dict[str, dict[str, Any]]:
    """Return a form's fields by name, as the frontend receives them."""
    assert result["type"] is FlowResultType.FORM
    schema = result["data_schema"]
    assert schema is not None
    fields = probatio.to_field_list(schema, custom_serializer=cv.custom_serializer)
    assert isinstance(fields, list)
    return {field["name"]: field for field in fields}


def as_shown(result: ConfigFlowResult) -> dict[str, Any]:
    """Return the values a form shows, as a user who only submits it answers."""
    return {
        name: field["description"]["suggested_value"]
        for name, field in shown_fields(result).items()
        if field.get("description", {}).get("suggested_value") not in (None, "")
    }


async def async_answer_options(
    hass: HomeAssistant, result: ConfigFlowResult, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Answer the options form ``result`` shows and wait for a reload it causes.

    The ``dialing`` step that follows an answered ``init`` step is submitted
    as it is shown (where the extensions may call stays as it was).
    """
    answered = result["step_id"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], user_input
    )
    await hass.async_block_till_done()
    if answered == "init" and result.get("step_id") == "dialing":
        return await async_answer_options(hass, result, as_shown(result))
    return result


async def async_poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float = POLL_SECONDS
) -> None:
    """Move the clock ``seconds`` on and let what fell due run to its end.

    By default, just past the 30 s interval: the reconciliation poll runs.
    """
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def async_busy_writes_done(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Let the writes that figures and lists save up during calls happen.

    They write at most once per ``BUSY_WRITE_INTERVAL`` (the first change
    after a quiet second at once).
    """
    await async_poll(hass, freezer, seconds=BUSY_WRITE_INTERVAL + 1)


async def async_logged_calls(
    entry: ConfigEntry, query: CallQuery | None = None
) -> list[FinishedCall]:
    """Return the entry's finished calls in its database (once committed), newest first."""
    store: CallLogStore = entry.runtime_data.coordinator.store
    await store.committed()
    calls: list[FinishedCall] = await store.async_query(
        query or CallQuery(limit=MAX_LIMIT), dt_util.utcnow()
    )
    return calls


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
