"""Device triggers of an extension: dialing, hangup, answered, not answered."""

from typing import Any

import probatio
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
)

from custom_components.bemmelhor import device_trigger
from custom_components.bemmelhor.const import DOMAIN
from homeassistant.components.device_automation import (
    DeviceAutomationType,
    InvalidDeviceAutomationConfig,
)
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component

from .helpers import (
    HOST,
    NUMBER,
    WebhookClient,
    async_post_all,
    device_id_of,
    dialing_body,
    hangup_body,
)

DIALING_CREATED = 1613584017387
TRIGGER_TYPES = ["dialing", "hangup", "answered", "not_answered", "missed"]


def dialing(extension: str = "6001") -> dict[str, Any]:
    """Return a ``call.dialing`` body of an extension calling outside."""
    return dialing_body(f"call-{extension}", from_=extension, created=DIALING_CREATED)


def hangup(disposition: str | None, extension: str = "6001") -> dict[str, Any]:
    """Return a ``call.hangup`` body of the call of ``dialing``, 125 s later."""
    return hangup_body(
        f"call-{extension}",
        from_=extension,
        disposition=disposition,
        created=DIALING_CREATED + 125_000,
    )


def trigger_config(device_id: str, trigger_type: str = "dialing") -> dict[str, str]:
    """Return a device trigger of this integration."""
    return {
        "platform": "device",
        "domain": DOMAIN,
        "device_id": device_id,
        "type": trigger_type,
    }


async def set_up_automation(
    hass: HomeAssistant, device_id: str, trigger_type: str
) -> None:
    """Set up an automation with the device trigger, calling ``test.automation``."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "call trigger",
                "trigger": trigger_config(device_id, trigger_type),
                "action": {
                    "service": "test.automation",
                    "data": {
                        "call_id": "{{ trigger.event.data.call_id }}",
                        "to": "{{ trigger.event.data.to }}",
                        "description": "{{ trigger.description }}",
                    },
                },
            }
        },
    )


async def post_all(
    hass: HomeAssistant, client: WebhookClient, bodies: list[dict[str, Any]]
) -> None:
    """POST webhook bodies in order, then let the automations run."""
    await async_post_all(client, bodies)
    await hass.async_block_till_done()


# --- Listing -----------------------------------------------------------------


async def test_extension_lists_its_triggers(
    hass: HomeAssistant, extension_device_id: str
) -> None:
    """An extension device offers the five call triggers."""
    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, extension_device_id
    )

    assert [trigger for trigger in triggers if trigger["domain"] == DOMAIN] == [
        trigger_config(extension_device_id, trigger_type) | {"metadata": {}}
        for trigger_type in TRIGGER_TYPES
    ]


async def test_hub_lists_no_triggers(hass: HomeAssistant, hub_device_id: str) -> None:
    """The PBX hub has no call triggers."""
    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, hub_device_id
    )

    assert [trigger for trigger in triggers if trigger["domain"] == DOMAIN] == []


async def test_other_integrations_extension_lists_no_triggers(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A device of another integration is no extension, whatever its model."""
    other_entry = MockConfigEntry(domain="other_pbx")
    other_entry.add_to_hass(hass)
    other = device_registry.async_get_or_create(
        config_entry_id=other_entry.entry_id,
        identifiers={("other_pbx", "6001")},
        model="Extension",
        name="Extension 6001",
    )

    assert await device_trigger.async_get_triggers(hass, other.id) == []


# --- Validation --------------------------------------------------------------


async def test_trigger_of_the_hub_is_refused(
    hass: HomeAssistant, hub_device_id: str
) -> None:
    """A trigger on the hub device does not validate."""
    with pytest.raises(InvalidDeviceAutomationConfig):
        await device_trigger.async_validate_trigger_config(
            hass, trigger_config(hub_device_id)
        )


