"""The call log's database across restarts, at removal, from 0.2.0, when damaged."""

import asyncio
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import sqlite3
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.call_log.database.files import database_files
from custom_components.bemmelhor.call_log.database.json_log import json_log_path
from custom_components.bemmelhor.call_log.database.schema import SCHEMA_VERSION
from custom_components.bemmelhor.call_log.model.queries import CallQuery
from custom_components.bemmelhor.call_log.upkeep import PRUNE_INTERVAL
from custom_components.bemmelhor.const import DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util

from .helpers import (
    NOW,
    NUMBER,
    WEBHOOK_PATH,
    WebhookClient,
    async_logged_calls,
    async_post_all,
    async_setup_entry,
    dialing_body,
    get_state,
    hangup_body,
)

LAST_OUTCOME = "sensor.extension_6001_last_call_outcome"
ON_CALL = "binary_sensor.extension_6001_on_call"
CALL_STATE = "sensor.extension_6001_call_state"
LAST_CALL = "sensor.extension_6001_last_call"
TODO = "todo.bem_melhor_pbx_calls_to_return"


def database_of(entry: MockConfigEntry) -> Path:
    """Return the path of an entry's database."""
    path: Path = entry.runtime_data.coordinator.store.path
    return path


def storage_dir(hass: HomeAssistant) -> Path:
    """Return the configuration's ``.storage`` folder."""
    folder = Path(hass.config.path(".storage"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def rows(path: Path, sql: str) -> list[Any]:
    """Read the database with a connection of the test's own."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Stop the entry (the log is closed) and start it again."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.freeze_time(NOW)
async def test_restart_with_history_entities_disabled(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    entity_registry: er.EntityRegistry,
) -> None:
    """With ``last_call`` and ``call_state`` disabled, a restart keeps both calls."""
    for entity_id in (LAST_CALL, CALL_STATE):
        entity_registry.async_update_entity(
            entity_id, disabled_by=er.RegistryEntryDisabler.USER
        )
    await async_post_all(
        webhook_client,
        [
            dialing_body("first"),
            hangup_body("first", disposition="BUSY"),
            dialing_body("second"),
        ],
    )

    await restart(hass, init_integration)

    assert get_state(hass, LAST_OUTCOME).state == "busy"
    assert get_state(hass, ON_CALL).state == "on"
    coordinator = init_integration.runtime_data.coordinator
    assert [call.call_id for call in coordinator.log.open_calls] == ["second"]


async def test_open_call_ends_with_its_destination_after_restart(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
) -> None:
    """A hangup after a restart still finds the call's destination and start."""
    await async_post_all(webhook_client, [dialing_body("abc", created=1795780800000)])

    await restart(hass, init_integration)
    await async_post_all(webhook_client, [hangup_body("abc", created=1795780925000)])

    last_call = get_state(hass, LAST_CALL)
    assert last_call.attributes["to"] == NUMBER
    assert last_call.attributes["duration"] == 125


async def test_a_hangup_is_answered_once_its_call_is_in_the_file(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
) -> None:
    """The 200 comes after the commit: another connection reads the call at once."""
    response = await webhook_client.post(WEBHOOK_PATH, json=hangup_body("kept"))

    assert response.status == 200
    assert rows(database_of(init_integration), "SELECT call_id FROM calls") == [
        ("kept",)
    ]


async def test_a_dialing_writes_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
) -> None:
    """A call that is still open needs no commit (the poll finds it again)."""
    store = init_integration.runtime_data.coordinator.store
    commits = store.commits

    await async_post_all(webhook_client, [dialing_body("open")])
    await hass.async_block_till_done()

    assert store.commits == commits


async def test_hangups_that_arrive_together_share_a_commit(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
) -> None:
    """Fifty hangups at once: every call kept, in far fewer commits than calls."""
    store = init_integration.runtime_data.coordinator.store
    commits = store.commits

    responses = await asyncio.gather(
        *(
            webhook_client.post(WEBHOOK_PATH, json=hangup_body(f"call-{number}"))
            for number in range(50)
        )
    )

    assert [response.status for response in responses] == [200] * 50
    assert len(await async_logged_calls(init_integration)) == 50
    assert store.commits - commits < 10


async def test_open_and_last_calls_are_kept_at_the_final_write(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
) -> None:
    """Home Assistant's final write closes the log, keeping its open calls."""
    await async_post_all(webhook_client, [dialing_body("pending")])

    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()

    (kept,) = rows(
        database_of(init_integration),
        "SELECT value FROM kept WHERE name = 'open_calls'",
    )
    assert [call["call_id"] for call in json.loads(kept[0])] == ["pending"]
    assert init_integration.runtime_data.coordinator.store.closed


async def test_removing_the_entry_removes_the_database(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
) -> None:
    """After the entry is deleted, no file of its call log is left."""
    await async_post_all(webhook_client, [dialing_body(), hangup_body()])
    path = database_of(init_integration)
    assert path.exists()

    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()

    assert [file for file in database_files(path) if file.exists()] == []
    assert sorted(path.parent.glob("bemmelhor.*")) == []


@pytest.mark.freeze_time(NOW)
async def test_history_days_hides_and_prunes_old_calls(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Calls older than ``history_days`` are no history; the hourly pruning deletes them."""
    await async_post_all(webhook_client, [hangup_body("old")])
    freezer.tick(timedelta(days=91))
    await async_post_all(webhook_client, [hangup_body("new")])
    store = init_integration.runtime_data.coordinator.store

    assert [call.call_id for call in await async_logged_calls(init_integration)] == [
        "new"
    ]
    async_fire_time_changed(hass, dt_util.utcnow() + PRUNE_INTERVAL)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await store.async_count() == 1


def json_log(entry_id: str, calls: int) -> dict[str, Any]:
    """Return a 0.2.0 call log of ``calls`` answered calls, a call-back and more."""
    fields = ["call_id", "extension", "direction", "from", "to", "from_name",
              "to_name", "started", "answered", "ended", "duration", "talk_time",
              "disposition", "source"]  # fmt: skip
    start = datetime(2026, 11, 1, tzinfo=UTC)
    rows_ = [
        [f"c{n}", "6001", "outbound", "6001", NUMBER, None, "Maria", (start + timedelta(minutes=n)).isoformat(),
         None, (start + timedelta(minutes=n, seconds=30)).isoformat(), 30, 30, "answered", "webhook"]
        for n in range(calls)
    ]  # fmt: skip
    last_row = dict(zip(fields, rows_[-1], strict=True))
    return {
        "version": 1,
        "minor_version": 1,
        "key": f"bemmelhor.{entry_id}.call_log",
        "data": {
            "open": [{"call_id": "open-1", "from": "6002", "to": NUMBER,
                      "extension": "6002", "started": start.isoformat()}],
            "last": {"6001": last_row},
            "call_backs": [{"uid": "u1", "number": "11999990000", "name": "Ana",
                            "extension": "6001", "missed": 2,
                            "last_missed": start.isoformat(), "completed": None}],
            "finished": {"fields": fields, "rows": rows_},
        },
    }  # fmt: skip


async def test_imports_the_json_log_of_0_2_0(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    pbx_simulator: SimulatorServer,
) -> None:
    """10,000 calls, the call-back list, last and open calls: all kept, the file gone."""
    path = json_log_path(storage_dir(hass), mock_config_entry.entry_id)
    path.write_text(json.dumps(json_log(mock_config_entry.entry_id, 10_000)))

    await async_setup_entry(hass, mock_config_entry)

    store = mock_config_entry.runtime_data.coordinator.store
    assert await store.async_count() == 10_000
    assert not path.exists()
    assert get_state(hass, LAST_CALL).attributes["call_id"] == "c9999"
    assert get_state(hass, TODO).state == "1"
    coordinator = mock_config_entry.runtime_data.coordinator
    assert [call.call_id for call in coordinator.log.open_calls] == ["open-1"]
    oldest = await store.async_query(
        CallQuery(end=datetime(2026, 11, 1, 0, 1, tzinfo=UTC)),
        datetime(2026, 11, 20, tzinfo=UTC),
    )
    assert [call.call_id for call in oldest] == ["c0"]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("{not json", id="not-json"),
        pytest.param(json.dumps({"data": {"open": "x"}}), id="wrong-shape"),
        pytest.param(json.dumps(["not", "an", "object"]), id="a-list"),
    ],
)
async def test_unreadable_json_log_is_moved_aside_with_a_repair(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    pbx_simulator: SimulatorServer,
    content: str,
) -> None:
    """A 0.2.0 file that is no call log: the entry loads, empty, and says so."""
    path = json_log_path(storage_dir(hass), mock_config_entry.entry_id)
    path.write_text(content)

    await async_setup_entry(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert not path.exists()
    assert list(path.parent.glob(f"{path.name}.damaged-*"))
    issue = issue_registry.async_get_issue(
        DOMAIN, f"call_log_reset_{mock_config_entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_key == "call_log_reset"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(
            b"this is not a database at all, just some bytes" * 100, id="junk"
        ),
        pytest.param(b"SQLite format 3\x00" + b"\xff" * 4000, id="torn-header"),
    ],
)
async def test_damaged_database_is_moved_aside_with_a_repair(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    pbx_simulator: SimulatorServer,
    damage: bytes,
) -> None:
    """A database file that cannot be read: moved aside, a new one, the repair."""
    path = storage_dir(hass) / f"bemmelhor.{mock_config_entry.entry_id}.call_log.db"
    path.write_bytes(damage)

    await async_setup_entry(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert list(path.parent.glob(f"{path.name}.damaged-*"))
    assert rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert issue_registry.async_get_issue(
        DOMAIN, f"call_log_reset_{mock_config_entry.entry_id}"
    )


async def test_a_database_of_a_newer_version_is_not_misread(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    pbx_simulator: SimulatorServer,
) -> None:
    """A database a newer integration wrote is moved aside (kept), not misread."""
    path = storage_dir(hass) / f"bemmelhor.{mock_config_entry.entry_id}.call_log.db"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()

    await async_setup_entry(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert list(path.parent.glob(f"{path.name}.damaged-*"))
    assert issue_registry.async_get_issue(
        DOMAIN, f"call_log_reset_{mock_config_entry.entry_id}"
    )


async def test_a_new_entry_raises_no_repair(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A first start with no log at all is no reset."""
    assert not issue_registry.async_get_issue(
        DOMAIN, f"call_log_reset_{init_integration.entry_id}"
    )
    assert rows(database_of(init_integration), "PRAGMA journal_mode") == [("wal",)]


async def test_a_hangup_that_cannot_be_written_is_answered_503(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Never "received" for a call that was not kept: the PBX may send it again."""
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()

    response = await webhook_client.post(WEBHOOK_PATH, json=hangup_body("late"))

    assert response.status == 503
    assert "could not be written to the call log" in caplog.text
