"""Base entities: one for the PBX hub, one for an extension."""

from datetime import datetime
from typing import Any, override

from homeassistant.core import CALLBACK_TYPE, HassJob, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .call_log.model.extension_state import ExtensionState
from .coordinator import BemMelhorCoordinator
from .identifiers import (
    entry_base_id,
    extension_identifier,
    extension_unique_id,
    hub_identifier,
)
from .pushing import PushedBy

_NOTHING_WRITTEN: Any = object()


class BemMelhorEntity(CoordinatorEntity[BemMelhorCoordinator]):
    """Any entity of the integration."""

    _attr_has_entity_name = True

    always_available = False
    """True for entities whose value does not come from the polled API."""

    pushed_by = PushedBy.CALLS
    """What shows the entity something new between two polls."""

    write_interval: float | None = None
    """Seconds between two writes while what the entity shows keeps changing.

    None writes every change. With an interval, a change after a quiet
    moment is written at once, and further changes within the interval are
    written together at its end: during a flood of calls, a figure every call
    changes costs one write a second, not one per call.
    """

    _written_shown: Any = _NOTHING_WRITTEN
    """What the entity showed when it last wrote (availability included)."""
    _next_write_at = 0.0
    _pending_write: CALLBACK_TYPE | None = None

    @property
    @override
    def available(self) -> bool:
        """Available while the API answers or webhooks arrive, or always."""
        return self.always_available or self.coordinator.live

    @callback
    def _async_write_if_changed(self, shown: object) -> None:
        """Write the state when ``shown`` differs from what was last written."""
        if shown == self._written_shown:
            return
        self._written_shown = shown
        self._async_write_shown()

    @callback
    def _async_write_shown(self) -> None:
        """Write the state now, or at the end of the write interval."""
        if self.write_interval is None:
            self.async_write_ha_state()
            return
        if self._pending_write is not None:
            return
        wait = self._next_write_at - self.hass.loop.time()
        if wait <= 0:
            self._async_write_after_interval()
            return
        self._pending_write = async_call_later(
            self.hass,
            wait,
            HassJob(self._async_write_after_interval, cancel_on_shutdown=True),
        )

    @callback
    def _async_write_after_interval(self, _now: datetime | None = None) -> None:
        self._pending_write = None
        self._next_write_at = self.hass.loop.time() + (self.write_interval or 0)
        self.async_write_ha_state()

    @override
    async def async_will_remove_from_hass(self) -> None:
        """Drop a write that is still due."""
        if self._pending_write is not None:
            self._pending_write()
            self._pending_write = None
        await super().async_will_remove_from_hass()


class BemMelhorHubEntity(BemMelhorEntity):
    """An entity of the PBX hub device.

    A hub entity is told of every webhook, of calls that end or only of
    polls (``pushed_by``), and writes its state only when what it shows
    changed (a timestamp state changes once per second).
    """

    def __init__(
        self, coordinator: BemMelhorCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to the hub device."""
        super().__init__(coordinator, context=(self.pushed_by, None))
        self.entity_description = description
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry_base_id(entry)}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={hub_identifier(entry)})

    def _shown(self) -> object:
        """Return what the entity shows (its state and attributes)."""
        return self.state, self.extra_state_attributes

    @override
    async def async_added_to_hass(self) -> None:
        """Note what the entity shows: Home Assistant writes it next."""
        await super().async_added_to_hass()
        self._written_shown = (self.available, self._shown())

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what the entity shows changed."""
        self._async_write_if_changed((self.available, self._shown()))


class BemMelhorExtensionEntity(BemMelhorEntity):
    """An entity of one extension (ramal) device.

    A webhook tells only its extensions' entities (the listener context
    holds the extension), and only those showing something it changes
    (``pushed_by``); after a poll, the other extensions skip writing their
    unchanged state (the coordinator reuses unchanged state objects). The
    changed extension's entities write only when the part they show changed
    (``_shown``): a dialing does not rewrite the last call, nor a poll the
    button.
    """

    def __init__(
        self,
        coordinator: BemMelhorCoordinator,
        extension: str,
        description: EntityDescription,
    ) -> None:
        """Attach the entity to its extension's device."""
        super().__init__(coordinator, context=(self.pushed_by, extension))
        self.entity_description = description
        self.extension = extension
        entry = coordinator.config_entry
        self._attr_unique_id = extension_unique_id(entry, extension, description.key)
        # The device is registered with the entry (``devices.py``).
        self._attr_device_info = DeviceInfo(
            identifiers={extension_identifier(entry, extension)}
        )
        self._written_success: bool | None = None
        self._written_state: ExtensionState | None = None

    @property
    def extension_state(self) -> ExtensionState:
        """Return what is known of this entity's extension."""
        return self.coordinator.data[self.extension]

    def _shown(self, state: ExtensionState) -> object:
        """Return what the entity shows of its extension's state (all of it)."""
        return state

    @override
    async def async_added_to_hass(self) -> None:
        """Note what the entity shows: Home Assistant writes it next."""
        await super().async_added_to_hass()
        self._written_success = self.coordinator.live
        self._written_state = state = self.coordinator.data[self.extension]
        self._written_shown = (self.available, self._shown(state))

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what the entity shows or availability changed."""
        success = self.coordinator.live
        state = self.coordinator.data[self.extension]
        if success is self._written_success and state is self._written_state:
            return
        self._written_success, self._written_state = success, state
        self._async_write_if_changed((self.available, self._shown(state)))
