"""The automation blueprints: valid for Home Assistant, and working end to end."""

import asyncio
from pathlib import Path
import shutil
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_mock_service,
)

from bemmelhor_simulator.server import SimulatorServer
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import models
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict

from .contact_helpers import async_add_contact
from .helpers import NUMBER, WebhookClient, async_post_all, dialing_body, hangup_body

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


def test_blueprint_names_are_portuguese() -> None:
    """The names read in Brazilian Portuguese first, as a São Paulo office reads them."""
    names = {
        name: load_yaml_dict(str(BLUEPRINTS / name))["blueprint"]["name"]
        for name in NAMES
    }

    assert names == {
        "announce_caller.yaml": "Bem Melhor — anunciar quem está ligando",
        "notify_missed_call.yaml": "Bem Melhor — avisar de ligação perdida",
        "quiet_media_during_call.yaml": "Bem Melhor — pausar a música durante a ligação",
        "turn_on_while_on_call.yaml": (
            "Bem Melhor — acender um aviso enquanto o ramal está em ligação"
        ),
    }


@pytest.mark.parametrize("name", NAMES)
def test_blueprint_picks_the_extension_device(name: str) -> None:
    """Each blueprint asks for the extension one way: its device, named "Ramal"."""
    extension = load_yaml_dict(str(BLUEPRINTS / name))["blueprint"]["input"][
        "extension"
    ]

    assert extension["name"] == "Ramal"
    assert extension["selector"] == {
        "device": {
            "filter": [{"integration": "bemmelhor"}],
            "entity": [{"integration": "bemmelhor", "domain": "event"}],
        }
    }


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
        f"{NUMBER} -> 6001: No answer",
        "Extension 6002 -> 6001: Busy",
    ]


@pytest.fixture
def phone(hass: HomeAssistant, device_registry: dr.DeviceRegistry) -> str:
    """Return the device of a phone with the Companion app, "Pixel 8"."""
    entry = MockConfigEntry(domain="mobile_app")
    entry.add_to_hass(hass)
    return device_registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={("mobile_app", "pixel-8")},
        name="Pixel 8",
    ).id


@pytest.fixture
def portuguese(hass: HomeAssistant) -> None:
    """Run Home Assistant in Brazilian Portuguese (before the integration starts)."""
    hass.config.language = "pt-BR"


async def test_missed_call_notification_calls_back(
    hass: HomeAssistant,
    portuguese: None,
    installed_blueprints: None,
    phone: str,
    extension_device_id: str,
    init_integration: MockConfigEntry,
    hass_admin_user: MockUser,
    wired_simulator: SimulatorServer,
) -> None:
    """The phone gets who called, the outcome in Portuguese and "Ligar de volta".

    Tapping the button (the Companion app fires its action) makes 6001 call
    the number back; no automation waits for it.
    """
    notified = async_mock_service(hass, "notify", "mobile_app_pixel_8")
    await async_add_contact(hass, init_integration, "Maria Silva", NUMBER)
    await _setup_automation(
        hass,
        "notify_missed_call.yaml",
        {"extension": extension_device_id, "phone": phone},
    )
    call_id = await wired_simulator.pbx.start_call(NUMBER, "6001")
    await wired_simulator.pbx.hangup(call_id, "NO ANSWER")
    await hass.async_block_till_done()

    (notification,) = notified
    action = f"BEMMELHOR_CALL_BACK:{init_integration.entry_id}:6001:{NUMBER}"
    assert notification.data == {
        "title": "Ligação perdida",
        "message": "Maria Silva ligou para o ramal 6001 — Não atendida",
        "data": {
            "tag": f"bemmelhor-{call_id}",
            "actions": [{"action": action, "title": "Ligar de volta"}],
        },
    }

    wired_simulator.requests.clear()
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": action},
        context=Context(user_id=hass_admin_user.id),
    )
    await hass.async_block_till_done()

    assert wired_simulator.requests.paths() == [f"/api/call/6001/{NUMBER}"]


async def test_missed_call_notification_without_a_number(
    hass: HomeAssistant,
    installed_blueprints: None,
    phone: str,
    extension_device_id: str,
    webhook_client: WebhookClient,
) -> None:
    """A caller without a number gets no button; the notification still goes."""
    notified = async_mock_service(hass, "notify", "mobile_app_pixel_8")
    await _setup_automation(
        hass,
        "notify_missed_call.yaml",
        {"extension": extension_device_id, "phone": phone, "title": "Missed call"},
    )
    await async_post_all(
        webhook_client,
        [
            dialing_body(from_="anonymous", to="6001"),
            hangup_body(from_="anonymous", disposition="NO ANSWER"),
        ],
    )
    await hass.async_block_till_done()

    (notification,) = notified
    assert notification.data["title"] == "Missed call"
    assert notification.data["data"]["actions"] == []


async def test_announce_blueprint_says_who_calls(
    hass: HomeAssistant,
    installed_blueprints: None,
    extension_device_id: str,
    wired_simulator: SimulatorServer,
) -> None:
    """Calls to 6001 are announced with the caller; 6001's own are not."""
    spoken = async_mock_service(hass, "tts", "speak")
    await _setup_automation(
        hass,
        "announce_caller.yaml",
        {
            "extension": extension_device_id,
            "tts_entity": "tts.home",
            "speaker": "media_player.office",
        },
    )
    for from_, to in (("6001", NUMBER), ("6002", "6001"), (NUMBER, "6002")):
        call_id = await wired_simulator.pbx.start_call(from_, to)
        await hass.async_block_till_done()
        await wired_simulator.pbx.hangup(call_id)
    await wired_simulator.pbx.start_call(NUMBER, "6001")
    await hass.async_block_till_done()

    assert [call.data for call in spoken] == [
        {
            "entity_id": ["tts.home"],
            "media_player_entity_id": "media_player.office",
            "message": f"Ligação de {message}",
        }
        for message in ("Extension 6002", NUMBER)
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
    extension_device_id: str,
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
            "extension": extension_device_id,
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
    extension_device_id: str,
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
            "extension": extension_device_id,
            "target_entity": "input_boolean.on_air",
        },
    )
    call_id = await wired_simulator.pbx.start_call("6001", "6002")
    await hass.async_block_till_done()
    assert hass.states.get("input_boolean.on_air").state == "on"  # type: ignore[union-attr]

    await wired_simulator.pbx.hangup(call_id)
    await hass.async_block_till_done()
    assert hass.states.get("input_boolean.on_air").state == "off"  # type: ignore[union-attr]
