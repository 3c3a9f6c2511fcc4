"""LLM tools: ``bemmelhor__call`` and ``bemmelhor__list_calls`` through the Assist API.

The tools are reached as a conversation agent reaches them: the ``llm``
integration's Assist API (``llm.async_get_api``), which picks up the
integration's ``llm.py`` platform, against the PBX simulator.
"""

from typing import Any, cast

import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from bemmelhor_simulator import SimulatorServer
from bemmelhor_simulator.pytest_plugin import SimulatorFactory
from custom_components.bemmelhor import llm as bemmelhor_llm
from custom_components.bemmelhor.const import (
    CONF_CLIENT_ID,
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    CONF_PERSONS,
    DOMAIN,
)
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er, llm
from homeassistant.setup import async_setup_component

from .contact_helpers import async_add_contact
from .helpers import (
    CLIENT_ID,
    EXTENSIONS,
    NUMBER,
    WebhookClient,
    async_post_all,
    refuse_connections,
)
from .voice_helpers import (
    DAY_MS,
    NOON_MS,
    PERSON,
    SECOND_WEBHOOK_ID,
    async_add_second_pbx,
    async_setup_person,
    call_bodies,
)

pytestmark = pytest.mark.freeze_time("2026-11-27 15:00:00+00:00")
"""Noon in São Paulo (UTC−3)."""

CALL = "bemmelhor__call"
LIST_CALLS = "bemmelhor__list_calls"
DIAL_6001 = "button.extension_6001_dial"
DIAL_6002 = "button.extension_6002_dial"
CALL_HISTORY = "calendar.bem_melhor_pbx_call_history"
MARIA_CALLS = "011987654321"
MARIA_AS_THE_PBX_WRITES_IT = "11987654321"
WITH_PERSON = {
    CONF_EXTENSIONS: EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX: "0",
    CONF_CLIENT_ID: CLIENT_ID,
    CONF_PERSONS: {"6002": PERSON},
}


@pytest.fixture(autouse=True)
async def sao_paulo(hass: HomeAssistant) -> None:
    """Put Home Assistant in São Paulo, before the integration starts."""
    await hass.config.async_set_time_zone("America/Sao_Paulo")


@pytest.fixture
async def assist_api(hass: HomeAssistant) -> None:
    """Set up the ``llm`` integration, which registers the Assist API."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "llm", {})


@pytest.fixture
async def maria(
    hass: HomeAssistant, assist_api: None, init_integration: MockConfigEntry
) -> None:
    """Add the contact Maria Silva (+55 11 98765-4321) to the loaded entry."""
    await async_add_contact(hass, init_integration)


def expose(hass: HomeAssistant, *entity_ids: str) -> None:
    """Expose entities to the conversation assistant, as the user does."""
    for entity_id in entity_ids:
        async_expose_entity(hass, "conversation", entity_id, True)


def llm_context(user_id: str | None = None, language: str = "pt-BR") -> llm.LLMContext:
    """Return the context a conversation agent passes to its tools."""
    return llm.LLMContext(
        platform="test",
        context=Context(user_id=user_id),
        language=language,
        assistant="conversation",
        device_id=None,
    )


async def async_api(
    hass: HomeAssistant, user_id: str | None = None, language: str = "pt-BR"
) -> llm.APIInstance:
    """Return the Assist API as an agent gets it."""
    return await llm.async_get_api(hass, "assist", llm_context(user_id, language))


def tool_names(api: llm.APIInstance) -> list[str]:
    """Return the names of the integration's tools the API offers."""
    return [tool.name for tool in api.tools if tool.name.startswith("bemmelhor__")]


def tool(api: llm.APIInstance, name: str) -> llm.Tool:
    """Return one of the API's tools."""
    (found,) = (each for each in api.tools if each.name == name)
    return found


async def async_use(
    hass: HomeAssistant,
    name: str,
    args: dict[str, Any],
    user_id: str | None = None,
    language: str = "pt-BR",
) -> llm.ToolResult:
    """Call a tool as an agent does."""
    api = await async_api(hass, user_id, language)
    return await api.async_call_tool(llm.ToolInput(tool_name=name, tool_args=args))


def listed(result: llm.ToolResult) -> list[dict[str, Any]]:
    """Return the calls a ``bemmelhor__list_calls`` result lists."""
    return cast("list[dict[str, Any]]", result.data["calls"])


# --- Which tools are offered -------------------------------------------------


async def test_no_tools_while_nothing_is_exposed(
    hass: HomeAssistant, maria: None
) -> None:
    """Neither a Dial button nor the call history is exposed: no tools."""
    assert tool_names(await async_api(hass)) == []


async def test_no_tools_without_a_loaded_entry(
    hass: HomeAssistant, assist_api: None
) -> None:
    """Nothing is offered before a PBX is set up."""
    assert tool_names(await async_api(hass)) == []


