"""Device condition of an extension: ``is_on_call``."""

from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
import probatio
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
    async_mock_service,
)

from custom_components.bemmelhor import device_condition
from custom_components.bemmelhor.const import DOMAIN
from homeassistant.components.device_automation import (
    DeviceAutomationType,
    InvalidDeviceAutomationConfig,
)
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component

from .conftest import CLIENT_ID, HOST, WEBHOOK_ID

type HaClient = TestClient[web.Request, web.Application]

URL = f"/api/webhook/{WEBHOOK_ID}"
OUTSIDE = "032999999999"


def dialing(extension: str = "6001") -> dict[str, Any]:
    """Return a ``call.dialing`` body of an extension calling outside."""
    return {
        "event": "call.dialing",
        "clientId": CLIENT_ID,
        "data": {"callId": f"call-{extension}", "from": extension, "to": OUTSIDE},
    }


def hangup(extension: str = "6001") -> dict[str, Any]:
    """Return the answered ``call.hangup`` body of the call of ``dialing``."""
    return {
        "event": "call.hangup",
        "clientId": CLIENT_ID,
        "data": {
            "callId": f"call-{extension}",
            "from": extension,
            "to": "h",
            "disposition": "ANSWERED",
        },
    }


def condition_config(
    device_id: str, condition_type: str = "is_on_call"
) -> dict[str, str]:
    """Return a device condition of this integration."""
    return {
        "condition": "device",
        "domain": DOMAIN,
        "device_id": device_id,
        "type": condition_type,
    }


def device_id_of(
    device_registry: dr.DeviceRegistry, entry: MockConfigEntry, identifier: str
) -> str:
    """Return the id of the entry's device with this identifier."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, identifier), entry.entry_id
    )
    assert device is not None
    return device.id


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


async def post_all(client: HaClient, bodies: list[dict[str, Any]]) -> None:
    """POST webhook bodies in order."""
    for body in bodies:
        response = await client.post(URL, json=body)
        assert response.status == 200


async def test_extension_lists_the_condition(
    hass: HomeAssistant, extension_device_id: str
) -> None:
    """An extension device offers ``is_on_call``."""
    conditions = await async_get_device_automations(
        hass, DeviceAutomationType.CONDITION, extension_device_id
    )

    assert [condition for condition in conditions if condition["domain"] == DOMAIN] == [
        condition_config(extension_device_id) | {"metadata": {}}
    ]


async def test_hub_lists_no_condition(hass: HomeAssistant, hub_device_id: str) -> None:
    """The PBX hub has no call condition."""
    conditions = await async_get_device_automations(
        hass, DeviceAutomationType.CONDITION, hub_device_id
    )

    assert [
        condition for condition in conditions if condition["domain"] == DOMAIN
    ] == []


async def test_condition_of_the_hub_is_refused(
    hass: HomeAssistant, hub_device_id: str
) -> None:
    """A condition on the hub device does not validate."""
    with pytest.raises(InvalidDeviceAutomationConfig):
        await device_condition.async_validate_condition_config(
            hass, condition_config(hub_device_id)
        )


async def test_unknown_condition_type_is_refused(
    hass: HomeAssistant, extension_device_id: str
) -> None:
    """``is_on_call`` is the only condition."""
    with pytest.raises(probatio.Invalid):
        await device_condition.async_validate_condition_config(
            hass, condition_config(extension_device_id, "is_ringing")
        )


@pytest.mark.parametrize(
    ("bodies", "on_call"),
    [
        pytest.param([], False, id="idle"),
        pytest.param([dialing()], True, id="dialing"),
        pytest.param([dialing(), hangup()], False, id="hung-up"),
        pytest.param([hangup(), dialing()], False, id="hangup-first"),
        pytest.param([dialing("6002")], False, id="other-extension-calling"),
        pytest.param(
            [dialing(), dialing("6002"), hangup("6002")], True, id="other-hung-up"
        ),
    ],
)
async def test_condition_follows_the_call(
    hass: HomeAssistant,
    webhook_client: HaClient,
    extension_device_id: str,
    bodies: list[dict[str, Any]],
    on_call: bool,
) -> None:
    """``is_on_call`` holds from the dialing to the hangup of the extension's call."""
    config = await device_condition.async_validate_condition_config(
        hass, condition_config(extension_device_id)
    )
    check = device_condition.async_condition_from_config(hass, config)

    await post_all(webhook_client, bodies)

    assert check(hass, None) is on_call


@pytest.mark.parametrize(
    ("bodies", "runs"),
    [
        pytest.param([dialing()], 1, id="on-call"),
        pytest.param([dialing(), hangup()], 0, id="after-the-call"),
    ],
)
async def test_condition_in_an_automation(
    hass: HomeAssistant,
    webhook_client: HaClient,
    extension_device_id: str,
    bodies: list[dict[str, Any]],
    runs: int,
) -> None:
    """An automation with the condition runs only while the extension is on a call."""
    calls: list[ServiceCall] = async_mock_service(hass, "test", "automation")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "trigger": {"platform": "event", "event_type": "doorbell"},
                "condition": condition_config(extension_device_id),
                "action": {"service": "test.automation"},
            }
        },
    )
    await post_all(webhook_client, bodies)

    hass.bus.async_fire("doorbell")
    await hass.async_block_till_done()

    assert len(calls) == runs
