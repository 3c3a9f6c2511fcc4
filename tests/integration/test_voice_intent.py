"""Calls by voice: Home Assistant's own assistant with the shipped sentence files.

Each test speaks to the real conversation agent (``conversation.async_converse``)
in Brazilian Portuguese or English, with ``custom_sentences/`` copied into the
configuration folder as the README says, against the PBX simulator.
"""

import logging
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from bemmelhor_simulator import Endpoint, FaultKind, SimulatorServer
from bemmelhor_simulator.pytest_plugin import SimulatorFactory
from custom_components.bemmelhor.const import (
    CONF_CLIENT_ID,
    CONF_DEFAULT_EXTENSION,
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    CONF_PERSONS,
)
from custom_components.bemmelhor.intent import INTENT_CALL
from homeassistant.components import conversation
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
from homeassistant.helpers.intent import IntentResponseErrorCode, IntentResponseType

from .contact_helpers import async_add_contact
from .helpers import (
    CLIENT_ID,
    EXTENSIONS,
    NOW,
    NUMBER,
    BreakPbx,
    async_setup_entry,
    fault,
    refuse_connections,
)
from .voice_helpers import (
    PERSON,
    async_add_second_pbx,
    async_say,
    async_setup_assist,
    async_setup_person,
    speech,
)

MARIA_CALLS = "011987654321"
"""Maria Silva's mobile, as the PBX dials it."""
ONE_EXTENSION = {
    CONF_EXTENSIONS: ["6002"],
    CONF_OUTSIDE_LINE_PREFIX: "0",
    CONF_CLIENT_ID: CLIENT_ID,
}
WITH_DEFAULT = {
    CONF_EXTENSIONS: EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX: "0",
    CONF_CLIENT_ID: CLIENT_ID,
    CONF_DEFAULT_EXTENSION: "6002",
}
WITH_PERSON = WITH_DEFAULT | {CONF_PERSONS: {"6003": PERSON}}

pytestmark = pytest.mark.freeze_time(NOW)


@pytest.fixture
async def assist(hass: HomeAssistant, tmp_path: Path) -> None:
    """Set up Home Assistant's voice assistant with the repository's sentences."""
    await async_setup_assist(hass, tmp_path)


@pytest.fixture
async def maria(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """Add the contact Maria Silva (+55 11 98765-4321) to the loaded entry."""
    await async_add_contact(hass, init_integration)


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return every message logged at error level or above (stack traces too)."""
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        (
            "pt-BR",
            "ligar para a Maria do ramal 6001",
            "Ligando para Maria Silva do ramal 6001",
        ),
        ("pt-BR", "Liga pra maria silva pelo ramal 6001.", None),
        ("pt-BR", "do ramal 6001, telefona pra Maria", None),
        (
            "en",
            "call Maria from extension 6001",
            "Calling Maria Silva from extension 6001",
        ),
        ("en", "From extension 6001, give Maria a call.", None),
    ],
)
async def test_call_a_contact_by_name(
    hass: HomeAssistant,
    maria: None,
    pbx: SimulatorServer,
    language: str,
    said: str,
    answer: str | None,
) -> None:
    """A contact's name is looked up, dialled, and the answer names the contact."""
    response = await async_say(hass, said, language)

    assert response.intent is not None
    assert response.intent.intent_type == INTENT_CALL
    assert response.response_type is IntentResponseType.ACTION_DONE
    assert pbx.requests.paths() == [f"/api/call/6001/{MARIA_CALLS}"]
    assert speech(response) == (answer or speech(response))
    assert "Maria Silva" in speech(response)


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        (
            "pt-BR",
            "ligue para o 32 99999 9999 do ramal 6002",
            "Ligando para (32) 99999-9999 do ramal 6002",
        ),
        (
            "pt-BR",
            "disca três dois nove nove nove nove nove nove nove nove nove "
            "pelo ramal 6002",
            "Ligando para (32) 99999-9999 do ramal 6002",
        ),
        (
            "pt-BR",
            "ligue para o número (32) 99999-9999 do ramal 6002",
            "Ligando para (32) 99999-9999 do ramal 6002",
        ),
        (
            "en",
            "dial 32 99999 9999 from extension 6002",
            "Calling (32) 99999-9999 from extension 6002",
        ),
        (
            "en",
            "call the number three two nine nine nine nine nine nine nine nine nine "
            "from extension 6002",
            "Calling (32) 99999-9999 from extension 6002",
        ),
    ],
)
async def test_call_a_spoken_number(
    hass: HomeAssistant,
    maria: None,
    pbx: SimulatorServer,
    language: str,
    said: str,
    answer: str,
) -> None:
    """A number said in digits or digit words is dialled with the outside line."""
    response = await async_say(hass, said, language)

    assert response.response_type is IntentResponseType.ACTION_DONE
    assert speech(response) == answer
    assert pbx.requests.paths() == [f"/api/call/6002/{NUMBER}"]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("pt-BR", "ligar para o ramal 6003 do ramal 6001"),
        ("pt-BR", "do ramal 6001, liga pro ramal 6003"),
        ("en", "call extension 6003 from extension 6001"),
        ("en", "from extension 6001 call the extension 6003"),
    ],
)
async def test_call_an_extension(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer, language: str, said: str
) -> None:
    """An extension said as one is dialled as it is and said by its name."""
    response = await async_say(hass, said, language)

    assert response.response_type is IntentResponseType.ACTION_DONE
    assert "Extension 6003" in speech(response)
    assert pbx.requests.paths() == ["/api/call/6001/6003"]


