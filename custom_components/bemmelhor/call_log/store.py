"""The call log's database for one entry, from Home Assistant's event loop.

:class:`CallLogStore` opens the entry's database in its own thread
(``database/worker.py``), fills the live log at start with what is live
(each extension's last call, open calls, today's calls, the open call-back
items, the ids of calls that just ended), and from then on appends every
call that ends. Calls that end in the same event-loop iteration (a busy
PBX's webhooks) go in one job, and the thread commits what queued meanwhile
in one transaction: :meth:`CallLogStore.committed` is what a webhook waits
for before answering. Questions (the calendar, ``get_calls``, voice and AI)
are asked of the database in its thread.

At start, 0.2.0's JSON log is imported once (then removed); a database that
cannot be read is moved aside and the log starts empty (``LoadResult.RESET``:
the caller raises the ``call_log_reset`` repair issue).
"""

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
import sqlite3

from custom_components.bemmelhor.const import LOGGER
from custom_components.bemmelhor.phone_numbers import number_key
from homeassistant.core import HomeAssistant, callback

from .database import changes, questions
from .database.files import database_path, remove_database
from .database.json_log import json_log_path
from .database.kept import LAST_CALLS, OPEN_CALLS, keep, last_calls_of, open_calls_of
from .database.rows import KeyOf
from .database.start import Loaded, LoadResult, load_live
from .database.worker import DatabaseWorker
from .model.call_backs import CallBack
from .model.calls import FinishedCall
from .model.log import CallLog
from .model.queries import CallQuery


def key_of_numbers(area_code: str) -> KeyOf:
    """Return how numbers are compared (``phone_numbers.number_key``), with a DDD."""

    def key_of(number: str) -> str:
        return number_key(number, area_code) or number

    return key_of


