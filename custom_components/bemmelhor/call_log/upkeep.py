"""Keeping an entry's call-log database: pruning the old, closing at the stop.

Calls past ``history_days`` are deleted once an hour (and a few minutes
after a start, off the start's path), a batch at a time between webhooks.
When Home Assistant writes its last files before stopping, the database is
closed: what is queued is committed, the WAL checkpointed into the file.
"""

from datetime import datetime, timedelta

from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.util import dt as dt_util

from .store import CallLogStore

PRUNE_INTERVAL = timedelta(hours=1)
FIRST_PRUNE = timedelta(minutes=5)


@callback
def async_keep_up(hass: HomeAssistant, store: CallLogStore) -> CALLBACK_TYPE:
    """Prune now and then, close at the final write; return what stops it."""

    async def prune(_now: datetime) -> None:
        await store.async_prune(dt_util.utcnow(), dt_util.start_of_local_day())

    async def close(_event: Event) -> None:
        await store.async_close()

    job = HassJob(prune, "bemmelhor call log pruning", cancel_on_shutdown=True)
    stops = [
        async_call_later(hass, FIRST_PRUNE, job),
        async_track_time_interval(
            hass, prune, PRUNE_INTERVAL, name="bemmelhor call log pruning"
        ),
        hass.bus.async_listen_once(EVENT_HOMEASSISTANT_FINAL_WRITE, close),
    ]

    @callback
    def stop() -> None:
        for unsubscribe in stops:
            unsubscribe()

    return stop
