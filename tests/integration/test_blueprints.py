"""The automation blueprints: valid for Home Assistant, and working end to end."""

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


def test_there_are_two_blueprints() -> None:
    """Both promised blueprints ship."""
    assert NAMES == ["notify_unanswered_call.yaml", "turn_on_while_on_call.yaml"]


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


async def test_unanswered_call_blueprint_runs_its_action(
    hass: HomeAssistant,
    installed_blueprints: None,
    extension_device_id: str,
    wired_simulator: SimulatorServer,
) -> None:
    """An unanswered call of the chosen extension runs the action; others do not."""
    calls = async_mock_service(hass, "test", "notify")
    await _setup_automation(
        hass,
        "notify_unanswered_call.yaml",
        {
            "extension": extension_device_id,
            "notify_action": [
                {
                    "action": "test.notify",
                    "data": {
                        "message": "{{ caller }} -> {{ callee }}: {{ outcome }}",
                        "extension": "{{ extension }}",
                    },
                }
            ],
        },
    )
    pbx = wired_simulator.pbx
    answered = await pbx.start_call("6001", NUMBER)
    await pbx.hangup(answered, "ANSWERED")
    missed = await pbx.start_call("6001", "032888888888")
    await pbx.hangup(missed, "NO ANSWER")
    other = await pbx.start_call("6002", "032777777777")
    await pbx.hangup(other, "BUSY")
    await hass.async_block_till_done()

    assert [call.data for call in calls] == [
        {"message": "6001 -> 032888888888: no_answer", "extension": 6001}
    ]


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
