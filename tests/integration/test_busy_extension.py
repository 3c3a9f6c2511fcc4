"""Dialling from an extension that is on a call: refused, unless told to go ahead.

The PBX would drop the new call without a word; Home Assistant says
"Ramal 6001 está em ligação" instead, through the action, the Dial button,
the voice intent and the LLM tool. The action's ``even_if_busy`` and the
tool's argument of the same name go ahead.
"""

from pathlib import Path

import pytest
from pytest_homeassistant_custom_component.common import MockUser

from bemmelhor_simulator import Endpoint, SimulatorServer
from custom_components.bemmelhor.const import DOMAIN
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.translation import async_get_translations

from .helpers import NUMBER, async_action, async_set_destination
from .voice_helpers import async_say, async_setup_assist, async_use_call_tool, speech

DIALS = ("button.extension_6001_dial",)


@pytest.fixture
async def assist(hass: HomeAssistant, tmp_path: Path) -> None:
    """Set up Assist (before Home Assistant's HTTP server starts for the webhooks)."""
    await async_setup_assist(hass, tmp_path)


@pytest.fixture
async def busy(
    hass: HomeAssistant, wired_simulator: SimulatorServer
) -> SimulatorServer:
    """Put extension 6001 on a call; return the simulator, its requests forgotten."""
    await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()
    wired_simulator.requests.clear()
    return wired_simulator


def calls_placed(simulator: SimulatorServer) -> list[str]:
    """Return the click-to-call requests the PBX received."""
    return [request.path for request in simulator.requests.for_endpoint(Endpoint.CALL)]


async def test_action_refuses_a_busy_extension(
    hass: HomeAssistant, busy: SimulatorServer
) -> None:
    """6001 on a call: the action is refused, the PBX is not asked."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(hass, "call", {"extension": "6001", "destination": "6003"})

    assert err.value.translation_key == "extension_busy"
    assert err.value.translation_placeholders == {"extension": "6001"}
    assert calls_placed(busy) == []


async def test_action_goes_ahead_when_told(
    hass: HomeAssistant, busy: SimulatorServer
) -> None:
    """``even_if_busy`` places the call anyway."""
    await async_action(
        hass,
        "call",
        {"extension": "6001", "destination": "6003", "even_if_busy": True},
    )

    assert calls_placed(busy) == ["/api/call/6001/6003"]


async def test_another_extension_is_not_busy(
    hass: HomeAssistant, busy: SimulatorServer
) -> None:
    """Only the extension on the call is busy."""
    await async_action(hass, "call", {"extension": "6002", "destination": "6003"})

    assert calls_placed(busy) == ["/api/call/6002/6003"]


async def test_button_refuses_a_busy_extension(
    hass: HomeAssistant, busy: SimulatorServer
) -> None:
    """The Dial button of an extension on a call is refused."""
    await async_set_destination(hass, "6003")

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            BUTTON_DOMAIN,
            SERVICE_PRESS,
            {ATTR_ENTITY_ID: "button.extension_6001_dial"},
            blocking=True,
        )

    assert err.value.translation_key == "extension_busy"
    assert calls_placed(busy) == []


async def test_intent_says_the_extension_is_busy(
    hass: HomeAssistant, assist: None, busy: SimulatorServer
) -> None:
    """Assist says so in Portuguese."""
    response = await async_say(hass, "ligar para 6003 do ramal 6001", "pt-BR")

    assert speech(response) == "A ligação não foi feita. Ramal 6001 está em ligação."
    assert calls_placed(busy) == []


async def test_llm_tool_says_busy_then_goes_ahead(
    hass: HomeAssistant, busy: SimulatorServer, hass_admin_user: MockUser
) -> None:
    """The agent hears the extension is busy; told to go ahead, it calls."""
    args = {"destination": "6003", "extension": "6001"}
    refused = await async_use_call_tool(hass, args, hass_admin_user.id, DIALS)

    assert refused.error
    assert refused.data["error"] == (
        "A ligação não foi feita. Ramal 6001 está em ligação."
    )
    assert calls_placed(busy) == []

    placed = await async_use_call_tool(
        hass, args | {"even_if_busy": True}, hass_admin_user.id, DIALS
    )

    assert not placed.error
    assert calls_placed(busy) == ["/api/call/6001/6003"]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("pt-BR", "Ramal 6001 está em ligação."),
        ("en", "Extension 6001 is on a call."),
    ],
)
async def test_busy_message_translated(
    hass: HomeAssistant, language: str, message: str
) -> None:
    """The refusal reads "Ramal 6001 está em ligação" on a Portuguese system."""
    translations = await async_get_translations(hass, language, "exceptions", [DOMAIN])

    template = translations[f"component.{DOMAIN}.exceptions.extension_busy.message"]
    assert template.format(extension="6001") == message
