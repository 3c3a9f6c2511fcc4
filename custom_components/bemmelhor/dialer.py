"""Starting a call from an extension: the one path every way of dialling shares.

The action, the Dial button, the voice intent, the LLM tool and the
Companion app's call-back button all come here, with the Home Assistant
user who asked (None: an automation), so the same checks (``dial_checks.py``)
hold for each. A call a user placed is remembered until its dialing webhook
arrives, which then carries ``placed_by``.
"""

from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .api import CallResult, normalize_destination
from .const import CONF_OUTSIDE_LINE_PREFIX, DEFAULT_OUTSIDE_LINE_PREFIX, DOMAIN
from .coordinator import BemMelhorConfigEntry
from .dial_checks import async_check_caller, check_destination, check_not_busy
from .errors import handle_api_errors


@handle_api_errors
async def async_start_call(
    entry: BemMelhorConfigEntry,
    extension: str,
    destination: str,
    *,
    user_id: str | None = None,
    even_if_busy: bool = False,
) -> CallResult:
    """Make ``extension`` call ``destination`` (as a person typed it, or a contact).

    ``user_id`` is the Home Assistant user who asked, None for an
    automation; ``even_if_busy`` places the call while the extension is on
    another. A refused extension or destination raises a translated
    ``ServiceValidationError`` before any request is made; PBX failures
    raise a translated ``HomeAssistantError``.
    """
    coordinator = entry.runtime_data.coordinator
    extension = extension.strip()
    if extension not in coordinator.extensions:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_extension",
            translation_placeholders={"extension": extension, "title": entry.title},
        )
    await async_check_caller(coordinator.hass, entry, extension, user_id)
    if not even_if_busy:
        check_not_busy(entry, extension)
    prefix: str = entry.options.get(
        CONF_OUTSIDE_LINE_PREFIX, DEFAULT_OUTSIDE_LINE_PREFIX
    )
    number = coordinator.contacts.number_for(destination)
    dial_string = normalize_destination(number, prefix)
    check_destination(entry, dial_string)
    if user_id is None:
        return await entry.runtime_data.client.click_to_call(extension, dial_string)
    placed = coordinator.placed_calls
    placed.expect(extension, user_id, dt_util.utcnow())
    call_id: str | None = None
    try:
        result = await entry.runtime_data.client.click_to_call(extension, dial_string)
        call_id = result.call_id
    finally:
        placed.answered(extension, call_id, dt_util.utcnow())
    return result
