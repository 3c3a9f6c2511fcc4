"""Questions about calls by voice: "quem me ligou hoje?", "did Maria call today?".

Each test speaks to Home Assistant's own conversation agent with the shipped
sentence files (``custom_sentences/``), in Brazilian Portuguese or English,
after a day of calls came in through the real webhook. Only PBXs whose Call
history calendar is exposed to the assistant are read, as for the LLM tools.
"""

from pathlib import Path

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from bemmelhor_simulator import SimulatorServer
from bemmelhor_simulator.pytest_plugin import SimulatorFactory
from custom_components.bemmelhor.call_answers import who_called
from custom_components.bemmelhor.call_listing import Period
from custom_components.bemmelhor.call_questions import Caller, Callers
from custom_components.bemmelhor.const import (
    CONF_CLIENT_ID,
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    CONF_PERSONS,
)
from custom_components.bemmelhor.intent_questions import (
    INTENT_DID_CALL,
    INTENT_WHO_CALLED,
)
from custom_components.bemmelhor.voice_texts import async_voice_texts
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent
from homeassistant.helpers.intent import IntentResponseErrorCode, IntentResponseType
from homeassistant.util import dt as dt_util

from .contact_helpers import async_add_contact
from .helpers import (
    CLIENT_ID,
    EXTENSIONS,
    NUMBER,
    WebhookClient,
    async_post_all,
    async_setup_entry,
    refuse_connections,
)
from .voice_helpers import (
    DAY_MS,
    MINUTE_MS,
    NOON_MS,
    PERSON,
    async_add_second_pbx,
    async_say,
    async_setup_assist,
    async_setup_person,
    call_bodies,
    speech,
)

pytestmark = pytest.mark.freeze_time("2026-11-27 18:00:00+00:00")
"""15:00 in São Paulo (UTC−3)."""

CALL_HISTORY = "calendar.bem_melhor_pbx_call_history"
MARIA_AS_THE_PBX_WRITES_IT = "11987654321"
HOUR_MS = 60 * MINUTE_MS
WITH_PERSON = {
    CONF_EXTENSIONS: EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX: "0",
    CONF_CLIENT_ID: CLIENT_ID,
    CONF_PERSONS: {"6001": PERSON},
}


@pytest.fixture(autouse=True)
async def sao_paulo(hass: HomeAssistant) -> None:
    """Put Home Assistant in São Paulo, before the integration starts."""
    await hass.config.async_set_time_zone("America/Sao_Paulo")


@pytest.fixture
async def assist(hass: HomeAssistant, tmp_path: Path) -> None:
    """Set up Home Assistant's voice assistant with the repository's sentences."""
    await async_setup_assist(hass, tmp_path)


@pytest.fixture
async def a_day_of_calls(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
) -> None:
    """Yesterday and today's calls, with Maria Silva and João Souza as contacts.

    Yesterday 12:00 Maria called 6001, unanswered. Today: Maria called 6001
    at 9:15 (unanswered) and at 13:05 (answered), (32) 99999-9999 called
    6002 at 10:30, 6002 called 6001 at 14:00, and 6001 called out at 14:30.
    The Call history is exposed to the assistant.
    """
    await async_add_contact(hass, init_integration)
    await async_add_contact(hass, init_integration, "João Souza", "21 3333-4444")
    maria = MARIA_AS_THE_PBX_WRITES_IT
    await async_post_all(
        webhook_client,
        [
            *call_bodies("y1", maria, "6001", "NO ANSWER", NOON_MS - DAY_MS),
            *call_bodies("t1", maria, "6001", "NO ANSWER", NOON_MS - 165 * MINUTE_MS),
            *call_bodies("t2", NUMBER, "6002", "ANSWERED", NOON_MS - 90 * MINUTE_MS),
            *call_bodies("t3", maria, "6001", "ANSWERED", NOON_MS + 65 * MINUTE_MS),
            *call_bodies("t4", "6002", "6001", "ANSWERED", NOON_MS + 2 * HOUR_MS),
            *call_bodies("t5", "6001", NUMBER, "ANSWERED", NOON_MS + 150 * MINUTE_MS),
        ],
    )
    async_expose_entity(hass, "conversation", CALL_HISTORY, True)


@pytest.fixture
async def speaker(hass: HomeAssistant, hass_admin_user: MockUser) -> str:
    """Return a user whose person is ``person.maria`` (set up before the webhook)."""
    await async_setup_person(hass, hass_admin_user.id)
    return hass_admin_user.id


