"""Entries written before Home Assistant starts, with a call log already full.

A Bem Melhor entry's call log is an SQLite database,
``.storage/bemmelhor.<entry id>.call_log.db``. To measure the integration
with 100,000 calls in its log, the benchmark writes both the entry (in
``.storage/core.config_entries``, at that store's first version, which Home
Assistant migrates) and its database before the first start. The calls are
built as the integration's own ``FinishedCall`` and inserted through its own
database modules, so the file is what the integration would have written;
they ended over the last ``SPREAD_DAYS`` days, well inside the entry's
``history_days``, so none is pruned.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
import json
from pathlib import Path
import secrets
import sqlite3
from typing import Any

DOMAIN = "bemmelhor"
TITLE = "Bem Melhor PBX"
CONFIG_ENTRIES_KEY = "core.config_entries"
CONFIG_ENTRIES_VERSION = (1, 1)
"""The first version of Home Assistant's entry store: every later one migrates it."""
HISTORY_DAYS = 365
"""The preset entries' ``history_days`` option: far more than the calls span."""
SPREAD_DAYS = 60
"""The seeded calls ended over this many days before the start."""
OUTSIDE = "0329"
INBOUND_EVERY = 3
INTERNAL_EVERY = 7
UNANSWERED_EVERY = 5


@dataclass(frozen=True, slots=True)
class PresetEntry:
    """An entry written into the configuration before Home Assistant starts."""

    entry_id: str
    webhook_id: str
    host: str
    port: int
    extensions: tuple[str, ...]
    client_id: str
    logged_calls: int = 0
    """Finished calls written into the entry's call log (0: no file)."""

    @classmethod
    def new(
        cls,
        host: str,
        port: int,
        extensions: Sequence[str],
        client_id: str,
        logged_calls: int = 0,
    ) -> PresetEntry:
        """Return a preset entry with fresh ids."""
        return cls(
            entry_id=secrets.token_hex(13).upper(),
            webhook_id=secrets.token_hex(32),
            host=host,
            port=port,
            extensions=tuple(extensions),
            client_id=client_id,
            logged_calls=logged_calls,
        )

    def as_stored(self) -> dict[str, Any]:
        """Return the entry as ``core.config_entries`` 1.1 holds it."""
        return {
            "entry_id": self.entry_id,
            "version": 1,
            "minor_version": 1,
            "domain": DOMAIN,
            "title": TITLE,
            "data": {
                "host": self.host,
                "port": self.port,
                "ssl": False,
                "verify_ssl": True,
                "webhook_id": self.webhook_id,
            },
            "options": {
                "extensions": list(self.extensions),
                "outside_line_prefix": "0",
                "client_id": self.client_id,
                "history_days": HISTORY_DAYS,
            },
            "source": "user",
            "unique_id": self.host,
            "disabled_by": None,
            "pref_disable_new_entities": None,
            "pref_disable_polling": None,
        }


def storage_document(key: str, version: tuple[int, int], data: Any) -> dict[str, Any]:
    """Return a Home Assistant store file's content."""
    return {
        "version": version[0],
        "minor_version": version[1],
        "key": key,
        "data": data,
    }


def config_entries_document(entries: Sequence[PresetEntry]) -> dict[str, Any]:
    """Return ``.storage/core.config_entries`` holding the preset entries."""
    return storage_document(
        CONFIG_ENTRIES_KEY,
        CONFIG_ENTRIES_VERSION,
        {"entries": [entry.as_stored() for entry in entries]},
    )


