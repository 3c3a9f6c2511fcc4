"""What a PBX is called: its entry's title and its hub device's name.

Two PBXs must be told apart on the integration page, in pickers and in
repair texts, yet Home Assistant writes entry titles into its own log lines,
so neither the host nor the port goes into a name: only the customer part of
the host, ``empresa`` of ``empresa.bemmelhor.com.br``.

An entry is titled as its hub device is named, in the system language:
*PABX Bem Melhor (empresa)* on a Portuguese system. Titles cannot be
translated afterwards, so an entry whose title is still one language's
default takes the system language's at its next start (as device and entity
names do); a title the user wrote stays.
"""

import ipaddress

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations

from .const import DEFAULT_TITLE, DOMAIN

HUB_TRANSLATION_KEY = "pbx"
"""The hub device's name when the host gives no name (an IP address)."""
NAMED_HUB_TRANSLATION_KEY = "named_pbx"
"""The hub device's name with the customer part: ``Bem Melhor PBX (empresa)``."""
LANGUAGES = ("en", "pt-BR")
"""The languages of ``translations/``, whose default titles an entry may have."""


def pbx_name(host: str) -> str | None:
    """Return the customer part of a PBX's host: its first label.

    None for an IP address or a name of one label, where that part would be
    the whole host.
    """
    try:
        ipaddress.ip_address(host)
    except ValueError:
        label, dot, _ = host.partition(".")
        return label if dot and label else None
    return None


def hub_name_translation(host: str) -> tuple[str, dict[str, str]]:
    """Return the translation key and placeholders of the hub device's name."""
    name = pbx_name(host)
    if name is None:
        return HUB_TRANSLATION_KEY, {}
    return NAMED_HUB_TRANSLATION_KEY, {"name": name}


async def async_entry_title(
    hass: HomeAssistant, host: str, language: str | None = None
) -> str:
    """Return the title of a new entry: the hub's name, in the system language."""
    key, placeholders = hub_name_translation(host)
    names = await async_get_translations(
        hass, language or hass.config.language, "device", {DOMAIN}
    )
    if template := names.get(f"component.{DOMAIN}.device.{key}.name"):
        return template.format(**placeholders)
    name = placeholders.get("name")
    return f"{DEFAULT_TITLE} ({name})" if name else DEFAULT_TITLE


async def async_follow_language(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Give an entry titled in another language's default the system language's."""
    host = entry.data[CONF_HOST]
    title = await async_entry_title(hass, host)
    if entry.title == title:
        return
    for language in LANGUAGES:
        if entry.title == await async_entry_title(hass, host, language):
            hass.config_entries.async_update_entry(entry, title=title)
            return