async def async_ask(
    hass: HomeAssistant, said: str, language: str, user_id: str | None = None
) -> str:
    """Ask a question about calls; return the answer, checking it is one."""
    response = await async_say(hass, said, language, user_id)
    assert response.intent is not None
    assert response.intent.intent_type in (INTENT_WHO_CALLED, INTENT_DID_CALL)
    assert response.response_type is IntentResponseType.QUERY_ANSWER
    return speech(response)


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        (
            "pt-BR",
            "Quem me ligou hoje?",
            "3 ligações hoje: Maria Silva 2 vezes (a última às 13:05) "
            "e (32) 99999-9999 às 10:30.",
        ),
        (
            "en",
            "who called me today?",
            "3 calls today: Maria Silva 2 times (last at 13:05) "
            "and (32) 99999-9999 at 10:30.",
        ),
        (
            "pt-BR",
            "quem ligou hoje de manhã",
            "2 ligações hoje de manhã: (32) 99999-9999 às 10:30 "
            "e Maria Silva às 9:15 (perdida).",
        ),
        (
            "en",
            "who called this morning",
            "2 calls this morning: (32) 99999-9999 at 10:30 "
            "and Maria Silva at 9:15 (missed).",
        ),
        (
            "pt-BR",
            "alguém ligou hoje à tarde?",
            "Uma ligação hoje à tarde: Maria Silva às 13:05.",
        ),
        (
            "en",
            "did anyone call yesterday",
            "One call yesterday: Maria Silva at 12:00 (missed).",
        ),
    ],
)
async def test_who_called_the_pbx(
    hass: HomeAssistant, a_day_of_calls: None, language: str, said: str, answer: str
) -> None:
    """Without an extension of one's own, the calls from outside, with names."""
    assert await async_ask(hass, said, language) == answer


@pytest.mark.parametrize("entry_options", [WITH_PERSON])
@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        (
            "en",
            "who called me today",
            "3 calls today: Extension 6002 at 14:00 and Maria Silva 2 times "
            "(last at 13:05).",
        ),
        (
            "pt-BR",
            "quem me ligou hoje de manhã?",
            "Uma ligação hoje de manhã: Maria Silva às 9:15 (perdida).",
        ),
    ],
)
async def test_who_called_the_users_extension(
    hass: HomeAssistant,
    speaker: str,
    a_day_of_calls: None,
    language: str,
    said: str,
    answer: str,
) -> None:
    """Me is the extension of the speaker's person, colleagues' calls included."""
    assert await async_ask(hass, said, language, speaker) == answer


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        (
            "pt-BR",
            "tenho ligações perdidas?",
            "Uma ligação perdida hoje: Maria Silva às 9:15.",
        ),
        (
            "en",
            "did I miss any calls today",
            "One missed call today: Maria Silva at 9:15.",
        ),
        (
            "pt-BR",
            "quais ligações perdi hoje à tarde",
            "Nenhuma ligação perdida hoje à tarde.",
        ),
        (
            "en",
            "missed calls yesterday",
            "One missed call yesterday: Maria Silva at 12:00.",
        ),
    ],
)
async def test_missed_calls(
    hass: HomeAssistant, a_day_of_calls: None, language: str, said: str, answer: str
) -> None:
    """Missed calls: calls from outside that nobody answered."""
    assert await async_ask(hass, said, language) == answer


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        (
            "pt-BR",
            "quem ligou para o ramal 6002 hoje?",
            "Uma ligação hoje: (32) 99999-9999 às 10:30.",
        ),
        ("en", "who called extension 6002 yesterday", "Nobody called yesterday."),
        (
            "en",
            "who called extension 6001 today",
            "3 calls today: Extension 6002 at 14:00 and Maria Silva 2 times "
            "(last at 13:05).",
        ),
    ],
)
async def test_who_called_an_extension(
    hass: HomeAssistant, a_day_of_calls: None, language: str, said: str, answer: str
) -> None:
    """The calls an extension received, from outside and from colleagues."""
    assert await async_ask(hass, said, language) == answer


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        (
            "pt-BR",
            "a Maria ligou hoje?",
            "Sim, Maria Silva ligou 2 vezes hoje, a última às 13:05.",
        ),
        (
            "en",
            "did Maria call this morning?",
            "Yes, Maria Silva called this morning at 9:15, and nobody answered.",
        ),
        (
            "pt-BR",
            "a maria silva já ligou hoje à tarde",
            "Sim, Maria Silva ligou hoje à tarde às 13:05.",
        ),
        (
            "en",
            "did Maria call me yesterday",
            "Yes, Maria Silva called yesterday at 12:00, and nobody answered.",
        ),
        ("pt-BR", "o João ligou hoje?", "Não, João Souza não ligou hoje."),
        ("en", "did Joao call", "No, João Souza did not call today."),
    ],
)
async def test_did_a_contact_call(
    hass: HomeAssistant, a_day_of_calls: None, language: str, said: str, answer: str
) -> None:
    """A contact's calls from any of their numbers, however the PBX wrote them."""
    assert await async_ask(hass, said, language) == answer


