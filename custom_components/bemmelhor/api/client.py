"""The HTTP client of the Bem Melhor PBX API."""

import asyncio
from collections.abc import Callable, Mapping
import json
import logging
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import hdrs
from yarl import URL

from .address import DEFAULT_PORT
from .dialing import validate_call_id, validate_dial_string, validate_extension
from .exceptions import (
    BemMelhorApiError,
    BemMelhorConnectionError,
    BemMelhorInvalidResponseError,
    BemMelhorTimeoutError,
)
from .models import ActiveCall, CallResult, CallStatus, Envelope
from .oddities import NoteOddity, ObserveReceived, Oddity, OddityKind, Received
from .untrusted import checked_json

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
MAX_BODY_BYTES = 256 * 1024
"""Answers are a few hundred bytes; anything this large is not the API."""


def _ignore(_received: Received) -> None:
    """Keep no samples (the default)."""


def _segment(value: str) -> str:
    """Percent-encode one path segment (``/``, ``%``, ``#``, ``*`` included)."""
    return quote(value, safe="")


class BemMelhorClient:
    """Talks to one Bem Melhor PBX.

    The caller owns the ``aiohttp.ClientSession``. Every public method raises
    a subclass of :class:`BemMelhorError` and nothing else.
    """

    def __init__(
        self,
        host: str,
        *,
        session: aiohttp.ClientSession,
        port: int = DEFAULT_PORT,
        ssl: bool = False,
        verify_ssl: bool = True,
        request_timeout: float = DEFAULT_TIMEOUT,
        observe: ObserveReceived = _ignore,
    ) -> None:
        """Set up a client for ``http(s)://host:port``.

        ``observe`` is handed every answer the PBX gives, raw, with what its
        parsing noted (see :mod:`.oddities`).
        """
        self._session = session
        self._observe = observe
        self._verify_ssl = verify_ssl
        self.request_timeout = request_timeout
        self.base_url = URL.build(
            scheme="https" if ssl else "http", host=host, port=port
        )

    async def active_call(self, extension: str) -> ActiveCall | None:
        """Return the extension's call in progress, or None when it is idle.

        Idle reads ``data: null`` (the integration's guess), ``data: {}``, or
        HTTP 404 with no page (JSON or nothing: a web page is no PBX).
        """
        extension = validate_extension(extension)
        path = f"/api/active/{_segment(extension)}"
        return await self._get(path, "active", _read_active_call)

    async def click_to_call(self, extension: str, destination: str) -> CallResult:
        """Make ``extension`` call ``destination`` (an already dialable string).

        Use :func:`normalize_destination` to turn typed numbers into one.
        """
        extension = validate_extension(extension)
        destination = validate_dial_string(destination)
        return await self._get(
            f"/api/call/{_segment(extension)}/{_segment(destination)}",
            "call",
            CallResult.from_envelope,
        )

    async def call_status(self, call_id: str) -> CallStatus:
        """Return what the PBX knows of a call it started."""
        valid_id = validate_call_id(call_id)
        return await self._get(
            f"/api/status/{_segment(valid_id)}",
            "status",
            lambda envelope, _note: CallStatus(
                call_id=valid_id,
                api_status=envelope.api_status,
                created=envelope.created,
                data=checked_json(envelope.data),
            ),
        )

    async def _get[T](
        self, path: str, endpoint: str, read: Callable[[Envelope, NoteOddity], T]
    ) -> T:
        """GET an API path (already encoded) and read its successful envelope.

        The raw answer and what reading it noted go to ``observe``, also
        when it is refused.
        """
        url = self.base_url.with_path(path, encoded=True)
        try:
            async with (
                asyncio.timeout(self.request_timeout),
                self._session.get(
                    url,
                    ssl=self._verify_ssl,
                    allow_redirects=False,
                    headers={"Accept": "application/json"},
                ) as response,
            ):
                body = await response.content.read(MAX_BODY_BYTES + 1)
                status = response.status
                content_type = response.headers.get(hdrs.CONTENT_TYPE)
        except TimeoutError as err:
            raise BemMelhorTimeoutError(
                f"no answer within {self.request_timeout} s"
            ) from err
        except (aiohttp.ClientError, OSError) as err:
            raise BemMelhorConnectionError(str(err) or type(err).__name__) from err

        _LOGGER.debug("GET %s answered %s: %r", path, status, body[:200])
        oddities: list[Oddity] = []
        try:
            return _read(body, status, endpoint, read, oddities.append)
        except BemMelhorInvalidResponseError as err:
            oddities.append(Oddity(OddityKind.UNREADABLE, "body", str(err)))
            raise
        finally:
            self._hand_over(
                Received(
                    source=endpoint,
                    status=status,
                    content_type=content_type,
                    body=body[:MAX_BODY_BYTES],
                    oddities=tuple(oddities),
                )
            )

    def _hand_over(self, received: Received) -> None:
        """Give an answer to the observer, whose failure is no failure of the request."""
        try:
            self._observe(received)
        except Exception:
            _LOGGER.exception("The observer of answers failed")


def _read[T](
    body: bytes,
    status: int,
    endpoint: str,
    read: Callable[[Envelope, NoteOddity], T],
    note: NoteOddity,
) -> T:
    """Read an answer: its envelope, checked for success, then its data."""
    if endpoint == "active" and status == 404 and not body.lstrip().startswith(b"<"):
        note(Oddity(OddityKind.OTHER_FORMAT, "HTTP status", status))
        return read(_IDLE, note)
    payload = _decode(body)
    if payload is None or not isinstance(payload, Mapping):
        if status >= 400:
            raise BemMelhorApiError(f"HTTP {status}", http_status=status)
        raise BemMelhorInvalidResponseError(
            f"HTTP {status} answer is not a JSON object"
        )
    envelope = Envelope.from_json(payload, note)
    if status >= 400 or not envelope.ok:
        raise BemMelhorApiError(
            envelope.message or envelope.api_status,
            http_status=status,
            api_status=envelope.api_status,
            server_message=envelope.message,
        )
    return read(envelope, note)


_IDLE = Envelope(api_status="SUCCESS", created=None, data=None, message=None)
"""What an idle extension's answer reads as, however the PBX said it."""


def _read_active_call(envelope: Envelope, note: NoteOddity) -> ActiveCall | None:
    """Read ``/api/active``: None when the extension is idle."""
    if envelope.data is None:
        return None
    if not envelope.data:
        note(Oddity(OddityKind.OTHER_FORMAT, "data", {}))
        return None
    return ActiveCall.from_data(envelope.data, note)


def _decode(body: bytes) -> Any:
    """Decode a JSON body; None when it is not JSON (HTML, garbage, too big)."""
    if len(body) > MAX_BODY_BYTES:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None
