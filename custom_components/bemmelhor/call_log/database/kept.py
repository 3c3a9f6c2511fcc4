"""What the call log keeps from one run to the next only: open calls, last calls.

Written when the log closes, one row of JSON each (not per call: a call
still open needs no commit, the poll finds it again), read at the next
start. Each extension's last call is also found among the finished calls;
what is kept here covers a history of 0 days and calls pruned away.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime
import json
import sqlite3
from typing import Any

from custom_components.bemmelhor.call_log.model.calls import FinishedCall, OpenCall

OPEN_CALLS = "open_calls"
LAST_CALLS = "last_calls"
FIRST_RUN = "first_run"
"""When the database was first used: a database without it has never run."""


def keep(connection: sqlite3.Connection, values: Mapping[str, Any]) -> None:
    """Write values (JSON-safe) kept until the next start."""
    connection.executemany(
        "INSERT OR REPLACE INTO kept (name, value) VALUES (?, ?)",
        [(name, json.dumps(value)) for name, value in values.items()],
    )


def has_run(connection: sqlite3.Connection) -> bool:
    """Return whether the log has started on this database before."""
    return bool(
        connection.execute("SELECT 1 FROM kept WHERE name = ?", (FIRST_RUN,)).fetchone()
    )


def mark_run(connection: sqlite3.Connection, now: datetime) -> None:
    """Note the first start on this database."""
    keep(connection, {FIRST_RUN: now.isoformat()})


def take_kept(
    connection: sqlite3.Connection, forget: Iterable[str] = ()
) -> dict[str, Any]:
    """Return the kept values; forget those only the last run may use."""
    values: dict[str, Any] = {}
    for name, value in connection.execute("SELECT name, value FROM kept"):
        try:
            values[name] = json.loads(value)
        except ValueError:
            continue
    connection.executemany(
        "DELETE FROM kept WHERE name = ?", [(name,) for name in forget]
    )
    return values


def open_calls_of(stored: Any, now: datetime) -> list[OpenCall]:
    """Return the open calls of a kept value (untrusted)."""
    if not isinstance(stored, list):
        return []
    calls = (
        OpenCall.from_dict(data, now) for data in stored if isinstance(data, Mapping)
    )
    return [call for call in calls if call is not None]


def last_calls_of(stored: Any) -> dict[str, FinishedCall]:
    """Return the last calls of a kept value (untrusted)."""
    if not isinstance(stored, Mapping):
        return {}
    calls = {
        extension: FinishedCall.from_dict(data)
        for extension, data in stored.items()
        if isinstance(extension, str) and isinstance(data, Mapping)
    }
    return {extension: call for extension, call in calls.items() if call is not None}
