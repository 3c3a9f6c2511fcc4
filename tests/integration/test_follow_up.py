"""Calls in progress are followed closely; answers older than a hangup are dropped."""

import asyncio
from datetime import timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.api import ActiveCall
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .helpers import NUMBER, POLL_SECONDS, async_poll, get_state

CALL_STATE = "sensor.extension_6001_call_state"
FOLLOW_UP_SECONDS = 3
"""How often a call in progress is asked for again."""


async def test_ringing_and_talking_show_within_seconds(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After a dialing webhook, only that extension is asked again every 3 s."""
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()
    assert get_state(hass, CALL_STATE).state == "dialing"

    await wired_simulator.pbx.advance(call_id)
    wired_simulator.requests.clear()
    await async_poll(hass, freezer, FOLLOW_UP_SECONDS)
    assert get_state(hass, CALL_STATE).state == "ringing"
    assert wired_simulator.requests.paths() == ["/api/active/6001"]

    await wired_simulator.pbx.advance(call_id)
    await async_poll(hass, freezer, FOLLOW_UP_SECONDS)
    assert get_state(hass, CALL_STATE).state == "talking"

    wired_simulator.requests.clear()
    await async_poll(hass, freezer, FOLLOW_UP_SECONDS)
    await async_poll(hass, freezer, FOLLOW_UP_SECONDS)
    assert wired_simulator.requests.paths() == []


async def test_follow_up_stops_when_the_call_ends(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A call that ends before it is answered is not asked for any more."""
    call_id = await wired_simulator.pbx.start_call("6001", "6002")
    await wired_simulator.pbx.hangup(call_id, "NO ANSWER")
    await hass.async_block_till_done()
    wired_simulator.requests.clear()
    await async_poll(hass, freezer, FOLLOW_UP_SECONDS)
    assert wired_simulator.requests.paths() == []
    assert get_state(hass, CALL_STATE).state == "idle"


async def test_follow_up_failure_changes_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A failing follow-up keeps the pushed state and does not mark the PBX down."""
    await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()
    wired_simulator.faults.set("active", "http_error", status=503)
    await async_poll(hass, freezer, FOLLOW_UP_SECONDS)
    assert get_state(hass, CALL_STATE).state == "dialing"
    assert init_integration.runtime_data.coordinator.last_update_success


async def test_poll_answer_older_than_a_hangup_is_dropped(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
) -> None:
    """A hangup arriving while a poll is on its way wins over the poll's answer.

    The simulator answers after its injected latency, from its state at that
    time; an answer taken before the hangup and delivered after it needs the
    client held back, so this test wraps the client's call.
    """
    coordinator = init_integration.runtime_data.coordinator
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await wired_simulator.pbx.advance(call_id)
    await wired_simulator.pbx.advance(call_id)
    real_active_call = coordinator.client.active_call
    asked = asyncio.Event()
    release = asyncio.Event()

    async def answer_late(extension: str) -> ActiveCall | None:
        answer: ActiveCall | None = await real_active_call(extension)
        asked.set()
        await release.wait()
        return answer

    with patch.object(coordinator.client, "active_call", answer_late):
        async_fire_time_changed(
            hass, dt_util.utcnow() + timedelta(seconds=POLL_SECONDS)
        )
        await asked.wait()
        # Returns once Home Assistant has answered the hangup webhook.
        await wired_simulator.pbx.hangup(call_id)
        release.set()
        await hass.async_block_till_done(wait_background_tasks=True)

    assert coordinator.last_update_success
    assert get_state(hass, CALL_STATE).state == "idle"


async def test_internal_call_shows_on_both_extensions(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """6001 calls 6002: the callee rings within seconds and gets a last call too."""
    call_id = await wired_simulator.pbx.start_call("6001", "6002")
    await wired_simulator.pbx.advance(call_id)
    await hass.async_block_till_done()
    wired_simulator.requests.clear()
    await async_poll(hass, freezer, FOLLOW_UP_SECONDS)
    assert sorted(wired_simulator.requests.paths()) == [
        "/api/active/6001",
        "/api/active/6002",
    ]
    callee = hass.states.get("sensor.extension_6002_call_state")
    assert callee is not None
    assert callee.state == "ringing"

    await wired_simulator.pbx.hangup(call_id, "NO ANSWER")
    await hass.async_block_till_done()
    for extension in ("6001", "6002"):
        last_call = hass.states.get(f"sensor.extension_{extension}_last_call")
        assert last_call is not None
        assert last_call.attributes["call_id"] == call_id
        assert last_call.attributes["from"] == "6001"
        assert last_call.attributes["to"] == "6002"
        outcome = hass.states.get(f"sensor.extension_{extension}_last_call_outcome")
        assert outcome is not None
        assert outcome.state == "no_answer"