class CallLogStore:
    """One entry's call log in its database."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        log: CallLog,
        *,
        history: timedelta,
        area_code: str = "",
        on_reset: Callable[[], None],
    ) -> None:
        """Describe the store; ``async_open`` opens it."""
        self._hass = hass
        self._log = log
        self.history = history
        self.key_of = key_of_numbers(area_code)
        storage = Path(hass.config.path(".storage"))
        self.path = database_path(storage, entry_id)
        self._json_path = json_log_path(storage, entry_id)
        self._on_reset = on_reset
        self._reset_at_start = False
        self._worker = DatabaseWorker(
            self.path,
            hass.loop,
            on_reset=self._async_reset,
            name=f"bemmelhor {entry_id}",
        )
        self._calls: list[FinishedCall] = []
        self._batch: asyncio.Future[None] | None = None
        self._last_batch: asyncio.Future[None] | None = None
        self._opened = False
        log.finished_listeners.append(self.add)

    @property
    def commits(self) -> int:
        """Return how many write transactions were committed."""
        return self._worker.commits

    @property
    def closed(self) -> bool:
        """Return whether the log was closed."""
        return self._worker.closed

    # Opening and closing

    async def async_open(self, now: datetime, day_start: datetime) -> Loaded:
        """Open the database and read what is live into the log."""
        loaded: Loaded = await self._worker.start(
            partial(
                load_live,
                json_path=self._json_path,
                extensions=self._log.extensions,
                key_of=self.key_of,
                now=now,
                day_start=day_start,
            )
        )
        self._opened = True
        if self._reset_at_start:
            loaded.result = LoadResult.RESET
        for extension, call in (last_calls_of(loaded.kept.get(LAST_CALLS))).items():
            self._log.set_last_call(extension, call)
        for extension, call in loaded.last.items():
            self._log.set_last_call(extension, call)
        for opened in open_calls_of(loaded.kept.get(OPEN_CALLS), now):
            self._log.restore_open_call(opened)
        self._log.remember_finished(loaded.recent_ids, now)
        self._log.call_backs.load(loaded.call_backs)
        if loaded.imported:
            LOGGER.info("Imported %s calls of the call log file", loaded.imported)
            await self._hass.async_add_executor_job(
                partial(self._json_path.unlink, missing_ok=True)
            )
        return loaded

    async def async_close(self) -> None:
        """Write what is due and what is kept to the next start; close the database."""
        if not self._opened or self._worker.closed:
            return
        self._flush()
        values = {
            OPEN_CALLS: [call.as_dict() for call in self._log.open_calls],
            LAST_CALLS: {
                extension: call.as_dict()
                for extension, call in self._log.last_calls.items()
            },
        }
        kept = self._worker.submit(partial(keep, values=values), write=True)
        await self._worker.stop()
        await self._hass.async_add_executor_job(self._worker.join)
        if kept.done() and kept.exception():
            LOGGER.warning(
                "The open and last calls could not be kept: %s", kept.exception()
            )

    # Writing

    @callback
    def add(self, call: FinishedCall) -> None:
        """Append a call that ended (with the next group of writes)."""
        self._calls.append(call)
        self.async_schedule()

    @callback
    def async_schedule(self) -> asyncio.Future[None]:
        """Write what changed (calls, call-back items) at the end of this iteration."""
        if self._batch is None:
            self._batch = self._hass.loop.create_future()
            self._batch.add_done_callback(_log_failure)
            self._hass.loop.call_soon(self._flush)
        return self._batch

    @callback
    def committed(self) -> asyncio.Future[None]:
        """Return what resolves once everything appended so far is committed."""
        if self._batch is not None:
            return self._batch
        if self._last_batch is not None:
            return self._last_batch
        done = self._hass.loop.create_future()
        done.set_result(None)
        return done

    @callback
    def _flush(self) -> None:
        batch, self._batch = self._batch, None
        if batch is None or batch.done():
            return
        calls, self._calls = self._calls, []
        changed, deleted = self._log.call_backs.take_changes()
        self._last_batch = batch
        self._worker.submit(
            partial(self._write, calls=calls, changed=changed, deleted=deleted),
            write=True,
            future=batch,
        )

    def _write(
        self,
        connection: sqlite3.Connection,
        *,
        calls: list[FinishedCall],
        changed: list[CallBack],
        deleted: set[str],
    ) -> None:
        changes.insert_calls(connection, calls, self.key_of)
        changes.store_call_backs(connection, changed, deleted)

    @callback
    def _async_reset(self, _reason: str) -> None:
        """Say that the database was damaged and replaced by an empty one."""
        if not self._opened:
            self._reset_at_start = True
            return
        self._on_reset()

    # Questions

    async def async_query(self, query: CallQuery, now: datetime) -> list[FinishedCall]:
        """Return the calls of the history that answer ``query``, newest first."""
        calls: list[FinishedCall] = await self._worker.submit(
            partial(
                questions.find_calls,
                query=query,
                key_of=self.key_of,
                kept_since=now - self.history,
            ),
            write=False,
        )
        return calls

    async def async_call_keys_overlapping(
        self, start: datetime, end: datetime, longest: timedelta, now: datetime
    ) -> list[questions.CallKey]:
        """Return the keys of the history's calls that overlap ``[start, end)``, by end."""
        since = max(start, now - self.history)
        if since >= end + longest:
            return []
        keys: list[questions.CallKey] = await self._worker.submit(
            partial(
                questions.call_keys_ended_between,
                start=since,
                end=end + longest,
                started_before=end,
            ),
            write=False,
        )
        return keys

    async def async_calls_of_ids(self, ids: list[int]) -> dict[int, FinishedCall]:
        """Return the calls of row ids (of keys), by row id."""
        calls: dict[int, FinishedCall] = await self._worker.submit(
            partial(questions.calls_of_ids, ids=ids), write=False
        )
        return calls

    async def async_count(self) -> int:
        """Return how many finished calls the database holds."""
        count: int = await self._worker.submit(questions.count_calls, write=False)
        return count

    # Pruning and backups

    async def async_prune(self, now: datetime, day_start: datetime) -> int:
        """Delete calls past the history (never today's), a batch per job."""
        before = min(now - self.history, day_start)
        deleted = 0
        while True:
            count: int = await self._worker.submit(
                partial(changes.prune_calls, before=before), write=True
            )
            deleted += count
            if count < changes.PRUNE_BATCH:
                break
        await self._worker.submit(
            partial(changes.prune_call_backs, before=before), write=True
        )
        return deleted

    async def async_hold(self) -> None:
        """Checkpoint and keep the database file still while a backup reads it."""
        await self._worker.hold()

    async def async_release(self) -> None:
        """Let the database file change again (the backup is done)."""
        await self._worker.release()


def _log_failure(future: asyncio.Future[None]) -> None:
    if not future.cancelled() and (err := future.exception()) is not None:
        LOGGER.error("Calls could not be written to the call log: %s", err)


async def async_remove_call_log(hass: HomeAssistant, entry_id: str) -> None:
    """Delete an entry's database (and a 0.2.0 file left behind): it is removed."""
    storage = Path(hass.config.path(".storage"))

    def remove() -> None:
        remove_database(database_path(storage, entry_id))
        json_log_path(storage, entry_id).unlink(missing_ok=True)

    await hass.async_add_executor_job(remove)
