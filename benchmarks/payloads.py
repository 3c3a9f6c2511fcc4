"""Webhook bodies as the PBX sends them, each call with its own ``callId``."""

from collections.abc import Iterator, Sequence
import itertools
import json
import secrets
import time

OUTSIDE_NUMBER = "032999999999"


class CallFactory:
    """Makes dialing/hangup body pairs with call ids unique within a run."""

    def __init__(
        self,
        extensions: Sequence[str],
        client_id: str,
        remotes: Sequence[str] = (OUTSIDE_NUMBER,),
    ) -> None:
        """Cycle over ``extensions`` (and the numbers they call); bodies carry ``client_id``."""
        self._extensions = itertools.cycle(extensions)
        self._remotes = itertools.cycle(remotes)
        self._client_id = client_id
        self._counter = itertools.count()
        self._run = secrets.token_hex(4)

    def call_id(self) -> str:
        """Return a new call id (16 hex digits, like the PBX's)."""
        return f"{self._run}{next(self._counter):08x}"

    def pair(self) -> tuple[bytes, bytes]:
        """Return the dialing and hangup bodies of one new call."""
        extension = next(self._extensions)
        return call_bodies(
            self.call_id(), extension, self._client_id, remote=next(self._remotes)
        )

    def pairs(self, count: int) -> list[tuple[bytes, bytes]]:
        """Return ``count`` new calls (built before a round, not during it)."""
        return [self.pair() for _ in range(count)]

    def stream(self) -> Iterator[tuple[bytes, bytes]]:
        """Yield new calls forever."""
        while True:
            yield self.pair()


def call_bodies(
    call_id: str,
    extension: str,
    client_id: str,
    created_ms: int | None = None,
    *,
    remote: str = OUTSIDE_NUMBER,
    inbound: bool = False,
    disposition: str = "ANSWERED",
) -> tuple[bytes, bytes]:
    """Return a ``call.dialing`` and a ``call.hangup`` body of one call.

    By default an answered call of ``extension`` to ``remote``; ``inbound``:
    from ``remote`` to ``extension``; ``disposition`` as the PBX writes it
    (``ANSWERED``, ``NO ANSWER``, …).
    """
    created = int(time.time() * 1000) if created_ms is None else created_ms
    from_, to = (remote, extension) if inbound else (extension, remote)
    dialing = {
        "event": "call.dialing",
        "clientId": client_id,
        "data": {
            "created": created,
            "from": from_,
            "to": to,
            "error": None,
            "callId": call_id,
            "serverMessage": "Chamando o destino",
            "disposition": None,
        },
    }
    hangup = {
        "event": "call.hangup",
        "clientId": client_id,
        "data": {
            "created": created + 65_000,
            "from": from_,
            "to": "h",
            "error": None,
            "callId": call_id,
            "serverMessage": "Ligação encerrada",
            "disposition": disposition,
        },
    }
    return _encode(dialing), _encode(hangup)


def _encode(body: object) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()
