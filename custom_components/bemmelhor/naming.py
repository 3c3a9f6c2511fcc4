"""What a PBX is called: its entry's title and its hub device's name.

Two PBXs must be told apart on the integration page, in pickers and in
repair texts, yet Home Assistant writes entry titles into its own log lines,
so neither the host nor the port goes into a name: only the customer part of
the host, ``empresa`` of ``empresa.bemmelhor.com.br``.
"""

import ipaddress

from .const import DEFAULT_TITLE

HUB_TRANSLATION_KEY = "pbx"
"""The hub device's name when the host gives no name (an IP address)."""
NAMED_HUB_TRANSLATION_KEY = "named_pbx"
"""The hub device's name with the customer part: ``Bem Melhor PBX (empresa)``."""


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


def entry_title(host: str) -> str:
    """Return the title a new entry gets: ``Bem Melhor PBX (empresa)``."""
    name = pbx_name(host)
    return f"{DEFAULT_TITLE} ({name})" if name else DEFAULT_TITLE


def hub_name_translation(host: str) -> tuple[str, dict[str, str]]:
    """Return the translation key and placeholders of the hub device's name."""
    name = pbx_name(host)
    if name is None:
        return HUB_TRANSLATION_KEY, {}
    return NAMED_HUB_TRANSLATION_KEY, {"name": name}
