"""Setting up and unloading an entry."""

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bemmelhor.const import DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr


async def test_setup_creates_hub_and_extension_devices(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A hub device and one device per extension, the extensions via the hub."""
    hub = device_registry.async_get_device_by_identifier(
        (DOMAIN, "127.0.0.1"), init_integration.entry_id
    )
    assert hub is not None
    assert hub.manufacturer == "Bem Melhor Telecom"
    assert hub.model == "Cloud PBX"
    extension = device_registry.async_get_device_by_identifier(
        (DOMAIN, "127.0.0.1_6001"), init_integration.entry_id
    )
    assert extension is not None
    assert extension.name == "Extension 6001"
    assert extension.via_device_id == hub.id


async def test_unload_leaves_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Unloading unregisters the webhook."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED
