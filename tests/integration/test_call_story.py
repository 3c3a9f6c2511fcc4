"""Whole calls, end to end: the PBX simulator's webhooks and polls against Home Assistant.

The simulator sends its webhooks to Home Assistant over real HTTP; the poll
of ``/api/active`` is driven by moving the (frozen) clock past the 30 s
interval. The stale-call watchdog is covered here too.
"""

from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.const import DOMAIN
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component

from .helpers import (
    NUMBER,
    WEBHOOK_PATH,
    WebhookClient,
    async_poll,
    dialing_body,
    get_state,
    hangup_body,
    integration_records,
)

START = "2026-03-02T14:00:00+00:00"
CALL_STATE = "sensor.extension_6001_call_state"

pytestmark = pytest.mark.freeze_time(START)


def state_history(
    changes: list[Event[EventStateChangedData]], entity_id: str
) -> list[str]:
    """Return the successive states of an entity (attribute-only changes left out)."""
    return [
        new.state
        for change in changes
        if change.data["entity_id"] == entity_id
        and (new := change.data["new_state"]) is not None
        and (old := change.data["old_state"]) is not None
        and old.state != new.state
    ]


def fired_event_types(
    changes: list[Event[EventStateChangedData]], entity_id: str
) -> list[str]:
    """Return the ``event_type`` of each state an event entity wrote."""
    return [
        new.attributes["event_type"]
        for change in changes
        if change.data["entity_id"] == entity_id
        and (new := change.data["new_state"]) is not None
    ]


@pytest.fixture
def state_changes(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> list[Event[EventStateChangedData]]:
    """Return the state changes written after the integration was set up."""
    events: list[Event[EventStateChangedData]] = async_capture_events(
        hass, EVENT_STATE_CHANGED
    )
    return events


async def answered_call(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: SimulatorServer
) -> None:
    """6001 calls outside; it rings, is answered, and hangs up 62 s after dialing."""
    call_id = await sim.pbx.start_call("6001", NUMBER)
    await sim.pbx.advance(call_id)
    await async_poll(hass, freezer)
    await sim.pbx.advance(call_id)
    await async_poll(hass, freezer)
    await sim.pbx.hangup(call_id, "ANSWERED")


async def unanswered_call(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: SimulatorServer
) -> None:
    """6001 calls outside; it rings, nobody answers, and it hangs up."""
    call_id = await sim.pbx.start_call("6001", NUMBER, disposition="NO ANSWER")
    await sim.pbx.advance(call_id)
    await async_poll(hass, freezer)
    await sim.pbx.hangup(call_id, "NO ANSWER")


# --- An answered call --------------------------------------------------------


@pytest.mark.parametrize(
    ("entity_id", "story"),
    [
        pytest.param(
            CALL_STATE, ["dialing", "ringing", "talking", "idle"], id="call-state"
        ),
        pytest.param(
            "binary_sensor.extension_6001_on_call", ["on", "off"], id="on-call"
        ),
    ],
)
async def test_answered_call_story(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    state_changes: list[Event[EventStateChangedData]],
    wired_simulator: SimulatorServer,
    entity_id: str,
    story: list[str],
) -> None:
    """The answered call's story, as each entity tells it.

    The call state walks dialing → ringing → talking → idle; the extension is
    on a call from the dialing to the hangup.
    """
    await answered_call(hass, freezer, wired_simulator)

    assert state_history(state_changes, entity_id) == story


async def test_answered_call_talking_attributes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    wired_simulator: SimulatorServer,
) -> None:
    """While talking, the call state shows the call and both channels."""
    sim = wired_simulator
    call_id = await sim.pbx.start_call("6001", NUMBER)
    await sim.pbx.advance(call_id)
    await sim.pbx.advance(call_id)
    await async_poll(hass, freezer)

    state = get_state(hass, CALL_STATE)
    assert state.state == "talking"
    assert {key: state.attributes[key] for key in ("call_id", "from", "to")} == {
        "call_id": call_id,
        "from": "6001",
        "to": NUMBER,
    }
    assert state.attributes["channel"].startswith("SIP/6001-")
    assert state.attributes["linked_channel"].startswith("SIP/")
    assert state.attributes["started"] == "2026-03-02T14:00:00+00:00"


