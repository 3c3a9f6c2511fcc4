"""What the database holds at start: the live part of the log, read in its thread.

A start reads what is live, never the whole history: each extension's last
call (two index lookups), today's calls, the ids of calls that ended in the
last hour (duplicates), the open and newest completed call-back items, and
what the last run kept (open calls, last calls). On a database's first
start, 0.2.0's JSON log is imported in the same transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum, auto
import logging
from pathlib import Path
import sqlite3
from typing import Any

from custom_components.bemmelhor.call_log.model.call_backs import CallBack
from custom_components.bemmelhor.call_log.model.calls import FinishedCall

from . import changes, questions
from .files import move_aside
from .json_log import UnreadableLogError, import_json_log, read_json_log
from .kept import OPEN_CALLS, has_run, mark_run, take_kept
from .rows import KeyOf

_LOGGER = logging.getLogger(__name__)

RECENT_IDS = timedelta(hours=1)
"""Calls that ended this long before a start are still recognised as duplicates."""


class LoadResult(Enum):
    """What opening a call log found."""

    LOADED = auto()
    NEW = auto()
    """No log was stored: a new entry, or one that 0.1.0 kept (``takeover.py``)."""
    RESET = auto()
    """A stored log could not be read: it was moved aside and the log starts empty."""


@dataclass(slots=True, kw_only=True)
class Loaded:
    """What the database held at start."""

    result: LoadResult = LoadResult.LOADED
    today: list[FinishedCall] = field(default_factory=list)
    last: dict[str, FinishedCall] = field(default_factory=dict)
    kept: dict[str, Any] = field(default_factory=dict)
    call_backs: list[CallBack] = field(default_factory=list)
    recent_ids: list[str] = field(default_factory=list)
    imported: int = 0


def load_live(
    connection: sqlite3.Connection,
    *,
    json_path: Path,
    extensions: Iterable[str],
    key_of: KeyOf,
    now: datetime,
    day_start: datetime,
) -> Loaded:
    """Read what is live, importing 0.2.0's log on the first start."""
    loaded = Loaded()
    if not has_run(connection):
        loaded.result = LoadResult.NEW
        if json_path.exists():
            loaded.result = _import_json_log(connection, json_path, loaded, key_of, now)
        mark_run(connection, now)
    loaded.kept = take_kept(connection, forget=(OPEN_CALLS,))
    loaded.last = {
        extension: call
        for extension in extensions
        if (call := questions.last_call(connection, key_of(extension)))
    }
    loaded.today = questions.calls_ended_between(
        connection, day_start, now + timedelta(days=1)
    )
    loaded.recent_ids = questions.recent_call_ids(connection, now - RECENT_IDS)
    loaded.call_backs = changes.load_call_backs(connection)
    return loaded


def _import_json_log(
    connection: sqlite3.Connection,
    path: Path,
    loaded: Loaded,
    key_of: KeyOf,
    now: datetime,
) -> LoadResult:
    """Import 0.2.0's log file, or move it aside if it is no call log."""
    try:
        old = read_json_log(path)
    except UnreadableLogError as err:
        _LOGGER.warning("The call log file could not be read (%s)", err)
        move_aside(path, now)
        return LoadResult.RESET
    import_json_log(connection, old, key_of)
    loaded.imported = len(old.finished)
    return LoadResult.LOADED
