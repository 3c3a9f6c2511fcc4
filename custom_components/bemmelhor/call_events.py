"""Turning accepted webhook calls into bus events and event-entity triggers."""

from typing import Any

from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_send

from .api import CallEvent
from .const import (
    ATTR_CALL_ID,
    ATTR_CONFIG_ENTRY_ID,
    ATTR_CREATED,
    ATTR_DEVICE_ID,
    ATTR_DISPOSITION,
    ATTR_DURATION,
    ATTR_ERROR,
    ATTR_EXTENSION,
    ATTR_FROM,
    ATTR_SERVER_MESSAGE,
    ATTR_TO,
    DOMAIN,
    EVENT_CALL_DIALING,
    EVENT_CALL_HANGUP,
)
from .coordinator import BemMelhorConfigEntry
from .identifiers import extension_identifier
from .models import FinishedCall, OpenCall

EVENT_TYPE_DIALING = "dialing"
EVENT_TYPE_HANGUP = "hangup"


def call_signal(entry_id: str, extension: str) -> str:
    """Return the dispatcher signal of an extension's ``call`` event entity."""
    return f"{DOMAIN}_{entry_id}_{extension}_call"


@callback
def async_announce_dialing(
    entry: BemMelhorConfigEntry, event: CallEvent, call: OpenCall
) -> None:
    """Fire ``bemmelhor_call_dialing`` and trigger the event entity."""
    _async_announce(
        entry,
        EVENT_TYPE_DIALING,
        event,
        extension=call.extension,
        from_=call.from_,
        to=call.to,
        duration=None,
    )


@callback
def async_announce_hangup(
    entry: BemMelhorConfigEntry, event: CallEvent, call: FinishedCall
) -> None:
    """Fire ``bemmelhor_call_hangup`` and trigger the event entity."""
    _async_announce(
        entry,
        EVENT_TYPE_HANGUP,
        event,
        extension=call.extension,
        from_=call.from_,
        to=call.to,
        duration=call.duration,
    )


@callback
def _async_announce(
    entry: BemMelhorConfigEntry,
    event_type: str,
    event: CallEvent,
    *,
    extension: str | None,
    from_: str | None,
    to: str | None,
    duration: int | None,
) -> None:
    hass = entry.runtime_data.coordinator.hass
    data: dict[str, Any] = {ATTR_CONFIG_ENTRY_ID: entry.entry_id}
    if extension is not None and (
        device := dr.async_get(hass).async_get_device_by_identifier(
            extension_identifier(entry, extension), entry.entry_id
        )
    ):
        data[ATTR_DEVICE_ID] = device.id
    data |= {
        ATTR_EXTENSION: extension or from_,
        ATTR_CALL_ID: event.call_id,
        ATTR_FROM: from_,
        ATTR_TO: to,
        ATTR_DISPOSITION: event.disposition.value if event.disposition else None,
        ATTR_SERVER_MESSAGE: event.server_message,
        ATTR_ERROR: event.error,
        ATTR_CREATED: event.created.isoformat(),
    }
    if duration is not None:
        data[ATTR_DURATION] = duration
    bus_event = (
        EVENT_CALL_DIALING if event_type == EVENT_TYPE_DIALING else EVENT_CALL_HANGUP
    )
    hass.bus.async_fire(bus_event, data)
    if extension is not None:
        async_dispatcher_send(
            hass, call_signal(entry.entry_id, extension), event_type, data
        )
