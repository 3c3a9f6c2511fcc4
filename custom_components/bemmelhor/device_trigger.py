"""Device triggers of an extension: dialing, hangup, answered, not answered, missed."""

from collections.abc import Callable, Mapping
from typing import Any, Final

import probatio

from homeassistant.components.device_automation import (
    DEVICE_TRIGGER_BASE_SCHEMA,
    InvalidDeviceAutomationConfig,
)
from homeassistant.const import CONF_DEVICE_ID, CONF_DOMAIN, CONF_PLATFORM, CONF_TYPE
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType

from .api import Disposition
from .call_log.model.calls import Direction
from .const import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DEVICE_ID,
    ATTR_DIRECTION,
    ATTR_DISPOSITION,
    ATTR_TO,
    DOMAIN,
    EVENT_CALL_DIALING,
    EVENT_CALL_HANGUP,
)
from .identifiers import device_extension

type DataTest = Callable[[Mapping[str, Any]], bool]

TRIGGER_DIALING: Final = "dialing"
TRIGGER_HANGUP: Final = "hangup"
TRIGGER_ANSWERED: Final = "answered"
TRIGGER_NOT_ANSWERED: Final = "not_answered"
TRIGGER_MISSED: Final = "missed"

TRIGGERS: Final[Mapping[str, tuple[str, DataTest]]] = {
    TRIGGER_DIALING: (EVENT_CALL_DIALING, lambda _: True),
    TRIGGER_HANGUP: (EVENT_CALL_HANGUP, lambda _: True),
    TRIGGER_ANSWERED: (
        EVENT_CALL_HANGUP,
        lambda data: data.get(ATTR_DISPOSITION) == Disposition.ANSWERED,
    ),
    TRIGGER_NOT_ANSWERED: (
        EVENT_CALL_HANGUP,
        lambda data: data.get(ATTR_DISPOSITION) != Disposition.ANSWERED,
    ),
}
"""Trigger type → (bus event, test of the event's data) of the calling extension."""

TRIGGER_TYPES: Final = (*TRIGGERS, TRIGGER_MISSED)

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {probatio.Required(CONF_TYPE): probatio.In(TRIGGER_TYPES)}
)


def _missed_by(extension: str | None) -> DataTest:
    """Return a test of a hangup's data: an inbound call to ``extension`` unanswered.

    Bus events belong to the calling extension; a call between two extensions
    is inbound for the called one, which ``to`` names.
    """

    def test(data: Mapping[str, Any]) -> bool:
        return (
            extension is not None
            and data.get(ATTR_TO) == extension
            and data.get(ATTR_DIRECTION) in (Direction.INBOUND, Direction.INTERNAL)
            and data.get(ATTR_DISPOSITION) != Disposition.ANSWERED
        )

    return test


def is_extension_device(hass: HomeAssistant, device_id: str) -> bool:
    """Return whether a device is one of this integration's extensions."""
    return device_extension(hass, device_id) is not None


def validate_extension_config(
    hass: HomeAssistant, schema: Callable[[ConfigType], ConfigType], config: ConfigType
) -> ConfigType:
    """Validate a device trigger or condition; it must be of an extension device."""
    config = schema(config)
    if not is_extension_device(hass, config[CONF_DEVICE_ID]):
        raise InvalidDeviceAutomationConfig(
            f"Device {config[CONF_DEVICE_ID]} is not a Bem Melhor extension"
        )
    return config


async def async_validate_trigger_config(
    hass: HomeAssistant, config: ConfigType
) -> ConfigType:
    """Validate a trigger; it must belong to an extension device."""
    return validate_extension_config(hass, TRIGGER_SCHEMA, config)


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, str]]:
    """List the triggers of an extension device (the hub has none)."""
    if not is_extension_device(hass, device_id):
        return []
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: trigger_type,
        }
        for trigger_type in TRIGGER_TYPES
    ]


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Run the action on every matching call event of the device."""
    device_id: str = config[CONF_DEVICE_ID]
    trigger_type: str = config[CONF_TYPE]
    job = HassJob(action, f"{DOMAIN} {trigger_type} trigger")
    trigger_data = trigger_info["trigger_data"]
    if trigger_type == TRIGGER_MISSED:
        found = device_extension(hass, device_id)
        entry_id, extension = found or (None, None)
        event_type, missed = EVENT_CALL_HANGUP, _missed_by(extension)

        @callback
        def event_filter(data: Mapping[str, Any]) -> bool:
            return data.get(ATTR_CONFIG_ENTRY_ID) == entry_id and missed(data)

    else:
        event_type, matches = TRIGGERS[trigger_type]

        @callback
        def event_filter(data: Mapping[str, Any]) -> bool:
            return data.get(ATTR_DEVICE_ID) == device_id and matches(data)

    @callback
    def handle_event(event: Event) -> None:
        hass.async_run_hass_job(
            job,
            {
                "trigger": {
                    **trigger_data,
                    **config,
                    "event": event,
                    "description": f"{DOMAIN} {trigger_type}",
                }
            },
            event.context,
        )

    return hass.bus.async_listen(event_type, handle_event, event_filter=event_filter)
