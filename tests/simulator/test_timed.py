"""Timed mode and random traffic (tiny timings, bounded waits)."""

import asyncio

import pytest

from bemmelhor_simulator import (
    CallPhase,
    CallTimings,
    Disposition,
    Mode,
    Pbx,
    SimulatorServer,
    TrafficGenerator,
)
from bemmelhor_simulator.pytest_plugin import SimulatorFactory

from .helpers import WebhookReceiver

TINY = CallTimings(ring_after=0.001, answer_after=0.001, talk_for=0.001)


async def test_timed_answered_call(
    pbx_simulator: SimulatorServer, webhook_receiver: WebhookReceiver
) -> None:
    """A timed call reaches every phase and ends ANSWERED by itself."""
    pbx_simulator.set_webhook(webhook_receiver.url)
    pbx = pbx_simulator.pbx
    call_id = await pbx.start_call("6001", "6002", timings=TINY)

    call = await pbx.wait_for_phase(call_id, CallPhase.ENDED)
    await webhook_receiver.wait_for(2)

    assert [phase for phase, _ in call.transitions] == [
        CallPhase.DIALING,
        CallPhase.RINGING,
        CallPhase.TALKING,
        CallPhase.ENDED,
    ]
    assert webhook_receiver.events() == ["call.dialing", "call.hangup"]
    assert webhook_receiver.received[1]["data"]["disposition"] == "ANSWERED"


async def test_timed_mode_default_and_unanswered(
    pbx_simulator_factory: SimulatorFactory,
) -> None:
    """In timed mode every call is timed; unanswered ones never talk."""
    sim = await pbx_simulator_factory(
        mode=Mode.TIMED, timings=TINY, disposition=Disposition.BUSY
    )
    pbx = sim.pbx
    call_id = await pbx.start_call("6001", "6002")

    call = await pbx.wait_for_phase(call_id, CallPhase.ENDED)

    assert call.timed
    assert call.disposition is Disposition.BUSY
    assert [phase for phase, _ in call.transitions] == [
        CallPhase.DIALING,
        CallPhase.RINGING,
        CallPhase.ENDED,
    ]


async def test_manual_actions_on_timed_call(pbx_simulator: SimulatorServer) -> None:
    """A timed call can be hung up by hand; its timer stops."""
    pbx = pbx_simulator.pbx
    slow = CallTimings(ring_after=0.001, answer_after=60, talk_for=60)
    call_id = await pbx.start_call("6001", "6002", timings=slow)
    await pbx.wait_for_phase(call_id, "ringing")

    await pbx.hangup(call_id, "NO ANSWER")

    call = pbx.get_call(call_id)
    assert call is not None
    assert call.timer is not None
    await asyncio.wait([call.timer], timeout=5)
    assert call.timer.cancelled()


async def test_wait_for_times_out(pbx_simulator: SimulatorServer) -> None:
    """Waiting for something that never happens raises TimeoutError."""
    with pytest.raises(TimeoutError):
        await pbx_simulator.pbx.wait_for(lambda: False, timeout=0.01)


async def test_traffic_generates_calls(
    pbx_simulator: SimulatorServer, webhook_receiver: WebhookReceiver
) -> None:
    """Traffic keeps starting calls that end by themselves."""
    pbx_simulator.set_webhook(webhook_receiver.url)
    traffic = pbx_simulator.start_traffic(0.001, seed=3, time_scale=0.0001)
    with pytest.raises(RuntimeError, match="already running"):
        pbx_simulator.start_traffic()

    await pbx_simulator.pbx.wait_for(lambda: len(pbx_simulator.pbx.history) >= 5)
    await pbx_simulator.stop_traffic()
    assert not traffic.running

    started = traffic.started_calls
    assert len(started) >= 5
    ended = [pbx_simulator.pbx.get_call(call_id) for call_id in started[:5]]
    assert all(
        call is not None and call.from_ in {"6001", "6002", "6003"} for call in ended
    )
    await pbx_simulator.pbx.hangup_all()
    await pbx_simulator.webhooks.join()
    assert {"call.dialing", "call.hangup"} <= set(webhook_receiver.events())


async def test_traffic_plans_are_seeded() -> None:
    """The same seed plans the same calls; all-busy PBXs get none."""
    plans = []
    for _ in range(2):
        generator = TrafficGenerator(Pbx(), seed=42)
        plans.append([generator.plan_call() for _ in range(20)])
    assert plans[0] == plans[1]
    destinations = {plan.to for plan in plans[0] if plan is not None}
    outside = {to for to in destinations if len(to) == 12}
    assert outside
    assert all(to.startswith("0") and to.isdigit() for to in outside)
    assert destinations - outside <= {"6001", "6002", "6003"}

    pbx = Pbx(["6001"])
    lone = TrafficGenerator(pbx, seed=1, outside_share=0.0)
    plan = lone.plan_call()
    assert plan is not None
    assert len(plan.to) == 12  # no other idle extension: an outside number
    await pbx.start_call("6001", "6002")
    assert lone.plan_call() is None
    await pbx.close()

    with pytest.raises(ValueError):
        TrafficGenerator(pbx, interval=0)


async def test_traffic_skips_when_all_busy() -> None:
    """With every extension busy the generator waits instead of calling."""
    pbx = Pbx(["6001"])
    await pbx.start_call("6001", "032999999999")
    generator = TrafficGenerator(pbx, interval=0.001, seed=5)
    skipped = 0
    three_skipped = asyncio.Event()
    original = generator.plan_call

    def counting_plan() -> None:
        nonlocal skipped
        assert original() is None
        skipped += 1
        if skipped == 3:
            three_skipped.set()

    generator.plan_call = counting_plan  # type: ignore[method-assign]
    generator.start()
    generator.start()  # no-op while running
    async with asyncio.timeout(5):
        await three_skipped.wait()
    await generator.stop()
    await generator.stop()
    assert generator.started_calls == []
    await pbx.close()
