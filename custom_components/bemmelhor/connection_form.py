"""The connection fields of the user and reconfigure steps: where the PBX is.

HTTPS and certificate checking sit in a collapsed section, ``security``:
Bem Melhor's API is plain HTTP, so most people never open it. The entry keeps
``ssl`` and ``verify_ssl`` flat in its data, as before the section, and the
form still takes them flat (scripts and older clients post them so).
"""

from collections.abc import Mapping
from typing import Any, override

import probatio

from homeassistant.const import CONF_HOST, CONF_PORT, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
)

from .api import PbxAddress
from .const import DEFAULT_PORT

SECTION_SECURITY = "security"
SECURITY_FIELDS = (CONF_SSL, CONF_VERIFY_SSL)
DEFAULT_SSL = False
DEFAULT_VERIFY_SSL = True


class ConnectionFormSchema(probatio.Schema):
    """A form with the security section that also takes its fields at the top level."""

    @override
    def __call__(self, data: Any, **kwargs: Any) -> Any:
        """Move top-level ``ssl``/``verify_ssl`` into the section, then validate."""
        return super().__call__(_into_section(data), **kwargs)


def _into_section(data: Any) -> Any:
    if not isinstance(data, Mapping):
        return data
    flat = {key: data[key] for key in SECURITY_FIELDS if key in data}
    form = {key: value for key, value in data.items() if key not in SECURITY_FIELDS}
    nested = form.setdefault(SECTION_SECURITY, {})
    if flat and isinstance(nested, Mapping):
        form[SECTION_SECURITY] = {**nested, **flat}
    return form


def connection_fields(defaults: Mapping[str, Any]) -> dict[Any, Any]:
    """Return host, port and the security section, filled from flat ``defaults``."""
    ssl = bool(defaults.get(CONF_SSL, DEFAULT_SSL))
    return {
        probatio.Required(CONF_HOST, default=defaults.get(CONF_HOST, "")): TextSelector(
            TextSelectorConfig(autocomplete="off")
        ),
        probatio.Required(CONF_PORT, default=defaults.get(CONF_PORT, DEFAULT_PORT)): (
            NumberSelector(
                NumberSelectorConfig(
                    min=1, max=65535, step=1, mode=NumberSelectorMode.BOX
                )
            )
        ),
        probatio.Required(SECTION_SECURITY): section(
            probatio.Schema(
                {
                    probatio.Required(CONF_SSL, default=ssl): BooleanSelector(),
                    probatio.Required(
                        CONF_VERIFY_SSL,
                        default=defaults.get(CONF_VERIFY_SSL, DEFAULT_VERIFY_SSL),
                    ): BooleanSelector(),
                }
            ),
            # Open when HTTPS is on, so a reconfigure shows what is in use.
            {"collapsed": not ssl},
        ),
    }


def flat_values(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the form's answer with the section's fields at the top level."""
    values = {
        key: value for key, value in user_input.items() if key != SECTION_SECURITY
    }
    values.update(user_input.get(SECTION_SECURITY) or {})
    return values


def connection_data(
    user_input: Mapping[str, Any], address: PbxAddress
) -> dict[str, Any]:
    """Return entry data from a validated answer; a pasted URL's port and scheme win."""
    security: Mapping[str, Any] = user_input[SECTION_SECURITY]
    return {
        CONF_HOST: address.host,
        CONF_PORT: address.port or int(user_input[CONF_PORT]),
        CONF_SSL: address.ssl if address.ssl is not None else security[CONF_SSL],
        CONF_VERIFY_SSL: security[CONF_VERIFY_SSL],
    }
