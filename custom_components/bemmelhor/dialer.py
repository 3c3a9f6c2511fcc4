"""Starting a call from an extension: the one path the action and the button share."""

from homeassistant.exceptions import ServiceValidationError

from .api import CallResult, normalize_destination
from .const import CONF_OUTSIDE_LINE_PREFIX, DEFAULT_OUTSIDE_LINE_PREFIX, DOMAIN
from .coordinator import BemMelhorConfigEntry
from .errors import handle_api_errors


@handle_api_errors
async def async_start_call(
    entry: BemMelhorConfigEntry, extension: str, destination: str
) -> CallResult:
    """Make ``extension`` call ``destination`` (as a person typed it, or a contact).

    A refused extension or destination raises a translated
    ``ServiceValidationError`` before any request is made; PBX failures
    raise a translated ``HomeAssistantError``.
    """
    extension = extension.strip()
    if extension not in entry.runtime_data.coordinator.extensions:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_extension",
            translation_placeholders={"extension": extension, "title": entry.title},
        )
    prefix: str = entry.options.get(
        CONF_OUTSIDE_LINE_PREFIX, DEFAULT_OUTSIDE_LINE_PREFIX
    )
    number = entry.runtime_data.coordinator.contacts.number_for(destination)
    dial_string = normalize_destination(number, prefix)
    return await entry.runtime_data.client.click_to_call(extension, dial_string)
