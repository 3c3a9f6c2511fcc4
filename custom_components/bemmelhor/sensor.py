"""Sensors: each extension's call state, last call, outcome and figures of today; the hub's."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity
from homeassistant.util import dt as dt_util

from .api import Disposition
from .call_log.model.extension_state import CallState, ExtensionState
from .call_log.model.figures import PBX, Figures
from .call_log.takeover import async_take_over
from .const import BUSY_WRITE_INTERVAL
from .coordinator import BemMelhorConfigEntry, BemMelhorCoordinator
from .entity import BemMelhorExtensionEntity, BemMelhorHubEntity
from .pushing import PushedBy

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class BemMelhorExtensionSensorDescription(SensorEntityDescription):
    """Describe a sensor of an extension."""

    value_fn: Callable[[ExtensionState], datetime | str | None]
    attributes_fn: Callable[[ExtensionState], Mapping[str, Any] | None] = lambda _: None
    always_available: bool = False
    """History sensors stay available while the PBX's API is unreachable."""
    pushed_by: PushedBy = PushedBy.CALLS
    """Last-call sensors change only when a call ends."""
    takes_over: bool = False
    """0.1.0 kept this sensor's call in restore data (``call_log/takeover.py``)."""


@dataclass(frozen=True, kw_only=True)
class BemMelhorHubSensorDescription(SensorEntityDescription):
    """Describe a sensor of the PBX hub."""

    value_fn: Callable[[BemMelhorCoordinator], datetime | None]


@dataclass(frozen=True, kw_only=True)
class BemMelhorTodaySensorDescription(SensorEntityDescription):
    """Describe one of today's figures (of an extension, or of the whole PBX)."""

    value_fn: Callable[[Figures], float]


TODAY_SENSORS: tuple[BemMelhorTodaySensorDescription, ...] = (
    BemMelhorTodaySensorDescription(
        key="calls_today",
        translation_key="calls_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda figures: figures.calls,
    ),
    BemMelhorTodaySensorDescription(
        key="missed_calls_today",
        translation_key="missed_calls_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda figures: figures.missed,
    ),
    BemMelhorTodaySensorDescription(
        key="talk_time_today",
        translation_key="talk_time_today",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=1,
        value_fn=lambda figures: figures.talk_minutes,
    ),
)
"""Calls, missed calls and talk time since local midnight, from the call log."""


def _last_call_attributes(state: ExtensionState) -> Mapping[str, Any] | None:
    return state.last_call.as_attributes() if state.last_call else None


EXTENSION_SENSORS: tuple[BemMelhorExtensionSensorDescription, ...] = (
    BemMelhorExtensionSensorDescription(
        key="call_state",
        translation_key="call_state",
        takes_over=True,
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in CallState],
        value_fn=lambda state: state.call_state.value,
        attributes_fn=lambda state: state.call_attributes() or None,
    ),
    BemMelhorExtensionSensorDescription(
        key="last_call",
        translation_key="last_call",
        takes_over=True,
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda state: state.last_call.ended if state.last_call else None,
        attributes_fn=_last_call_attributes,
        always_available=True,
        pushed_by=PushedBy.FINISHED_CALLS,
    ),
    BemMelhorExtensionSensorDescription(
        key="last_disposition",
        translation_key="last_disposition",
        device_class=SensorDeviceClass.ENUM,
        options=[disposition.value for disposition in Disposition],
        value_fn=lambda state: (
            state.last_call.disposition.value if state.last_call else None
        ),
        always_available=True,
        pushed_by=PushedBy.FINISHED_CALLS,
    ),
)

