"""Phone numbers, contact names, the PBX host and the client id stay out of logs and diagnostics."""

import json
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.const import DOMAIN
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from tests.integration.contact_helpers import contact_data
from tests.integration.helpers import (
    CLIENT_ID,
    NUMBER,
    WEBHOOK_ID,
    WEBHOOK_PATH,
    WebhookClient,
    async_action,
    async_poll,
)

HOST_NAME = "localhost"
CALLER_NUMBER = "021988887777"
CONTACT_NAME = "Maria Silva"
SECRETS = [
    CONTACT_NAME,
    HOST_NAME,
    NUMBER,
    "32999999999",
    "99999-9999",
    CALLER_NUMBER,
    CLIENT_ID,
    WEBHOOK_ID,
]


TEST_ONLY_LOGGERS = {"aiohttp.access"}
"""The web server's access log: Home Assistant itself sets it to WARNING at start."""


@pytest.fixture
def mock_config_entry(mock_config_entry: MockConfigEntry) -> MockConfigEntry:
    """Point the entry at the simulator by host name, with a contact who calls."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=mock_config_entry.title,
        unique_id=HOST_NAME,
        data={**mock_config_entry.data, CONF_HOST: HOST_NAME},
        options=mock_config_entry.options,
        subentries_data=[contact_data(CONTACT_NAME, CALLER_NUMBER)],
        version=1,
        minor_version=1,
    )


@pytest.fixture(autouse=True)
def _info_logging(caplog: pytest.LogCaptureFixture) -> None:
    """Capture INFO and above from the start, set-up included."""
    caplog.set_level(logging.INFO)


@pytest.fixture(autouse=True)
async def _diagnostics_component(hass: HomeAssistant) -> None:
    """Set up diagnostics before Home Assistant's HTTP server starts serving."""
    assert await async_setup_component(hass, "diagnostics", {})


async def test_call_story_leaks_nothing(
    hass: HomeAssistant,
    system_resolver: None,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    webhook_client: WebhookClient,
    hass_client: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Calls (one from a contact), a refused webhook, actions, an outage, diagnostics."""
    assert await async_setup_component(hass, "homeassistant", {})
    pbx = wired_simulator.pbx

    outgoing = await pbx.start_call("6001", NUMBER)
    await async_poll(hass, freezer)
    await pbx.advance(outgoing)
    await pbx.advance(outgoing)
    await pbx.hangup(outgoing)
    incoming = await pbx.start_call(CALLER_NUMBER, "6002", disposition="NO ANSWER")
    await pbx.hangup(incoming)
    response: Any = await async_action(
        hass, "call", {"extension": "6003", "destination": "+55 (32) 99999-9999"}
    )
    by_name: Any = await async_action(
        hass, "call", {"extension": "6001", "destination": "maria silva"}
    )
    lookup: Any = await async_action(hass, "lookup_number", {"number": CALLER_NUMBER})
    await wired_simulator.webhooks.join()
    refused = await webhook_client.post(
        WEBHOOK_PATH,
        json={"event": "call.dialing", "clientId": "intruder", "data": {}},
    )
    await wired_simulator.refuse_connections()
    await async_poll(hass, freezer)
    await wired_simulator.accept_connections()
    await async_poll(hass, freezer)
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )

    assert response["to"] == NUMBER
    assert by_name["to"] == CALLER_NUMBER
    assert lookup["name"] == CONTACT_NAME
    assert refused.status == 401
    assert [
        r.getMessage() for r in caplog.records if "Error fetching" in r.getMessage()
    ]
    text_above_debug = "\n".join(
        record.getMessage()
        for record in [*caplog.get_records("setup"), *caplog.records]
        if record.levelno > logging.DEBUG and record.name not in TEST_ONLY_LOGGERS
    )
    diagnostics_text = json.dumps(diagnostics)
    for secret in SECRETS:
        assert secret not in text_above_debug
        assert secret not in diagnostics_text
