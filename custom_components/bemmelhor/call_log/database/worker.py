"""The one thread that opens and uses a call-log database.

A ``sqlite3`` connection belongs to the thread that made it: this thread
makes it and nothing else touches it (a use from the event loop raises
``ProgrammingError``). The event loop hands it jobs (functions of the
connection) and gets futures back.

Writes are committed in groups: the thread takes every job queued while it
was busy and runs their writes in one transaction (each in a savepoint, so
one failing job spoils no other), one commit, then resolves their futures at
once: tens of calls per commit in a storm, one small transaction per call
at an office's pace.

The journal is SQLite's WAL with ``synchronous=NORMAL``: a committed
transaction survives the process being killed, and a power cut never
corrupts the file (it may lose the last transactions). ``synchronous=FULL``
would keep those too, at the cost of a flush to storage on every commit,
which wears out the SD cards most Home Assistant installations run on.

For a backup the file is *held*: the WAL is checkpointed into it, then no
checkpoint runs until the hold is released, so the file stays as it was when
the backup began while commits go on into the WAL (SQLite reads a WAL copied
in the middle of an append up to its last whole transaction). Writes never
wait for a backup.

A database that is damaged, not a database, or newer than this code is
moved aside and a new one takes its place (``on_reset`` says why); a write
batch that meets a damaged file is run again on the new one.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
import logging
from pathlib import Path
import queue
import sqlite3
import threading
from typing import Any

from .files import is_damaged, move_aside
from .schema import migrate

_LOGGER = logging.getLogger(__name__)

type Job = Callable[[sqlite3.Connection], Any]
"""What the thread runs: a function of the connection."""

AUTO_CHECKPOINT_PAGES = 1000
"""SQLite's default: the WAL is checkpointed into the file every 1,000 pages."""


@dataclass(slots=True)
class _Task:
    job: Job
    write: bool
    future: asyncio.Future[Any]


_STOP: Any = object()