async def test_several_calls_with_the_last_one_missed(
    hass: HomeAssistant, a_day_of_calls: None, webhook_client: WebhookClient
) -> None:
    """The answer says when the last of several calls went unanswered."""
    await async_post_all(
        webhook_client,
        call_bodies(
            "t6", MARIA_AS_THE_PBX_WRITES_IT, "6003", "BUSY", NOON_MS + 160 * MINUTE_MS
        ),
    )

    assert await async_ask(hass, "a Maria ligou hoje?", "pt-BR") == (
        "Sim, Maria Silva ligou 3 vezes hoje; ninguém atendeu a última, às 14:40."
    )


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        ("pt-BR", "a Joana ligou hoje?", "Não há nenhum contato chamado Joana."),
        (
            "en",
            "who called extension 6009 today",
            "Extension 6009 is not one of the Bem Melhor PBX's extensions.",
        ),
    ],
)
async def test_unknown_names_and_extensions_are_answered(
    hass: HomeAssistant, a_day_of_calls: None, language: str, said: str, answer: str
) -> None:
    """A name no contact has, an extension the PBX lacks: said so."""
    response = await async_say(hass, said, language)

    assert response.response_type is IntentResponseType.ERROR
    assert response.error_code is IntentResponseErrorCode.NO_VALID_TARGETS
    assert speech(response) == answer


async def test_two_marias_are_answered(
    hass: HomeAssistant, a_day_of_calls: None, init_integration: MockConfigEntry
) -> None:
    """A name two contacts share: both are named, the log is not read."""
    await async_add_contact(hass, init_integration, "Maria Souza", "11 3333-4444")

    response = await async_say(hass, "did Maria call today", "en")

    assert speech(response) == (
        "Several contacts are called Maria: Maria Silva, Maria Souza. "
        "Say the full name."
    )


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        (
            "pt-BR",
            "quem me ligou hoje?",
            "Não posso ler as ligações: exponha ao assistente o calendário "
            "Histórico de ligações do PABX Bem Melhor.",
        ),
        (
            "en",
            "did Maria call today",
            "I cannot read the calls: expose the Bem Melhor PBX's Call history "
            "calendar to the assistant.",
        ),
    ],
)
async def test_an_unexposed_history_is_not_read(
    hass: HomeAssistant, a_day_of_calls: None, language: str, said: str, answer: str
) -> None:
    """With the Call history hidden from the assistant, no call is told."""
    async_expose_entity(hass, "conversation", CALL_HISTORY, False)

    response = await async_say(hass, said, language)

    assert response.response_type is IntentResponseType.ERROR
    assert response.error_code is IntentResponseErrorCode.FAILED_TO_HANDLE
    assert speech(response) == answer


async def test_an_extension_of_an_unexposed_pbx_is_not_read(
    hass: HomeAssistant,
    a_day_of_calls: None,
    pbx_simulator_factory: SimulatorFactory,
) -> None:
    """Asking for an extension of a PBX whose history is hidden: not read."""
    await async_add_second_pbx(hass, pbx_simulator_factory)

    response = await async_say(hass, "quem ligou para o ramal 7001 hoje", "pt-BR")

    assert response.error_code is IntentResponseErrorCode.FAILED_TO_HANDLE


async def test_no_pbx_is_answered(
    hass: HomeAssistant,
    assist: None,
    pbx_simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Without a loaded entry (the PBX down at start-up), the answer says so."""
    await refuse_connections(pbx_simulator)
    await async_setup_entry(hass, mock_config_entry)

    response = await async_say(hass, "quem me ligou hoje?", "pt-BR")

    assert speech(response) == (
        "Nenhum PABX Bem Melhor está configurado, então não há ligações para contar."
    )


async def test_the_intent_without_its_sentences(
    hass: HomeAssistant, a_day_of_calls: None
) -> None:
    """Slots without their spoken text (an automation) work; no period is today."""
    response = await intent.async_handle(
        hass,
        "test",
        INTENT_DID_CALL,
        {"name": {"value": "Maria Silva"}},
        language="en",
        assistant="conversation",
    )

    assert speech(response) == "Yes, Maria Silva called 2 times today, last at 13:05."


async def test_a_number_instead_of_a_name(
    hass: HomeAssistant, a_day_of_calls: None
) -> None:
    """A number asked about is matched as contacts are, and said with its name."""
    response = await intent.async_handle(
        hass,
        "test",
        INTENT_DID_CALL,
        {"name": {"value": "32 99999 9999"}, "period": {"value": "this_morning"}},
        language="pt-BR",
        assistant="conversation",
    )

    assert speech(response) == "Sim, (32) 99999-9999 ligou hoje de manhã às 10:30."


async def test_many_callers_are_counted(hass: HomeAssistant) -> None:
    """Past five callers, the others are counted, not named."""
    texts = await async_voice_texts(hass, "en")
    at = dt_util.parse_datetime("2026-11-27T12:00:00-03:00")
    assert at is not None
    callers = [Caller(f"Caller {n}", 1, at, False) for n in range(7)]

    answer = who_called(texts, Period.TODAY, Callers(callers, 7), missed=False)

    assert answer == (
        "7 calls today: Caller 0 at 12:00, Caller 1 at 12:00, Caller 2 at 12:00, "
        "Caller 3 at 12:00, Caller 4 at 12:00 and 2 more."
    )
