"""The options page of who may dial where: allowed destinations and prefixes.

The kinds of destinations are ticked in a list (``selector.allowed_destinations``
translates them); the always-allowed and always-refused prefixes are typed in
one box each, separated by commas (``0900, 0500``). The entry keeps them as
lists (``dial_policy.py`` reads them).
"""

from collections.abc import Mapping
from typing import Any

import probatio

from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)

from .const import (
    CONF_ALLOWED_DESTINATIONS,
    CONF_ALLOWED_PREFIXES,
    CONF_REFUSED_PREFIXES,
)
from .destination_kinds import DestinationKind
from .dial_policy import (
    DEFAULT_ALLOWED_DESTINATIONS,
    InvalidPrefixError,
    parse_prefixes,
)

PREFIX_FIELDS = (CONF_ALLOWED_PREFIXES, CONF_REFUSED_PREFIXES)

DIALING_SCHEMA = probatio.Schema(
    {
        probatio.Optional(CONF_ALLOWED_DESTINATIONS): SelectSelector(
            SelectSelectorConfig(
                options=[kind.value for kind in DestinationKind],
                multiple=True,
                mode=SelectSelectorMode.LIST,
                translation_key=CONF_ALLOWED_DESTINATIONS,
            )
        ),
        **{
            probatio.Optional(field): TextSelector(
                TextSelectorConfig(autocomplete="off")
            )
            for field in PREFIX_FIELDS
        },
    }
)


def dialing_suggestions(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return what the page shows for an entry's options (defaults where unset)."""
    return {
        CONF_ALLOWED_DESTINATIONS: list(
            options.get(CONF_ALLOWED_DESTINATIONS, DEFAULT_ALLOWED_DESTINATIONS)
        ),
        **{field: ", ".join(options.get(field, [])) for field in PREFIX_FIELDS},
    }


def parse_dialing(
    user_input: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the options the page's answer holds, and the errors of its fields."""
    options: dict[str, Any] = {
        CONF_ALLOWED_DESTINATIONS: [
            kind.value
            for kind in DestinationKind
            if kind.value in user_input.get(CONF_ALLOWED_DESTINATIONS, [])
        ]
    }
    errors: dict[str, str] = {}
    for field in PREFIX_FIELDS:
        try:
            options[field] = parse_prefixes(user_input.get(field) or "")
        except InvalidPrefixError:
            errors[field] = "invalid_prefixes"
    return options, errors
