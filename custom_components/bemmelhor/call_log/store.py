"""The call log on disk: Home Assistant's storage, and what 0.1.0 left behind.

One versioned store per entry (``.storage/bemmelhor.<entry id>.call_log``).
Finished calls are stored as rows under one list of field names (half the
size of a list of objects); the rows are built by the writer thread from a
snapshot taken in the event loop, so a large log never stalls it. An
unreadable file never stops the entry: the log starts empty and the caller
raises the ``call_log_reset`` repair issue. When no log is stored at all,
the sensors take over what 0.1.0 kept in their restore data (``takeover.py``).
"""

from collections.abc import Mapping
from datetime import datetime
from enum import Enum, auto
import os
from typing import Any, override

from custom_components.bemmelhor.const import DOMAIN, LOGGER, SAVE_DELAY
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .model.calls import FinishedCall, OpenCall
from .model.history import STORED_FIELDS
from .model.log import CallLog

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 1


def storage_key(entry_id: str) -> str:
    """Return the storage key of an entry's call log."""
    return f"{DOMAIN}.{entry_id}.call_log"


class LoadResult(Enum):
    """What loading a call log found."""

    LOADED = auto()
    NEW = auto()
    """No log was stored: a new entry, or one that 0.1.0 kept (``takeover.py``)."""
    RESET = auto()
    """A stored log could not be read: it starts empty."""


class CallLogStore(Store[dict[str, Any]]):
    """The versioned store of one entry's call log."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Set up the store; its data is serialized by the writer thread."""
        super().__init__(
            hass,
            STORAGE_VERSION,
            storage_key(entry_id),
            minor_version=STORAGE_MINOR_VERSION,
            atomic_writes=True,
            serialize_in_event_loop=False,
        )

    @override
    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: Any
    ) -> dict[str, Any]:
        """Bring older stored logs up to date.

        Version 1.1 is the first; a later minor version only adds keys, which
        this version ignores, so its data is read as it is.
        """
        if not isinstance(old_data, dict):
            raise TypeError("stored call log is not an object")
        return old_data


class CallLogSnapshot:
    """A copy of the log taken in the event loop; ``as_dict`` runs in a thread."""

    __slots__ = ("_call_backs", "_finished", "_last", "_open")

    def __init__(self, log: CallLog) -> None:
        """Copy the log's lists (its calls are immutable)."""
        self._open = log.open_calls
        self._last = dict(log.last_calls)
        self._finished = log.history.stored_rows()
        self._call_backs = log.call_backs.as_list()

    def as_dict(self) -> dict[str, Any]:
        """Return the stored form (called by Home Assistant's JSON encoder)."""
        return {
            "open": [call.as_dict() for call in self._open],
            "last": {ext: call.as_dict() for ext, call in self._last.items()},
            "call_backs": self._call_backs,
            "finished": {
                "fields": STORED_FIELDS,
                "rows": self._finished,
            },
        }


class CallLogWriter:
    """Writes the log some seconds after a change: a burst makes one write.

    Home Assistant's own ``async_delay_save`` postpones the write on every
    call, so steady traffic would never be written; this writes at most once
    per ``SAVE_DELAY`` and always within it.
    """

    def __init__(self, hass: HomeAssistant, store: CallLogStore, log: CallLog) -> None:
        """Write ``log`` to ``store``."""
        self._hass = hass
        self._store = store
        self._log = log
        self._pending: CALLBACK_TYPE | None = None
        self._job = HassJob(self._async_write, "bemmelhor call log write")

    @callback
    def async_schedule(self) -> None:
        """Write the log soon, unless a write is already due."""
        if self._pending is None:
            self._pending = async_call_later(self._hass, SAVE_DELAY, self._job)

    async def async_flush(self) -> None:
        """Write now what is due (the entry unloads)."""
        if self._pending is not None:
            await self._async_write()

    @callback
    def async_listen_final_write(self) -> CALLBACK_TYPE:
        """Write what is due when Home Assistant stops; return the unsubscriber."""

        async def final_write(_event: Event) -> None:
            await self.async_flush()

        return self._hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_FINAL_WRITE, final_write
        )

    async def _async_write(self, _now: datetime | None = None) -> None:
        if self._pending is not None:
            self._pending()
            self._pending = None
        self._log.history.prune(dt_util.utcnow())
        # The snapshot becomes JSON in the writer thread, through its ``as_dict``.
        await self._store.async_save(CallLogSnapshot(self._log))  # type: ignore[arg-type]


def load_call_log(log: CallLog, data: Mapping[str, Any], now: datetime) -> bool:
    """Fill an empty log with stored data; False if it is not a call log."""
    open_calls, last, finished = (
        data.get("open"),
        data.get("last"),
        data.get("finished"),
    )
    if (
        not isinstance(open_calls, list)
        or not isinstance(last, dict)
        or not isinstance(finished, dict)
        or not isinstance(fields := finished.get("fields"), list)
        or not isinstance(rows := finished.get("rows"), list)
    ):
        return False
    for row in rows:
        if isinstance(row, list) and (
            call := FinishedCall.from_dict(dict(zip(fields, row, strict=False)))
        ):
            log.restore_finished_call(call)
    for extension, stored in last.items():
        if isinstance(stored, dict) and (call := FinishedCall.from_dict(stored)):
            log.set_last_call(extension, call)
    for stored in open_calls:
        if isinstance(stored, dict) and (opened := OpenCall.from_dict(stored, now)):
            log.restore_open_call(opened)
    if isinstance(call_backs := data.get("call_backs"), list):
        log.call_backs.load(call_backs)
    log.history.prune(now)
    return True


async def async_load_call_log(
    hass: HomeAssistant,
    store: CallLogStore,
    log: CallLog,
    now: datetime,
) -> LoadResult:
    """Load the entry's log; say whether it was there, new or had to be reset.

    Home Assistant's store renames a file that is not JSON and loads nothing;
    a file that existed and gave nothing, or data that is not a call log,
    leaves the log empty.
    """
    existed = await hass.async_add_executor_job(os.path.exists, store.path)
    try:
        data = await store.async_load()
    except Exception as err:  # noqa: BLE001 - whatever is on disk, the entry starts
        LOGGER.warning("The call log could not be read and starts empty: %s", err)
        return LoadResult.RESET
    if data is None:
        return LoadResult.RESET if existed else LoadResult.NEW
    # 100,000 calls take a second or two to read: not in the event loop. Nothing
    # else knows the log yet, so the executor thread has it to itself.
    if not isinstance(data, Mapping) or not await hass.async_add_executor_job(
        load_call_log, log, data, now
    ):
        LOGGER.warning("The stored call log is not one; it starts empty")
        return LoadResult.RESET
    return LoadResult.LOADED


async def async_remove_call_log(hass: HomeAssistant, entry_id: str) -> None:
    """Delete an entry's stored log (the entry is being removed)."""
    await CallLogStore(hass, entry_id).async_remove()
