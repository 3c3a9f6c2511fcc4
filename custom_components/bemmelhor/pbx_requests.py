"""Requests to the PBX: its client, and the active calls of many extensions at once."""

import asyncio
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from homeassistant.const import CONF_HOST, CONF_PORT, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import ActiveCall, BemMelhorClient, BemMelhorError, Received
from .call_log.model.log import CallLog
from .const import MAX_PARALLEL_REQUESTS, REQUEST_TIMEOUT


def _keep_nothing(_received: Received) -> None:
    """Keep no samples of what the PBX answered (a flow's client)."""


def create_client(
    hass: HomeAssistant,
    data: Mapping[str, Any],
    observe: Callable[[Received], object] = _keep_nothing,
) -> BemMelhorClient:
    """Return a client for the PBX an entry's data (or a flow's input) points at.

    ``observe`` is handed every answer, raw (an entry's samples keep them).
    """
    return BemMelhorClient(
        data[CONF_HOST],
        port=data[CONF_PORT],
        ssl=data[CONF_SSL],
        verify_ssl=data[CONF_VERIFY_SSL],
        session=async_get_clientsession(hass, verify_ssl=data[CONF_VERIFY_SSL]),
        request_timeout=REQUEST_TIMEOUT,
        observe=observe,
    )


class ActiveCallRequests:
    """Asks for the active call of extensions, one request each, many at a time."""

    def __init__(self, client: BemMelhorClient, log: CallLog) -> None:
        """Ask through ``client``; ``log`` tells which answers a hangup overtook."""
        self._client = client
        self._log = log
        self._in_flight = asyncio.Semaphore(MAX_PARALLEL_REQUESTS)

    async def async_fetch(
        self, extensions: Iterable[str]
    ) -> tuple[dict[str, ActiveCall | None], list[BemMelhorError]]:
        """Return each extension's active call (None: idle), and the errors.

        An answer for an extension whose hangup arrived while it was on its
        way predates that hangup and is dropped.
        """
        hangups = self._log.hangups
        asked = {extension: hangups[extension] for extension in extensions}
        results = await asyncio.gather(
            *(self._active_call(extension) for extension in asked),
            return_exceptions=True,
        )
        channels: dict[str, ActiveCall | None] = {}
        errors: list[BemMelhorError] = []
        for (extension, before), result in zip(asked.items(), results, strict=True):
            if isinstance(result, BemMelhorError):
                errors.append(result)
            elif isinstance(result, BaseException):
                raise result
            elif hangups[extension] == before:
                channels[extension] = result
        return channels, errors

    async def _active_call(self, extension: str) -> ActiveCall | None:
        async with self._in_flight:
            return await self._client.active_call(extension)