async def test_trigger_of_an_unknown_device_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A trigger on a device that does not exist does not validate."""
    with pytest.raises(InvalidDeviceAutomationConfig):
        await device_trigger.async_validate_trigger_config(
            hass, trigger_config("no-such-device")
        )


async def test_unknown_trigger_type_is_refused(
    hass: HomeAssistant, extension_device_id: str
) -> None:
    """Only the four call triggers exist."""
    with pytest.raises(probatio.Invalid):
        await device_trigger.async_validate_trigger_config(
            hass, trigger_config(extension_device_id, "ringing")
        )


async def test_automation_on_the_hub_does_not_run(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    hub_device_id: str,
    automation_calls: list[ServiceCall],
) -> None:
    """An automation with a hub device trigger is refused and never runs."""
    await set_up_automation(hass, hub_device_id, "dialing")

    await post_all(hass, webhook_client, [dialing()])

    automation = hass.states.get("automation.call_trigger")
    assert automation is not None
    assert automation.state == "unavailable"
    assert automation_calls == []


# --- Firing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger_type", "bodies", "runs"),
    [
        pytest.param("dialing", [dialing()], 1, id="dialing"),
        pytest.param("dialing", [dialing(), hangup("ANSWERED")], 1, id="dialing-once"),
        pytest.param("hangup", [dialing()], 0, id="hangup-not-yet"),
        pytest.param("hangup", [dialing(), hangup("ANSWERED")], 1, id="hangup"),
        pytest.param("hangup", [dialing(), hangup("BUSY")], 1, id="hangup-busy"),
        pytest.param("answered", [dialing(), hangup("ANSWERED")], 1, id="answered"),
        pytest.param(
            "answered", [dialing(), hangup("NO ANSWER")], 0, id="answered-no-answer"
        ),
        pytest.param(
            "not_answered", [dialing(), hangup("NO ANSWER")], 1, id="not-answered"
        ),
        pytest.param(
            "not_answered", [dialing(), hangup("BUSY")], 1, id="not-answered-busy"
        ),
        pytest.param(
            "not_answered", [dialing(), hangup(None)], 1, id="not-answered-unknown"
        ),
        pytest.param(
            "not_answered", [dialing(), hangup("ANSWERED")], 0, id="not-answered-no"
        ),
        pytest.param(
            "hangup",
            [dialing(), hangup("ANSWERED"), hangup("ANSWERED")],
            1,
            id="duplicate-hangup",
        ),
        pytest.param("answered", [hangup("ANSWERED")], 1, id="hangup-before-dialing"),
    ],
)
async def test_trigger_fires(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    extension_device_id: str,
    automation_calls: list[ServiceCall],
    trigger_type: str,
    bodies: list[dict[str, Any]],
    runs: int,
) -> None:
    """Each trigger runs its automation for the matching webhooks only."""
    await set_up_automation(hass, extension_device_id, trigger_type)

    await post_all(hass, webhook_client, bodies)

    assert len(automation_calls) == runs


@pytest.mark.parametrize("trigger_type", TRIGGER_TYPES)
async def test_trigger_ignores_other_extensions(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    extension_device_id: str,
    automation_calls: list[ServiceCall],
    trigger_type: str,
) -> None:
    """Calls of 6002 do not run 6001's automations."""
    await set_up_automation(hass, extension_device_id, trigger_type)

    await post_all(
        hass,
        webhook_client,
        [dialing("6002"), hangup("ANSWERED", "6002"), hangup("BUSY", "6002")],
    )

    assert automation_calls == []


async def test_trigger_ignores_unknown_extensions(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    extension_device_id: str,
    automation_calls: list[ServiceCall],
) -> None:
    """A call of an extension not configured runs no device automation."""
    await set_up_automation(hass, extension_device_id, "dialing")

    await post_all(hass, webhook_client, [dialing("7777")])

    assert automation_calls == []


async def test_trigger_variables(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    extension_device_id: str,
    automation_calls: list[ServiceCall],
) -> None:
    """The action sees the bus event (``to`` already resolved) and a description."""
    await set_up_automation(hass, extension_device_id, "answered")

    await post_all(hass, webhook_client, [dialing(), hangup("ANSWERED")])

    assert [call.data for call in automation_calls] == [
        {
            "call_id": "call-6001",
            "to": NUMBER,
            "description": "bemmelhor answered",
        }
    ]


async def test_trigger_for_an_incoming_call(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    automation_calls: list[ServiceCall],
) -> None:
    """A call from outside to 6002 runs 6002's ``dialing`` automation."""
    await set_up_automation(
        hass,
        device_id_of(device_registry, init_integration, f"{HOST}_6002"),
        "dialing",
    )
    body = dialing()
    body["data"] |= {"from": NUMBER, "to": "6002"}

    await post_all(hass, webhook_client, [body])

    assert len(automation_calls) == 1
