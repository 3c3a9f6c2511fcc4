"""The voice part of the demo: sentence files, a person on 6001, and Assist.

``scripts/develop`` does what the README asks of users: it copies the
repository's ``custom_sentences/`` into the configuration folder (Home
Assistant reads custom sentences only from there), and pairs the demo user's
person with extension 6001 in the integration's options (creating the person
when the configuration folder predates it). So "call 6002" typed in Assist
calls from 6001. ``--check`` asks Assist exactly that, over the websocket API,
as the demo user.
"""

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path
import shutil
from typing import Any

from .hass_api import HassApi, HassWebSocket

VOICE_EXTENSION = "6001"
"""The extension the demo user's person uses."""
VOICE_CHECK = "call 6002"
"""What ``--check`` says to Assist: extension 6001 calls extension 6002."""
PERSON_TIMEOUT = 10.0
"""Seconds a new person has to show up in the states."""


class VoiceSetupError(Exception):
    """The voice part of the demo could not be set up or checked."""


def install_custom_sentences(config_dir: Path, source: Path) -> list[Path]:
    """Copy every ``<language>/*.yaml`` of ``source`` into ``config_dir/custom_sentences``.

    Done at every start, so the demo always has the working tree's sentences.
    """
    copied: list[Path] = []
    for sentences in sorted(source.glob("*/*.yaml")):
        target = (
            config_dir / "custom_sentences" / sentences.parent.name / sentences.name
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sentences, target)
        copied.append(target)
    return copied


def suggested_input(step: dict[str, Any]) -> dict[str, Any]:
    """Return a flow form's suggested values as its input (empty ones left out)."""
    values: dict[str, Any] = {}
    for field in step.get("data_schema") or []:
        value = (field.get("description") or {}).get("suggested_value")
        if value not in (None, ""):
            values[str(field["name"])] = value
    return values


def person_of_user(states: Iterable[dict[str, Any]], user_id: str) -> str | None:
    """Return the entity id of the person whose user is ``user_id``, if any."""
    for state in states:
        entity_id = str(state.get("entity_id", ""))
        attributes = state.get("attributes") or {}
        if entity_id.startswith("person.") and attributes.get("user_id") == user_id:
            return entity_id
    return None


async def async_demo_person(api: HassApi, ws: HassWebSocket, name: str) -> str:
    """Return the person of the logged-in user, created if it has none."""
    user = await ws.command("auth/current_user")
    user_id = str(user["id"])
    if (person := person_of_user(await api.states(), user_id)) is not None:
        return person
    await ws.command("person/create", name=name, user_id=user_id)
    async with asyncio.timeout(PERSON_TIMEOUT):
        while (person := person_of_user(await api.states(), user_id)) is None:
            await asyncio.sleep(0.2)
    return person


async def async_link_person(
    api: HassApi, entry_id: str, person: str, say: Callable[[str], None]
) -> bool:
    """Pair ``person`` with extension 6001 in the entry's options; True if it changed.

    Goes through the options flow as a user would: the first pages as they
    are (the options, where the extensions may call), then the people page
    with 6001 set (the entry reloads).
    """
    flow = await api.start_options_flow(entry_id)
    try:
        step = await api.options_flow_step(flow["flow_id"], suggested_input(flow))
        if step.get("step_id") == "dialing":
            step = await api.options_flow_step(flow["flow_id"], suggested_input(step))
        if step.get("step_id") != "persons":
            raise VoiceSetupError(f"the options flow showed no people page: {step}")
        persons = suggested_input(step)
        if persons.get(VOICE_EXTENSION) == person:
            return False
        result = await api.options_flow_step(
            flow["flow_id"], persons | {VOICE_EXTENSION: person}
        )
    finally:
        await api.abort_options_flow(flow["flow_id"])
    if result.get("type") != "create_entry":
        raise VoiceSetupError(f"the options flow did not save the person: {result}")
    say(f"{person} uses extension {VOICE_EXTENSION} (integration options)")
    return True


async def async_check_voice(ws: HassWebSocket) -> str:
    """Say "call 6002" to Assist as the demo user; return its answer.

    The answer must say that the call was placed from the person's extension.
    """
    answer = await ws.command("conversation/process", text=VOICE_CHECK, language="en")
    response = answer["response"]
    spoken = str(response["speech"]["plain"]["speech"])
    if (
        response.get("response_type") != "action_done"
        or f"from extension {VOICE_EXTENSION}" not in spoken
    ):
        raise VoiceSetupError(f"Assist answered {VOICE_CHECK!r} with {spoken!r}")
    return spoken
