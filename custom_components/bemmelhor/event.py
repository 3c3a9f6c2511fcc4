"""Event entity: each extension's calls, as ``dialing`` and ``hangup`` events."""

from typing import Any, override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .call_events import (
    CALL_EVENT_KEY,
    EVENT_TYPE_DIALING,
    EVENT_TYPE_HANGUP,
    call_signal,
)
from .call_log.model.extension_state import ExtensionState
from .coordinator import BemMelhorConfigEntry
from .entity import BemMelhorExtensionEntity
from .pushing import PushedBy

PARALLEL_UPDATES = 0

CALL_EVENT = EventEntityDescription(
    key=CALL_EVENT_KEY,
    translation_key=CALL_EVENT_KEY,
    event_types=[EVENT_TYPE_DIALING, EVENT_TYPE_HANGUP],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BemMelhorConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the call event entity of every extension."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        CallEventEntity(coordinator, extension, CALL_EVENT)
        for extension in coordinator.extensions
    )


class CallEventEntity(BemMelhorExtensionEntity, EventEntity):
    """Fires when a call of the extension starts dialing or hangs up."""

    always_available = True
    """Events arrive by webhook, not by the polled API."""
    pushed_by = PushedBy.POLLS

    @override
    def _shown(self, state: ExtensionState) -> object:
        """Show nothing of the extension's state: events come by dispatcher."""
        return None

    @override
    async def async_added_to_hass(self) -> None:
        """Listen for the extension's calls."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass,
                call_signal(self.coordinator.config_entry.entry_id, self.extension),
                self._async_handle_call,
            )
        )

    @callback
    def _async_handle_call(self, event_type: str, data: dict[str, Any]) -> None:
        self._trigger_event(event_type, data)
        self.async_write_ha_state()
