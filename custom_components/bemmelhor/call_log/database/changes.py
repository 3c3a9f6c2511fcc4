"""What is written to the call log: jobs the database thread runs in a transaction.

A finished call is one insert. A call-back item is written whole when it
changes (one small row). Pruning deletes old calls a batch at a time, so
that webhooks queued meanwhile wait for one batch, not for all of them.
"""

from collections.abc import Iterable
from datetime import datetime
import sqlite3

from custom_components.bemmelhor.call_log.model.call_backs import CallBack
from custom_components.bemmelhor.call_log.model.calls import FinishedCall

from .rows import (
    INSERT_CALL,
    SELECT_CALL_BACKS,
    UPSERT_CALL_BACK,
    KeyOf,
    call_back_of_row,
    call_back_row,
    call_row,
    seconds,
)

PRUNE_BATCH = 500
"""Calls deleted by one pruning job."""

RECENT_COMPLETED_CALL_BACKS = 100
"""Completed call-back items loaded at start (the newest); open ones all are."""


def insert_calls(
    connection: sqlite3.Connection, calls: Iterable[FinishedCall], key_of: KeyOf
) -> None:
    """Append finished calls."""
    connection.executemany(INSERT_CALL, [call_row(call, key_of) for call in calls])


def store_call_backs(
    connection: sqlite3.Connection,
    changed: Iterable[CallBack],
    deleted: Iterable[str],
) -> None:
    """Write the call-back items that changed, delete the deleted ones."""
    connection.executemany(UPSERT_CALL_BACK, [call_back_row(item) for item in changed])
    connection.executemany(
        "DELETE FROM call_backs WHERE uid = ?", [(uid,) for uid in deleted]
    )


def load_call_backs(connection: sqlite3.Connection) -> list[CallBack]:
    """Return the open call-back items and the newest completed ones, oldest first."""
    rows = [
        *connection.execute(f"{SELECT_CALL_BACKS} WHERE completed IS NULL"),
        *connection.execute(
            f"{SELECT_CALL_BACKS} WHERE completed IS NOT NULL "
            "ORDER BY completed DESC LIMIT ?",
            (RECENT_COMPLETED_CALL_BACKS,),
        ),
    ]
    return sorted(
        (call_back_of_row(row) for row in rows), key=lambda item: item.last_missed
    )


def prune_calls(connection: sqlite3.Connection, before: datetime) -> int:
    """Delete one batch of the calls that ended before ``before``; return how many."""
    return connection.execute(
        "DELETE FROM calls WHERE id IN (SELECT id FROM calls INDEXED BY calls_by_end "
        "WHERE ended < ? ORDER BY ended LIMIT ?)",
        (seconds(before), PRUNE_BATCH),
    ).rowcount


def prune_call_backs(connection: sqlite3.Connection, before: datetime) -> int:
    """Delete the call-back items completed before ``before``; return how many."""
    return connection.execute(
        "DELETE FROM call_backs WHERE completed < ?", (seconds(before),)
    ).rowcount
