"""Text entity: the number to dial from an extension, typed on a dashboard."""

import re
from typing import Any, override

from homeassistant.components.text import (
    TextEntity,
    TextEntityCapabilityAttribute,
    TextEntityDescription,
)
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from .call_log.model.extension_state import ExtensionState
from .const import DOMAIN
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

DESTINATION = TextEntityDescription(key="destination", translation_key="destination")
"""No ``pattern`` nor ``native_max`` here: Home Assistant would refuse a value
with its own English error before the entity sees it. The entity checks both
itself, with a translated error, and shows them to the browser
(``capability_attributes``), whose input marks a wrong value at once."""


def _typable(value: str) -> bool:
    """Return whether the text entity accepts ``value`` (a restored one may not)."""
    return (
        len(value) <= DESTINATION_MAX
        and re.match(DESTINATION_PATTERN, value) is not None
    )


def _check_typed(value: str) -> None:
    """Refuse what is no number as typed, with a translated error."""
    if len(value) > DESTINATION_MAX:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="destination_too_long",
            translation_placeholders={"max": str(DESTINATION_MAX)},
        )
    if not _typable(value):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="destination_not_a_number",
            translation_placeholders={"value": value},
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
    def capability_attributes(self) -> dict[str, Any]:
        """Tell the browser's input the length and the pattern the entity checks."""
        return {
            **super().capability_attributes,
            TextEntityCapabilityAttribute.MAX: DESTINATION_MAX,
            TextEntityCapabilityAttribute.PATTERN: DESTINATION_PATTERN,
        }

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
        """Keep the typed number; refuse what is none."""
        _check_typed(value)
        self.coordinator.config_entry.runtime_data.destinations[self.extension] = value
        self.async_write_ha_state()
