"""The voice part of the demo: sentence files, a person on 6001, a contact, Assist.

``scripts/develop`` does what the README asks of users: it copies the
repository's ``custom_sentences/`` into the configuration folder (Home
Assistant reads custom sentences only from there), and pairs the demo user's
person with extension 6001 in the integration's options (creating the person
when the configuration folder predates it). So "ligar para 6002" ("call
6002") typed in Assist calls from 6001. It also speaks the demo's language
(``assist.py``), knows the contact Maria Silva ("liga pra Maria"), and may
read the call history ("quem me ligou hoje?"): the Call history calendar is
exposed to Assist. ``--check`` asks Assist to call 6002, in the demo's
language and through its pipeline, as the demo user.
"""

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path
import shutil
from typing import Any

from .assist import answer_key, async_ask_assist, voice_templates
from .hass_api import HassApi, HassWebSocket

VOICE_EXTENSION = "6001"
"""The extension the demo user's person uses."""
VOICE_CHECKS = {"pt-BR": "ligar para 6002", "en": "call 6002"}
"""What ``--check`` says to Assist: extension 6001 calls extension 6002."""
ASKED_IN_THE_BROWSER = {
    "pt-BR": ("liga pra Maria", "quem me ligou hoje?"),
    "en": ("call Maria", "who called me today?"),
}
"""What ``scripts/browser-check`` types in the Assist dialog: a call, a question."""
DEMO_CONTACT = {"name": "Maria Silva", "numbers": ["+55 11 98765-4321"]}
"""The contact the demo adds, so that "liga pra Maria" calls someone."""
ASSISTANT = "conversation"
"""Home Assistant's own voice assistant, as the expose settings name it."""
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


async def async_add_contact(api: HassApi, ws: HassWebSocket, entry_id: str) -> bool:
    """Add the contact Maria Silva (the integration page's *Add contact*) if missing."""
    subentries = await ws.command("config_entries/subentries/list", entry_id=entry_id)
    if any(item.get("title") == DEMO_CONTACT["name"] for item in subentries):
        return False
    flow = await api.start_subentry_flow(entry_id, "contact")
    result = await api.subentry_flow_step(flow["flow_id"], DEMO_CONTACT)
    if result.get("type") != "create_entry":
        raise VoiceSetupError(f"the contact flow did not add the contact: {result}")
    return True


async def async_expose_to_assist(ws: HassWebSocket, entity_id: str) -> None:
    """Expose an entity to Assist (*Settings → Voice assistants → Expose*)."""
    await ws.command(
        "homeassistant/expose_entity",
        assistants=[ASSISTANT],
        entity_ids=[entity_id],
        should_expose=True,
    )


async def async_check_voice(ws: HassWebSocket, language: str) -> str:
    """Ask Assist to call 6002, in ``language``, as the demo user; return its answer.

    The answer must be the integration's "calling" answer in that language,
    from the person's extension.
    """
    said = VOICE_CHECKS[language]
    answer = await async_ask_assist(ws, said)
    templates = voice_templates(language)
    if answer.response_type != "action_done" or not answer_key(
        answer.speech, templates, ("calling",), extension=VOICE_EXTENSION
    ):
        raise VoiceSetupError(f"Assist answered {said!r} with {answer.speech!r}")
    return answer.speech