async def test_answered_call_last_call(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    wired_simulator: SimulatorServer,
) -> None:
    """``last_call`` is the hangup's time; the duration comes from the two webhooks."""
    await answered_call(hass, freezer, wired_simulator)

    state = get_state(hass, "sensor.extension_6001_last_call")
    assert state.state == "2026-03-02T14:01:02+00:00"
    assert {
        key: state.attributes[key] for key in ("from", "to", "disposition", "duration")
    } == {"from": "6001", "to": NUMBER, "disposition": "answered", "duration": 62}
    assert get_state(hass, "sensor.extension_6001_last_call_outcome").state == (
        "answered"
    )


async def test_answered_call_bus_events(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    extension_device_id: str,
    dialing_events: list[Event],
    hangup_events: list[Event],
    wired_simulator: SimulatorServer,
) -> None:
    """One dialing and one hangup event tell the call, ``to`` resolved from ``h``."""
    await answered_call(hass, freezer, wired_simulator)
    (call,) = wired_simulator.pbx.history
    common: dict[str, Any] = {
        "config_entry_id": init_integration.entry_id,
        "device_id": extension_device_id,
        "entity_id": "event.extension_6001_call",
        "extension": "6001",
        "call_id": call.call_id,
        "from": "6001",
        "to": NUMBER,
        "from_name": "Extension 6001",
        "to_name": None,
        "direction": "outbound",
        "source": "webhook",
        "error": None,
    }

    assert [event.data for event in dialing_events] == [
        common
        | {
            "disposition": None,
            "server_message": "Chamando o destino",
            "created": "2026-03-02T14:00:00+00:00",
            "placed_by": None,
        }
    ]
    assert [event.data for event in hangup_events] == [
        common
        | {
            "disposition": "answered",
            "raw_disposition": "ANSWERED",
            "server_message": "Ligação encerrada",
            "created": "2026-03-02T14:01:02+00:00",
            "duration": 62,
        }
    ]


async def test_answered_call_event_entity(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    state_changes: list[Event[EventStateChangedData]],
    wired_simulator: SimulatorServer,
) -> None:
    """The extension's event entity fires ``dialing`` then ``hangup``."""
    await answered_call(hass, freezer, wired_simulator)

    assert fired_event_types(state_changes, "event.extension_6001_call") == [
        "dialing",
        "hangup",
    ]


async def test_every_webhook_was_accepted(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    wired_simulator: SimulatorServer,
) -> None:
    """Home Assistant answered the simulator's two webhooks 200."""
    await answered_call(hass, freezer, wired_simulator)

    assert [
        (delivery.event, delivery.status)
        for delivery in wired_simulator.webhooks.deliveries
    ] == [("call.dialing", 200), ("call.hangup", 200)]


async def test_update_entity_polls_at_once(
    hass: HomeAssistant, wired_simulator: SimulatorServer
) -> None:
    """``homeassistant.update_entity`` shows a ringing call without waiting 30 s."""
    assert await async_setup_component(hass, "homeassistant", {})
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await wired_simulator.pbx.advance(call_id)

    await hass.services.async_call(
        "homeassistant", "update_entity", {"entity_id": CALL_STATE}, blocking=True
    )

    assert get_state(hass, CALL_STATE).state == "ringing"


async def test_incoming_call_from_outside(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    state_changes: list[Event[EventStateChangedData]],
    wired_simulator: SimulatorServer,
) -> None:
    """A call from outside rings 6002 from its dialing webhook on: ringing → talking → idle."""
    sim = wired_simulator
    call_id = await sim.pbx.start_call(NUMBER, "6002")
    await sim.pbx.advance(call_id)
    await async_poll(hass, freezer)
    await sim.pbx.advance(call_id)
    await async_poll(hass, freezer)
    await sim.pbx.hangup(call_id, "ANSWERED")

    assert state_history(state_changes, "sensor.extension_6002_call_state") == [
        "ringing",
        "talking",
        "idle",
    ]
    assert get_state(hass, "sensor.extension_6002_last_call").attributes["from"] == (
        NUMBER
    )


async def test_called_extension_rings_from_the_dialing_webhook(
    hass: HomeAssistant,
    state_changes: list[Event[EventStateChangedData]],
    wired_simulator: SimulatorServer,
) -> None:
    """Between extensions, the webhook shows the caller dialing and the called end ringing.

    No poll has seen either channel yet.
    """
    await wired_simulator.pbx.start_call("6001", "6002")

    assert get_state(hass, CALL_STATE).state == "dialing"
    assert get_state(hass, "sensor.extension_6002_call_state").state == "ringing"


# --- An unanswered call ------------------------------------------------------


