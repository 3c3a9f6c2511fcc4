"""What the user exposed to an assistant, as the LLM tools read it.

An assistant may place calls from an extension whose Dial button is
exposed to it, and read the calls of a PBX whose Call history calendar is
exposed to it (*Settings → Voice assistants → Expose*). ``llm.py`` offers
the tools by these checks, and the tools (``llm_tools.py``) keep to them;
the voice questions about calls (``call_questions.py``) keep to the second.
"""

from homeassistant.components.homeassistant import async_should_expose
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.llm import LLMContext

from .button import DIAL
from .calendar import CALL_HISTORY
from .const import DOMAIN
from .coordinator import BemMelhorConfigEntry
from .identifiers import entry_base_id
from .voice_calls import Line


def entity_exposed(
    hass: HomeAssistant, llm_context: LLMContext, platform: str, unique_id: str
) -> bool:
    """Return whether the integration's entity is exposed to the assistant."""
    return exposed_to(hass, llm_context.assistant, platform, unique_id)


def exposed_to(
    hass: HomeAssistant, assistant: str, platform: str, unique_id: str
) -> bool:
    """Return whether the integration's entity is exposed to ``assistant``."""
    entity_id = er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)
    return entity_id is not None and async_should_expose(hass, assistant, entity_id)


def dial_exposed(hass: HomeAssistant, llm_context: LLMContext, line: Line) -> bool:
    """Return whether the line's Dial button is exposed to the assistant."""
    unique_id = f"{entry_base_id(line.entry)}_{line.extension}_{DIAL.key}"
    return entity_exposed(hass, llm_context, Platform.BUTTON, unique_id)


def readable_entries(
    hass: HomeAssistant, llm_context: LLMContext
) -> list[BemMelhorConfigEntry]:
    """Return the loaded entries whose Call history is exposed to the assistant."""
    return history_readers(hass, llm_context.assistant)


def history_readers(hass: HomeAssistant, assistant: str) -> list[BemMelhorConfigEntry]:
    """Return the loaded entries whose Call history is exposed to ``assistant``.

    Home Assistant's own voice assistant (the answers of ``call_questions.py``)
    is the assistant ``conversation``, as for LLM agents.
    """
    entries: list[BemMelhorConfigEntry] = hass.config_entries.async_loaded_entries(
        DOMAIN
    )
    return [
        entry
        for entry in entries
        if exposed_to(
            hass,
            assistant,
            Platform.CALENDAR,
            f"{entry_base_id(entry)}_{CALL_HISTORY.key}",
        )
    ]
