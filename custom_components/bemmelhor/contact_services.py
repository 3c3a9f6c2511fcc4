"""The ``bemmelhor.lookup_number`` action: who a number is, and how it is written."""

from typing import Final

import probatio

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .const import ATTR_CONFIG_ENTRY_ID, DOMAIN
from .phone_numbers import format_number
from .services import async_get_entry

SERVICE_LOOKUP_NUMBER: Final = "lookup_number"
ATTR_NUMBER: Final = "number"

LOOKUP_NUMBER_SCHEMA: Final = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_NUMBER): cv.string,
    }
)


async def _async_lookup_number(call: ServiceCall) -> ServiceResponse:
    """Answer with the number's name (or None) and its usual written form."""
    entry = async_get_entry(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    contacts = entry.runtime_data.coordinator.contacts
    number = call.data[ATTR_NUMBER].strip()
    if (formatted := format_number(number, contacts.area_code)) is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_number",
            translation_placeholders={ATTR_NUMBER: number},
        )
    return {
        "number": number,
        "name": contacts.name_of(number),
        "formatted": formatted,
    }


@callback
def async_setup_contact_services(hass: HomeAssistant) -> None:
    """Register ``bemmelhor.lookup_number``."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_LOOKUP_NUMBER,
        _async_lookup_number,
        schema=LOOKUP_NUMBER_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