class DatabaseWorker:
    """Opens a database in a thread of its own and runs jobs on it."""

    def __init__(
        self,
        path: Path,
        loop: asyncio.AbstractEventLoop,
        *,
        on_reset: Callable[[str], None],
        name: str = "bemmelhor call log",
    ) -> None:
        """Describe the worker; ``start`` opens the database."""
        self.path = path
        self._loop = loop
        self._on_reset = on_reset
        self._queue: queue.SimpleQueue[_Task] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._connection: sqlite3.Connection | None = None
        self._held = False
        self.closed = False
        self.commits = 0
        """Write transactions committed (each holds every write queued with it)."""

    # In the event loop

    def start(self, setup: Job) -> asyncio.Future[Any]:
        """Open (or create, or reset) the database, then run ``setup`` on it."""
        future = self._loop.create_future()
        self._queue.put(_Task(setup, True, future))
        self._thread.start()
        return future

    def submit(
        self,
        job: Job,
        *,
        write: bool,
        future: asyncio.Future[Any] | None = None,
    ) -> asyncio.Future[Any]:
        """Queue a job; its future gets what it returned (after its commit)."""
        future = future or self._loop.create_future()
        if self.closed:
            future.set_exception(sqlite3.ProgrammingError("the call log is closed"))
            return future
        self._queue.put(_Task(job, write, future))
        return future

    def stop(self) -> asyncio.Future[Any]:
        """Run what is queued, then close the database; the future says when."""
        future = self._loop.create_future()
        if self.closed:
            future.set_result(None)
            return future
        self.closed = True
        self._queue.put(_Task(_STOP, False, future))
        return future

    def join(self) -> None:
        """Wait until the thread has ended (after ``stop``; not in the event loop)."""
        if self._thread.is_alive():
            self._thread.join()

    def hold(self) -> asyncio.Future[Any]:
        """Checkpoint, then keep the database file still (a backup reads it)."""
        return self.submit(self._hold, write=False)

    def release(self) -> asyncio.Future[Any]:
        """Let checkpoints run again (the backup is done)."""
        return self.submit(self._release, write=False)

    # In the thread

    def _run(self) -> None:
        stopping: _Task | None = None
        while stopping is None:
            tasks = [self._queue.get()]
            while True:
                try:
                    tasks.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if stops := [task for task in tasks if task.job is _STOP]:
                stopping = stops[0]
                tasks = [task for task in tasks if task.job is not _STOP]
            self._run_tasks(tasks)
        self._close()
        self._deliver([(stopping.future, None, None)])

    def _run_tasks(self, tasks: list[_Task]) -> None:
        """Run queued tasks in order: each run of writes is one transaction."""
        done: list[tuple[asyncio.Future[Any], Any, BaseException | None]] = []
        batch: list[_Task] = []
        for task in tasks:
            if task.write:
                batch.append(task)
                continue
            if batch:
                done.extend(self._write(batch))
                batch = []
            done.append(self._read(task))
        if batch:
            done.extend(self._write(batch))
        self._deliver(done)

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self._connection = self._open()
        return self._connection

    def _open(self) -> sqlite3.Connection:
        """Open the database, resetting it once if it is damaged."""
        try:
            return self._open_once()
        except sqlite3.DatabaseError as err:
            if not is_damaged(err):
                raise
            self._reset(err)
            return self._open_once()

    def _open_once(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, autocommit=True)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            migrate(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _reset(self, err: BaseException) -> None:
        """Move the damaged database aside and start a new one."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        moved = move_aside(self.path)
        _LOGGER.warning(
            "The call log database was damaged (%s); it was moved aside as %s",
            err,
            ", ".join(file.name for file in moved) or "nothing",
        )
        self._loop.call_soon_threadsafe(self._on_reset, str(err))

    def _read(
        self, task: _Task
    ) -> tuple[asyncio.Future[Any], Any, BaseException | None]:
        try:
            return task.future, task.job(self._connect()), None
        except Exception as err:  # noqa: BLE001 - handed to whoever waits
            return task.future, None, err

    def _write(
        self, tasks: list[_Task], *, again: bool = True
    ) -> list[tuple[asyncio.Future[Any], Any, BaseException | None]]:
        """Run jobs in one transaction, each in a savepoint; commit once."""
        try:
            connection = self._connect()
            connection.execute("BEGIN IMMEDIATE")
        except Exception as err:  # noqa: BLE001 - handed to whoever waits
            return [(task.future, None, err) for task in tasks]
        results: list[tuple[asyncio.Future[Any], Any, BaseException | None]] = []
        try:
            for task in tasks:
                connection.execute("SAVEPOINT job")
                try:
                    result = task.job(connection)
                except Exception as err:
                    connection.execute("ROLLBACK TO job")
                    if is_damaged(err):
                        raise
                    results.append((task.future, None, err))
                else:
                    results.append((task.future, result, None))
                connection.execute("RELEASE job")
            connection.execute("COMMIT")
            self.commits += 1
        except Exception as err:  # noqa: BLE001 - handed to whoever waits
            _rollback(connection)
            if again and is_damaged(err):
                self._reset(err)
                return self._write(tasks, again=False)
            return [(task.future, None, err) for task in tasks]
        return results

    def _hold(self, connection: sqlite3.Connection) -> None:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA wal_autocheckpoint=0")
        self._held = True

    def _release(self, connection: sqlite3.Connection) -> None:
        self._held = False
        connection.execute(f"PRAGMA wal_autocheckpoint={AUTO_CHECKPOINT_PAGES}")
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if self._held:
                # A backup still reads the file: closing must not write into it.
                connection.setconfig(sqlite3.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, True)
            else:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as err:
            _LOGGER.debug("Checkpoint at close failed: %s", err)
        connection.close()

    def _deliver(
        self, done: list[tuple[asyncio.Future[Any], Any, BaseException | None]]
    ) -> None:
        """Resolve futures in the event loop, all in one go."""
        if not done:
            return
        try:
            self._loop.call_soon_threadsafe(_resolve, done)
        except RuntimeError:
            _LOGGER.debug("The event loop closed before the call log answered")


def _rollback(connection: sqlite3.Connection) -> None:
    try:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
    except sqlite3.Error as err:
        _LOGGER.debug("Rollback failed: %s", err)


def _resolve(done: list[tuple[asyncio.Future[Any], Any, BaseException | None]]) -> None:
    for future, result, err in done:
        if future.done():
            continue
        if err is None:
            future.set_result(result)
        else:
            future.set_exception(err)
