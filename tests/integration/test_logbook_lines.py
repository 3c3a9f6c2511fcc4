"""How many logbook lines one call makes, with the exclusions the README gives.

Home Assistant's logbook lists every state change of every entity but
measurement sensors, and an integration cannot keep its entities out: the
user can, with the ``logbook:`` ``exclude:`` the README shows (``EXCLUDE``
here, checked against the README). Then an answered call is its two named
lines and the two events of the extension's ``call`` event entity.
"""

from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from bemmelhor_simulator.server import SimulatorServer
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from .helpers import NUMBER, async_poll

REPO = Path(__file__).parents[2]

EXCLUDE_GLOBS = [
    "sensor.*_call_state",
    "sensor.*_estado_da_chamada",
    "binary_sensor.*_on_call",
    "binary_sensor.*_em_chamada",
    "sensor.*_last_call",
    "sensor.*_ultima_chamada",
    "sensor.*_last_call_outcome",
    "sensor.*_resultado_da_ultima_chamada",
    "sensor.*_last_webhook",
    "sensor.*_ultimo_webhook",
    "todo.*_calls_to_return",
    "todo.*_ligacoes_a_retornar",
]
"""The README's exclusions, English and Portuguese entity ids (the ids follow
the system language the entities were made in)."""


@pytest.fixture(autouse=True)
def _custom_integrations(
    recorder_db_url: str, enable_custom_integrations: None
) -> None:
    """Let Home Assistant load the integration, after the recorder's database."""


@pytest.fixture
async def quiet_logbook(recorder_mock: Any, hass: HomeAssistant) -> None:
    """Set up the logbook with the README's exclusions, before the HTTP server."""
    hass.config.components.add("frontend")  # not installed in the test venv
    assert await async_setup_component(hass, "websocket_api", {})
    assert await async_setup_component(
        hass, "logbook", {"logbook": {"exclude": {"entity_globs": EXCLUDE_GLOBS}}}
    )


@pytest.fixture
def system_language(hass: HomeAssistant, request: pytest.FixtureRequest) -> str:
    """Set the system language before the entry makes its entities."""
    language: str = request.param
    hass.config.language = language
    return language


async def logbook_lines(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    entry: MockConfigEntry,
) -> list[tuple[str, str]]:
    """Return (entity id, message or event type) of the entry's logbook lines."""
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    ours = {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
    }
    client = await hass_ws_client()
    await client.send_json_auto_id(
        {
            "type": "logbook/get_events",
            "start_time": "2020-01-01T00:00:00+00:00",
            "end_time": "2100-01-01T00:00:00+00:00",
        }
    )
    response = await client.receive_json()
    return [
        (row["entity_id"], row.get("message") or row["attributes"]["event_type"])
        for row in response["result"]
        if row.get("entity_id") in ours
    ]


async def answered_call(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: SimulatorServer
) -> None:
    """6001 calls outside: dialing, ringing and talking seen by polls, hung up."""
    call_id = await sim.pbx.start_call("6001", NUMBER)
    await sim.pbx.advance(call_id)
    await async_poll(hass, freezer)
    await sim.pbx.advance(call_id)
    await async_poll(hass, freezer)
    await sim.pbx.hangup(call_id, "ANSWERED")


@pytest.mark.parametrize(
    ("system_language", "event_entity", "lines"),
    [
        (
            "en",
            "event.extension_6001_call",
            ["called (32) 99999-9999", "call to (32) 99999-9999 ended — Answered"],
        ),
        (
            "pt-BR",
            "event.ramal_6001_chamada",
            [
                "ligou para (32) 99999-9999",
                "ligação para (32) 99999-9999 encerrada — Atendida",
            ],
        ),
    ],
    indirect=["system_language"],
)
async def test_an_answered_call_is_two_named_lines(
    quiet_logbook: None,
    system_language: str,
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    event_entity: str,
    lines: list[str],
) -> None:
    """Two named lines and the event entity's two events: four lines, no state.

    Call state, on call, last call, its outcome and the hub's entities, which
    every call changes, add none.
    """
    await answered_call(hass, freezer, wired_simulator)

    found = await logbook_lines(hass, hass_ws_client, init_integration)

    assert [(entity, text.split(",")[0]) for entity, text in found] == [
        (event_entity, lines[0]),
        (event_entity, "dialing"),
        (event_entity, lines[1]),
        (event_entity, "hangup"),
    ]


@pytest.mark.parametrize(
    "path", ["README.md", "README.pt-BR.md", "config/configuration.yaml"]
)
def test_readme_and_demo_give_the_exclusions(path: str) -> None:
    """Both READMEs and the demo's configuration hold every exclusion tested here."""
    text = (REPO / path).read_text(encoding="utf-8")

    assert [glob for glob in EXCLUDE_GLOBS if f"- {glob}\n" not in text] == []
