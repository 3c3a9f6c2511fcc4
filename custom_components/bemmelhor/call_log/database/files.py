"""The files a call-log database is made of: where they are, moving and removing them.

The database is ``bemmelhor.<entry id>.call_log.db`` in Home Assistant's
``.storage`` folder (beside, never the name of, Home Assistant's own JSON
files), with SQLite's ``-wal`` and ``-shm`` files while it is open. A damaged
database is not deleted: its files are renamed with ``.damaged-<time>`` so
that nothing is lost for good.
"""

from datetime import UTC, datetime
from pathlib import Path
import sqlite3

from .schema import NewerDatabaseError

DAMAGED_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
SUFFIXES = ("", "-wal", "-shm", "-journal")
"""The database file and SQLite's files beside it."""


def database_path(storage_dir: Path, entry_id: str) -> Path:
    """Return the path of an entry's database."""
    return storage_dir / f"bemmelhor.{entry_id}.call_log.db"


def database_files(path: Path) -> list[Path]:
    """Return the database file and SQLite's files beside it."""
    return [path.with_name(path.name + suffix) for suffix in SUFFIXES]


def move_aside(path: Path, now: datetime | None = None) -> list[Path]:
    """Rename a damaged database's files out of the way; return the new names."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    moved = []
    for file in database_files(path):
        if file.exists():
            target = file.with_name(f"{file.name}.damaged-{stamp}")
            file.replace(target)
            moved.append(target)
    return moved


def remove_database(path: Path) -> None:
    """Delete a database and SQLite's files beside it (the entry is removed)."""
    for file in database_files(path):
        file.unlink(missing_ok=True)


def is_damaged(err: BaseException) -> bool:
    """Return whether an error says the file is damaged, no database, or too new."""
    return isinstance(err, NewerDatabaseError) or (
        isinstance(err, sqlite3.DatabaseError)
        and getattr(err, "sqlite_errorcode", None) in DAMAGED_CODES
    )
