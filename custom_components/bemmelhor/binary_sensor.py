"""Binary sensors: whether an extension is on a call; whether the PBX API answers."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .call_log.model.extension_state import ExtensionState
from .coordinator import BemMelhorConfigEntry, BemMelhorCoordinator
from .entity import BemMelhorExtensionEntity, BemMelhorHubEntity
from .pushing import PushedBy

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class BemMelhorExtensionBinarySensorDescription(BinarySensorEntityDescription):
    """Describe a binary sensor of an extension."""

    is_on_fn: Callable[[ExtensionState], bool]


@dataclass(frozen=True, kw_only=True)
class BemMelhorHubBinarySensorDescription(BinarySensorEntityDescription):
    """Describe a binary sensor of the PBX hub."""

    is_on_fn: Callable[[BemMelhorCoordinator], bool]


EXTENSION_BINARY_SENSORS: tuple[BemMelhorExtensionBinarySensorDescription, ...] = (
    BemMelhorExtensionBinarySensorDescription(
        key="on_call",
        translation_key="on_call",
        is_on_fn=lambda state: state.on_call,
    ),
)

HUB_BINARY_SENSORS: tuple[BemMelhorHubBinarySensorDescription, ...] = (
    BemMelhorHubBinarySensorDescription(
        key="api_connectivity",
        translation_key="api_connectivity",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda coordinator: coordinator.last_update_success,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BemMelhorConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of the hub and of every extension."""
    coordinator = entry.runtime_data.coordinator
    entities: list[BinarySensorEntity] = [
        HubBinarySensor(coordinator, description) for description in HUB_BINARY_SENSORS
    ]
    entities.extend(
        ExtensionBinarySensor(coordinator, extension, description)
        for extension in coordinator.extensions
        for description in EXTENSION_BINARY_SENSORS
    )
    async_add_entities(entities)


class ExtensionBinarySensor(BemMelhorExtensionEntity, BinarySensorEntity):
    """A binary sensor of an extension."""

    entity_description: BemMelhorExtensionBinarySensorDescription

    @property
    @override
    def is_on(self) -> bool:
        """Return the sensor's value."""
        return self.entity_description.is_on_fn(self.extension_state)

    @override
    def _shown(self, state: ExtensionState) -> object:
        """Return the value: all the binary sensor shows."""
        return self.entity_description.is_on_fn(state)


class HubBinarySensor(BemMelhorHubEntity, BinarySensorEntity):
    """A diagnostic binary sensor of the PBX hub."""

    pushed_by = PushedBy.POLLS

    entity_description: BemMelhorHubBinarySensorDescription

    always_available = True
    """This sensor reports the API's reachability itself."""

    @property
    @override
    def is_on(self) -> bool:
        """Return the sensor's value."""
        return self.entity_description.is_on_fn(self.coordinator)
