"""Device condition of an extension: whether it is on a call."""

from typing import Final

import probatio

from homeassistant.const import (
    CONF_CONDITION,
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_TYPE,
    STATE_ON,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.condition import ConditionCheckerType
from homeassistant.helpers.typing import ConfigType, TemplateVarsType

from .const import DOMAIN
from .device_trigger import is_extension_device, validate_extension_config

CONDITION_IS_ON_CALL: Final = "is_on_call"
ON_CALL_KEY: Final = "on_call"

CONDITION_SCHEMA = cv.DEVICE_CONDITION_BASE_SCHEMA.extend(
    {probatio.Required(CONF_TYPE): probatio.In([CONDITION_IS_ON_CALL])}
)


def _on_call_entity_id(hass: HomeAssistant, device_id: str) -> str | None:
    """Return the ``on_call`` binary sensor of an extension device."""
    for entity in er.async_entries_for_device(er.async_get(hass), device_id):
        if entity.platform == DOMAIN and entity.translation_key == ON_CALL_KEY:
            return entity.entity_id
    return None


async def async_validate_condition_config(
    hass: HomeAssistant, config: ConfigType
) -> ConfigType:
    """Validate a condition; it must belong to an extension device."""
    return validate_extension_config(hass, CONDITION_SCHEMA, config)


async def async_get_conditions(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, str]]:
    """List the conditions of an extension device (the hub has none)."""
    if not is_extension_device(hass, device_id):
        return []
    return [
        {
            CONF_CONDITION: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: CONDITION_IS_ON_CALL,
        }
    ]


@callback
def async_condition_from_config(
    hass: HomeAssistant, config: ConfigType
) -> ConditionCheckerType:
    """Check the extension's ``on_call`` binary sensor."""
    device_id: str = config[CONF_DEVICE_ID]

    @callback
    def test_is_on_call(
        hass: HomeAssistant, variables: TemplateVarsType = None
    ) -> bool:
        entity_id = _on_call_entity_id(hass, device_id)
        return entity_id is not None and hass.states.is_state(entity_id, STATE_ON)

    return test_is_on_call