def logged_calls(extensions: Sequence[str], count: int, now: datetime) -> list[Any]:
    """Return ``count`` finished calls (``FinishedCall``), oldest first.

    Outgoing, incoming and internal calls of the extensions, one in five not
    answered, evenly spread over the ``SPREAD_DAYS`` days before ``now``.
    """
    from custom_components.bemmelhor.api import Disposition  # noqa: PLC0415
    from custom_components.bemmelhor.call_log.model.calls import (  # noqa: PLC0415
        Direction,
        FinishedCall,
    )

    step = timedelta(days=SPREAD_DAYS) / (count + 1)
    calls = []
    for number in range(count):
        extension = extensions[number % len(extensions)]
        outside = f"{OUTSIDE}{number % 100_000_000:08d}"
        if number % INTERNAL_EVERY == 0 and len(extensions) > 1:
            other = extensions[(number + 1) % len(extensions)]
            from_, to, direction = extension, other, Direction.INTERNAL
        elif number % INBOUND_EVERY == 0:
            from_, to, direction = outside, extension, Direction.INBOUND
        else:
            from_, to, direction = extension, outside, Direction.OUTBOUND
        ended = now - step * (count - number)
        duration = 20 + number % 300
        started = ended - timedelta(seconds=duration)
        answered = number % UNANSWERED_EVERY != 0
        calls.append(
            FinishedCall(
                call_id=f"seed{number:012x}",
                extension=extension,
                direction=direction,
                from_=from_,
                to=to,
                started=started,
                answered=started + timedelta(seconds=8) if answered else None,
                ended=ended,
                duration=duration,
                talk_time=duration - 8 if answered else 0,
                disposition=Disposition.ANSWERED if answered else Disposition.NO_ANSWER,
            )
        )
    return calls


@dataclass(frozen=True, slots=True)
class SeededLog:
    """A call-log database as the seed left it (checkpointed, closed)."""

    calls: int
    file_bytes: int
    """``page_count * page_size``: the whole database, indexes included."""

    @property
    def bytes_per_call(self) -> float:
        """Return the file's bytes per call (0 for an empty log)."""
        return self.file_bytes / self.calls if self.calls else 0.0


def call_log_path(config_dir: Path, entry_id: str) -> Path:
    """Return where an entry's call-log database is."""
    from custom_components.bemmelhor.call_log.database.files import (  # noqa: PLC0415
        database_path,
    )

    return database_path(config_dir / ".storage", entry_id)


def write_call_log(path: Path, entry: PresetEntry, now: datetime) -> SeededLog:
    """Write ``entry``'s calls into a call-log database, as the integration would.

    Through the integration's own modules: its tables (``schema.migrate``),
    its rows and number keys (``changes.insert_calls`` with the entry's
    ``key_of``) and the mark of a database that has run before
    (``kept.mark_run``), so the first start neither imports a 0.2.0 log nor
    takes over 0.1.0's data: it reads what is live, as any later start does.
    The WAL is checkpointed and the database closed: only the file is left.
    """
    from custom_components.bemmelhor.call_log.database import (  # noqa: PLC0415
        changes,
        kept,
        schema,
    )
    from custom_components.bemmelhor.call_log.store import (  # noqa: PLC0415
        key_of_numbers,
    )
    from custom_components.bemmelhor.const import DEFAULT_AREA_CODE  # noqa: PLC0415

    calls = logged_calls(entry.extensions, entry.logged_calls, now)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, autocommit=True)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        schema.migrate(connection)
        connection.execute("BEGIN IMMEDIATE")
        changes.insert_calls(connection, calls, key_of_numbers(DEFAULT_AREA_CODE))
        kept.mark_run(connection, now)
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        file_bytes = database_bytes(connection)
    finally:
        connection.close()
    return SeededLog(calls=len(calls), file_bytes=file_bytes)


def database_bytes(connection: sqlite3.Connection) -> int:
    """Return the size of a database's file: its pages (after a checkpoint)."""
    pages: int = connection.execute("PRAGMA page_count").fetchone()[0]
    size: int = connection.execute("PRAGMA page_size").fetchone()[0]
    return pages * size


def write_presets(
    config_dir: Path, entries: Sequence[PresetEntry], now: datetime
) -> dict[str, SeededLog]:
    """Write the entries and their call logs into a stopped configuration.

    Returns each entry's seeded database by entry id (an entry without
    logged calls gets none: the integration creates it at the first start).
    """
    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    _write_json(storage / CONFIG_ENTRIES_KEY, config_entries_document(entries))
    return {
        entry.entry_id: write_call_log(
            call_log_path(config_dir, entry.entry_id), entry, now
        )
        for entry in entries
        if entry.logged_calls
    }


def _write_json(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    path.chmod(0o600)
