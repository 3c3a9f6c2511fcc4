"""The call log's tables, and the steps that bring an older database up to date.

``PRAGMA user_version`` holds the schema version; each step of
``MIGRATIONS`` brings a database one version up, in one transaction. A
database newer than this code knows is refused (:class:`NewerDatabaseError`):
it is moved aside, not misread.

Finished calls are appended to ``calls`` (one insert each, never
rewritten). Its three indexes answer what is asked: a period (``ended``),
and the calls of an extension or a number, at either end (the numbers'
keys, with ``ended`` to list them newest first). ``call_backs`` holds the
call-back list, one row per item. ``kept`` holds what is written only when
the log closes: the calls still open and each extension's last call.
"""

import sqlite3

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            call_id TEXT NOT NULL,
            extension TEXT,
            direction TEXT NOT NULL,
            from_number TEXT,
            to_number TEXT,
            from_name TEXT,
            to_name TEXT,
            started REAL NOT NULL,
            answered REAL,
            ended REAL NOT NULL,
            duration INTEGER,
            talk_time INTEGER NOT NULL,
            disposition TEXT NOT NULL,
            raw_disposition TEXT,
            source TEXT NOT NULL,
            placed_by TEXT,
            from_key TEXT,
            to_key TEXT
        )""",
        "CREATE INDEX calls_by_end ON calls (ended)",
        "CREATE INDEX calls_by_from ON calls (from_key, ended)",
        "CREATE INDEX calls_by_to ON calls (to_key, ended)",
        """CREATE TABLE call_backs (
            uid TEXT PRIMARY KEY,
            number TEXT NOT NULL,
            name TEXT,
            extension TEXT,
            missed INTEGER NOT NULL,
            last_missed REAL NOT NULL,
            completed REAL
        ) WITHOUT ROWID""",
        "CREATE TABLE kept (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    ),
)
"""Step ``n`` brings a database from version ``n`` to ``n + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


class NewerDatabaseError(sqlite3.DatabaseError):
    """The database was written by a newer version of the integration."""


def schema_version(connection: sqlite3.Connection) -> int:
    """Return the database's schema version (0: a new, empty database)."""
    version: int = connection.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the database up to ``SCHEMA_VERSION``; return the version it had.

    The connection is in autocommit mode; each step is its own transaction.
    """
    found = version = schema_version(connection)
    if version > SCHEMA_VERSION:
        raise NewerDatabaseError(
            f"schema version {version}, newer than {SCHEMA_VERSION}"
        )
    while version < SCHEMA_VERSION:
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[version]:
                connection.execute(statement)
            version += 1
            connection.execute(f"PRAGMA user_version = {version}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return found
