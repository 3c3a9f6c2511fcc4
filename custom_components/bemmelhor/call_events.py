"""Turning calls that start and end into bus events and event-entity triggers."""

from typing import Any

from homeassistant.components.event import DOMAIN as EVENT_DOMAIN
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send

from .api import CallEvent
from .call_log.model.calls import FinishedCall, OpenCall
from .const import (
    ATTR_CALL_ID,
    ATTR_CONFIG_ENTRY_ID,
    ATTR_CREATED,
    ATTR_DEVICE_ID,
    ATTR_DIRECTION,
    ATTR_DISPOSITION,
    ATTR_DURATION,
    ATTR_ERROR,
    ATTR_EXTENSION,
    ATTR_FROM,
    ATTR_FROM_NAME,
    ATTR_PLACED_BY,
    ATTR_RAW_DISPOSITION,
    ATTR_SERVER_MESSAGE,
    ATTR_SOURCE,
    ATTR_TO,
    ATTR_TO_NAME,
    DOMAIN,
    EVENT_CALL_DIALING,
    EVENT_CALL_HANGUP,
)
from .identifiers import async_extension_device, async_extension_entity_id

EVENT_TYPE_DIALING = "dialing"
EVENT_TYPE_HANGUP = "hangup"
CALL_EVENT_KEY = "call"
"""The key of each extension's event entity, which the bus events name."""


@callback
def async_call_event_entity_id(
    hass: HomeAssistant, entry_id: str, extension: str
) -> str | None:
    """Return the entity id of an extension's call event entity, if it has one."""
    return async_extension_entity_id(
        hass, entry_id, extension, EVENT_DOMAIN, CALL_EVENT_KEY
    )


def call_signal(entry_id: str, extension: str) -> str:
    """Return the dispatcher signal of an extension's ``call`` event entity."""
    return f"{DOMAIN}_{entry_id}_{extension}_call"


class CallAnnouncer:
    """Announces the calls of one entry: bus events and event-entity triggers."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Announce for ``entry``."""
        self._hass = hass
        self._entry = entry
        self._device_ids: dict[str, str] = {}
        """Each extension's device id, looked up once: a configured
        extension's device cannot be deleted (a change of extensions reloads
        the entry)."""

    @callback
    def async_dialing(
        self, call: OpenCall, event: CallEvent | None, extensions: set[str]
    ) -> None:
        """Fire ``bemmelhor_call_dialing`` and trigger the extensions' event entities."""
        data = self._call_data(call, event)
        data[ATTR_DISPOSITION] = (
            event.disposition.value if event and event.disposition else None
        )
        data[ATTR_CREATED] = (event.created if event else call.started).isoformat()
        data[ATTR_PLACED_BY] = call.placed_by
        self._async_fire(EVENT_TYPE_DIALING, data, extensions)

    @callback
    def async_hangup(
        self, call: FinishedCall, event: CallEvent | None, extensions: set[str]
    ) -> None:
        """Fire ``bemmelhor_call_hangup`` and trigger the extensions' event entities."""
        data = self._call_data(call, event)
        if event is None:
            data[ATTR_DISPOSITION] = call.disposition.value
        else:
            data[ATTR_DISPOSITION] = (
                event.disposition.value if event.disposition else None
            )
        data[ATTR_RAW_DISPOSITION] = call.raw_disposition
        data[ATTR_CREATED] = (event.created if event else call.ended).isoformat()
        if call.duration is not None:
            data[ATTR_DURATION] = call.duration
        self._async_fire(EVENT_TYPE_HANGUP, data, extensions)

    def _call_data(
        self, call: OpenCall | FinishedCall, event: CallEvent | None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {ATTR_CONFIG_ENTRY_ID: self._entry.entry_id}
        if call.extension is not None and (
            device_id := self._device_id(call.extension)
        ):
            data[ATTR_DEVICE_ID] = device_id
        data |= {
            ATTR_EXTENSION: call.extension or call.from_,
            ATTR_CALL_ID: call.call_id,
            ATTR_FROM: call.from_,
            ATTR_TO: call.to,
            ATTR_FROM_NAME: call.from_name,
            ATTR_TO_NAME: call.to_name,
            ATTR_DIRECTION: call.direction.value,
            ATTR_SOURCE: call.source.value,
            ATTR_SERVER_MESSAGE: event.server_message if event else None,
            ATTR_ERROR: event.error if event else None,
        }
        return data

    def _device_id(self, extension: str) -> str | None:
        if (device_id := self._device_ids.get(extension)) is None and (
            device := async_extension_device(self._hass, self._entry, extension)
        ):
            device_id = self._device_ids[extension] = device.id
        return device_id

    @callback
    def _async_fire(
        self, event_type: str, data: dict[str, Any], extensions: set[str]
    ) -> None:
        hass, entry_id = self._hass, self._entry.entry_id
        bus_event = (
            EVENT_CALL_DIALING
            if event_type == EVENT_TYPE_DIALING
            else EVENT_CALL_HANGUP
        )
        entity_id = async_call_event_entity_id(hass, entry_id, data[ATTR_EXTENSION])
        hass.bus.async_fire(
            bus_event, data | {ATTR_ENTITY_ID: entity_id} if entity_id else data
        )
        for extension in extensions:
            async_dispatcher_send(
                hass, call_signal(entry_id, extension), event_type, data
            )
