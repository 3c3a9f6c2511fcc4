"""Device and entity identifiers, and keeping the registries in line with them.

Every identifier starts with the entry's unique id (the PBX host): the hub is
``(bemmelhor, host)``, an extension ``(bemmelhor, host_6001)``, an entity
``host_6001_call_state``.
"""

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .const import CONF_EXTENSIONS, DOMAIN


def entry_base_id(entry: ConfigEntry) -> str:
    """Return the prefix of every identifier of an entry."""
    return entry.unique_id or entry.entry_id


def hub_identifier(entry: ConfigEntry) -> tuple[str, str]:
    """Return the device identifier of the PBX hub."""
    return (DOMAIN, entry_base_id(entry))


def extension_identifier(entry: ConfigEntry, extension: str) -> tuple[str, str]:
    """Return the device identifier of an extension."""
    return (DOMAIN, f"{entry_base_id(entry)}_{extension}")


def extension_unique_id(entry: ConfigEntry, extension: str, key: str) -> str:
    """Return the unique id of an extension's entity (``host_6001_call_state``)."""
    return f"{entry_base_id(entry)}_{extension}_{key}"


@callback
def async_extension_entity_id(
    hass: HomeAssistant, entry_id: str, extension: str, platform: str, key: str
) -> str | None:
    """Return the entity id of an extension's entity, if the entry still has it."""
    if (entry := hass.config_entries.async_get_entry(entry_id)) is None:
        return None
    return er.async_get(hass).async_get_entity_id(
        platform, DOMAIN, extension_unique_id(entry, extension, key)
    )


@callback
def async_extension_device(
    hass: HomeAssistant, entry: ConfigEntry, extension: str
) -> dr.DeviceEntry | None:
    """Return an extension's device, if the entry has it."""
    return dr.async_get(hass).async_get_device_by_identifier(
        extension_identifier(entry, extension), entry.entry_id
    )


def device_extension(hass: HomeAssistant, device_id: str) -> tuple[str, str] | None:
    """Return the entry id and the extension of an extension device."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        return None
    # A device has one config entry (``config_entries`` is deprecated).
    entry = hass.config_entries.async_get_entry(device.config_entry_id)
    if entry is None or entry.domain != DOMAIN:
        return None
    for extension in entry.options.get(CONF_EXTENSIONS, ()):
        if extension_identifier(entry, extension) in device.identifiers:
            return entry.entry_id, extension
    return None


def configured_identifiers(entry: ConfigEntry) -> set[tuple[str, str]]:
    """Return the identifiers of every device the entry should have."""
    return {
        hub_identifier(entry),
        *(extension_identifier(entry, ext) for ext in entry.options[CONF_EXTENSIONS]),
    }


def refuse_configured_device(entry: ConfigEntry, device: dr.DeviceEntry) -> None:
    """Refuse, with the reason, to remove a device the entry still has.

    The hub goes with its entry; an extension's device goes when the
    extension is removed in the options. Devices of extensions no longer
    configured pass.
    """
    if hub_identifier(entry) in device.identifiers:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="remove_hub_device"
        )
    if not device.identifiers.isdisjoint(configured_identifiers(entry)):
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="remove_extension_device"
        )


@callback
def async_remove_stale_devices(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Remove devices of extensions that are no longer configured."""
    device_registry = dr.async_get(hass)
    wanted = configured_identifiers(entry)
    for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id):
        if device.identifiers.isdisjoint(wanted):
            device_registry.async_remove_device(device.id)


@callback
def async_migrate_identifiers(
    hass: HomeAssistant, entry: ConfigEntry, new_base_id: str
) -> None:
    """Re-key an entry's devices and entities when its PBX host changes.

    Devices, entities, their names, areas and history stay; only the
    identifiers that carry the old host are rewritten.
    """
    old_base_id = entry_base_id(entry)
    if new_base_id == old_base_id:
        return

    def rekey(value: str) -> str:
        if value == old_base_id or value.startswith(f"{old_base_id}_"):
            return new_base_id + value.removeprefix(old_base_id)
        return value

    entity_registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(entity_registry, entry.entry_id):
        entity_registry.async_update_entity(
            entity.entity_id, new_unique_id=rekey(entity.unique_id)
        )
    device_registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id):
        device_registry.async_update_device(
            device.id,
            new_identifiers={
                (domain, rekey(value)) if domain == DOMAIN else (domain, value)
                for domain, value in device.identifiers
            },
        )
