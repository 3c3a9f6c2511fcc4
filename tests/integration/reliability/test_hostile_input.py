"""Hostile input through every way a number reaches a URL, and hostile webhooks.

Each is refused and the PBX sees nothing.
"""

import hmac
import json
from typing import Any
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.api import BemMelhorClient, BemMelhorInvalidInputError
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from tests.integration.helpers import (
    CLIENT_ID,
    WEBHOOK_PATH,
    WebhookClient,
    async_action,
)

PATH_TRICKS = [
    "6005/../../active/6001",
    "../active/6001",
    "..",
    "6005/6001",
    "6005%2F..%2Factive",
    "%2e%2e",
    "6005?x=1",
    "6005#frag",
    "6005;x",
    "6005\\..\\6001",
    "6005\x00",
    "6005\r\nX-Injected: 1",
    "６００５",
    "6005 OR 1=1",
    "${jndi:ldap://x}",
    "<script>",
    "+55 32 9999/9999",
    "1" * 21,
]


@pytest.mark.parametrize(
    ("service", "data"),
    [
        *(
            pytest.param(
                "call",
                {"extension": "6001", "destination": destination},
                id=f"call-destination-{destination}",
            )
            for destination in PATH_TRICKS
        ),
        *(
            pytest.param(
                "call",
                {"extension": extension, "destination": "6002"},
                id=f"call-extension-{extension}",
            )
            for extension in ["../6001", "6001/..", "6001%2F", "60 01", "x"]
        ),
        *(
            pytest.param(
                "call_status", {"call_id": call_id}, id=f"call_status-{call_id}"
            )
            for call_id in ["..", "../active/6001", "a/b", "%2e%2e", "a b"]
        ),
    ],
)
async def test_actions_refuse_tricks(
    hass: HomeAssistant, pbx: SimulatorServer, service: str, data: dict[str, str]
) -> None:
    """The actions refuse hostile input before building a URL.

    Destinations and call ids that could leave their path segment are refused,
    and so are extensions that are not configured.
    """
    with pytest.raises(ServiceValidationError):
        await async_action(hass, service, data)
    assert pbx.requests == []


@pytest.mark.parametrize("destination", PATH_TRICKS)
async def test_dial_button_refuses_path_tricks(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
    destination: str,
) -> None:
    """A destination smuggled past the text entity is still refused on press."""
    init_integration.runtime_data.destinations["6001"] = destination
    pbx_simulator.requests.clear()
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": "button.extension_6001_dial"},
            blocking=True,
        )
    assert pbx_simulator.requests == []


@pytest.mark.parametrize(
    "destination", [*PATH_TRICKS[:-1], "1" * 25, "*72/..", "", "6005 "]
)
async def test_client_refuses_undialable_strings(
    hass: HomeAssistant, pbx_simulator: SimulatorServer, destination: str
) -> None:
    """The client itself only sends digits, * and # in a destination."""
    client = BemMelhorClient(
        "127.0.0.1",
        port=pbx_simulator.port,
        session=async_get_clientsession(hass),
    )
    with pytest.raises(BemMelhorInvalidInputError):
        await client.click_to_call("6001", destination)
    assert pbx_simulator.requests == []


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        pytest.param(b"x" * (64 * 1024 + 1), {}, 413, id="over-64KiB"),
        pytest.param(
            json.dumps({"event": "call.dialing", "pad": "x" * 70000}).encode(),
            {"Content-Type": "application/json"},
            413,
            id="valid-json-over-64KiB",
        ),
        pytest.param(_nested(20000).encode(), {}, 400, id="deeply-nested"),
        pytest.param(
            json.dumps(
                {"event": "call.dialing", "clientId": CLIENT_ID, "data": {"callId": 1}}
            )
            .replace("1}", _nested(10000) + "}")
            .encode(),
            {},
            400,
            id="deeply-nested-call-id",
        ),
        pytest.param(
            '{"event": "call.dialing", "clientId": "é"}'.encode("utf-16"),
            {},
            400,
            id="utf-16",
        ),
        pytest.param(b"\xff\xfe\x00garbage", {}, 400, id="invalid-utf8"),
        pytest.param(
            b"event=call.dialing&clientId=x",
            {"Content-Type": "application/x-www-form-urlencoded"},
            400,
            id="form-encoded",
        ),
        pytest.param(
            json.dumps(
                {
                    "event": "call.dialing",
                    "clientId": CLIENT_ID,
                    "data": {"callId": "c1", "from": "6001", "to": "6002"},
                }
            ).encode(),
            {"Content-Type": "text/plain"},
            200,
            id="json-as-text-plain",
        ),
        pytest.param(b"", {}, 400, id="empty"),
        pytest.param(b"null", {}, 400, id="null"),
        pytest.param(b'"call.dialing"', {}, 400, id="string"),
        pytest.param(b"1e999999", {}, 400, id="huge-float"),
        pytest.param(b"9" * 5000, {}, 400, id="huge-int"),
    ],
)
async def test_hostile_webhook_bodies(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    body: bytes,
    headers: dict[str, str],
    status: int,
) -> None:
    """Hostile bodies get a 4xx (or are harmless), never a 500."""
    response = await webhook_client.post(WEBHOOK_PATH, data=body, headers=headers)
    assert response.status == status


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
async def test_webhook_accepts_post_only(
    webhook_client: WebhookClient, method: str
) -> None:
    """Any other method is refused by Home Assistant before the handler."""
    response = await webhook_client.request(method, WEBHOOK_PATH)
    assert response.status == 405


async def test_client_id_is_compared_in_constant_time(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """The client id check goes through hmac.compare_digest."""
    payload: dict[str, Any] = {"event": "other", "clientId": "wrong"}
    with patch(
        "custom_components.bemmelhor.webhook.hmac.compare_digest",
        wraps=hmac.compare_digest,
    ) as compare:
        response = await webhook_client.post(WEBHOOK_PATH, json=payload)
    assert response.status == 401
    compare.assert_called_once_with(b"wrong", CLIENT_ID.encode())
