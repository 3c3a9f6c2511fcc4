"""The automation blueprints: valid for Home Assistant, and working end to end."""

import asyncio
from pathlib import Path
import shutil
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

from bemmelhor_simulator.server import SimulatorServer
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import models
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict

from .helpers import NUMBER

BLUEPRINTS = Path(__file__).parents[2] / "blueprints" / "automation" / "bemmelhor"
NAMES = sorted(path.name for path in BLUEPRINTS.glob("*.yaml"))


@pytest.fixture
def installed_blueprints(hass: HomeAssistant) -> None:
    """Copy the blueprints where Home Assistant looks for them."""
    target = Path(hass.config.path("blueprints", "automation", "bemmelhor"))
    target.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        shutil.copy(BLUEPRINTS / name, target / name)


def test_there_are_four_blueprints() -> None:
    """Every promised blueprint ships."""
    assert NAMES == [
        "announce_caller.yaml",
        "notify_missed_call.yaml",
        "quiet_media_during_call.yaml",
        "turn_on_while_on_call.yaml",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_blueprint_is_valid(name: str) -> None:
    """Each blueprint passes Home Assistant's automation blueprint schema."""
    blueprint = models.Blueprint(
        load_yaml_dict(str(BLUEPRINTS / name)),
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert blueprint.domain == "automation"
    assert blueprint.metadata["name"].startswith("Bem Melhor")


async def settle() -> None:
    """Let running automations take their next steps.

    ``async_block_till_done`` would wait for an automation that waits for a
    trigger, that is for ever.
    """
    for _ in range(50):
        await asyncio.sleep(0)


async def _setup_automation(
    hass: HomeAssistant, path: str, inputs: dict[str, Any]
) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {"path": f"bemmelhor/{path}", "input": inputs}
            }
        },
    )
    await hass.async_block_till_done()


async def test_missed_call_blueprint_fires_for_calls_the_extension_missed(
    hass: HomeAssistant,
    installed_blueprints: None,
    extension_device_id: str,
    wired_simulator: SimulatorServer,
) -> None:
    """Calls to 6001 nobody answered run the action; 6001's own do not."""
    calls = async_mock_service(hass, "test", "notify")
    await _setup_automation(
        hass,
        "notify_missed_call.yaml",
        {
            "extension": extension_device_id,
            "notify_action": [
                {
                    "action": "test.notify",
                    "data": {
                        "message": "{{ caller_name }} -> {{ extension }}: {{ outcome }}",
                    },
                }
            ],
        },
    )
    pbx = wired_simulator.pbx
    for from_, to, disposition in (
        (NUMBER, "6001", "ANSWERED"),
        ("6001", "032888888888", "NO ANSWER"),
        (NUMBER, "6001", "NO ANSWER"),
        ("6002", "6001", "BUSY"),
        (NUMBER, "6002", "NO ANSWER"),
    ):
        call_id = await pbx.start_call(from_, to)
        await pbx.hangup(call_id, disposition)
    await hass.async_block_till_done()

    assert [call.data["message"] for call in calls] == [
        f"{NUMBER} -> 6001: no_answer",
        "Extension 6002 -> 6001: busy",
    ]


async def test_announce_blueprint_says_who_calls(
    hass: HomeAssistant,
    installed_blueprints: None,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
) -> None:
    """An incoming call to 6001 is announced with the caller; 6001's own are not."""
    spoken = async_mock_service(hass, "tts", "speak")
    await _setup_automation(
        hass,
        "announce_caller.yaml",
        {
            "extension": "6001",
            "tts_entity": "tts.home",
            "speaker": "media_player.office",
        },
    )
    await wired_simulator.pbx.start_call("6001", NUMBER)
    await wired_simulator.pbx.start_call("6002", "6001")
    await hass.async_block_till_done()

    assert [call.data for call in spoken] == [
        {
            "entity_id": ["tts.home"],
            "media_player_entity_id": "media_player.office",
            "message": "Ligação de Extension 6002",
        }
    ]


@pytest.mark.parametrize(
    ("lowered_volume", "during", "after"),
    [
        pytest.param(0, ("media_pause", {}), ("media_play", {}), id="pause"),
        pytest.param(
            0.1,
            ("volume_set", {"volume_level": 0.1}),
            ("volume_set", {"volume_level": 0.6}),
            id="lower",
        ),
    ],
)
async def test_quiet_media_blueprint_restores_the_players(
    hass: HomeAssistant,
    installed_blueprints: None,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    lowered_volume: float,
    during: tuple[str, dict[str, Any]],
    after: tuple[str, dict[str, Any]],
) -> None:
    """The playing player is paused (or lowered) for the call and restored after it."""
    recorded: list[tuple[str, dict[str, Any]]] = []
    for service in ("media_pause", "media_play", "volume_set"):

        async def record(call: Any, service: str = service) -> None:
            data = {
                key: value for key, value in call.data.items() if key != "entity_id"
            }
            recorded.append((service, data))

        hass.services.async_register("media_player", service, record)
    hass.states.async_set("media_player.kitchen", "playing", {"volume_level": 0.6})
    hass.states.async_set("media_player.garage", "idle", {"volume_level": 0.2})
    await _setup_automation(
        hass,
        "quiet_media_during_call.yaml",
        {
            "on_call": "binary_sensor.extension_6001_on_call",
            "players": ["media_player.kitchen", "media_player.garage"],
            "lowered_volume": lowered_volume,
        },
    )

    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await settle()
    assert recorded == [during]
    await wired_simulator.pbx.hangup(call_id)
    await settle()

    assert recorded == [during, after]


async def test_on_call_blueprint_follows_the_call(
    hass: HomeAssistant,
    installed_blueprints: None,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
) -> None:
    """The target turns on when the extension's call starts, off when it ends."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"on_air": {}}}
    )
    await _setup_automation(
        hass,
        "turn_on_while_on_call.yaml",
        {
            "on_call": "binary_sensor.extension_6001_on_call",
            "target_entity": "input_boolean.on_air",
        },
    )
    call_id = await wired_simulator.pbx.start_call("6001", "6002")
    await hass.async_block_till_done()
    assert hass.states.get("input_boolean.on_air").state == "on"  # type: ignore[union-attr]

    await wired_simulator.pbx.hangup(call_id)
    await hass.async_block_till_done()
    assert hass.states.get("input_boolean.on_air").state == "off"  # type: ignore[union-attr]
