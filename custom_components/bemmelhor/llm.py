"""LLM tools for the Assist API: ``bemmelhor__call`` and ``bemmelhor__list_calls``.

What a conversation agent may do follows what the user exposed to it
(*Settings → Voice assistants → Expose*), as core's calendar and to-do
tools do:

- ``bemmelhor__call`` is offered when the Dial button of at least one
  extension is exposed, and calls only from those extensions: a call costs
  money and rings someone, so the button that does it by hand is the switch;
- ``bemmelhor__list_calls`` is offered when a PBX's Call history calendar is
  exposed, and reads only those PBXs' calls: it is the same history.

Neither is offered for other LLM APIs, nor when no PBX entry is loaded.
This platform picks the tools (the checks are in ``llm_exposure.py``, the
tools in ``llm_tools.py``) and tells the agent the user's own extensions.
"""

from homeassistant.components.llm import LLMTools
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.llm import LLM_API_ASSIST, LLMContext, Tool

from .llm_exposure import dial_exposed, readable_entries
from .llm_tools import CallTool, ListCallsTool
from .voice_calls import async_loaded_lines, async_user_lines


@callback
def async_get_tools(
    hass: HomeAssistant, llm_context: LLMContext, api_id: str
) -> LLMTools | None:
    """Return the tools the exposed entities allow (see the module)."""
    if api_id != LLM_API_ASSIST:
        return None
    lines = async_loaded_lines(hass)
    dialable = [line for line in lines if dial_exposed(hass, llm_context, line)]
    readable = readable_entries(hass, llm_context)
    tools: list[Tool] = []
    if dialable:
        tools.append(CallTool(sorted({line.extension for line in dialable})))
    if readable:
        extensions = {
            extension
            for entry in readable
            for extension in entry.runtime_data.coordinator.extensions
        }
        tools.append(ListCallsTool(sorted(extensions)))
    if not tools:
        return None
    user_id = llm_context.context.user_id if llm_context.context else None
    own = sorted({line.extension for line in async_user_lines(hass, lines, user_id)})
    return LLMTools(tools=tools, prompt=_own_extensions_prompt(own))


def _own_extensions_prompt(own: list[str]) -> str | None:
    """Tell the agent which extensions "my calls" means, if the user has any."""
    if not own:
        return None
    if len(own) == 1:
        return (
            f"On the Bem Melhor PBX, the user's own extension is {own[0]}: "
            "'my calls' and 'who called me' mean calls of it."
        )
    return (
        f"On the Bem Melhor PBX, the user's own extensions are {', '.join(own)}: "
        "'my calls' and 'who called me' mean calls of these."
    )
