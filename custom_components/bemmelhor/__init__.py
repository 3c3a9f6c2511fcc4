"""The Bem Melhor Telecom integration: a cloud PBX's extensions in Home Assistant."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .call_back_actions import async_listen_call_back_actions
from .call_log.store import async_remove_call_log
from .const import DOMAIN
from .contact_services import async_setup_contact_services
from .contact_store import async_remove_phonebooks
from .coordinator import (
    BemMelhorConfigEntry,
    BemMelhorCoordinator,
    BemMelhorRuntimeData,
)
from .devices import async_register_devices
from .identifiers import async_remove_stale_devices, refuse_configured_device
from .naming import async_follow_language
from .pbx_requests import create_client
from .pbx_samples import async_create_pbx_samples
from .repairs import async_remove_pbx_issues
from .services import async_setup_services
from .webhook import async_register_webhook, async_remove_cloudhook, async_webhook_url

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
    Platform.EVENT,
    Platform.SENSOR,
    Platform.TEXT,
    Platform.TODO,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions and call-back buttons (once, not per entry)."""
    async_setup_services(hass)
    async_setup_contact_services(hass)
    async_listen_call_back_actions(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: BemMelhorConfigEntry) -> bool:
    """Set up one PBX: its devices, a first poll, its webhook, its entities."""
    samples = await async_create_pbx_samples(hass, entry)
    client = create_client(hass, entry.data, samples.received)
    coordinator = BemMelhorCoordinator(
        hass, entry, client, await async_webhook_url(hass, entry)
    )
    samples.follow_contacts(coordinator.contacts)
    await async_follow_language(hass, entry)
    # Before the first poll: a call it finds is named after its extension's device.
    hub_device_id = await async_register_devices(hass, entry, coordinator.extensions)
    await coordinator.async_config_entry_first_refresh()

    entry.runtime_data = BemMelhorRuntimeData(
        client=client,
        coordinator=coordinator,
        hub_device_id=hub_device_id,
        samples=samples,
    )
    async_remove_stale_devices(hass, entry)

    entry.async_on_unload(async_register_webhook(hass, entry))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: BemMelhorConfigEntry) -> bool:
    """Unload an entry; the webhook goes with it."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: BemMelhorConfigEntry) -> None:
    """Give back the entry's cloudhook, if it had one; delete its issues, call log and phone books."""
    await async_remove_cloudhook(hass, entry)
    async_remove_pbx_issues(hass, entry)
    await async_remove_call_log(hass, entry.entry_id)
    await async_remove_phonebooks(hass, entry.entry_id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: BemMelhorConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Allow removing a device only when it is no longer configured; else say why."""
    refuse_configured_device(entry, device)
    return True
