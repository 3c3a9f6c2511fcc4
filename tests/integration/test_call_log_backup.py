"""Backups of the call log: the database file holds still while a backup copies it.

Home Assistant calls the integration's ``backup`` platform before and after
it copies the configuration. A backup taken during a storm of webhooks
must restore a database that opens, is whole, and holds every call answered
before the backup began; the webhooks meanwhile are answered as usual.
"""

import asyncio
from pathlib import Path
import shutil
import sqlite3

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bemmelhor import backup
from homeassistant.core import HomeAssistant

from .helpers import WEBHOOK_PATH, WebhookClient, async_post_all, hangup_body

BEFORE = [f"before-{number}" for number in range(20)]


def copy_as_a_backup_would(database: Path, target: Path, wal_bytes: int | None) -> Path:
    """Copy the database file whole and its WAL up to ``wal_bytes`` (None: whole)."""
    target.mkdir()
    copied = target / database.name
    shutil.copyfile(database, copied)
    wal = database.with_name(database.name + "-wal")
    if wal.exists():
        data = wal.read_bytes()
        (target / wal.name).write_bytes(data if wal_bytes is None else data[:wal_bytes])
    return copied


def restored_calls(copied: Path) -> tuple[str, set[str]]:
    """Open a copy as a restore would: its integrity and its call ids."""
    connection = sqlite3.connect(copied)
    try:
        (integrity,) = connection.execute("PRAGMA integrity_check").fetchone()
        ids = {row[0] for row in connection.execute("SELECT call_id FROM calls")}
    finally:
        connection.close()
    return integrity, ids


async def test_a_backup_during_a_storm_restores_every_call_answered_before(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    tmp_path: Path,
) -> None:
    """The file is held, commits go on into the WAL, every copy restores whole."""
    await async_post_all(webhook_client, [hangup_body(call_id) for call_id in BEFORE])
    database = init_integration.runtime_data.coordinator.store.path

    await backup.async_pre_backup(hass)
    held = database.read_bytes()
    storm = asyncio.gather(
        *(
            webhook_client.post(WEBHOOK_PATH, json=hangup_body(f"storm-{number}"))
            for number in range(60)
        )
    )
    copies = []
    for cut, wal_bytes in enumerate((0, 100, 5000, 12345, None)):
        await asyncio.sleep(0)
        copies.append(
            copy_as_a_backup_would(database, tmp_path / f"copy-{cut}", wal_bytes)
        )
    responses = await storm
    assert database.read_bytes() == held
    await backup.async_post_backup(hass)

    assert {response.status for response in responses} == {200}
    for copied in copies:
        integrity, ids = restored_calls(copied)
        assert integrity == "ok"
        assert set(BEFORE) <= ids
    assert (
        len(
            restored_calls(copy_as_a_backup_would(database, tmp_path / "after", None))[
                1
            ]
        )
        == 80
    )


async def test_a_backup_without_entries_does_nothing(hass: HomeAssistant) -> None:
    """With no entry loaded, the platform has nothing to hold."""
    await backup.async_pre_backup(hass)
    await backup.async_post_backup(hass)
