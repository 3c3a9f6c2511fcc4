"""Users' own extensions: with people paired, a non-admin dials only from theirs.

Ana (a user who is not an administrator) uses extension 6002. She is refused
6001 through each way of dialling — the action, the Dial button, the voice
intent and the LLM tool — and nothing reaches the PBX; an administrator and
an automation (no user) call from any extension.
"""

from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockUser

from bemmelhor_simulator import SimulatorServer
from custom_components.bemmelhor.const import CONF_PERSONS, DOMAIN
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .helpers import async_set_destination
from .voice_helpers import (
    async_non_admin,
    async_non_admin_with_person,
    async_say,
    async_setup_assist,
    async_use_call_tool,
    speech,
)

ANA = "person.ana"
DIAL_6001 = "button.extension_6001_dial"
DIAL_6002 = "button.extension_6002_dial"
DIALS = (DIAL_6001, DIAL_6002)


@pytest.fixture
def persons() -> dict[str, str]:
    """Return the ``persons`` option: Ana uses extension 6002."""
    return {"6002": ANA}


@pytest.fixture
def entry_options(
    entry_options: dict[str, Any], persons: dict[str, str]
) -> dict[str, Any]:
    """Pair the people with their extensions."""
    return entry_options | {CONF_PERSONS: persons}


@pytest.fixture
async def ana(hass: HomeAssistant) -> str:
    """Create Ana, a user who is not an administrator, and her person; return her id."""
    return await async_non_admin_with_person(hass, "Ana")


async def async_call(hass: HomeAssistant, extension: str, user_id: str | None) -> None:
    """Run ``bemmelhor.call`` to 6003 from ``extension`` as ``user_id``."""
    await hass.services.async_call(
        DOMAIN,
        "call",
        {"extension": extension, "destination": "6003"},
        blocking=True,
        context=Context(user_id=user_id),
    )


async def async_press(hass: HomeAssistant, entity_id: str, user_id: str) -> None:
    """Press a Dial button as ``user_id``, after typing 6003 in its destination."""
    await async_set_destination(
        hass,
        "6003",
        entity_id.replace("button.", "text.").replace("dial", "destination"),
    )
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
        context=Context(user_id=user_id),
    )


# The action


async def test_action_refuses_another_persons_extension(
    hass: HomeAssistant, ana: str, pbx: SimulatorServer
) -> None:
    """Ana may not make 6001 call; she is told which extension is hers."""
    with pytest.raises(ServiceValidationError) as err:
        await async_call(hass, "6001", ana)

    assert err.value.translation_key == "extension_not_yours"
    assert err.value.translation_placeholders == {"extension": "6001", "own": "6002"}
    assert pbx.requests == []


async def test_action_allows_own_extension(
    hass: HomeAssistant, ana: str, pbx: SimulatorServer
) -> None:
    """Ana calls from 6002."""
    await async_call(hass, "6002", ana)

    assert pbx.requests.paths() == ["/api/call/6002/6003"]


@pytest.mark.usefixtures("ana")
async def test_action_allows_an_admin(
    hass: HomeAssistant, hass_admin_user: MockUser, pbx: SimulatorServer
) -> None:
    """An administrator calls from any extension."""
    await async_call(hass, "6001", hass_admin_user.id)

    assert pbx.requests.paths() == ["/api/call/6001/6003"]


@pytest.mark.usefixtures("ana")
async def test_action_allows_an_automation(
    hass: HomeAssistant, pbx: SimulatorServer
) -> None:
    """An automation (no user in the context) calls from any extension."""
    await async_call(hass, "6001", None)

    assert pbx.requests.paths() == ["/api/call/6001/6003"]


@pytest.mark.usefixtures("ana")
async def test_action_refuses_a_user_without_an_extension(
    hass: HomeAssistant, pbx: SimulatorServer
) -> None:
    """A non-admin user without a person of an extension may not dial at all."""
    bruno = await async_non_admin(hass, "Bruno")

    with pytest.raises(ServiceValidationError) as err:
        await async_call(hass, "6002", bruno)

    assert err.value.translation_key == "no_own_extension"
    assert pbx.requests == []


