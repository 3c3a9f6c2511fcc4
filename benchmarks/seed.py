"""Entries written before Home Assistant starts, with a call log already full.

A Bem Melhor entry's call log is read once, when the entry is set up, from
``.storage/bemmelhor.<entry id>.call_log``. To measure the integration with
100,000 calls in its log, the benchmark writes both the entry (in
``.storage/core.config_entries``, at that store's first version, which Home
Assistant migrates) and its call log before the first start. The calls are
built as the integration's own ``FinishedCall`` and stored through its own
``as_dict`` and column list, so the file is what the integration would have
written; they ended over the last ``SPREAD_DAYS`` days, well inside the
entry's ``history_days``, so none is pruned.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
import json
from pathlib import Path
import secrets
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


def call_log_document(entry: PresetEntry, now: datetime) -> dict[str, Any]:
    """Return the call-log store file of ``entry`` with its ``logged_calls``."""
    from custom_components.bemmelhor.call_log.model.history import (  # noqa: PLC0415
        STORED_FIELDS as FINISHED_FIELDS,
    )
    from custom_components.bemmelhor.call_log.store import (  # noqa: PLC0415
        STORAGE_MINOR_VERSION,
        STORAGE_VERSION,
        storage_key,
    )

    calls = logged_calls(entry.extensions, entry.logged_calls, now)
    last: dict[str, Any] = {}
    for call in calls:
        for extension in {call.from_, call.to} & set(entry.extensions):
            last[extension] = call
    rows = [
        [stored[field] for field in FINISHED_FIELDS]
        for stored in (call.as_dict() for call in calls)
    ]
    return storage_document(
        storage_key(entry.entry_id),
        (STORAGE_VERSION, STORAGE_MINOR_VERSION),
        {
            "open": [],
            "last": {extension: call.as_dict() for extension, call in last.items()},
            "finished": {"fields": list(FINISHED_FIELDS), "rows": rows},
        },
    )


def call_log_path(config_dir: Path, entry_id: str) -> Path:
    """Return where an entry's call log is stored."""
    from custom_components.bemmelhor.call_log.store import storage_key  # noqa: PLC0415

    return config_dir / ".storage" / storage_key(entry_id)


def write_presets(
    config_dir: Path, entries: Sequence[PresetEntry], now: datetime
) -> None:
    """Write the entries and their call logs into a stopped configuration."""
    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    _write_json(storage / CONFIG_ENTRIES_KEY, config_entries_document(entries))
    for entry in entries:
        if entry.logged_calls:
            _write_json(
                call_log_path(config_dir, entry.entry_id),
                call_log_document(entry, now),
            )


def _write_json(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    path.chmod(0o600)
