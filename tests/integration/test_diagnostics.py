"""Diagnostics: what support needs, and nothing that identifies the PBX or a caller."""

import json

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.matchers import path_type

from bemmelhor_simulator import CallPhase, SimulatorServer
from homeassistant.components.diagnostics import DOMAIN as DIAGNOSTICS_DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.json import JsonObjectType

from .helpers import CLIENT_ID, HOST, NOW, NUMBER, WEBHOOK_ID, async_poll

pytestmark = pytest.mark.freeze_time(NOW)


@pytest.fixture(autouse=True)
async def _diagnostics_component(hass: HomeAssistant) -> None:
    """Set up diagnostics before Home Assistant's HTTP server starts serving."""
    assert await async_setup_component(hass, DIAGNOSTICS_DOMAIN, {})


@pytest.fixture
async def diagnostics_during_call(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> JsonObjectType:
    """Return the diagnostics of the entry while 6001 talks to an outside number.

    An earlier call of 6001 to 6002 has ended, so there is a last call too.
    """
    earlier = await wired_simulator.pbx.start_call("6001", "6002")
    await wired_simulator.pbx.hangup(earlier, "BUSY")
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await wired_simulator.pbx.set_phase(call_id, CallPhase.TALKING)
    await async_poll(hass, freezer)
    return await get_diagnostics_for_config_entry(hass, hass_client, init_integration)


async def test_diagnostics_during_a_call(
    diagnostics_during_call: JsonObjectType, snapshot: SnapshotAssertion
) -> None:
    """The entry, the API's health, the open call and each extension's state."""
    assert diagnostics_during_call == snapshot(
        matcher=path_type({"entry.data.port": (int,)})
    )


@pytest.mark.parametrize(
    "secret",
    [HOST, CLIENT_ID, WEBHOOK_ID, NUMBER, "SIP/6001"],
    ids=["host", "client_id", "webhook_id", "phone_number", "channel_name"],
)
async def test_diagnostics_redacted(
    diagnostics_during_call: JsonObjectType, secret: str
) -> None:
    """No host, client id, full webhook id, phone number or channel name leaks.

    The PBX's answers keep their shape: a channel shows as ``SIP/####-########``.
    """
    assert secret not in json.dumps(diagnostics_during_call)


async def test_diagnostics_keep_the_webhook_tail(
    diagnostics_during_call: JsonObjectType,
) -> None:
    """The webhook id's last characters stay, to tell two webhooks apart."""
    entry = diagnostics_during_call["entry"]
    assert isinstance(entry, dict)
    data = entry["data"]
    assert isinstance(data, dict)
    assert data["webhook_id"] == f"**REDACTED**{WEBHOOK_ID[-4:]}"


@pytest.mark.parametrize(
    "secret", [HOST, CLIENT_ID, WEBHOOK_ID], ids=["host", "client_id", "webhook_id"]
)
async def test_diagnostics_after_an_outage_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    secret: str,
) -> None:
    """The API's last error is told by its translation key, naming no host."""
    await pbx_simulator.refuse_connections()
    await async_poll(hass, freezer)

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )

    assert diagnostics["api"] == {
        "base_url_scheme": "http",
        "last_update_success": False,
        "last_exception": "UpdateFailed('cannot_connect')",
    }
    assert secret not in json.dumps(diagnostics)