async def test_unanswered_call_state_story(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    state_changes: list[Event[EventStateChangedData]],
    wired_simulator: SimulatorServer,
) -> None:
    """An unanswered call walks dialing → ringing → idle, never talking."""
    await unanswered_call(hass, freezer, wired_simulator)

    assert state_history(state_changes, CALL_STATE) == ["dialing", "ringing", "idle"]


async def test_unanswered_call_outcome(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hangup_events: list[Event],
    wired_simulator: SimulatorServer,
) -> None:
    """``NO ANSWER`` ends as ``no_answer``, in the sensor and the bus event."""
    await unanswered_call(hass, freezer, wired_simulator)

    assert get_state(hass, "sensor.extension_6001_last_call_outcome").state == (
        "no_answer"
    )
    assert [event.data["disposition"] for event in hangup_events] == ["no_answer"]
    assert [event.data["duration"] for event in hangup_events] == [31]


@pytest.mark.parametrize(
    ("trigger_type", "runs"),
    [("not_answered", 1), ("answered", 0), ("hangup", 1), ("dialing", 1)],
)
async def test_unanswered_call_triggers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    extension_device_id: str,
    automation_calls: list[ServiceCall],
    wired_simulator: SimulatorServer,
    trigger_type: str,
    runs: int,
) -> None:
    """An unanswered call fires ``not_answered`` (and not ``answered``)."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "trigger": {
                    "platform": "device",
                    "domain": DOMAIN,
                    "device_id": extension_device_id,
                    "type": trigger_type,
                },
                "action": {"service": "test.automation"},
            }
        },
    )

    await unanswered_call(hass, freezer, wired_simulator)
    await hass.async_block_till_done()

    assert len(automation_calls) == runs


# --- The stale-call watchdog -------------------------------------------------


async def test_call_without_hangup_is_ended_by_the_watchdog(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    webhook_client: WebhookClient,
) -> None:
    """A dialing whose call the PBX does not show is ended by the next poll."""
    await webhook_client.post(WEBHOOK_PATH, json=dialing_body("lost-hangup"))
    assert get_state(hass, CALL_STATE).state == "dialing"

    await async_poll(hass, freezer)

    assert get_state(hass, CALL_STATE).state == "idle"


async def test_watchdog_logs_one_warning(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    webhook_client: WebhookClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Ending a stale call logs exactly one warning, and later polls add none."""
    await webhook_client.post(WEBHOOK_PATH, json=dialing_body("lost-hangup"))

    await async_poll(hass, freezer)
    await async_poll(hass, freezer)

    assert len(integration_records(caplog, logging.WARNING)) == 1
    assert "lost-hangup" in integration_records(caplog, logging.WARNING)[0]


async def test_watchdog_fires_no_hangup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    webhook_client: WebhookClient,
    hangup_events: list[Event],
) -> None:
    """The watchdog does not invent a hangup event or a last call."""
    await webhook_client.post(WEBHOOK_PATH, json=dialing_body("lost-hangup"))

    await async_poll(hass, freezer)

    assert hangup_events == []
    assert get_state(hass, "sensor.extension_6001_last_call").state == "unknown"


async def test_late_hangup_after_the_watchdog_is_accepted(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    webhook_client: WebhookClient,
    hangup_events: list[Event],
) -> None:
    """A hangup that arrives after the watchdog ended its call still counts."""
    await webhook_client.post(WEBHOOK_PATH, json=dialing_body("late-hangup"))
    await async_poll(hass, freezer)

    response = await webhook_client.post(WEBHOOK_PATH, json=hangup_body("late-hangup"))

    assert await response.json() == {"result": "accepted"}
    assert len(hangup_events) == 1
    assert get_state(hass, "sensor.extension_6001_last_call_outcome").state == (
        "answered"
    )


async def test_watchdog_leaves_calls_the_pbx_shows(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    wired_simulator: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A call without hangup that the PBX still shows as active is not ended."""
    await wired_simulator.pbx.start_call("6001", NUMBER)

    await async_poll(hass, freezer)
    await async_poll(hass, freezer)

    assert get_state(hass, CALL_STATE).state == "dialing"
    assert integration_records(caplog, logging.WARNING) == []


async def test_watchdog_gives_a_fresh_call_time(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    webhook_client: WebhookClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A poll less than 10 s after the dialing does not end the call yet."""
    freezer.tick(timedelta(seconds=25))
    await webhook_client.post(WEBHOOK_PATH, json=dialing_body("just-dialled"))

    await async_poll(hass, freezer, 6)

    assert get_state(hass, CALL_STATE).state == "dialing"
    assert integration_records(caplog, logging.WARNING) == []