HUB_SENSORS: tuple[BemMelhorHubSensorDescription, ...] = (
    BemMelhorHubSensorDescription(
        key="last_webhook",
        translation_key="last_webhook",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        # Changes with every call: off by default, so the logbook and the
        # recorder are not filled with a row per webhook.
        entity_registry_enabled_default=False,
        value_fn=lambda coordinator: coordinator.last_webhook,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BemMelhorConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of the hub and of every extension."""
    coordinator = entry.runtime_data.coordinator
    entities: list[SensorEntity] = [
        *(BemMelhorHubSensor(coordinator, description) for description in HUB_SENSORS),
        *(HubTodaySensor(coordinator, description) for description in TODAY_SENSORS),
    ]
    for extension in coordinator.extensions:
        entities.extend(
            (TakeOverSensor if description.takes_over else ExtensionSensor)(
                coordinator, extension, description
            )
            for description in EXTENSION_SENSORS
        )
        entities.extend(
            ExtensionTodaySensor(coordinator, extension, description)
            for description in TODAY_SENSORS
        )
    async_add_entities(entities)


class ExtensionSensor(BemMelhorExtensionEntity, SensorEntity):
    """A sensor of an extension."""

    entity_description: BemMelhorExtensionSensorDescription

    def __init__(
        self,
        coordinator: BemMelhorCoordinator,
        extension: str,
        description: BemMelhorExtensionSensorDescription,
    ) -> None:
        """Attach the sensor to its extension; it is pushed as its description says."""
        self.pushed_by = description.pushed_by
        super().__init__(coordinator, extension, description)

    @property
    @override
    def available(self) -> bool:
        """Return whether the value can be trusted right now."""
        return self.entity_description.always_available or super().available

    _shown_of: tuple[ExtensionState, tuple[Any, Mapping[str, Any] | None]] | None = None
    """The value and attributes last worked out, with the state they show."""

    @property
    @override
    def native_value(self) -> datetime | str | None:
        """Return the sensor's value."""
        value: datetime | str | None = self._shown(self.extension_state)[0]
        return value

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the attributes of the call the sensor describes."""
        return self._shown(self.extension_state)[1]

    @override
    def _shown(self, state: ExtensionState) -> tuple[Any, Mapping[str, Any] | None]:
        """Return the value and attributes: all a sensor shows.

        Worked out once per state: the write that follows a change reads them
        again.
        """
        known = self._shown_of
        if known is not None and known[0] is state:
            return known[1]
        description = self.entity_description
        shown = description.value_fn(state), description.attributes_fn(state)
        self._shown_of = (state, shown)
        return shown


class TakeOverSensor(ExtensionSensor, RestoreEntity):
    """An extension sensor that 0.1.0 kept a call in: taken over when no log is stored."""

    @override
    async def async_added_to_hass(self) -> None:
        """Hand the log what 0.1.0 left, the first time the entry starts."""
        await super().async_added_to_hass()
        coordinator = self.coordinator
        if coordinator.takes_over_restore_data and await async_take_over(
            self,
            self.entity_description.key,
            self.extension,
            coordinator.log,
            dt_util.utcnow(),
        ):
            coordinator.async_taken_over(self.extension)


class BemMelhorHubSensor(BemMelhorHubEntity, SensorEntity):
    """A diagnostic sensor of the PBX hub."""

    entity_description: BemMelhorHubSensorDescription

    always_available = True
    """The value does not come from the polled API."""

    @property
    @override
    def native_value(self) -> datetime | None:
        """Return the sensor's value."""
        return self.entity_description.value_fn(self.coordinator)

    @override
    def _shown(self) -> object:
        """Return the value (to the second, as the state shows a timestamp)."""
        value = self.native_value
        return value.replace(microsecond=0) if value else value


class ExtensionTodaySensor(BemMelhorExtensionEntity, SensorEntity):
    """One of an extension's figures of today."""

    pushed_by = PushedBy.FINISHED_CALLS

    entity_description: BemMelhorTodaySensorDescription

    always_available = True
    """Counted from the call log, not from the polled API."""
    write_interval = BUSY_WRITE_INTERVAL

    @property
    @override
    def native_value(self) -> float:
        """Return the figure."""
        return self.entity_description.value_fn(self.extension_state.today)

    @override
    def _shown(self, state: ExtensionState) -> object:
        """Return the figure: all the sensor shows."""
        return self.entity_description.value_fn(state.today)


class HubTodaySensor(BemMelhorHubEntity, SensorEntity):
    """One of the whole PBX's figures of today."""

    pushed_by = PushedBy.FINISHED_CALLS

    entity_description: BemMelhorTodaySensorDescription

    always_available = True
    """Counted from the call log, not from the polled API."""
    write_interval = BUSY_WRITE_INTERVAL

    @property
    @override
    def native_value(self) -> float:
        """Return the figure."""
        return self.entity_description.value_fn(self.coordinator.today.figures.of(PBX))

    @override
    def _shown(self) -> object:
        """Return the figure: all the sensor shows (cheaper than its state)."""
        return self.native_value
