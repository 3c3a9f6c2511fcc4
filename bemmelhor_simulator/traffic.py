"""Background traffic: random calls between extensions and to outside numbers."""

import asyncio
from dataclasses import dataclass
import logging
import random

from .calls import Pbx
from .const import Disposition
from .model import CallTimings

_LOGGER = logging.getLogger(__name__)

# How often each disposition comes up, roughly like a small office.
DISPOSITION_WEIGHTS = {
    Disposition.ANSWERED: 60,
    Disposition.NO_ANSWER: 20,
    Disposition.BUSY: 10,
    Disposition.FAILED: 5,
    Disposition.CONGESTION: 5,
}


@dataclass(frozen=True, slots=True)
class PlannedCall:
    """One call the generator is about to start."""

    from_: str
    to: str
    disposition: Disposition
    timings: CallTimings


class TrafficGenerator:
    """Keeps starting timed calls with random parties, timings and dispositions.

    A call starts every ``interval`` s on average (uniformly 0.5x to 1.5x).
    Callers are idle extensions; the destination is another idle extension or,
    with probability ``outside_share`` (always if no other is idle), an outside
    number like ``032999999999``. Call timings are multiplied by ``time_scale``.
    The same ``seed`` gives the same sequence of calls.
    """

    def __init__(
        self,
        pbx: Pbx,
        *,
        interval: float = 5.0,
        seed: int | None = None,
        time_scale: float = 1.0,
        outside_share: float = 0.5,
    ) -> None:
        """Prepare; nothing happens until ``start()``."""
        if interval <= 0 or time_scale <= 0:
            raise ValueError("interval and time_scale must be positive")
        self.pbx = pbx
        self.interval = interval
        self.time_scale = time_scale
        self.outside_share = outside_share
        self.rng = random.Random(seed)
        self.started_calls: list[str] = []
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """Return whether the generator is running."""
        return self._task is not None

    def start(self) -> None:
        """Start generating calls in the background (no-op if running)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="pbx traffic")

    async def stop(self) -> None:
        """Stop generating calls; calls already started go on."""
        if self._task is not None:
            task, self._task = self._task, None
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def plan_call(self) -> PlannedCall | None:
        """Pick the next call's parties, disposition and timings (None: all busy)."""
        rng = self.rng
        busy = {c.from_ for c in self.pbx.calls} | {c.to for c in self.pbx.calls}
        idle = [ext for ext in self.pbx.extensions if ext not in busy]
        if not idle:
            return None
        caller = rng.choice(idle)
        others = [ext for ext in idle if ext != caller]
        if others and rng.random() >= self.outside_share:
            callee = rng.choice(others)
        else:
            callee = f"0{rng.randint(11, 99)}9{rng.randrange(10**8):08d}"
        disposition = rng.choices(
            list(DISPOSITION_WEIGHTS), weights=list(DISPOSITION_WEIGHTS.values())
        )[0]
        scale = self.time_scale
        timings = CallTimings(
            ring_after=rng.uniform(0.5, 3.0) * scale,
            answer_after=rng.uniform(2.0, 15.0) * scale,
            talk_for=rng.uniform(5.0, 120.0) * scale,
        )
        return PlannedCall(caller, callee, disposition, timings)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.interval)
            plan = self.plan_call()
            if plan is None:
                continue
            call_id = await self.pbx.start_call(
                plan.from_,
                plan.to,
                disposition=plan.disposition,
                timings=plan.timings,
                wait_webhook=False,
            )
            self.started_calls.append(call_id)
            _LOGGER.debug(
                "Traffic call %s: %s -> %s (%s)",
                call_id,
                plan.from_,
                plan.to,
                plan.disposition,
            )
