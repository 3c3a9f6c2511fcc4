"""Version 0.2.0's call log (one JSON document), imported into the database once.

0.2.0 kept the whole log in Home Assistant's storage
(``.storage/bemmelhor.<entry id>.call_log``): open calls, each extension's
last call, the call-back items and the finished calls as rows under one list
of field names. The first start with a database reads it in the database's
thread, inserts every call and item in the same transaction as the rest of
the start, and removes the file once that transaction is committed.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
import json
from pathlib import Path
import sqlite3
from typing import Any

from custom_components.bemmelhor.call_log.model.call_backs import CallBack
from custom_components.bemmelhor.call_log.model.calls import FinishedCall

from .changes import insert_calls, store_call_backs
from .kept import LAST_CALLS, OPEN_CALLS, keep
from .rows import KeyOf


def json_log_path(storage_dir: Path, entry_id: str) -> Path:
    """Return where 0.2.0 kept an entry's call log."""
    return storage_dir / f"bemmelhor.{entry_id}.call_log"


class UnreadableLogError(ValueError):
    """The JSON log is there but is no call log: it is moved aside, not imported."""


@dataclass(slots=True)
class JsonLog:
    """What a 0.2.0 log held."""

    finished: list[FinishedCall] = field(default_factory=list)
    last: dict[str, dict[str, Any]] = field(default_factory=dict)
    open: list[dict[str, Any]] = field(default_factory=list)
    call_backs: list[CallBack] = field(default_factory=list)


def read_json_log(path: Path) -> JsonLog:
    """Read a 0.2.0 log (untrusted: unusable calls are skipped)."""
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as err:
        raise UnreadableLogError(f"not JSON: {err}") from err
    data = document.get("data") if isinstance(document, Mapping) else None
    finished = data.get("finished") if isinstance(data, Mapping) else None
    if (
        not isinstance(data, Mapping)
        or not isinstance(data.get("open"), list)
        or not isinstance(data.get("last"), Mapping)
        or not isinstance(finished, Mapping)
        or not isinstance(fields := finished.get("fields"), list)
        or not isinstance(rows := finished.get("rows"), list)
    ):
        raise UnreadableLogError("not a call log")
    log = JsonLog()
    for row in rows:
        if isinstance(row, list) and (
            call := FinishedCall.from_dict(dict(zip(fields, row, strict=False)))
        ):
            log.finished.append(call)
    log.finished.sort(key=lambda call: call.ended)
    log.last = {
        extension: dict(stored)
        for extension, stored in data["last"].items()
        if isinstance(extension, str)
        and isinstance(stored, Mapping)
        and FinishedCall.from_dict(stored)
    }
    log.open = [dict(stored) for stored in data["open"] if isinstance(stored, Mapping)]
    call_backs = data.get("call_backs")
    for stored in call_backs if isinstance(call_backs, list) else ():
        if isinstance(stored, Mapping) and (item := CallBack.from_dict(stored)):
            log.call_backs.append(item)
    return log


def import_json_log(
    connection: sqlite3.Connection, log: JsonLog, key_of: KeyOf
) -> None:
    """Insert what a 0.2.0 log held (in the caller's transaction)."""
    insert_calls(connection, log.finished, key_of)
    store_call_backs(connection, log.call_backs, ())
    keep(connection, {OPEN_CALLS: log.open, LAST_CALLS: log.last})