async def test_a_contacts_number_is_said_with_its_name(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """Calling Maria's number says her name."""
    response = await async_say(
        hass, "ligue para o 11 98765 4321 do ramal 6002", "pt-BR"
    )

    assert speech(response) == "Ligando para Maria Silva do ramal 6002"
    assert pbx.requests.paths() == [f"/api/call/6002/{MARIA_CALLS}"]


@pytest.mark.parametrize("entry_options", [WITH_PERSON])
async def test_the_speaking_user_calls_from_their_extension(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer, hass_admin_user: MockUser
) -> None:
    """The extension of the speaker's person calls, before the default one."""
    await async_setup_person(hass, hass_admin_user.id)

    response = await async_say(hass, "liga pra Maria", "pt-BR", hass_admin_user.id)

    assert speech(response) == "Ligando para Maria Silva do ramal 6003"
    assert pbx.requests.paths() == [f"/api/call/6003/{MARIA_CALLS}"]


@pytest.mark.parametrize("entry_options", [WITH_PERSON])
async def test_an_extension_said_wins_over_the_persons(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer, hass_admin_user: MockUser
) -> None:
    """An extension said in the sentence calls, whoever speaks."""
    await async_setup_person(hass, hass_admin_user.id)

    await async_say(hass, "call Maria from extension 6001", "en", hass_admin_user.id)

    assert pbx.requests.paths() == [f"/api/call/6001/{MARIA_CALLS}"]


@pytest.mark.parametrize("entry_options", [WITH_PERSON])
async def test_the_default_extension_calls_for_others(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """Someone without an extension of their own calls from the default one."""
    response = await async_say(hass, "call Maria", "en")

    assert speech(response) == "Calling Maria Silva from extension 6002"
    assert pbx.requests.paths() == [f"/api/call/6002/{MARIA_CALLS}"]


@pytest.mark.parametrize("entry_options", [ONE_EXTENSION])
async def test_the_only_extension_calls(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """With one extension and no default, that extension calls."""
    response = await async_say(hass, "liga pra Maria", "pt-BR")

    assert speech(response) == "Ligando para Maria Silva do ramal 6002"
    assert pbx.requests.paths() == [f"/api/call/6002/{MARIA_CALLS}"]


@pytest.mark.parametrize(
    ("language", "asked", "question", "answered", "answer"),
    [
        (
            "pt-BR",
            "liga pra Maria",
            "De qual ramal devo ligar para Maria Silva: 6001, 6002 ou 6003?",
            "do ramal 6002",
            "Ligando para Maria Silva do ramal 6002",
        ),
        (
            "en",
            "call Maria",
            "Which extension should call Maria Silva: 6001, 6002 or 6003?",
            "extension 6002",
            "Calling Maria Silva from extension 6002",
        ),
    ],
)
async def test_asks_which_extension_and_calls_from_the_answer(
    hass: HomeAssistant,
    maria: None,
    pbx: SimulatorServer,
    hass_admin_user: MockUser,
    language: str,
    asked: str,
    question: str,
    answered: str,
    answer: str,
) -> None:
    """Several extensions and none chosen: the assistant asks, then calls.

    Nothing is dialled before the answer, which only needs the extension.
    """
    context = Context(user_id=hass_admin_user.id)
    result = await conversation.async_converse(
        hass, asked, None, context, language=language
    )

    assert speech(result.response) == question
    assert pbx.requests.paths() == []

    result = await conversation.async_converse(
        hass, answered, result.conversation_id, context, language=language
    )

    assert speech(result.response) == answer
    assert pbx.requests.paths() == [f"/api/call/6002/{MARIA_CALLS}"]


async def test_an_old_question_is_forgotten(
    hass: HomeAssistant,
    maria: None,
    pbx: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An extension said minutes after the question calls no one."""
    await async_say(hass, "liga pra Maria", "pt-BR")
    freezer.tick(180)

    response = await async_say(hass, "do ramal 6002", "pt-BR")

    assert speech(response) == (
        "Diga para quem ligar, por exemplo: ligar para a Maria do ramal 6001."
    )
    assert pbx.requests.paths() == []


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        (
            "pt-BR",
            "liga pra Joana do ramal 6001",
            "Não há nenhum contato chamado Joana.",
        ),
        ("en", "call Joana from extension 6001", "There is no contact called Joana."),
        (
            "pt-BR",
            "liga pra Maria do ramal 6009",
            "O ramal 6009 não é um dos ramais do PABX Bem Melhor.",
        ),
        (
            "en",
            "call Maria from extension 6009",
            "Extension 6009 is not one of the Bem Melhor PBX's extensions.",
        ),
        (
            "pt-BR",
            "disca 123456789012345678901 do ramal 6001",
            "123456789012345678901 não é um número que eu possa discar.",
        ),
        (
            "en",
            "dial 123456789012345678901 from extension 6001",
            "123456789012345678901 is not a number I can dial.",
        ),
        (
            "en",
            "extension 6001",
            "Say whom to call, for example: call Maria from extension 6001.",
        ),
    ],
    ids=[
        "unknown_name_pt",
        "unknown_name_en",
        "unknown_extension_pt",
        "unknown_extension_en",
        "not_a_number_pt",
        "not_a_number_en",
        "nobody_en",
    ],
)
async def test_refused_requests_are_answered(
    hass: HomeAssistant,
    maria: None,
    pbx: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
    language: str,
    said: str,
    answer: str,
) -> None:
    """What cannot be called is answered in the user's language; the PBX is not asked."""
    response = await async_say(hass, said, language)

    assert response.response_type is IntentResponseType.ERROR
    assert response.error_code is IntentResponseErrorCode.NO_VALID_TARGETS
    assert speech(response) == answer
    assert pbx.requests.paths() == []
    assert errors_logged(caplog) == []


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        (
            "pt-BR",
            "liga pra Maria do ramal 6001",
            "Há vários contatos chamados Maria: Maria Silva, Maria Souza. "
            "Diga o nome completo.",
        ),
        (
            "en",
            "call Maria from extension 6001",
            "Several contacts are called Maria: Maria Silva, Maria Souza. "
            "Say the full name.",
        ),
    ],
)
async def test_two_marias_are_answered(
    hass: HomeAssistant,
    maria: None,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    language: str,
    said: str,
    answer: str,
) -> None:
    """A name two contacts share is answered with both names; nobody is called."""
    await async_add_contact(hass, init_integration, "Maria Souza", "11 3333-4444")

    response = await async_say(hass, said, language)

    assert speech(response) == answer
    assert pbx.requests.paths() == []


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        (
            "pt-BR",
            "liga pra Maria do ramal 6001",
            "A ligação não foi feita. Não foi possível conectar ao PABX Bem Melhor.",
        ),
        (
            "en",
            "call Maria from extension 6001",
            "The call was not placed. Could not connect to the Bem Melhor PBX.",
        ),
    ],
)
async def test_a_pbx_that_is_down_is_answered(
    hass: HomeAssistant,
    maria: None,
    pbx: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
    language: str,
    said: str,
    answer: str,
) -> None:
    """A PBX that cannot be reached is said so, without a stack trace."""
    await refuse_connections(pbx)

    response = await async_say(hass, said, language)

    assert response.response_type is IntentResponseType.ERROR
    assert response.error_code is IntentResponseErrorCode.FAILED_TO_HANDLE
    assert speech(response) == answer
    assert pbx.requests.paths() == []
    assert errors_logged(caplog) == []