async def test_the_call_tool_follows_the_exposed_dial_buttons(
    hass: HomeAssistant, maria: None
) -> None:
    """Exposing 6001's Dial button offers calls from 6001 only."""
    expose(hass, DIAL_6001)

    api = await async_api(hass)

    assert tool_names(api) == [CALL]
    schema = probatio.to_openapi(
        tool(api, CALL).parameters, custom_serializer=api.custom_serializer
    )
    assert schema["properties"]["extension"]["enum"] == ["6001"]
    assert schema["required"] == ["destination"]


async def test_the_list_tool_follows_the_exposed_call_history(
    hass: HomeAssistant, maria: None
) -> None:
    """Exposing the Call history calendar offers the list of calls."""
    expose(hass, CALL_HISTORY)

    api = await async_api(hass)

    assert tool_names(api) == [LIST_CALLS]
    schema = probatio.to_openapi(
        tool(api, LIST_CALLS).parameters, custom_serializer=api.custom_serializer
    )
    assert schema["properties"]["extension"]["enum"] == EXTENSIONS
    assert all(schema["properties"].values())


async def test_no_tools_for_other_apis(hass: HomeAssistant, maria: None) -> None:
    """Only the Assist API gets the tools."""
    expose(hass, DIAL_6001, CALL_HISTORY)

    assert bemmelhor_llm.async_get_tools(hass, llm_context(), "other") is None


@pytest.mark.parametrize("entry_options", [WITH_PERSON])
async def test_the_prompt_names_the_users_extension(
    hass: HomeAssistant, maria: None, hass_admin_user: MockUser
) -> None:
    """The agent learns which extension "my calls" means."""
    await async_setup_person(hass, hass_admin_user.id)
    expose(hass, CALL_HISTORY)

    api = await async_api(hass, hass_admin_user.id)

    assert "the user's own extension is 6002" in api.api_prompt


# --- bemmelhor__call ---------------------------------------------------------


