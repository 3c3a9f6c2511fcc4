"""Text entity: the number to dial from an extension, typed on a dashboard."""

import re
from typing import override

from homeassistant.components.text import TextEntity, TextEntityDescription
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from .call_log.model.extension_state import ExtensionState
from .coordinator import BemMelhorConfigEntry
from .entity import BemMelhorExtensionEntity
from .pushing import PushedBy

PARALLEL_UPDATES = 0

DESTINATION_PATTERN = r"^[0-9+*#\(\)\-. ]*$"
"""What a phone number may look like as typed; the dial button checks the rest.

Anchored: Home Assistant checks it with ``re.match``, which only anchors the start.
Browsers compile it too, as the input's ``pattern`` attribute, with the ``v``
flag: there ``(``, ``)`` and ``-`` inside a class must be escaped.
"""

DESTINATION_MAX = 32

DESTINATION = TextEntityDescription(
    key="destination",
    translation_key="destination",
    native_max=DESTINATION_MAX,
    pattern=DESTINATION_PATTERN,
)


def _typable(value: str) -> bool:
    """Return whether the text entity accepts ``value`` (a restored one may not)."""
    return (
        len(value) <= DESTINATION_MAX
        and re.match(DESTINATION_PATTERN, value) is not None
    )


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BemMelhorConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the destination text entity of every extension."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        DestinationText(coordinator, extension, DESTINATION)
        for extension in coordinator.extensions
    )


class DestinationText(BemMelhorExtensionEntity, TextEntity, RestoreEntity):
    """The number the extension's ``dial`` button calls; kept across restarts."""

    always_available = True
    """Typing a number needs no PBX."""
    pushed_by = PushedBy.POLLS

    @override
    def _shown(self, state: ExtensionState) -> object:
        """Show nothing of the extension's state: the number is typed here."""
        return None

    @property
    @override
    def native_value(self) -> str:
        """Return the typed number."""
        return self.coordinator.config_entry.runtime_data.destinations.get(
            self.extension, ""
        )

    @override
    async def async_added_to_hass(self) -> None:
        """Restore the number typed before a restart."""
        await super().async_added_to_hass()
        destinations = self.coordinator.config_entry.runtime_data.destinations
        if (
            self.extension not in destinations
            and (last_state := await self.async_get_last_state()) is not None
            and last_state.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE)
            and _typable(last_state.state)
        ):
            destinations[self.extension] = last_state.state
            self.async_write_ha_state()

    @override
    async def async_set_value(self, value: str) -> None:
        """Keep the typed number."""
        self.coordinator.config_entry.runtime_data.destinations[self.extension] = value
        self.async_write_ha_state()
