"""The Bem Melhor Telecom integration: a cloud PBX's extensions in Home Assistant."""

from homeassistant.const import CONF_HOST, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .call_back_actions import async_listen_call_back_actions
from .call_log.store import async_remove_call_log
from .const import DOMAIN, HUB_MODEL, MANUFACTURER
from .contact_services import async_setup_contact_services
from .contact_store import async_remove_phonebooks
from .coordinator import (
    BemMelhorConfigEntry,
    BemMelhorCoordinator,
    BemMelhorRuntimeData,
)
from .identifiers import (
    async_remove_stale_devices,
    hub_identifier,
    refuse_configured_device,
)
from .naming import hub_name_translation
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
    """Set up one PBX: poll it once, register its webhook, add its devices."""
    samples = await async_create_pbx_samples(hass, entry)
    client = create_client(hass, entry.data, samples.received)
    coordinator = BemMelhorCoordinator(
        hass, entry, client, await async_webhook_url(hass, entry)
    )
    samples.follow_contacts(coordinator.contacts)
    await coordinator.async_config_entry_first_refresh()

    translation_key, placeholders = hub_name_translation(entry.data[CONF_HOST])
    hub = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={hub_identifier(entry)},
        manufacturer=MANUFACTURER,
        model=HUB_MODEL,
        translation_key=translation_key,
        translation_placeholders=placeholders,
        # The API's base URL is no page (it answers 404) and the PBX's web
        # panel is not documented: no "Visit" link (None clears an old one).
        configuration_url=None,
    )
    entry.runtime_data = BemMelhorRuntimeData(
        client=client,
        coordinator=coordinator,
        hub_device_id=hub.id,
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
