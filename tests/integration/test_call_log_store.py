"""The call log on disk: across restarts, at removal, from 0.1.0, when damaged."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.call_log.store import storage_key
from custom_components.bemmelhor.const import DOMAIN, SAVE_DELAY
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from .helpers import (
    NOW,
    NUMBER,
    WebhookClient,
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


def stored_log(hass_storage: dict[str, Any], entry: MockConfigEntry) -> Any:
    """Return the call log data as written to the entry's store."""
    return hass_storage[storage_key(entry.entry_id)]["data"]


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Stop the entry (the log is saved) and start it again."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED


async def save_soon(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the coalesced save run."""
    freezer.tick(timedelta(seconds=SAVE_DELAY + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


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


async def test_writes_are_coalesced(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Fifty calls write nothing at once; one write follows a few seconds later."""
    key = storage_key(init_integration.entry_id)
    await async_post_all(
        webhook_client,
        [
            body
            for number in range(50)
            for body in (dialing_body(f"call-{number}"), hangup_body(f"call-{number}"))
        ],
    )
    assert key not in hass_storage

    await save_soon(hass, freezer)

    assert len(stored_log(hass_storage, init_integration)["finished"]["rows"]) == 50


async def test_pending_changes_are_written_at_stop(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    hass_storage: dict[str, Any],
) -> None:
    """Home Assistant's final write saves what was not saved yet."""
    await async_post_all(webhook_client, [dialing_body("pending")])

    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()

    assert stored_log(hass_storage, init_integration)["open"][0]["call_id"] == "pending"


async def test_removing_the_entry_removes_the_store(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """After the entry is deleted, no call log of it is left."""
    await async_post_all(webhook_client, [dialing_body(), hangup_body()])
    await save_soon(hass, freezer)
    assert storage_key(init_integration.entry_id) in hass_storage

    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()

    assert storage_key(init_integration.entry_id) not in hass_storage


@pytest.mark.freeze_time(NOW)
async def test_history_days_drops_old_calls_at_start(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    pbx_simulator: SimulatorServer,
) -> None:
    """Finished calls older than ``history_days`` are not loaded."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options=mock_config_entry.options | {"history_days": 1}
    )
    fields = ["call_id", "from", "to", "started", "ended", "disposition"]
    rows = [
        ["old", "6001", NUMBER, "2026-11-20T10:00:00+00:00", "2026-11-20T10:01:00+00:00", "answered"],
        ["new", "6001", NUMBER, "2026-11-27T10:00:00+00:00", "2026-11-27T10:01:00+00:00", "busy"],
    ]  # fmt: skip
    hass_storage[storage_key(mock_config_entry.entry_id)] = {
        "version": 1,
        "minor_version": 1,
        "key": storage_key(mock_config_entry.entry_id),
        "data": {"open": [], "last": {}, "finished": {"fields": fields, "rows": rows}},
    }

    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    log = mock_config_entry.runtime_data.coordinator.log
    assert [call.call_id for call in log.history.newest_first()] == ["new"]
    assert get_state(hass, LAST_OUTCOME).state == "busy"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"open": "x", "last": {}, "finished": {}}, id="wrong-shape"),
        pytest.param(["not", "an", "object"], id="a-list"),
        pytest.param({"open": [], "last": {}, "finished": {"rows": 1}}, id="no-rows"),
    ],
)
async def test_unreadable_log_starts_empty_with_a_repair(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    pbx_simulator: SimulatorServer,
    data: object,
) -> None:
    """A stored log that is not one: the entry loads, empty, and says so."""
    hass_storage[storage_key(mock_config_entry.entry_id)] = {
        "version": 1,
        "minor_version": 1,
        "key": storage_key(mock_config_entry.entry_id),
        "data": data,
    }

    await async_setup_entry(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert len(mock_config_entry.runtime_data.coordinator.log.history) == 0
    issue = issue_registry.async_get_issue(
        DOMAIN, f"call_log_reset_{mock_config_entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_key == "call_log_reset"


async def test_damaged_file_starts_empty_with_a_repair(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    pbx_simulator: SimulatorServer,
) -> None:
    """A file on disk that gives no log (not JSON): empty log and the repair."""
    path = Path(hass.config.path(".storage", storage_key(mock_config_entry.entry_id)))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")

    await async_setup_entry(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert issue_registry.async_get_issue(
        DOMAIN, f"call_log_reset_{mock_config_entry.entry_id}"
    )
