"""What is asked of the call log, in SQL: jobs the database thread runs.

Each function takes the connection and returns plain calls, never rows
(or, for the calendar, the keys that tell a call seen before). The indexes are named (``INDEXED BY``) so that each question reads only
what it is about, whatever SQLite's planner would guess without statistics:
a period through ``calls_by_end``; an extension's or a number's calls
through ``calls_by_from`` and ``calls_by_to``, newest first, at most
``limit`` from each before they are merged.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
import sqlite3
from typing import Any

from custom_components.bemmelhor.call_log.model.calls import Direction, FinishedCall
from custom_components.bemmelhor.call_log.model.queries import CallQuery

from .rows import CALL_COLUMNS, SELECT_CALLS, call_of_row, seconds

type KeyOf = Callable[[str], str]
type CallKey = tuple[int, str, float]
"""A call's row id, call id and end (seconds): calls never change once ended."""

IDS_AT_ONCE = 500
"""Row ids asked for in one statement (SQLite binds at most 32,766 values)."""

_ANSWERED = "answered"


def _calls(cursor: sqlite3.Cursor) -> list[FinishedCall]:
    return [call_of_row(row) for row in cursor]


def calls_ended_between(
    connection: sqlite3.Connection, start: datetime, end: datetime
) -> list[FinishedCall]:
    """Return the calls that ended in ``[start, end)``, oldest first."""
    return _calls(
        connection.execute(
            f"{SELECT_CALLS} INDEXED BY calls_by_end"
            " WHERE ended >= ? AND ended < ? ORDER BY ended",
            (seconds(start), seconds(end)),
        )
    )


def call_keys_ended_between(
    connection: sqlite3.Connection,
    start: datetime,
    end: datetime,
    started_before: datetime,
) -> list[CallKey]:
    """Return the keys of the calls that ended in ``[start, end)``, oldest first.

    Only calls that started before ``started_before`` (a calendar's range
    holds the calls that overlap it). Reading three values of a row costs a
    fraction of reading the call: a calendar reads whole calls
    (:func:`calls_of_ids`) only for the keys it has not seen.
    """
    keys: list[CallKey] = connection.execute(
        "SELECT id, call_id, ended FROM calls INDEXED BY calls_by_end"
        " WHERE ended >= ? AND ended < ? AND started < ? ORDER BY ended",
        (seconds(start), seconds(end), seconds(started_before)),
    ).fetchall()
    return keys


def calls_of_ids(
    connection: sqlite3.Connection, ids: Sequence[int]
) -> dict[int, FinishedCall]:
    """Return the calls of row ids (those still there), by row id."""
    # Constant column names only; every id is bound.
    select = f"SELECT id, {', '.join(CALL_COLUMNS)} FROM calls WHERE id IN"  # noqa: S608
    found: dict[int, FinishedCall] = {}
    for first in range(0, len(ids), IDS_AT_ONCE):
        chunk = ids[first : first + IDS_AT_ONCE]
        marks = ", ".join("?" * len(chunk))
        for row in connection.execute(f"{select} ({marks})", chunk):
            found[row[0]] = call_of_row(row[1:])
    return found


def last_call(connection: sqlite3.Connection, key: str) -> FinishedCall | None:
    """Return the newest call with the number of ``key`` at either end."""
    found = [
        row
        for index, column in (("calls_by_from", "from_key"), ("calls_by_to", "to_key"))
        for row in connection.execute(
            f"{SELECT_CALLS} INDEXED BY {index} WHERE {column} = ? "
            "ORDER BY ended DESC LIMIT 1",
            (key,),
        )
    ]
    calls = [call_of_row(row) for row in found]
    return max(calls, key=lambda call: call.ended, default=None)


def recent_call_ids(connection: sqlite3.Connection, since: datetime) -> list[str]:
    """Return the ids of the calls that ended since ``since``."""
    return [
        row[0]
        for row in connection.execute(
            "SELECT call_id FROM calls INDEXED BY calls_by_end WHERE ended >= ?",
            (seconds(since),),
        )
    ]