@pytest.mark.parametrize("persons", [{}])
async def test_without_people_anyone_dials(
    hass: HomeAssistant, ana: str, pbx: SimulatorServer
) -> None:
    """Without the ``persons`` option, every user calls from any extension."""
    await async_call(hass, "6001", ana)

    assert pbx.requests.paths() == ["/api/call/6001/6003"]


# The Dial button


async def test_button_refuses_another_persons_extension(
    hass: HomeAssistant, ana: str, pbx: SimulatorServer
) -> None:
    """Ana pressing 6001's Dial button is refused."""
    with pytest.raises(ServiceValidationError) as err:
        await async_press(hass, DIAL_6001, ana)

    assert err.value.translation_key == "extension_not_yours"
    assert pbx.requests == []


async def test_button_allows_own_extension(
    hass: HomeAssistant, ana: str, pbx: SimulatorServer
) -> None:
    """Ana pressing her own Dial button calls."""
    await async_press(hass, DIAL_6002, ana)

    assert pbx.requests.paths() == ["/api/call/6002/6003"]


@pytest.mark.usefixtures("ana")
async def test_button_allows_an_admin(
    hass: HomeAssistant, hass_admin_user: MockUser, pbx: SimulatorServer
) -> None:
    """An administrator presses any Dial button."""
    await async_press(hass, DIAL_6001, hass_admin_user.id)

    assert pbx.requests.paths() == ["/api/call/6001/6003"]


# The voice intent


async def test_intent_refuses_another_persons_extension(
    hass: HomeAssistant, ana: str, pbx: SimulatorServer, tmp_path: Path
) -> None:
    """Asked by Ana to call from 6001, Assist says why it did not."""
    await async_setup_assist(hass, tmp_path)

    response = await async_say(hass, "ligar para 6003 do ramal 6001", "pt-BR", ana)

    assert speech(response) == (
        "A ligação não foi feita. O ramal 6001 não é seu: você só pode ligar"
        " do seu próprio ramal (6002)."
    )
    assert pbx.requests == []


async def test_intent_calls_from_own_extension(
    hass: HomeAssistant, ana: str, pbx: SimulatorServer, tmp_path: Path
) -> None:
    """Ana naming no extension calls from hers."""
    await async_setup_assist(hass, tmp_path)

    response = await async_say(hass, "ligar para 6003", "pt-BR", ana)

    assert speech(response) == "Ligando para Extension 6003 do ramal 6002"
    assert pbx.requests.paths() == ["/api/call/6002/6003"]


@pytest.mark.usefixtures("ana")
async def test_intent_allows_an_admin(
    hass: HomeAssistant,
    hass_admin_user: MockUser,
    pbx: SimulatorServer,
    tmp_path: Path,
) -> None:
    """An administrator calls by voice from any extension."""
    await async_setup_assist(hass, tmp_path)

    await async_say(hass, "ligar para 6003 do ramal 6001", "pt-BR", hass_admin_user.id)

    assert pbx.requests.paths() == ["/api/call/6001/6003"]


# The LLM tool


async def test_llm_tool_refuses_another_persons_extension(
    hass: HomeAssistant, ana: str, pbx: SimulatorServer
) -> None:
    """The agent asked by Ana to call from 6001 is told why not."""
    result = await async_use_call_tool(
        hass, {"destination": "6003", "extension": "6001"}, ana, DIALS
    )

    assert result.error
    assert result.data["reason"] == "call_failed"
    assert "O ramal 6001 não é seu" in str(result.data["error"])
    assert pbx.requests == []


@pytest.mark.usefixtures("ana")
async def test_llm_tool_allows_an_admin(
    hass: HomeAssistant, hass_admin_user: MockUser, pbx: SimulatorServer
) -> None:
    """An administrator's agent calls from any exposed extension."""
    result = await async_use_call_tool(
        hass, {"destination": "6003", "extension": "6001"}, hass_admin_user.id, DIALS
    )

    assert not result.error
    assert pbx.requests.paths() == ["/api/call/6001/6003"]
