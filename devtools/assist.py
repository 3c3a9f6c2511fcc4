"""Assist in the demo's language: its pipeline, asking it, and reading its answers.

Home Assistant creates its Assist pipeline ("Home Assistant") once, in the
language the instance has then. The demo's instance starts in English (the
entity ids of its dashboard are the English ones, see ``demo_office.py``)
and is switched to Brazilian Portuguese afterwards, so the pipeline stayed
English: Assist answered in English and understood no Portuguese.
``scripts/develop`` therefore sets the preferred pipeline's language to the
demo's, through the ``assist_pipeline/pipeline/update`` websocket command
(what *Settings → Voice assistants* does).

Assist is asked as the frontend's Assist dialog asks it: text through the
preferred pipeline (``assist_pipeline/run``). Its answers are recognised by
the integration's own templates (``selector.voice_text`` of the translation
files), so a check knows the answer is the one expected, in the language
expected.
"""

import asyncio
from dataclasses import dataclass
import json
from pathlib import Path
import re
from typing import Any

from .hass_api import HassApiError, HassWebSocket

TRANSLATIONS = (
    Path(__file__).resolve().parent.parent
    / "custom_components"
    / "bemmelhor"
    / "translations"
)
ASK_TIMEOUT = 30.0
"""Seconds Assist has to answer."""
_PLACEHOLDER = re.compile(r"\\\{[a-z_]+\\\}")


def voice_templates(language: str) -> dict[str, str]:
    """Return the integration's spoken answers in ``language``, by key."""
    translations = json.loads(
        (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    )
    templates: dict[str, str] = translations["selector"]["voice_text"]["options"]
    return templates


def template_pattern(template: str, **known: str) -> re.Pattern[str]:
    """Return a pattern of a template's answers; ``known`` placeholders as given."""
    pattern = re.escape(template)
    for name, value in known.items():
        pattern = pattern.replace(re.escape(f"{{{name}}}"), re.escape(value))
    return re.compile(_PLACEHOLDER.sub(".+", pattern), re.DOTALL)


def answer_key(
    answer: str, templates: dict[str, str], keys: tuple[str, ...], **known: str
) -> str | None:
    """Return which of ``keys`` the answer is (its template, filled in), if any."""
    for key in keys:
        if template_pattern(templates[key], **known).fullmatch(answer.strip()):
            return key
    return None


def pipeline_update(pipeline: dict[str, Any], language: str) -> dict[str, Any] | None:
    """Return a pipeline's settings with ``language``; None if it has it already.

    Only the text part changes (the pipeline's and its conversation agent's
    language); the demo's pipeline has no speech-to-text or text-to-speech.
    """
    if (
        pipeline.get("language") == language
        and pipeline.get("conversation_language") == language
    ):
        return None
    settings = {key: value for key, value in pipeline.items() if key != "id"}
    return settings | {"language": language, "conversation_language": language}


async def async_set_assist_language(ws: HassWebSocket, language: str) -> str | None:
    """Set the preferred pipeline's language; return its name if it changed."""
    answer = await ws.command("assist_pipeline/pipeline/list")
    preferred = answer["preferred_pipeline"]
    pipeline = next(p for p in answer["pipelines"] if p["id"] == preferred)
    if (settings := pipeline_update(pipeline, language)) is None:
        return None
    await ws.command(
        "assist_pipeline/pipeline/update", pipeline_id=preferred, **settings
    )
    return str(pipeline["name"])


@dataclass(frozen=True, slots=True)
class AssistAnswer:
    """What Assist said, and the kind of answer (``action_done``, ``error``…)."""

    speech: str
    response_type: str


async def async_ask_assist(
    ws: HassWebSocket, text: str, timeout: float = ASK_TIMEOUT
) -> AssistAnswer:
    """Ask Assist through the preferred pipeline, as the Assist dialog does."""
    async with (
        ws.command_events(
            "assist_pipeline/run",
            start_stage="intent",
            end_stage="intent",
            input={"text": text},
        ) as (_, events),
        asyncio.timeout(timeout),
    ):
        while True:
            event = await events.get()
            kind, data = event.get("type"), event.get("data") or {}
            if kind == "intent-end":
                response = data["intent_output"]["response"]
                return AssistAnswer(
                    str(response["speech"]["plain"]["speech"]),
                    str(response.get("response_type")),
                )
            if kind in ("error", "run-end"):
                raise HassApiError(f"Assist did not answer {text!r}: {event}")
