"""Runtime data and the coordinator that keeps every extension's call state.

Two sources feed it: the PBX's webhooks (pushed, real time) and a poll of
``/api/active`` for every extension (every 30 s, reconciliation). Pushed
events are applied at once without resetting the poll schedule, so a busy
PBX still gets reconciled.
"""

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import ActiveCall, BemMelhorClient, BemMelhorError
from .const import (
    CONF_EXTENSIONS,
    DOMAIN,
    LOGGER,
    MAX_PARALLEL_REQUESTS,
    REQUEST_TIMEOUT,
    SCAN_INTERVAL,
    STALE_CALL_GRACE,
)
from .errors import translated_error
from .models import CallEvent, ExtensionState, FinishedCall, OpenCall
from .repairs import async_webhook_arrived, async_webhook_missing
from .tracker import CallTracker

type PbxData = dict[str, ExtensionState]


@dataclass(kw_only=True)
class BemMelhorRuntimeData:
    """What a loaded entry holds."""

    client: BemMelhorClient
    coordinator: BemMelhorCoordinator
    hub_device_id: str
    destinations: dict[str, str] = field(default_factory=dict)
    """What was typed in each extension's ``destination`` text entity."""


type BemMelhorConfigEntry = ConfigEntry[BemMelhorRuntimeData]


def create_client(hass: HomeAssistant, data: Mapping[str, Any]) -> BemMelhorClient:
    """Return a client for the PBX an entry's data (or a flow's input) points at."""
    return BemMelhorClient(
        data[CONF_HOST],
        port=data[CONF_PORT],
        ssl=data[CONF_SSL],
        verify_ssl=data[CONF_VERIFY_SSL],
        session=async_get_clientsession(hass, verify_ssl=data[CONF_VERIFY_SSL]),
        request_timeout=REQUEST_TIMEOUT,
    )


class BemMelhorCoordinator(DataUpdateCoordinator[PbxData]):
    """Keeps the call state of every configured extension of one PBX."""

    config_entry: BemMelhorConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: BemMelhorConfigEntry,
        client: BemMelhorClient,
        webhook_url: str,
    ) -> None:
        """Set up the coordinator of an entry; ``webhook_url`` is for the user."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=SCAN_INTERVAL,
        )
        self.client = client
        self.webhook_url = webhook_url
        self.extensions: tuple[str, ...] = tuple(entry.options[CONF_EXTENSIONS])
        self.tracker = CallTracker(self.extensions)
        self.last_webhook: datetime | None = None
        self.setup_time = dt_util.utcnow()
        self._channels: dict[str, ActiveCall | None] = {}
        self._last_calls: dict[str, FinishedCall] = {}
        self._requests = asyncio.Semaphore(MAX_PARALLEL_REQUESTS)
        self.data = {extension: ExtensionState() for extension in self.extensions}

    async def _async_update_data(self) -> PbxData:
        """Poll every extension's active call, at most a few at a time."""
        poll_started = dt_util.utcnow()
        results = await asyncio.gather(
            *(self._active_call(extension) for extension in self.extensions),
            return_exceptions=True,
        )
        channels: dict[str, ActiveCall | None] = {}
        for extension, result in zip(self.extensions, results, strict=True):
            if isinstance(result, BemMelhorError):
                raise translated_error(result, UpdateFailed) from result
            if isinstance(result, BaseException):
                raise result
            channels[extension] = result
        self._channels = channels
        self._end_stale_calls(poll_started)
        self._check_webhooks_arrive(poll_started)
        return self._states(self.extensions)

    async def _active_call(self, extension: str) -> ActiveCall | None:
        async with self._requests:
            return await self.client.active_call(extension)

    def _end_stale_calls(self, poll_started: datetime) -> None:
        """End pushed calls the PBX no longer shows (their hangup was lost)."""
        for call in self.tracker:
            if (
                call.extension is not None
                and self._channels.get(call.extension) is None
                and poll_started - call.seen >= STALE_CALL_GRACE
            ):
                self.tracker.end_stale(call.call_id)
                LOGGER.warning(
                    "No hangup arrived for call %s and the PBX no longer shows it;"
                    " marking it as ended",
                    call.call_id,
                )

    def _check_webhooks_arrive(self, poll_started: datetime) -> None:
        """Raise a repair issue when the poll sees calls the webhook never told of.

        Only calls that began after set-up, long enough before this poll for
        their dialing webhook to have arrived, count.
        """
        if self.last_webhook is not None:
            return
        latest_start = poll_started - STALE_CALL_GRACE
        if any(
            channel is not None
            and channel.created is not None
            and self.setup_time <= channel.created <= latest_start
            for channel in self._channels.values()
        ):
            async_webhook_missing(self.hass, self.config_entry, self.webhook_url)

    @callback
    def async_webhook_received(self) -> None:
        """Note an accepted webhook that changes no extension."""
        self._stamp_webhook()
        self._publish(())

    @callback
    def async_dialing(self, event: CallEvent) -> OpenCall | None:
        """Apply a dialing webhook; None when it changes nothing (duplicate)."""
        now = self._stamp_webhook()
        call = self.tracker.dialing(event, now)
        self._publish([call.extension] if call and call.extension else ())
        return call

    @callback
    def async_hangup(self, event: CallEvent) -> FinishedCall | None:
        """Apply a hangup webhook; None when it is a duplicate."""
        now = self._stamp_webhook()
        finished = self.tracker.hangup(event, now)
        if finished is None:
            self._publish(())
            return None
        involved = self.tracker.involved_extensions(
            finished.extension, finished.from_, finished.to
        )
        for extension in involved:
            # The last poll predates the hangup: its channel is gone now.
            self._channels[extension] = None
        if finished.extension is not None:
            self._last_calls[finished.extension] = finished
        self._publish(involved)
        return finished

    def _stamp_webhook(self) -> datetime:
        now = dt_util.utcnow()
        if self.last_webhook is None:
            async_webhook_arrived(self.hass, self.config_entry)
        self.last_webhook = now
        return now

    @callback
    def async_restore_open_call(self, call: OpenCall) -> None:
        """Take back a call that was in progress when Home Assistant stopped.

        Its hangup then still finds its destination and start; if the PBX no
        longer shows it, the watchdog ends it after the usual grace period.
        """
        if call.extension in self.data and self.tracker.restore(call):
            self._publish([call.extension])

    @callback
    def async_restore_last_call(self, call: FinishedCall) -> None:
        """Take back the last call of an extension from before a restart."""
        if call.extension in self.data and call.extension not in self._last_calls:
            self._last_calls[call.extension] = call
            self._publish([call.extension])

    @callback
    def _publish(self, extensions: Iterable[str]) -> None:
        """Push new states of some extensions to the entities.

        ``async_set_updated_data`` would reset the poll timer (and mark the API
        as reachable); a busy PBX must still be polled, so set the data here.
        """
        self.data = {**self.data, **self._states(extensions)}
        self.async_update_listeners()

    def _states(self, extensions: Iterable[str]) -> PbxData:
        """Fresh states of the given extensions, reusing unchanged ones."""
        wanted = set(extensions)
        calls: dict[str, OpenCall] = {}
        for call in self.tracker:
            if call.extension in wanted:
                calls[call.extension] = call
        states: PbxData = {}
        for extension in wanted:
            state = ExtensionState(
                channel=self._channels.get(extension),
                call=calls.get(extension),
                last_call=self._last_calls.get(extension),
            )
            old = self.data.get(extension)
            states[extension] = old if old == state else state
        return states
