"""The PBX: configured extensions and the calls between them (no HTTP here).

Calls walk dialing -> ringing -> talking -> ended (an unanswered call skips
talking). They move either when told to (manual mode: ``advance``,
``set_phase``, ``hangup``, each returning once the webhook it causes has been
delivered) or on their own (timed mode: an asyncio task per call).
"""

import asyncio
from collections.abc import Callable, Iterable
from datetime import datetime
import logging
import random

from .changes import ChangeNotifier
from .clock import utcnow
from .const import (
    DEFAULT_EXTENSIONS,
    DEFAULT_TRUNK,
    EVENT_DIALING,
    EVENT_HANGUP,
    Disposition,
)
from .model import PHASE_ORDER, Call, CallPhase, CallTimings, Channel, Mode
from .payloads import dialing_webhook_data, hangup_webhook_data
from .variants import Variants
from .webhooks import WebhookSender

_LOGGER = logging.getLogger(__name__)

DEFAULT_HISTORY_SIZE = 1000


class UnknownCallError(LookupError):
    """No active call has this id."""


class InvalidTransitionError(ValueError):
    """A call cannot move to the requested phase (it only moves forward)."""


class Pbx:
    """Extensions, active calls and a bounded history of ended calls."""

    def __init__(
        self,
        extensions: Iterable[str] = DEFAULT_EXTENSIONS,
        *,
        webhooks: WebhookSender | None = None,
        mode: Mode | str = Mode.MANUAL,
        timings: CallTimings | None = None,
        disposition: Disposition | str = Disposition.ANSWERED,
        trunk: str = DEFAULT_TRUNK,
        history_size: int = DEFAULT_HISTORY_SIZE,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = utcnow,
        variants: Variants | None = None,
    ) -> None:
        """Create an idle PBX.

        ``mode``, ``timings`` and ``disposition`` are the defaults for calls
        started without explicit ones (click-to-call always uses them).
        ``trunk`` names the channel of calls to outside numbers; ``variants``
        switch how webhooks are written (the page's way by default).
        """
        self.extensions: list[str] = list(extensions)
        self.webhooks = webhooks or WebhookSender()
        self.mode = Mode(mode)
        self.timings = timings or CallTimings()
        self.disposition = Disposition(disposition)
        self.trunk = trunk
        self.history_size = history_size
        self.clock = clock
        self.variants = variants or Variants()
        self._rng = rng or random.Random()
        self._calls: dict[str, Call] = {}
        self._history: dict[str, Call] = {}
        self._channel_seq = 0
        self._timers: set[asyncio.Task[None]] = set()

    @property
    def changes(self) -> ChangeNotifier:
        """Return the notifier woken on every call and webhook change."""
        return self.webhooks.changes

    @property
    def calls(self) -> list[Call]:
        """Return the active calls, oldest first."""
        return list(self._calls.values())

    @property
    def history(self) -> list[Call]:
        """Return the remembered ended calls, oldest first."""
        return list(self._history.values())

    def get_call(self, call_id: str) -> Call | None:
        """Return an active or remembered call, None if unknown."""
        return self._calls.get(call_id) or self._history.get(call_id)

    def active_channel(self, extension: str) -> tuple[Call, Channel, Channel] | None:
        """Return (call, channel, linked channel) of an extension's newest active call."""
        if extension not in self.extensions:
            return None
        for call in reversed(self._calls.values()):
            if call.from_ == extension:
                return call, call.caller, call.callee
            if call.to == extension:
                return call, call.callee, call.caller
        return None

    async def start_call(
        self,
        from_: str,
        to: str,
        *,
        disposition: Disposition | str | None = None,
        timings: CallTimings | None = None,
        timed: bool | None = None,
        wait_webhook: bool = True,
    ) -> str:
        """Start a call in the dialing phase and return its id.

        ``disposition`` is how the call is going to end when it is advanced
        (or timed) to its end. The call is timed if ``timings`` is given or
        ``timed`` is true, or by default in timed mode. The ``call.dialing``
        webhook is delivered before returning unless ``wait_webhook`` is false.
        """
        if not from_ or not to:
            raise ValueError("a call needs a from and a to")
        planned = Disposition(disposition or self.disposition)
        if timed is None:
            timed = timings is not None or self.mode is Mode.TIMED
        now = self.clock()
        call = Call(
            call_id=self._new_call_id(),
            from_=from_,
            to=to,
            created=now,
            caller=self._new_channel(from_, now),
            callee=self._new_channel(to, now),
            planned_disposition=planned,
            timings=(timings or self.timings) if timed else None,
            phase_changed=now,
            transitions=[(CallPhase.DIALING, now)],
        )
        self._calls[call.call_id] = call
        _LOGGER.debug("Call %s: %s -> %s dialing", call.call_id, from_, to)
        call.dialing_delivery = self.webhooks.send_soon(
            EVENT_DIALING,
            self.variants.webhook_data(dialing_webhook_data(call), to, hangup=False),
        )
        if call.timings is not None:
            call.timer = asyncio.create_task(
                self._run_timer(call, call.timings), name=f"call {call.call_id}"
            )
            self._timers.add(call.timer)
            call.timer.add_done_callback(self._timers.discard)
        self.changes.notify()
        if wait_webhook:
            await call.dialing_delivery
        return call.call_id

    async def advance(self, call_id: str) -> CallPhase:
        """Move a call to the next phase of its planned path; return that phase."""
        call = self._active(call_id)
        phase = call.next_phase()
        await self.set_phase(call_id, phase)
        return phase

    async def set_phase(
        self,
        call_id: str,
        phase: CallPhase | str,
        disposition: Disposition | str | None = None,
    ) -> None:
        """Move a call forward to ``phase`` (skipping phases is allowed)."""
        call = self._active(call_id)
        phase = CallPhase(phase)
        if PHASE_ORDER.index(phase) <= PHASE_ORDER.index(call.phase):
            raise InvalidTransitionError(
                f"call {call_id} is {call.phase}, it cannot go to {phase}"
            )
        if phase is CallPhase.ENDED:
            await self.hangup(call_id, disposition)
            return
        call.phase = phase
        call.phase_changed = self.clock()
        call.transitions.append((phase, call.phase_changed))
        _LOGGER.debug("Call %s: %s", call_id, phase)
        self.changes.notify()

    async def hangup(
        self, call_id: str, disposition: Disposition | str | None = None
    ) -> None:
        """End a call and deliver its ``call.hangup`` webhook.

        Without a disposition: ANSWERED if the call was talking, else its
        planned disposition (NO ANSWER if that was ANSWERED).
        """
        call = self._active(call_id)
        if disposition is None:
            if call.phase is CallPhase.TALKING:
                disposition = Disposition.ANSWERED
            elif call.planned_disposition is Disposition.ANSWERED:
                disposition = Disposition.NO_ANSWER
            else:
                disposition = call.planned_disposition
        call.disposition = Disposition(disposition)
        call.phase = CallPhase.ENDED
        call.ended = call.phase_changed = self.clock()
        call.transitions.append((CallPhase.ENDED, call.ended))
        del self._calls[call_id]
        self._history[call_id] = call
        while len(self._history) > self.history_size:
            del self._history[next(iter(self._history))]
        _LOGGER.debug("Call %s: ended %s", call_id, call.disposition)
        if call.timer is not None and call.timer is not asyncio.current_task():
            call.timer.cancel()
        self.changes.notify()
        if call.dialing_delivery is not None:
            await call.dialing_delivery
        data = hangup_webhook_data(call, call.ended)
        await self.webhooks.send(
            EVENT_HANGUP, self.variants.webhook_data(data, call.to, hangup=True)
        )

    async def hangup_all(self, disposition: Disposition | str | None = None) -> None:
        """End every active call."""
        for call_id in list(self._calls):
            await self.hangup(call_id, disposition)

    async def wait_for(
        self, predicate: Callable[[], bool], timeout: float = 5.0
    ) -> None:
        """Wait until ``predicate()`` holds, re-checked on every call/webhook change."""
        await self.changes.wait_for(predicate, timeout)

    async def wait_for_phase(
        self, call_id: str, phase: CallPhase | str, timeout: float = 5.0
    ) -> Call:
        """Wait until a call has reached ``phase`` (or a later one); return it."""
        rank = PHASE_ORDER.index(CallPhase(phase))

        def reached() -> bool:
            call = self.get_call(call_id)
            return call is not None and PHASE_ORDER.index(call.phase) >= rank

        await self.wait_for(reached, timeout)
        call = self.get_call(call_id)
        assert call is not None
        return call

    async def close(self) -> None:
        """Stop every call timer and webhook delivery (calls stay as they are)."""
        for task in list(self._timers):
            task.cancel()
        await asyncio.gather(*self._timers, return_exceptions=True)
        await self.webhooks.close()

    async def _run_timer(self, call: Call, timings: CallTimings) -> None:
        while call.active:
            await asyncio.sleep(timings.delay(call.phase))
            await self.set_phase(call.call_id, call.next_phase())

    def _active(self, call_id: str) -> Call:
        try:
            return self._calls[call_id]
        except KeyError:
            raise UnknownCallError(f"no active call {call_id}") from None

    def _new_call_id(self) -> str:
        while True:
            call_id = f"{self._rng.getrandbits(64):016x}"
            if self.get_call(call_id) is None:
                return call_id

    def _new_channel(self, party: str, now: datetime) -> Channel:
        """Allocate a channel: named after the extension, or the trunk if outside."""
        self._channel_seq += 1
        seq = self._channel_seq
        peer = party if party in self.extensions else self.trunk
        return Channel(f"{int(now.timestamp())}.{seq}", f"SIP/{peer}-{seq:08x}")
