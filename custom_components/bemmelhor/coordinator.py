"""Runtime data and the coordinator: requests, timers and publishing.

Two sources feed the call log (``call_log.py``, the one place call state
lives): the PBX's webhooks (pushed, real time) and a poll of ``/api/active``
for every extension (every 30 s, reconciliation; every 3 s for the
extensions of calls still dialing or ringing). The coordinator asks
(through ``pbx_requests.py``), hands what it learns to the log (whose
database appends every call that ends, ``call_log/store.py``) and publishes
what changed: entity states, bus events, event entities.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util

from .api import ActiveCall, BemMelhorClient, CallEvent
from .call_events import CallAnnouncer
from .call_log.database.start import LoadResult
from .call_log.model.calls import FinishedCall, OpenCall
from .call_log.model.extension_state import ExtensionState
from .call_log.model.log import CallLog
from .call_log.model.polls import Changes
from .call_log.store import CallLogStore
from .call_log.today import TodayTracker
from .call_log.upkeep import async_keep_up
from .const import (
    CONF_AREA_CODE,
    CONF_EXTENSIONS,
    CONF_HISTORY_DAYS,
    DEFAULT_AREA_CODE,
    DEFAULT_HISTORY_DAYS,
    DOMAIN,
    FOLLOW_UP_INTERVAL,
    LOGGER,
    SCAN_INTERVAL,
    STALE_CALL_GRACE,
)
from .contact_directory import ContactDirectory
from .errors import translated_error
from .pbx_requests import ActiveCallRequests
from .pbx_samples import PbxSamples
from .placed_calls import PlacedCalls
from .pushing import PbxData, PushingCoordinator
from .repairs import async_call_log_reset, async_webhook_arrived, async_webhook_missing

PUSH_KEEPS_AVAILABLE = 2 * SCAN_INTERVAL
"""After a webhook, live entities stay available this long even if polls fail."""


@dataclass(kw_only=True)
class BemMelhorRuntimeData:
    """What a loaded entry holds."""

    client: BemMelhorClient
    coordinator: BemMelhorCoordinator
    hub_device_id: str
    samples: PbxSamples
    """What the PBX sent: samples for the diagnostics, the repair per oddity."""
    destinations: dict[str, str] = field(default_factory=dict)
    """What was typed in each extension's ``destination`` text entity."""
    client_id_issue: bool = True
    """Whether the client-id issue may be open (a matching webhook clears it)."""


type BemMelhorConfigEntry = ConfigEntry[BemMelhorRuntimeData]