async def test_call_a_contact_by_name(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """The tool calls a contact by name and says so in the user's language."""
    expose(hass, DIAL_6001)

    result = await async_use(hass, CALL, {"destination": "Maria", "extension": "6001"})

    assert not result.error
    assert result.data == {
        "success": True,
        "message": "Ligando para Maria Silva do ramal 6001",
        "call_id": pbx.pbx.calls[0].call_id,
        "extension": "6001",
        "callee": "Maria Silva",
    }
    assert pbx.requests.paths() == [f"/api/call/6001/{MARIA_CALLS}"]


async def test_call_a_spoken_number(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """A number as the user said it is dialled with the outside line."""
    expose(hass, DIAL_6002)

    result = await async_use(
        hass, CALL, {"destination": "32 99999 9999"}, language="en"
    )

    assert result.data["message"] == "Calling (32) 99999-9999 from extension 6002"
    assert pbx.requests.paths() == [f"/api/call/6002/{NUMBER}"]


@pytest.mark.parametrize("entry_options", [WITH_PERSON])
async def test_call_from_the_users_extension(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer, hass_admin_user: MockUser
) -> None:
    """Without an extension, the user's own calls."""
    await async_setup_person(hass, hass_admin_user.id)
    expose(hass, DIAL_6001, DIAL_6002)

    await async_use(hass, CALL, {"destination": "Maria"}, hass_admin_user.id)

    assert pbx.requests.paths() == [f"/api/call/6002/{MARIA_CALLS}"]


async def test_asks_which_extension(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """Two exposed extensions and no choice: the answer asks, nothing is dialled."""
    expose(hass, DIAL_6001, DIAL_6002)

    result = await async_use(hass, CALL, {"destination": "Maria"})

    assert result.error
    assert result.data == {
        "success": False,
        "reason": "which_extension",
        "error": "De qual ramal devo ligar para Maria Silva: 6001 ou 6002?",
        "extensions": ["6001", "6002"],
    }
    assert pbx.requests.paths() == []


@pytest.mark.parametrize(
    ("args", "reason", "error"),
    [
        (
            {"destination": "Joana"},
            "contact_not_found",
            "Não há nenhum contato chamado Joana.",
        ),
        (
            {"destination": "Maria"},
            "contact_ambiguous",
            "Há vários contatos chamados Maria: Maria Silva, Maria Souza. "
            "Diga o nome completo.",
        ),
        (
            {"destination": "12 34 56 78 90 12 34 56 78 90 1"},
            "invalid_number",
            "123456789012345678901 não é um número que eu possa discar.",
        ),
    ],
)
async def test_refused_calls_are_answered(
    hass: HomeAssistant,
    maria: None,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    args: dict[str, Any],
    reason: str,
    error: str,
) -> None:
    """What cannot be called gets a translated answer; the PBX is not asked."""
    await async_add_contact(hass, init_integration, "Maria Souza", "11 3333-4444")
    expose(hass, DIAL_6001)

    result = await async_use(hass, CALL, args)

    assert result.error
    assert result.data == {"success": False, "reason": reason, "error": error}
    assert pbx.requests.paths() == []


async def test_a_pbx_that_is_down_is_answered(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """An unreachable PBX is said so in the user's language."""
    expose(hass, DIAL_6001)
    await refuse_connections(pbx)

    result = await async_use(hass, CALL, {"destination": "Maria"}, language="en")

    assert result.data == {
        "success": False,
        "reason": "call_failed",
        "error": "The call was not placed. Could not connect to the Bem Melhor PBX.",
    }
    assert pbx.requests.paths() == []


async def test_an_extension_that_is_not_exposed_is_refused(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """The tool calls only from extensions whose Dial button is exposed."""
    expose(hass, DIAL_6001)

    result = await async_use(hass, CALL, {"destination": "Maria", "extension": "6002"})

    assert result.error
    assert result.data["success"] is False
    assert pbx.requests.paths() == []


async def test_a_button_hidden_after_the_tools_were_listed_is_refused(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """Exposure is checked again when the tool runs."""
    expose(hass, DIAL_6001)
    api = await async_api(hass, language="en")
    async_expose_entity(hass, "conversation", DIAL_6001, False)

    result = await api.async_call_tool(
        llm.ToolInput(CALL, {"destination": "Maria", "extension": "6001"})
    )

    assert result.data["error"] == (
        "Extension 6001 cannot be used by the assistant: expose its Dial button to it."
    )
    assert pbx.requests.paths() == []


# --- bemmelhor__list_calls ---------------------------------------------------


@pytest.fixture
async def calls_of_two_days(
    hass: HomeAssistant, maria: None, webhook_client: WebhookClient
) -> None:
    """Yesterday Maria called 6001 and nobody answered; today twice, and a call out.

    Today: Maria's call at 12:00 was missed, an outside number's at 12:10
    answered, and 6002 called out at 12:20.
    """
    maria_number = MARIA_AS_THE_PBX_WRITES_IT
    await async_post_all(
        webhook_client,
        [
            *call_bodies("y1", maria_number, "6001", "NO ANSWER", NOON_MS - DAY_MS),
            *call_bodies("t1", maria_number, "6001", "NO ANSWER"),
            *call_bodies("t2", NUMBER, "6001", "ANSWERED", NOON_MS + 600_000),
            *call_bodies("t3", "6002", NUMBER, "ANSWERED", NOON_MS + 1_200_000),
        ],
    )
    expose(hass, CALL_HISTORY)


async def test_missed_calls_of_today_with_names(
    hass: HomeAssistant, calls_of_two_days: None
) -> None:
    """Today's missed calls, with the caller's name ("quem me ligou hoje?")."""
    result = await async_use(hass, LIST_CALLS, {"period": "today", "missed_only": True})

    assert not result.error
    assert result.data == {
        "success": True,
        "period": {"start": "2026-11-27T00:00:00-03:00", "end": None},
        "count": 1,
        "more_calls": False,
        "calls": [
            {
                "started": "2026-11-27T12:00:00-03:00",
                "ended": "2026-11-27T12:01:00-03:00",
                "extension": "6001",
                "direction": "inbound",
                "from": "Maria Silva",
                "from_number": MARIA_AS_THE_PBX_WRITES_IT,
                "to": "Extension 6001",
                "to_number": "6001",
                "outcome": "no_answer",
                "missed": True,
                "duration_seconds": 60,
                "talk_time_seconds": 0,
            }
        ],
    }


async def test_recent_calls_newest_first(
    hass: HomeAssistant, calls_of_two_days: None
) -> None:
    """Without a period, the newest calls; ``limit`` cuts, and says so."""
    result = await async_use(hass, LIST_CALLS, {"limit": 3})

    calls = listed(result)
    assert [call["started"][11:16] for call in calls] == ["12:20", "12:10", "12:00"]
    assert result.data["more_calls"] is True
    assert calls[0]["to"] == "(32) 99999-9999"


async def test_calls_of_an_extension_yesterday(
    hass: HomeAssistant, calls_of_two_days: None
) -> None:
    """By period and extension."""
    result = await async_use(
        hass, LIST_CALLS, {"period": "yesterday", "extension": "6001"}
    )

    assert [call["started"] for call in listed(result)] == ["2026-11-26T12:00:00-03:00"]


async def test_calls_between_dates(
    hass: HomeAssistant, calls_of_two_days: None
) -> None:
    """``start`` and ``end`` instead of a period: a date's end includes the day."""
    result = await async_use(
        hass,
        LIST_CALLS,
        {"start": "2026-11-26", "end": "2026-11-26", "direction": "inbound"},
    )

    assert result.data["period"] == {
        "start": "2026-11-26T00:00:00-03:00",
        "end": "2026-11-27T00:00:00-03:00",
    }
    assert result.data["count"] == 1


async def test_calls_after_a_time(hass: HomeAssistant, calls_of_two_days: None) -> None:
    """A date-time without a zone is local time."""
    result = await async_use(hass, LIST_CALLS, {"start": "2026-11-27T12:05:00"})

    assert result.data["count"] == 2


async def test_a_date_that_is_no_date_is_refused(
    hass: HomeAssistant, calls_of_two_days: None
) -> None:
    """A ``start`` that is no date is answered as an error."""
    result = await async_use(hass, LIST_CALLS, {"start": "ontem"})

    assert result.error
    assert result.data == {"success": False, "error": "start: not a date: ontem"}


async def test_arguments_outside_the_schema_are_refused(
    hass: HomeAssistant, calls_of_two_days: None
) -> None:
    """Arguments the schema does not allow are answered, not raised."""
    result = await async_use(hass, LIST_CALLS, {"period": "last_year"})

    assert result.error
    assert result.data["success"] is False


async def test_no_exposed_extension_left_is_answered(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """Every Dial button hidden since the tools were listed: the answer says so."""
    expose(hass, DIAL_6001)
    api = await async_api(hass, language="en")
    async_expose_entity(hass, "conversation", DIAL_6001, False)

    result = await api.async_call_tool(llm.ToolInput(CALL, {"destination": "Maria"}))

    assert result.data["reason"] == "no_exposed_extension"
    assert pbx.requests.paths() == []


async def test_calls_of_two_pbxs(
    hass: HomeAssistant,
    calls_of_two_days: None,
    pbx_simulator_factory: SimulatorFactory,
    webhook_client: WebhookClient,
    entity_registry: er.EntityRegistry,
) -> None:
    """With two PBXs, their calls are listed together and say which PBX."""
    await async_add_second_pbx(hass, pbx_simulator_factory)
    for body in call_bodies("s1", NUMBER, "7001", "NO ANSWER", NOON_MS + 1_800_000):
        response = await webhook_client.post(
            f"/api/webhook/{SECOND_WEBHOOK_ID}", json=body
        )
        assert response.status == 200
    second_history = entity_registry.async_get_entity_id(
        "calendar", DOMAIN, "second.example.com_call_history"
    )
    assert second_history is not None
    expose(hass, second_history)

    result = await async_use(hass, LIST_CALLS, {"period": "today"})

    assert [(call["pbx"], call["started"][11:16]) for call in listed(result)] == [
        ("Second PBX", "12:30"),
        ("Bem Melhor PBX", "12:20"),
        ("Bem Melhor PBX", "12:10"),
        ("Bem Melhor PBX", "12:00"),
    ]


async def test_a_short_code_is_dialled_as_it_is(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """A destination of digits, ``*`` and ``#`` is no name: it is dialled."""
    expose(hass, DIAL_6001)

    result = await async_use(hass, CALL, {"destination": "*72"}, language="en")

    assert result.data["message"] == "Calling *72 from extension 6001"
    assert len(pbx.requests.paths()) == 1


async def test_a_contact_whose_number_cannot_be_dialled(
    hass: HomeAssistant,
    maria: None,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
) -> None:
    """A contact with a foreign number: the answer says the number, nothing is dialled."""
    await async_add_contact(hass, init_integration, "Joe", "+1 212 555 0100")
    expose(hass, DIAL_6001)

    result = await async_use(hass, CALL, {"destination": "Joe"}, language="en")

    assert result.data["error"] == "+1 212 555 0100 is not a number I can dial."
    assert pbx.requests.paths() == []


@pytest.mark.parametrize(
    "entry_options", [WITH_PERSON | {CONF_PERSONS: {"6001": PERSON, "6002": PERSON}}]
)
async def test_the_prompt_names_both_extensions_of_a_user(
    hass: HomeAssistant, maria: None, hass_admin_user: MockUser
) -> None:
    """Someone using two extensions: "my calls" means both."""
    await async_setup_person(hass, hass_admin_user.id)
    expose(hass, CALL_HISTORY)

    api = await async_api(hass, hass_admin_user.id)

    assert "the user's own extensions are 6001, 6002" in api.api_prompt


async def test_no_prompt_for_someone_without_an_extension(
    hass: HomeAssistant, maria: None
) -> None:
    """Without an extension of their own, the agent is told nothing of it."""
    expose(hass, CALL_HISTORY)

    api = await async_api(hass)

    assert "own extension" not in api.api_prompt
