"""The HTTP client of the Bem Melhor PBX API."""

import asyncio
from collections.abc import Mapping
import json
import logging
from typing import Any
from urllib.parse import quote

import aiohttp
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
from .untrusted import checked_json

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
MAX_BODY_BYTES = 256 * 1024
"""Answers are a few hundred bytes; anything this large is not the API."""


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
    ) -> None:
        """Set up a client for ``http(s)://host:port``."""
        self._session = session
        self._verify_ssl = verify_ssl
        self.request_timeout = request_timeout
        self.base_url = URL.build(
            scheme="https" if ssl else "http", host=host, port=port
        )

    async def active_call(self, extension: str) -> ActiveCall | None:
        """Return the extension's call in progress, or None when it is idle."""
        extension = validate_extension(extension)
        envelope = await self._get(f"/api/active/{_segment(extension)}")
        if envelope.data is None:
            return None
        return ActiveCall.from_data(envelope.data)

    async def click_to_call(self, extension: str, destination: str) -> CallResult:
        """Make ``extension`` call ``destination`` (an already dialable string).

        Use :func:`normalize_destination` to turn typed numbers into one.
        """
        extension = validate_extension(extension)
        destination = validate_dial_string(destination)
        envelope = await self._get(
            f"/api/call/{_segment(extension)}/{_segment(destination)}"
        )
        return CallResult.from_envelope(envelope)

    async def call_status(self, call_id: str) -> CallStatus:
        """Return what the PBX knows of a call it started."""
        call_id = validate_call_id(call_id)
        envelope = await self._get(f"/api/status/{_segment(call_id)}")
        return CallStatus(
            call_id=call_id,
            api_status=envelope.api_status,
            created=envelope.created,
            data=checked_json(envelope.data),
        )

    async def _get(self, path: str) -> Envelope:
        """GET an API path (already encoded) and return its successful envelope."""
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
        except TimeoutError as err:
            raise BemMelhorTimeoutError(
                f"no answer within {self.request_timeout} s"
            ) from err
        except (aiohttp.ClientError, OSError) as err:
            raise BemMelhorConnectionError(str(err) or type(err).__name__) from err

        _LOGGER.debug("GET %s answered %s: %r", path, status, body[:200])
        payload = _decode(body, status)
        if payload is None or not isinstance(payload, Mapping):
            if status >= 400:
                raise BemMelhorApiError(f"HTTP {status}", http_status=status)
            raise BemMelhorInvalidResponseError(
                f"HTTP {status} answer is not a JSON object"
            )
        envelope = Envelope.from_json(payload)
        if status >= 400 or not envelope.ok:
            raise BemMelhorApiError(
                envelope.message or envelope.api_status,
                http_status=status,
                api_status=envelope.api_status,
                server_message=envelope.message,
            )
        return envelope


def _decode(body: bytes, status: int) -> Any:
    """Decode a JSON body; None when it is not JSON (HTML, garbage, too big)."""
    if len(body) > MAX_BODY_BYTES:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None