class BemMelhorCoordinator(PushingCoordinator):
    """Asks the PBX, feeds the call log and publishes what changed."""

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
        history_days = entry.options.get(CONF_HISTORY_DAYS, DEFAULT_HISTORY_DAYS)
        self.contacts = ContactDirectory(hass, entry)
        self.log = CallLog(self.extensions, name_of=self.contacts.name_of)
        self.requests = ActiveCallRequests(client, self.log)
        self.announcer = CallAnnouncer(hass, entry)
        self.placed_calls = PlacedCalls()
        self.store = CallLogStore(
            hass,
            entry.entry_id,
            self.log,
            history=timedelta(days=history_days),
            area_code=entry.options.get(CONF_AREA_CODE, DEFAULT_AREA_CODE),
            on_reset=partial(async_call_log_reset, hass, entry),
        )
        self.today = TodayTracker(hass, self.log, self._publish_figures)
        self.last_webhook: datetime | None = None
        self.takes_over_restore_data = False
        """No call log was stored: sensors take over what 0.1.0 kept (once)."""
        self.setup_time = dt_util.utcnow()
        self._follow_up: CALLBACK_TYPE | None = None
        self._follow_up_job = HassJob(
            self._async_follow_up, "bemmelhor follow-up", cancel_on_shutdown=True
        )
        self.data = self.log.states(self.extensions)

    @override
    async def _async_setup(self) -> None:
        """Load the contacts and the call log (or 0.1.0's data) before the first poll."""
        await self.contacts.async_start()
        loaded = await self.store.async_open(
            dt_util.utcnow(), dt_util.start_of_local_day()
        )
        if loaded.result is LoadResult.RESET:
            async_call_log_reset(self.hass, self.config_entry)
        self.takes_over_restore_data = loaded.result is LoadResult.NEW
        self.config_entry.async_on_unload(async_keep_up(self.hass, self.store))
        self.config_entry.async_on_unload(self.today.async_start(loaded.today))
        self.data = self._states(self.extensions)
        self._schedule_follow_up()

    @property
    def live(self) -> bool:
        """Whether live states can be trusted: the API answers, or webhooks arrive."""
        return self.last_update_success or (
            self.last_webhook is not None
            and dt_util.utcnow() - self.last_webhook < PUSH_KEEPS_AVAILABLE
        )

    # Requests

    async def _async_update_data(self) -> PbxData:
        """Poll every extension's active call, many at a time."""
        poll_started = dt_util.utcnow()
        channels, errors = await self.requests.async_fetch(self.extensions)
        if errors:
            raise translated_error(errors[0], UpdateFailed) from errors[0]
        changes = self.log.poll(channels, dt_util.utcnow())
        for call in self.log.end_stale(STALE_CALL_GRACE, poll_started):
            LOGGER.warning(
                "No hangup arrived for call %s and the PBX no longer shows it;"
                " marking it as ended",
                call.call_id,
            )
            changes.stale.append(call)
        self._check_webhooks_arrive(channels.values(), poll_started)
        self._announce(changes)
        self._schedule_follow_up()
        return self._states(self.extensions)

    def _check_webhooks_arrive(
        self, channels: Iterable[ActiveCall | None], poll_started: datetime
    ) -> None:
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
            for channel in channels
        ):
            async_webhook_missing(self.hass, self.config_entry, self.webhook_url)

    @override
    def _extension_state(self, extension: str) -> ExtensionState:
        """Return the log's state of an extension with today's figures."""
        return self.log.state(extension, self.today.figures.of(extension))

    # Timers

    @callback
    def _schedule_follow_up(self) -> None:
        """Ask again soon for calls that are dialing or ringing.

        Webhooks only tell when a call starts and ends; ringing and talking
        are only known from ``/api/active``. Asking for just these extensions
        every few seconds shows them without waiting for the 30 s poll.
        """
        if self._follow_up is None and self.log.extensions_to_follow():
            self._follow_up = async_call_later(
                self.hass, FOLLOW_UP_INTERVAL, self._follow_up_job
            )

    async def _async_follow_up(self, _now: datetime) -> None:
        self._follow_up = None
        channels, errors = await self.requests.async_fetch(
            self.log.extensions_to_follow()
        )
        for error in errors:
            LOGGER.debug("Follow-up of a call in progress failed: %s", error)
        changes = self.log.poll(channels, dt_util.utcnow())
        changes.extensions.update(channels)
        self._publish(changes.extensions)
        self._announce(changes)
        self._schedule_follow_up()

    async def async_shutdown(self) -> None:
        """Stop following calls and close the log; then what every coordinator stops."""
        if self._follow_up is not None:
            self._follow_up()
            self._follow_up = None
        await self.store.async_close()
        await super().async_shutdown()

    # Webhooks

    @callback
    def async_webhook_received(self) -> None:
        """Note an accepted webhook that changes no extension."""
        self._stamp_webhook()
        self._publish(())

    @callback
    def async_dialing(self, event: CallEvent) -> bool:
        """Apply a dialing webhook; False when it is a duplicate."""
        now = self._stamp_webhook()
        placed_by = self.placed_calls.claim(event.call_id, event.from_, now)
        if (call := self.log.dialing(event, now, placed_by)) is None:
            self._publish(())
            return False
        self._publish_call(call, event)
        self._schedule_follow_up()
        return True

    @callback
    def async_hangup(self, event: CallEvent) -> bool:
        """Apply a hangup webhook; False when it is a duplicate."""
        now = self._stamp_webhook()
        if (finished := self.log.hangup(event, now)) is None:
            self._publish(())
            return False
        self._publish_call(finished, event)
        return True

    def _stamp_webhook(self) -> datetime:
        now = dt_util.utcnow()
        if self.last_webhook is None:
            async_webhook_arrived(self.hass, self.config_entry)
        self.last_webhook = now
        return now

    # Publishing

    @callback
    def _publish_call(
        self, call: OpenCall | FinishedCall, event: CallEvent | None
    ) -> None:
        """Push the states of a call's extensions, then announce the call.

        ``event`` is the webhook that started or ended it (None: a poll did).
        """
        involved = self.log.involved(call.from_, call.to)
        if isinstance(call, FinishedCall):
            announce = partial(self.announcer.async_hangup, call, event, involved)
            self._publish(involved, announce, finished=True)
        else:
            announce = partial(self.announcer.async_dialing, call, event, involved)
            self._publish(involved, announce)

    @callback
    def async_taken_over(self, extension: str) -> None:
        """Show what a sensor took over from 0.1.0's restore data."""
        self._publish((extension,), finished=True)
        self._schedule_follow_up()

    @callback
    def _publish_figures(self, extensions: Iterable[str]) -> None:
        """Show new figures of today (a new day) for some extensions and the PBX."""
        self._publish(extensions, finished=True)

    @callback
    def _announce(self, changes: Changes) -> None:
        """Announce the calls a poll started or ended (the log appends those that end)."""
        for call in changes.started:
            self._publish_call(call, None)
        for finished in changes.finished:
            self._publish_call(finished, None)