async def test_a_refusal_of_the_pbx_is_answered(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """The PBX's own refusal is said with its message."""
    breaks: BreakPbx = fault(
        Endpoint.CALL, FaultKind.API_ERROR, message="Ramal inválido"
    )
    await breaks(pbx)

    response = await async_say(hass, "liga pra Maria do ramal 6001", "pt-BR")

    assert speech(response) == (
        "A ligação não foi feita. O PABX Bem Melhor recusou o pedido: Ramal inválido"
    )


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        (
            "pt-BR",
            "Nenhum PABX Bem Melhor está configurado, então não posso fazer ligações.",
        ),
        ("en", "No Bem Melhor PBX is set up, so I cannot place calls."),
    ],
)
async def test_no_pbx_is_answered(
    hass: HomeAssistant,
    assist: None,
    pbx_simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    language: str,
    answer: str,
) -> None:
    """Without a loaded entry (the PBX down at start-up), the answer says so."""
    await refuse_connections(pbx_simulator)
    await async_setup_entry(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    said = {"pt-BR": "liga pra Maria", "en": "call Maria"}[language]

    response = await async_say(hass, said, language)

    assert speech(response) == answer


async def test_other_sentences_are_left_alone(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """Leave "liga a luz" to Home Assistant: "ligar" is also "turn on"."""
    response = await async_say(hass, "liga a luz da cozinha", "pt-BR")

    assert response.intent is None or response.intent.intent_type != INTENT_CALL
    assert pbx.requests.paths() == []


@pytest.fixture
async def second_pbx(
    hass: HomeAssistant, pbx_simulator_factory: SimulatorFactory
) -> SimulatorServer:
    """Return a second simulated PBX, extension 7001, with its own loaded entry."""
    return await async_add_second_pbx(hass, pbx_simulator_factory)


async def test_the_pbx_of_the_extension_calls(
    hass: HomeAssistant,
    maria: None,
    pbx: SimulatorServer,
    second_pbx: SimulatorServer,
) -> None:
    """With two PBXs, the one that has the extension calls (contacts of either)."""
    response = await async_say(hass, "liga pra Maria do ramal 7001", "pt-BR")

    assert speech(response) == "Ligando para Maria Silva do ramal 7001"
    assert second_pbx.requests.paths() == [f"/api/call/7001/{MARIA_CALLS}"]
    assert pbx.requests.paths() == []


async def test_extensions_of_every_pbx_are_offered(
    hass: HomeAssistant,
    maria: None,
    pbx: SimulatorServer,
    second_pbx: SimulatorServer,
) -> None:
    """The question lists the extensions of every PBX."""
    response = await async_say(hass, "call 32 99999 9999", "en")

    assert speech(response) == (
        "Which extension should call (32) 99999-9999: 6001, 6002, 6003 or 7001?"
    )


async def test_the_intent_without_its_sentences(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer
) -> None:
    """Slots without their spoken text (an automation, a tool) work as well."""
    response = await intent.async_handle(
        hass,
        "test",
        INTENT_CALL,
        {"name": {"value": "Maria"}, "extension": {"value": "6001"}},
        language="en",
    )

    assert speech(response) == "Calling Maria Silva from extension 6001"
    assert pbx.requests.paths() == [f"/api/call/6001/{MARIA_CALLS}"]


@pytest.mark.parametrize(
    "entry_options", [WITH_DEFAULT | {CONF_PERSONS: {"6001": PERSON, "6003": PERSON}}]
)
async def test_a_person_with_two_extensions_is_asked_which(
    hass: HomeAssistant, maria: None, pbx: SimulatorServer, hass_admin_user: MockUser
) -> None:
    """Someone who uses two extensions chooses between those two."""
    await async_setup_person(hass, hass_admin_user.id)

    response = await async_say(hass, "liga pra Maria", "pt-BR", hass_admin_user.id)

    assert speech(response) == (
        "De qual ramal devo ligar para Maria Silva: 6001 ou 6003?"
    )
    assert pbx.requests.paths() == []
