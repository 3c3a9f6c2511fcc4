"""Device condition of an extension: ``is_on_call``."""

from typing import Any

import probatio
import pytest
from pytest_homeassistant_custom_component.common import async_get_device_automations

from custom_components.bemmelhor import device_condition
from custom_components.bemmelhor.const import DOMAIN
from homeassistant.components.device_automation import (
    DeviceAutomationType,
    InvalidDeviceAutomationConfig,
)
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component

from .helpers import WebhookClient, async_post_all, dialing_body, hangup_body


def dialing(extension: str = "6001") -> dict[str, Any]:
    """Return a ``call.dialing`` body of an extension calling outside."""
    return dialing_body(f"call-{extension}", from_=extension)


def hangup(extension: str = "6001") -> dict[str, Any]:
    """Return the answered ``call.hangup`` body of the call of ``dialing``."""
    return hangup_body(f"call-{extension}", from_=extension)


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
    webhook_client: WebhookClient,
    extension_device_id: str,
    bodies: list[dict[str, Any]],
    on_call: bool,
) -> None:
    """``is_on_call`` holds from the dialing to the hangup of the extension's call."""
    config = await device_condition.async_validate_condition_config(
        hass, condition_config(extension_device_id)
    )
    check = device_condition.async_condition_from_config(hass, config)

    await async_post_all(webhook_client, bodies)

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
    webhook_client: WebhookClient,
    extension_device_id: str,
    automation_calls: list[ServiceCall],
    bodies: list[dict[str, Any]],
    runs: int,
) -> None:
    """An automation with the condition runs only while the extension is on a call."""
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
    await async_post_all(webhook_client, bodies)

    hass.bus.async_fire("doorbell")
    await hass.async_block_till_done()

    assert len(automation_calls) == runs
