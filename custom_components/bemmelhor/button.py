"""Button entity: call the extension's ``destination`` from the extension."""

from typing import override

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .call_log.model.extension_state import ExtensionState
from .const import DOMAIN
from .coordinator import BemMelhorConfigEntry
from .dialer import async_start_call
from .entity import BemMelhorExtensionEntity
from .pushing import PushedBy

PARALLEL_UPDATES = 1

DIAL = ButtonEntityDescription(key="dial", translation_key="dial")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BemMelhorConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the dial button of every extension."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        DialButton(coordinator, extension, DIAL) for extension in coordinator.extensions
    )


class DialButton(BemMelhorExtensionEntity, ButtonEntity):
    """Starts a call from the extension to the number in its text entity."""

    pushed_by = PushedBy.POLLS

    @override
    def _shown(self, state: ExtensionState) -> object:
        """Show nothing of the extension's state, only availability."""
        return None

    @override
    async def async_press(self) -> None:
        """Dial the typed number as the user who pressed; refuse an empty or malformed one."""
        entry = self.coordinator.config_entry
        destination = entry.runtime_data.destinations.get(self.extension, "")
        if not destination.strip():
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="destination_empty",
                translation_placeholders={"extension": self.extension},
            )
        user_id = self._context.user_id if self._context else None
        await async_start_call(entry, self.extension, destination, user_id=user_id)