def count_calls(connection: sqlite3.Connection) -> int:
    """Return how many finished calls the database holds."""
    count: int = connection.execute("SELECT count(*) FROM calls").fetchone()[0]
    return count


def _filters(
    query: CallQuery, key_of: KeyOf, kept_since: datetime | None
) -> tuple[list[str], list[Any]]:
    """Return the conditions of a query but for its extension and numbers."""
    conditions: list[str] = []
    params: list[Any] = []
    start = query.start
    if kept_since is not None and (start is None or start < kept_since):
        start = kept_since
    if start is not None:
        conditions.append("ended >= ?")
        params.append(seconds(start))
    if query.end is not None:
        conditions.append("ended < ?")
        params.append(seconds(query.end))
    extension = None if query.extension is None else key_of(query.extension)
    if query.direction is not None:
        if extension is None:
            conditions.append("direction = ?")
            params.append(query.direction.value)
        elif query.direction is Direction.INTERNAL:
            conditions.append("0")  # seen from one end, a call is in or out
        else:
            # Between two extensions, the calling end's call is outbound.
            test = "IS" if query.direction is Direction.OUTBOUND else "IS NOT"
            conditions.append(
                f"(direction = ? OR (direction = 'internal' AND from_key {test} ?))"
            )
            params += [query.direction.value, extension]
    if query.missed_only:
        conditions.append("disposition != ?")
        params.append(_ANSWERED)
        if extension is None:
            conditions.append("direction != 'outbound'")
        else:
            conditions.append(
                "(direction = 'inbound'"
                " OR (direction = 'internal' AND from_key IS NOT ?))"
            )
            params.append(extension)
    if query.numbers:
        marks = ", ".join("?" * len(query.numbers))
        conditions.append(f"(from_key IN ({marks}) OR to_key IN ({marks}))")
        params += [*query.numbers, *query.numbers]
    return conditions, params


def _where(conditions: Iterable[str]) -> str:
    joined = " AND ".join(conditions)
    return f" WHERE {joined}" if joined else ""


def find_calls(
    connection: sqlite3.Connection,
    query: CallQuery,
    key_of: KeyOf,
    kept_since: datetime | None = None,
) -> list[FinishedCall]:
    """Return the calls that answer ``query``, newest first (at most ``limit``).

    ``kept_since``: calls that ended before it are not history any more
    (``history_days``), even if pruning has not removed them yet.
    """
    conditions, params = _filters(query, key_of, kept_since)
    ends: list[tuple[str, list[Any]]] = []
    if query.extension is not None:
        ends = [("= ?", [key_of(query.extension)])]
    elif query.numbers:
        ends = [(f"IN ({', '.join('?' * len(query.numbers))})", [*query.numbers])]
    if not ends:
        sql = (
            f"{SELECT_CALLS} INDEXED BY calls_by_end{_where(conditions)} "
            "ORDER BY ended DESC LIMIT ?"
        )
        return _calls(connection.execute(sql, [*params, query.limit]))
    test, values = ends[0]
    # Only constant SQL and "?" marks are joined here; every value is bound.
    parts = [
        f"SELECT id FROM (SELECT id FROM calls INDEXED BY {index}"  # noqa: S608
        f"{_where([f'{column} {test}', *conditions])} ORDER BY ended DESC LIMIT ?)"
        for index, column in (("calls_by_from", "from_key"), ("calls_by_to", "to_key"))
    ]
    sql = (
        f"{SELECT_CALLS} WHERE id IN ({' UNION ALL '.join(parts)}) "
        "ORDER BY ended DESC LIMIT ?"
    )
    one_end = [*values, *params, query.limit]
    return _calls(connection.execute(sql, [*one_end, *one_end, query.limit]))
