"""Helpers of the voice and LLM tests: Assist with the shipped sentences, people."""

from collections.abc import Iterable
from pathlib import Path
import shutil
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from bemmelhor_simulator import SimulatorServer
from bemmelhor_simulator.pytest_plugin import SimulatorFactory
from custom_components.bemmelhor.const import (
    CONF_CLIENT_ID,
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    DOMAIN,
)
from homeassistant.auth.const import GROUP_ID_USER
from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent, llm
from homeassistant.setup import async_setup_component

from .helpers import HOST, async_setup_entry, dialing_body, hangup_body

SENTENCES = Path(__file__).parents[2] / "custom_sentences"
"""The sentence files the repository ships, one folder per language."""
LANGUAGES = ("en", "pt-BR")
PERSON = "person.maria"
SECOND_WEBHOOK_ID = "fedcba9876543210fedcba9876543210"
NOON_MS = 1795791600000
"""2026-11-27 12:00 in São Paulo, in epoch milliseconds (as the PBX writes it)."""
DAY_MS = 86_400_000
MINUTE_MS = 60_000


async def async_setup_assist(hass: HomeAssistant, config_dir: Path) -> None:
    """Set up Home Assistant's own voice assistant with the shipped sentences.

    As the README tells users: the files are copied into the configuration
    folder's ``custom_sentences/<language>/``, the only place Home Assistant
    reads them from.
    """
    hass.config.config_dir = str(config_dir)
    for language in LANGUAGES:
        folder = Path(hass.config.path("custom_sentences", language))
        folder.mkdir(parents=True)
        shutil.copy(SENTENCES / language / "bemmelhor.yaml", folder)
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    assert await async_setup_component(hass, "intent", {})


async def async_say(
    hass: HomeAssistant, text: str, language: str, user_id: str | None = None
) -> intent.IntentResponse:
    """Say ``text`` to Home Assistant's voice assistant; return its answer."""
    result = await conversation.async_converse(
        hass, text, None, Context(user_id=user_id), language=language
    )
    return result.response


def speech(response: intent.IntentResponse) -> str:
    """Return what an answer says."""
    spoken: str = response.speech["plain"]["speech"]
    return spoken


async def async_setup_person(hass: HomeAssistant, user_id: str) -> None:
    """Give a user the person ``person.maria``."""
    assert await async_setup_component(
        hass,
        "person",
        {"person": [{"id": "maria", "name": "Maria", "user_id": user_id}]},
    )
    await hass.async_block_till_done()


async def async_non_admin(hass: HomeAssistant, name: str) -> str:
    """Create a user who is not an administrator (a member of "Users"); return the id."""
    group = await hass.auth.async_get_group(GROUP_ID_USER)
    assert group is not None
    user = MockUser(name=name, groups=[group]).add_to_hass(hass)
    assert not user.is_admin
    return user.id


async def async_non_admin_with_person(hass: HomeAssistant, name: str) -> str:
    """Create a non-admin user with a person, ``person.<name>``; return the user's id."""
    user_id = await async_non_admin(hass, name)
    person = {"id": name.lower(), "name": name, "user_id": user_id}
    assert await async_setup_component(hass, "person", {"person": [person]})
    await hass.async_block_till_done()
    return user_id


async def async_use_call_tool(
    hass: HomeAssistant, args: dict[str, Any], user_id: str, exposed: Iterable[str]
) -> llm.ToolResult:
    """Call ``bemmelhor__call`` as a conversation agent does, in Portuguese.

    ``exposed`` are the Dial buttons the user exposed to the assistant.
    """
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "llm", {})
    for entity_id in exposed:
        async_expose_entity(hass, "conversation", entity_id, True)
    api = await llm.async_get_api(
        hass,
        "assist",
        llm.LLMContext(
            platform="test",
            context=Context(user_id=user_id),
            language="pt-BR",
            assistant="conversation",
            device_id=None,
        ),
    )
    return await api.async_call_tool(
        llm.ToolInput(tool_name="bemmelhor__call", tool_args=args)
    )


async def async_add_second_pbx(
    hass: HomeAssistant, pbx_simulator_factory: SimulatorFactory
) -> SimulatorServer:
    """Set up a second PBX (extension 7001, no client id); return its simulator."""
    simulator = await pbx_simulator_factory(extensions=["7001"])
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Second PBX",
        unique_id="second.example.com",
        data={
            CONF_HOST: HOST,
            CONF_PORT: simulator.port,
            CONF_SSL: False,
            CONF_VERIFY_SSL: True,
            CONF_WEBHOOK_ID: SECOND_WEBHOOK_ID,
        },
        options={
            CONF_EXTENSIONS: ["7001"],
            CONF_OUTSIDE_LINE_PREFIX: "0",
            CONF_CLIENT_ID: "",
        },
    )
    await async_setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    simulator.requests.clear()
    return simulator


def call_bodies(
    call_id: str, from_: str, to: str, disposition: str, start_ms: int = NOON_MS
) -> list[dict[str, Any]]:
    """Return the webhooks of a whole one-minute call."""
    return [
        dialing_body(call_id, from_=from_, to=to, created=start_ms),
        hangup_body(
            call_id, from_=from_, disposition=disposition, created=start_ms + MINUTE_MS
        ),
    ]
