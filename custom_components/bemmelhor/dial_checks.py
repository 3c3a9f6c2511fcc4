"""What is checked before Home Assistant makes an extension call.

Each check raises a translated ``ServiceValidationError`` before any request
reaches the PBX:

- **who**: with the ``persons`` option set, a user who is not an
  administrator dials only from the extensions of their own person;
  administrators and automations (no user) from any;
- **busy**: an extension on a call is refused unless the caller says to go
  ahead (the PBX would drop the new call);
- **where to**: the entry's dialling policy (``dial_policy.py``).

The refusals of the first and the last are logged once at info (a number
masked), so an administrator can see who tried what.
"""

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .const import (
    CONF_AREA_CODE,
    CONF_OUTSIDE_LINE_PREFIX,
    CONF_PERSONS,
    DEFAULT_AREA_CODE,
    DEFAULT_OUTSIDE_LINE_PREFIX,
    DOMAIN,
    LOGGER,
)
from .coordinator import BemMelhorConfigEntry
from .destination_kinds import read_destination
from .dial_policy import DialPolicy, mask_number
from .persons import async_own_extensions


async def async_check_caller(
    hass: HomeAssistant,
    entry: BemMelhorConfigEntry,
    extension: str,
    user_id: str | None,
) -> None:
    """Refuse a user who may not make ``extension`` call."""
    if user_id is None or not entry.options.get(CONF_PERSONS):
        return
    user = await hass.auth.async_get_user(user_id)
    if user is not None and user.is_admin:
        return
    own = async_own_extensions(hass, entry, user_id)
    if extension in own:
        return
    LOGGER.info(
        "Refused a call from extension %s of %s: it is not the extension of the"
        " user who asked",
        extension,
        entry.title,
    )
    if own:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="extension_not_yours",
            translation_placeholders={"extension": extension, "own": ", ".join(own)},
        )
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="no_own_extension",
        translation_placeholders={"extension": extension, "title": entry.title},
    )


def check_not_busy(entry: BemMelhorConfigEntry, extension: str) -> None:
    """Refuse an extension that is on a call."""
    if entry.runtime_data.coordinator.log.state(extension).on_call:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="extension_busy",
            translation_placeholders={"extension": extension},
        )


def check_destination(entry: BemMelhorConfigEntry, dial_string: str) -> None:
    """Refuse a dial string the entry's options do not allow."""
    destination = read_destination(
        dial_string,
        outside_line_prefix=entry.options.get(
            CONF_OUTSIDE_LINE_PREFIX, DEFAULT_OUTSIDE_LINE_PREFIX
        ),
        area_code=entry.options.get(CONF_AREA_CODE, DEFAULT_AREA_CODE),
        extensions=entry.runtime_data.coordinator.extensions,
    )
    refusal = DialPolicy.from_options(entry.options).refusal(destination)
    if refusal is None:
        return
    rule = f"prefix {refusal.prefix}" if refusal.prefix else f"kind {refusal.kind}"
    LOGGER.info(
        "Refused a call to %s through %s: %s is not allowed by the options",
        mask_number(dial_string),
        entry.title,
        rule,
    )
    if refusal.prefix is not None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="destination_refused_prefix",
            translation_placeholders={"number": dial_string, "prefix": refusal.prefix},
        )
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=f"destination_refused_{refusal.kind}",
        translation_placeholders={"number": dial_string},
    )
