"""The devices of an entry: the PBX hub and one device per extension.

Both are registered when the entry is set up, named and modelled in the
system language (``Ramal 6001``, model ``Ramal``, on a Portuguese system);
entities only point at them. Home Assistant translates a device's name
through its ``translation_key`` but has no key for its model, so the model
is the word of the system language at set-up (an entry is set up again when
the language changes). Nothing recognises a device by its model: identifiers
do (``identifiers.py``).
"""

from collections.abc import Iterable

from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.translation import async_get_translations

from .const import DOMAIN, EXTENSION_MODEL, HUB_MODEL, MANUFACTURER
from .coordinator import BemMelhorConfigEntry
from .identifiers import extension_identifier, hub_identifier
from .naming import hub_name_translation

_MODELS = f"component.{DOMAIN}.selector.device_model.options."
EXTENSION_TRANSLATION_KEY = "extension"


async def async_register_devices(
    hass: HomeAssistant, entry: BemMelhorConfigEntry, extensions: Iterable[str]
) -> str:
    """Register (or update) the hub and the extensions' devices; return the hub's id."""
    models = await async_get_translations(
        hass, hass.config.language, "selector", {DOMAIN}
    )
    device_registry = dr.async_get(hass)
    translation_key, placeholders = hub_name_translation(entry.data[CONF_HOST])
    hub = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={hub_identifier(entry)},
        manufacturer=MANUFACTURER,
        model=models.get(f"{_MODELS}pbx", HUB_MODEL),
        translation_key=translation_key,
        translation_placeholders=placeholders,
        # The API's base URL is no page (it answers 404) and the PBX's web
        # panel is not documented: no "Visit" link (None clears an old one).
        configuration_url=None,
    )
    extension_model = models.get(f"{_MODELS}extension", EXTENSION_MODEL)
    for extension in extensions:
        device_registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={extension_identifier(entry, extension)},
            via_device_id=hub.id,
            manufacturer=MANUFACTURER,
            model=extension_model,
            translation_key=EXTENSION_TRANSLATION_KEY,
            translation_placeholders={"extension": extension},
        )
    return hub.id
