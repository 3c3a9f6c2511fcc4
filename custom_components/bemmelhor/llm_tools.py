"""The LLM tools themselves: ``bemmelhor__call`` and ``bemmelhor__list_calls``.

Each tool has its parameters (the extensions it may use are given when
``llm.py`` offers it), checks its arguments, and answers with JSON data an
assistant reads out. What it may reach is checked again at each call
(``llm_exposure.py``): placing a call goes through ``voice_calls.py`` as the
voice intent does, listing calls through ``call_listing.py``.
"""

from typing import Any, override

import probatio

from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.llm import (
    LLMContext,
    Tool,
    ToolAnnotations,
    ToolInput,
    ToolResult,
)

from .call_listing import Period, Span, async_list_calls, parse_moment, period_span
from .call_log.model.calls import Direction
from .call_log.model.queries import CallQuery
from .const import DOMAIN
from .llm_exposure import dial_exposed, readable_entries
from .voice_calls import CallRequest, async_place_call
from .voice_texts import VoiceError, WhichExtension, async_voice_texts

DEFAULT_LISTED = 20
MAX_LISTED = 100


def _invalid(err: probatio.Invalid) -> ToolResult:
    """Return the answer to arguments that do not fit the tool's parameters."""
    return ToolResult(data={"success": False, "error": str(err)}, error=True)


class CallTool(Tool):
    """Place a phone call from an extension to a contact or a number."""

    name = "bemmelhor__call"
    title = "Place a phone call"
    description = (
        "Places a phone call through the Bem Melhor PBX, from one of its "
        "extensions (a desk phone) to a contact or a phone number. Pass the "
        "destination as the user said it: a contact's name or the digits of "
        "a number. Leave out the extension unless the user names one: the "
        "user's own extension, else the default one, is used. When the "
        "answer asks which extension, ask the user and call again with it."
    )
    annotations = ToolAnnotations(
        read_only=False, destructive=False, idempotent=False, open_world=True
    )
    integration = DOMAIN

    def __init__(self, extensions: list[str]) -> None:
        """Offer the extensions whose Dial button is exposed."""
        self.parameters = probatio.Schema(
            {
                probatio.Required(
                    "destination",
                    description="The contact's name, or the phone number to call",
                ): cv.string,
                probatio.Optional(
                    "extension",
                    description="The extension that places the call; "
                    "only when the user names one",
                ): probatio.In(extensions),
                probatio.Optional(
                    "even_if_busy",
                    default=False,
                    description="Call even though the extension is on a call; "
                    "only when the user said to go ahead after being told so",
                ): cv.boolean,
            }
        )

    @override
    async def async_call(
        self, hass: HomeAssistant, tool_input: ToolInput, llm_context: LLMContext
    ) -> ToolResult:
        """Place the call; say so, or why not, in the user's language."""
        try:
            args: dict[str, Any] = self.parameters(tool_input.tool_args)
        except probatio.Invalid as err:
            return _invalid(err)
        texts = await async_voice_texts(hass, llm_context.language)
        request = CallRequest(
            name=args["destination"],
            extension=args.get("extension"),
            user_id=llm_context.context.user_id if llm_context.context else None,
            language=llm_context.language or texts.language,
            even_if_busy=args["even_if_busy"],
        )
        try:
            placed = await async_place_call(
                hass, request, lambda line: dial_exposed(hass, llm_context, line)
            )
        except VoiceError as err:
            data: dict[str, Any] = {
                "success": False,
                "reason": err.key,
                "error": texts.error(err),
            }
            if isinstance(err, WhichExtension):
                data["extensions"] = list(err.extensions)
            return ToolResult(data=data, error=True)
        return ToolResult(
            data={
                "success": True,
                "message": texts.text(
                    "calling", callee=placed.callee, extension=placed.line.extension
                ),
                "call_id": placed.result.call_id,
                "extension": placed.line.extension,
                "callee": placed.callee,
            }
        )


class ListCallsTool(Tool):
    """List the finished calls of the PBX: recent, missed, by period and extension."""

    name = "bemmelhor__list_calls"
    title = "List phone calls"
    description = (
        "Lists finished phone calls of the Bem Melhor PBX, newest first: when, "
        "from whom to whom (names where known, else numbers), direction, "
        "outcome and whether it was missed (an incoming call nobody "
        "answered). Use it for questions like 'who called me today?', "
        "'which calls did I miss yesterday?' or 'did Maria call this week?'. "
        "Give either a period or start/end."
    )
    annotations = ToolAnnotations(
        read_only=True, destructive=False, idempotent=True, open_world=False
    )
    integration = DOMAIN

    def __init__(self, extensions: list[str]) -> None:
        """Offer the extensions of the PBXs whose call history is exposed."""
        self.parameters = probatio.Schema(
            {
                probatio.Optional(
                    "period",
                    default=Period.RECENT.value,
                    description="Which calls: 'recent' (the newest, any day), "
                    "'today', 'this_morning' (until noon), 'this_afternoon' "
                    "(noon to 6 pm), 'yesterday', 'last_7_days' or 'last_30_days'",
                ): probatio.In([period.value for period in Period]),
                probatio.Optional(
                    "start",
                    description="Instead of a period: calls that ended at or "
                    "after this ISO 8601 date or date-time (local time)",
                ): cv.string,
                probatio.Optional(
                    "end",
                    description="Instead of a period: calls that ended before "
                    "this ISO 8601 date-time, or on or before this date",
                ): cv.string,
                probatio.Optional(
                    "extension",
                    description="Only the calls of this extension (either end)",
                ): probatio.In(extensions),
                probatio.Optional(
                    "direction",
                    description="Only calls in this direction, seen from the "
                    "extension: 'inbound', 'outbound' or 'internal'",
                ): probatio.In([direction.value for direction in Direction]),
                probatio.Optional(
                    "missed_only",
                    default=False,
                    description="Only missed calls (incoming, not answered)",
                ): cv.boolean,
                probatio.Optional(
                    "limit",
                    default=DEFAULT_LISTED,
                    description="How many calls at most",
                ): probatio.All(
                    probatio.Coerce(int), probatio.Range(min=1, max=MAX_LISTED)
                ),
            }
        )

    @override
    async def async_call(
        self, hass: HomeAssistant, tool_input: ToolInput, llm_context: LLMContext
    ) -> ToolResult:
        """Answer with the calls asked for."""
        try:
            args: dict[str, Any] = self.parameters(tool_input.tool_args)
        except probatio.Invalid as err:
            return _invalid(err)
        span = period_span(Period(args["period"]))
        start, end = span.start, span.end
        for key, given in (("start", args.get("start")), ("end", args.get("end"))):
            if given is None:
                continue
            if (moment := parse_moment(given, end=key == "end")) is None:
                return ToolResult(
                    data={"success": False, "error": f"{key}: not a date: {given}"},
                    error=True,
                )
            if key == "start":
                start = moment
            else:
                end = moment
        query = CallQuery(
            extension=args.get("extension"),
            start=start,
            end=end,
            direction=Direction(args["direction"]) if "direction" in args else None,
            missed_only=args["missed_only"],
            limit=args["limit"],
        )
        calls, more = await async_list_calls(readable_entries(hass, llm_context), query)
        return ToolResult(
            data={
                "success": True,
                "period": Span(start, end).as_dict(),
                "count": len(calls),
                "more_calls": more,
                "calls": calls,
            }
        )
