"""Actions: ``call`` (click-to-call), ``call_status`` and ``get_calls`` (the log)."""

from datetime import datetime
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
from homeassistant.util import dt as dt_util

from .call_log.model.calls import Direction
from .call_log.model.queries import DEFAULT_LIMIT, MAX_LIMIT, CallQuery
from .const import (
    ATTR_CALL_ID,
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DESTINATION,
    ATTR_DIRECTION,
    ATTR_EVEN_IF_BUSY,
    ATTR_EXTENSION,
    DOMAIN,
)
from .coordinator import BemMelhorConfigEntry
from .dialer import async_start_call
from .errors import handle_api_errors
from .identifiers import device_extension

SERVICE_CALL: Final = "call"
SERVICE_CALL_STATUS: Final = "call_status"
SERVICE_GET_CALLS: Final = "get_calls"

CALL_SCHEMA: Final = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_EXTENSION): cv.string,
        probatio.Required(ATTR_DESTINATION): cv.string,
        probatio.Optional(ATTR_EVEN_IF_BUSY, default=False): cv.boolean,
    }
)
GET_CALLS_SCHEMA: Final = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Optional(ATTR_EXTENSION): cv.string,
        probatio.Optional("start"): cv.datetime,
        probatio.Optional("end"): cv.datetime,
        probatio.Optional(ATTR_DIRECTION): probatio.In([str(d) for d in Direction]),
        probatio.Optional("missed_only", default=False): cv.boolean,
        probatio.Optional("limit", default=DEFAULT_LIMIT): probatio.All(
            probatio.Coerce(int), probatio.Range(min=1, max=MAX_LIMIT)
        ),
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


def _loaded_entries(hass: HomeAssistant) -> list[BemMelhorConfigEntry]:
    return [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]


@callback
def async_get_extension_entry(
    hass: HomeAssistant, entry_id: str | None, extension: str
) -> tuple[BemMelhorConfigEntry, str]:
    """Return the loaded entry and the extension number an action is for.

    ``extension`` is the extension's number or the id of its device (the
    action's picker). Without an entry id, the entry is the one loaded entry
    that has the extension; when several have it the entry must be named,
    when none has it the extension is refused.
    """
    extension = extension.strip()
    entries = (
        [async_get_entry(hass, entry_id)]
        if entry_id is not None
        else _loaded_entries(hass)
    )
    if not entries:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_loaded_entry"
        )
    device = device_extension(hass, extension)
    matches = [
        (entry, number)
        for entry in entries
        for number in entry.runtime_data.coordinator.extensions
        if number == extension or device == (entry.entry_id, number)
    ]
    if len(matches) > 1:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="entry_required"
        )
    if not matches:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_extension",
            translation_placeholders={
                "extension": extension,
                "title": ", ".join(entry.title for entry in entries),
            },
        )
    return matches[0]


async def _async_call(call: ServiceCall) -> ServiceResponse:
    """Start a call and answer with what the PBX said of it."""
    entry, extension = async_get_extension_entry(
        call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID), call.data[ATTR_EXTENSION]
    )
    result = await async_start_call(
        entry,
        extension,
        call.data[ATTR_DESTINATION],
        user_id=call.context.user_id,
        even_if_busy=call.data[ATTR_EVEN_IF_BUSY],
    )
    name_of = entry.runtime_data.coordinator.contacts.name_of
    return {
        "call_id": result.call_id,
        "status": result.status,
        "from": result.from_,
        "to": result.to,
        "from_name": name_of(result.from_),
        "to_name": name_of(result.to),
        "created": result.created.isoformat() if result.created else None,
    }


@handle_api_errors
async def _async_call_status(call: ServiceCall) -> ServiceResponse:
    """Answer with what the PBX knows of a call.

    ``found`` is false when the PBX answered without data, as it does for an
    id it does not know (its documentation shows a finished call answered
    the same way, so no error is raised).
    """
    entry = async_get_entry(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    status = await entry.runtime_data.client.call_status(call.data[ATTR_CALL_ID])
    return {
        "call_id": status.call_id,
        "api_status": status.api_status,
        "found": status.data is not None,
        "data": dict(status.data) if status.data is not None else None,
    }


async def _async_get_calls(call: ServiceCall) -> ServiceResponse:
    """Answer with the finished calls of the log that match, newest first."""
    entry_id: str | None = call.data.get(ATTR_CONFIG_ENTRY_ID)
    extension: str | None = None
    if ATTR_EXTENSION in call.data:
        entry, extension = async_get_extension_entry(
            call.hass, entry_id, call.data[ATTR_EXTENSION]
        )
    else:
        entry = async_get_entry(call.hass, entry_id)
    start, end = _utc(call.data.get("start")), _utc(call.data.get("end"))
    if start is not None and end is not None and start > end:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="start_after_end",
            translation_placeholders={
                "start": str(call.data["start"]),
                "end": str(call.data["end"]),
            },
        )
    query = CallQuery(
        extension=extension,
        start=start,
        end=end,
        direction=Direction(call.data[ATTR_DIRECTION])
        if ATTR_DIRECTION in call.data
        else None,
        missed_only=call.data["missed_only"],
        limit=call.data["limit"],
    )
    store = entry.runtime_data.coordinator.store
    calls = await store.async_query(query, dt_util.utcnow())
    return {"calls": [finished.as_dict() for finished in calls]}


def _utc(value: datetime | None) -> datetime | None:
    """Read a date of the action (naive: in Home Assistant's time zone) as UTC."""
    return dt_util.as_utc(value) if value is not None else None


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
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_CALLS,
        _async_get_calls,
        schema=GET_CALLS_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
