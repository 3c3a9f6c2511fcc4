"""Runtime data and the coordinator that keeps every extension's call state.

Two sources feed it: the PBX's webhooks (pushed, real time) and a poll of
``/api/active`` for every extension (every 30 s, reconciliation). Pushed
events are applied at once without resetting the poll schedule, so a busy
PBX still gets reconciled.
"""

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import ActiveCall, BemMelhorClient, BemMelhorError, CallEvent
from .const import (
    CONF_EXTENSIONS,
    DOMAIN,
    FOLLOW_UP_INTERVAL,
    LOGGER,
    MAX_PARALLEL_REQUESTS,
    REQUEST_TIMEOUT,
    SCAN_INTERVAL,
    STALE_CALL_GRACE,
)
from .errors import translated_error
from .models import CallState, ExtensionState, FinishedCall, OpenCall
from .repairs import async_webhook_arrived, async_webhook_missing
from .tracker import CallTracker

type PbxData = dict[str, ExtensionState]

POLLS_ONLY = "polls only"
"""Listener context of entities no webhook changes: only polls tell them."""


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
        self._hangups: Counter[str] = Counter()
        """Hangups per extension: an answer asked before a hangup is outdated."""
        self._follow_up: CALLBACK_TYPE | None = None
        self._follow_up_job = HassJob(
            self._async_follow_up, "bemmelhor follow-up", cancel_on_shutdown=True
        )
        self._pushed_to: dict[str | None, list[CALLBACK_TYPE]] = {}
        """Listeners by extension (None: the hub's), told of pushed changes."""
        self.data = {extension: ExtensionState() for extension in self.extensions}

    @callback
    @override
    def async_add_listener(
        self, update_callback: CALLBACK_TYPE, context: Any = None
    ) -> Callable[[], None]:
        """Listen for updates; ``context`` is an entity's extension (None: the hub).

        A poll tells every listener; a webhook only those of the extensions it
        changed and the hub's (with many extensions, asking every entity
        would cost more than the webhook itself).
        """
        remove = super().async_add_listener(update_callback, context)
        listeners = self._pushed_to.setdefault(context, [])
        listeners.append(update_callback)

        @callback
        def remove_listener() -> None:
            remove()
            listeners.remove(update_callback)

        return remove_listener

    async def _async_update_data(self) -> PbxData:
        """Poll every extension's active call, many at a time."""
        poll_started = dt_util.utcnow()
        channels, errors = await self._async_fetch_channels(self.extensions)
        if errors:
            raise translated_error(errors[0], UpdateFailed) from errors[0]
        self._channels.update(channels)
        self._end_stale_calls(poll_started)
        self._check_webhooks_arrive(poll_started)
        return self._states(self.extensions)

    async def _async_fetch_channels(
        self, extensions: Iterable[str]
    ) -> tuple[dict[str, ActiveCall | None], list[BemMelhorError]]:
        """Ask for the active call of each extension, one request each.

        An answer for an extension whose hangup arrived while it was on its
        way predates that hangup and is dropped.
        """
        asked = {extension: self._hangups[extension] for extension in extensions}
        results = await asyncio.gather(
            *(self._active_call(extension) for extension in asked),
            return_exceptions=True,
        )
        channels: dict[str, ActiveCall | None] = {}
        errors: list[BemMelhorError] = []
        for (extension, hangups), result in zip(asked.items(), results, strict=True):
            if isinstance(result, BemMelhorError):
                errors.append(result)
            elif isinstance(result, BaseException):
                raise result
            elif self._hangups[extension] == hangups:
                channels[extension] = result
        return channels, errors

    async def _active_call(self, extension: str) -> ActiveCall | None:
        async with self._requests:
            return await self.client.active_call(extension)

    def _extensions_to_follow(self) -> list[str]:
        """Extensions in an open call that the PBX has not shown as talking yet.

        Both ends of a call between two configured extensions are followed.
        """
        return sorted(
            {
                extension
                for call in self.tracker
                for extension in self.tracker.involved_extensions(call.from_, call.to)
                if self.data[extension].call_state is not CallState.TALKING
            }
        )

    @callback
    def _schedule_follow_up(self) -> None:
        """Ask again soon for calls that are dialing or ringing.

        Webhooks only tell when a call starts and ends; ringing and talking
        are only known from ``/api/active``. Asking for just these extensions
        every few seconds shows them without waiting for the 30 s poll.
        """
        if self._follow_up is None and self._extensions_to_follow():
            self._follow_up = async_call_later(
                self.hass, FOLLOW_UP_INTERVAL, self._follow_up_job
            )

    async def _async_follow_up(self, _now: datetime) -> None:
        self._follow_up = None
        extensions = self._extensions_to_follow()
        channels, errors = await self._async_fetch_channels(extensions)
        for error in errors:
            LOGGER.debug("Follow-up of a call in progress failed: %s", error)
        self._channels.update(channels)
        self._publish(channels)
        self._schedule_follow_up()

    async def async_shutdown(self) -> None:
        """Stop following calls; then what every coordinator stops."""
        if self._follow_up is not None:
            self._follow_up()
            self._follow_up = None
        await super().async_shutdown()

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
        self._schedule_follow_up()
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
            self._hangups[extension] += 1
            self._last_calls[extension] = finished
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
            self._schedule_follow_up()

    @callback
    def async_restore_last_call(self, call: FinishedCall) -> None:
        """Take back the last call of an extension from before a restart."""
        if call.extension in self.data and call.extension not in self._last_calls:
            self._last_calls[call.extension] = call
            self._publish([call.extension])

    @callback
    def _publish(self, extensions: Iterable[str]) -> None:
        """Push new states of some extensions to their entities and the hub's.

        ``async_set_updated_data`` would reset the poll timer (and mark the API
        as reachable); a busy PBX must still be polled, so set the data here.
        """
        states = self._states(extensions)
        self.data = {**self.data, **states}
        for context in (None, *states):
            for update_callback in list(self._pushed_to.get(context, ())):
                try:
                    update_callback()
                except Exception:
                    self.logger.exception(
                        "Unexpected error updating listener %s for %s",
                        id(update_callback),
                        context,
                    )

    def _states(self, extensions: Iterable[str]) -> PbxData:
        """Fresh states of the given extensions, reusing unchanged ones."""
        wanted = set(extensions)
        calls = self.tracker.latest_calls(wanted)
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
