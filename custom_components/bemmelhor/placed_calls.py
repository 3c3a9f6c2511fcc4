"""Who placed the calls Home Assistant asked the PBX for, until their dialing arrives.

Click-to-call answers with the PBX's call id; the ``call.dialing`` webhook
of that call arrives a moment later, or (the PBX is fast) while the request
is still on its way back. So a call is expected from its extension while
the request is in flight, and remembered by its call id once answered; the
dialing webhook claims it either way. Kept in memory only, for a few
minutes: a dialing that never arrives is forgotten.

No Home Assistant import: this module is pure.
"""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

PLACED_CALL_KEPT = timedelta(minutes=5)
MAX_PLACED_CALLS = 100


@dataclass(frozen=True, slots=True)
class _Placed:
    user_id: str
    at: datetime


class PlacedCalls:
    """Calls placed by Home Assistant users whose dialing has not arrived yet."""

    def __init__(self) -> None:
        """Start with no call placed."""
        self._by_call_id: OrderedDict[str, _Placed] = OrderedDict()
        self._in_flight: dict[str, _Placed] = {}

    def expect(self, extension: str, user_id: str, now: datetime) -> None:
        """Note a call from ``extension`` that the PBX is being asked for."""
        self._in_flight[extension] = _Placed(user_id, now)

    def answered(self, extension: str, call_id: str | None, now: datetime) -> None:
        """Note the PBX's answer to the call expected from ``extension``.

        ``call_id`` is None when the PBX refused the call or did not answer.
        """
        placed = self._in_flight.pop(extension, None)
        if placed is None or call_id is None:
            return
        self._by_call_id[call_id] = _Placed(placed.user_id, now)
        while len(self._by_call_id) > MAX_PLACED_CALLS:
            self._by_call_id.popitem(last=False)

    def claim(self, call_id: str, from_: str | None, now: datetime) -> str | None:
        """Return who placed the call whose dialing arrived, if a user did."""
        self._forget_old(now)
        if (placed := self._by_call_id.pop(call_id, None)) is not None:
            return placed.user_id
        if from_ is not None and (placed := self._in_flight.get(from_)) is not None:
            return placed.user_id
        return None

    def _forget_old(self, now: datetime) -> None:
        calls = self._by_call_id
        while calls and now - next(iter(calls.values())).at > PLACED_CALL_KEPT:
            calls.popitem(last=False)
        for extension, placed in list(self._in_flight.items()):
            if now - placed.at > PLACED_CALL_KEPT:
                del self._in_flight[extension]
