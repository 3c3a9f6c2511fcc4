"""Actions: ``bemmelhor.call`` (click-to-call) and ``bemmelhor.call_status``."""

from typing import Final

import probatio

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, service

from .const import (
    ATTR_CALL_ID,
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DESTINATION,
    ATTR_EXTENSION,
    DOMAIN,
)
from .coordinator import BemMelhorConfigEntry
from .dialer import async_start_call
from .errors import handle_api_errors

SERVICE_CALL: Final = "call"
SERVICE_CALL_STATUS: Final = "call_status"

CALL_SCHEMA: Final = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_EXTENSION): cv.string,
        probatio.Required(ATTR_DESTINATION): cv.string,
    }
)
CALL_STATUS_SCHEMA: Final = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_CALL_ID): cv.string,
    }
)


@callback
def async_get_entry(hass: HomeAssistant, entry_id: str | None) -> BemMelhorConfigEntry:
    """Return the loaded entry an action is for.

    Without an id, the one loaded entry is taken; none or several are refused.
    """
    if entry_id is not None:
        entry: BemMelhorConfigEntry = service.async_get_config_entry(
            hass, DOMAIN, entry_id
        )
        return entry
    loaded = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]
    if not loaded:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_loaded_entry"
        )
    if len(loaded) > 1:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="entry_required"
        )
    return loaded[0]


async def _async_call(call: ServiceCall) -> ServiceResponse:
    """Start a call and answer with what the PBX said of it."""
    entry = async_get_entry(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    result = await async_start_call(
        entry, call.data[ATTR_EXTENSION], call.data[ATTR_DESTINATION]
    )
    return {
        "call_id": result.call_id,
        "status": result.status,
        "from": result.from_,
        "to": result.to,
        "created": result.created.isoformat() if result.created else None,
    }


@handle_api_errors
async def _async_call_status(call: ServiceCall) -> ServiceResponse:
    """Answer with what the PBX knows of a call."""
    entry = async_get_entry(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    status = await entry.runtime_data.client.call_status(call.data[ATTR_CALL_ID])
    return {
        "call_id": status.call_id,
        "api_status": status.api_status,
        "data": dict(status.data) if status.data is not None else None,
    }


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_CALL,
        _async_call,
        schema=CALL_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_CALL_STATUS,
        _async_call_status,
        schema=CALL_STATUS_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
