"""The demo's check that an answered hangup survives Home Assistant being killed.

The PBX never sends a hangup again once it was answered 200, so the
integration answers only after the call is committed to its database. The
check sends hangups of calls nobody else knows, kills Home Assistant's
process group (SIGKILL, no chance to write anything) the moment the last
200 arrives, starts it again and asks ``bemmelhor.get_calls`` for them.
"""

import asyncio
from collections.abc import Callable, Coroutine
import time
from typing import Any
import uuid

import aiohttp

from .hass_api import HassApi
from .hass_process import HassProcess

HANGUPS = 20
DOMAIN = "bemmelhor"


class CallsLostError(RuntimeError):
    """Calls answered before the kill were not found after the restart."""


def hangup_bodies(client_id: str, run: str) -> list[dict[str, Any]]:
    """Return hangups of calls that only this check sends (ids unique to the run)."""
    now = int(time.time() * 1000)
    return [
        {
            "event": "call.hangup",
            "clientId": client_id,
            "data": {
                "callId": f"kill-{run}-{number}",
                "from": "6001",
                "to": "h",
                "created": now + number,
                "disposition": "ANSWERED",
            },
        }
        for number in range(HANGUPS)
    ]


async def async_check_kill(
    session: aiohttp.ClientSession,
    hass: HassProcess,
    api: HassApi,
    *,
    webhook_url: str,
    client_id: str,
    entry_id: str,
    bounded: Callable[[Coroutine[Any, Any, Any]], Coroutine[Any, Any, Any]],
) -> str:
    """Send hangups, kill Home Assistant after their 200s, restart, find them."""
    run = uuid.uuid4().hex[:8]
    bodies = hangup_bodies(client_id, run)
    statuses = await asyncio.gather(
        *(_post(session, webhook_url, body) for body in bodies)
    )
    if set(statuses) != {200}:
        raise CallsLostError(f"the hangups were answered {sorted(set(statuses))}")
    await hass.kill()
    await hass.start()
    await bounded(hass.wait_http(120.0))
    await bounded(api.wait_running(120.0))
    await bounded(api.wait_entry_state(entry_id, DOMAIN, "loaded", 60.0))
    answer = await api.call_service(
        DOMAIN,
        "get_calls",
        {"config_entry_id": entry_id, "limit": 500},
        return_response=True,
    )
    found = {call["call_id"] for call in answer["service_response"]["calls"]}
    missing = [
        body["data"]["callId"] for body in bodies if body["data"]["callId"] not in found
    ]
    if missing:
        raise CallsLostError(
            f"{len(missing)} of {HANGUPS} hangups answered 200 before the kill "
            f"are not in the call log after the restart: {missing}"
        )
    return f"{HANGUPS} hangups answered 200, Home Assistant killed, all {HANGUPS} kept"


async def _post(session: aiohttp.ClientSession, url: str, body: dict[str, Any]) -> int:
    async with session.post(url, json=body) as response:
        await response.read()
        return response.status
