"""The pure parts of the call-log benchmarks: seeding, counting writes, figures."""

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import stat

import pytest

from benchmarks import bench_noop
from benchmarks.cli import _benchmark_of
from benchmarks.environment import (
    DOMAIN,
    NOOP_DOMAIN,
    NOOP_WEBHOOK_ID,
    REPO,
    install_custom_components,
    remove_noop_integration,
)
from benchmarks.memory import deep_size, figure as memory_figure
from benchmarks.report import Figure
from benchmarks.seed import (
    HISTORY_DAYS,
    SPREAD_DAYS,
    PresetEntry,
    call_log_document,
    call_log_path,
    config_entries_document,
    logged_calls,
    write_presets,
)
from benchmarks.stats import Summary
from benchmarks.throughput import RoundResult, figures, round_order
from benchmarks.writes import write_times
from custom_components.bemmelhor.call_log.model.history import (
    STORED_FIELDS as FINISHED_FIELDS,
)
from custom_components.bemmelhor.call_log.model.log import CallLog
from custom_components.bemmelhor.call_log.store import load_call_log, storage_key

NOW = datetime(2026, 11, 27, 22, 0, 0, tzinfo=UTC)
EXTENSIONS = ("6001", "6002", "6003")


def _entry(calls: int = 30) -> PresetEntry:
    return PresetEntry.new("127.0.0.1", 3030, EXTENSIONS, "client", calls)


def test_preset_entries_are_stored_at_the_first_store_version() -> None:
    """Home Assistant migrates version 1.1 of its entry store, whatever it is now."""
    first, second = _entry(), _entry(0)

    document = config_entries_document([first, second])

    assert (document["version"], document["minor_version"]) == (1, 1)
    assert document["key"] == "core.config_entries"
    stored = document["data"]["entries"]
    assert [entry["entry_id"] for entry in stored] == [
        first.entry_id,
        second.entry_id,
    ]
    assert first.entry_id != second.entry_id
    assert first.webhook_id != second.webhook_id
    assert stored[0]["domain"] == DOMAIN
    assert stored[0]["unique_id"] == "127.0.0.1"
    assert stored[0]["data"]["webhook_id"] == first.webhook_id
    assert stored[0]["options"]["extensions"] == list(EXTENSIONS)
    assert stored[0]["options"]["history_days"] == HISTORY_DAYS


def test_seeded_calls_fit_the_history_and_mix_directions() -> None:
    """Calls end within SPREAD_DAYS before now (inside history_days), oldest first."""
    calls = logged_calls(EXTENSIONS, 42, NOW)

    ends = [call.ended for call in calls]
    assert ends == sorted(ends)
    assert ends[0] >= NOW - timedelta(days=SPREAD_DAYS)
    assert ends[-1] < NOW
    assert SPREAD_DAYS < HISTORY_DAYS
    assert len({call.call_id for call in calls}) == 42
    assert {call.direction.value for call in calls} == {
        "inbound",
        "outbound",
        "internal",
    }
    assert any(call.talk_time == 0 for call in calls)


def test_the_integration_loads_the_seeded_log_whole() -> None:
    """The seeded file is in the integration's own format: nothing dropped or pruned."""
    entry = _entry(30)

    document = call_log_document(entry, NOW)

    assert document["key"] == storage_key(entry.entry_id)
    rows = document["data"]["finished"]["rows"]
    assert len(rows) == 30
    assert {len(row) for row in rows} == {len(FINISHED_FIELDS)}
    assert set(document["data"]["last"]) == set(EXTENSIONS)
    log = CallLog(EXTENSIONS, history=timedelta(days=HISTORY_DAYS))
    data = json.loads(json.dumps(document["data"]))
    assert load_call_log(log, data, NOW)
    assert len(log.history) == 30
    assert set(log.last_calls) == set(EXTENSIONS)


def test_presets_are_written_into_the_storage_folder(tmp_path: Path) -> None:
    """The entries file, and a call log only for an entry with logged calls."""
    full, empty = _entry(5), _entry(0)

    write_presets(tmp_path, [full, empty], NOW)

    entries = json.loads((tmp_path / ".storage" / "core.config_entries").read_text())
    assert len(entries["data"]["entries"]) == 2
    log_file = call_log_path(tmp_path, full.entry_id)
    assert log_file.name == storage_key(full.entry_id)
    assert len(json.loads(log_file.read_text())["data"]["finished"]["rows"]) == 5
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert not call_log_path(tmp_path, empty.entry_id).exists()


def test_write_times_come_from_the_storage_debug_lines() -> None:
    """Only the lines of the right store count, at their logged local time."""
    key = "bemmelhor.ABC.call_log"
    lines = [
        "2026-11-30 15:00:01.250 DEBUG (SyncWorker_1) [homeassistant.helpers.storage]"
        f" Writing data for {key} to /x/.storage/{key}",
        "2026-11-30 15:00:02.000 DEBUG (SyncWorker_2) [homeassistant.helpers.storage]"
        " Writing data for core.restore_state to /x/.storage/core.restore_state",
        "2026-11-30 15:00:03.500 DEBUG (SyncWorker_1) [homeassistant.helpers.storage]"
        f" Writing data for {key}.old to /x",
        "  traceback line without a time, Writing data for {key} ",
    ]

    times = write_times(lines, key)

    assert times == [datetime(2026, 11, 30, 15, 0, 1, 250_000).timestamp()]  # noqa: DTZ001


def test_each_side_goes_first_in_turn() -> None:
    """Round n starts with side n (mod 3): no side always follows another."""
    sides = ("integration", "baseline", "noop")

    assert [round_order(sides, number)[0] for number in range(4)] == [
        "integration",
        "baseline",
        "noop",
        "integration",
    ]
    assert sorted(round_order(sides, 2)) == sorted(sides)


def _rounds(rate: float, count: int = 3) -> list[RoundResult]:
    return [RoundResult(2000, 2000 / rate, 0, 0.5, 0.4) for _ in range(count)]


@pytest.mark.parametrize(
    ("integration", "met_automation", "met_noop"),
    [(2000.0, True, False), (4100.0, True, True), (1500.0, False, False)],
)
def test_throughput_is_compared_with_both_floors(
    integration: float, met_automation: bool, met_noop: bool
) -> None:
    """≥ 1.00× the automation and ≥ 0.80× the no-op handler; CPU beside them."""
    result = figures(
        {
            "integration": _rounds(integration),
            "baseline": _rounds(2000.0),
            "noop": _rounds(5000.0),
        },
        1000,
        16,
        0,
        {"logged_calls_before": 100_000},
    )

    assert [item.key for item in result] == [
        "throughput",
        "throughput_noop",
        "hass_cpu_per_webhook",
    ]
    assert result[0].met is met_automation
    assert result[1].met is met_noop
    assert result[1].baseline is not None
    assert result[1].baseline.median == pytest.approx(5000.0)
    assert result[0].details["logged_calls_before"] == 100_000
    assert result[1].details["automation_vs_noop"] == 0.4
    assert "noop_median_ms" in result[2].details


def test_deep_size_counts_each_object_once_and_no_code() -> None:
    """A shared object counts once; functions (and what they reach) not at all."""
    shared = "x" * 1000
    alone = deep_size([shared])

    assert deep_size([shared, shared]) == alone + 8
    assert deep_size([shared, len, deep_size]) == alone + 16


def test_memory_figure_is_the_log_growth_per_10000_calls() -> None:
    """(log bytes at the last − at the first checkpoint) per calls the log gained."""
    checkpoint = {
        "open_calls": 1000,
        "finished_ids": 2000,
        "states": 107,
    }
    document = {
        "extensions": 10,
        "checkpoints": [
            {
                **checkpoint,
                "calls": 10_000,
                "log_bytes": 10 * 1024 * 1024,
                "rss_bytes": 200 * 1024 * 1024,
                "logged_calls": 9_000,
                "seconds": 5.0,
            },
            {
                **checkpoint,
                "calls": 30_000,
                "log_bytes": 20 * 1024 * 1024,
                "rss_bytes": 224 * 1024 * 1024,
                "logged_calls": 29_000,
                "seconds": 15.0,
            },
        ],
        "file_bytes": 29_000 * 300,
        "file_calls": 29_000,
    }

    result = memory_figure(document)

    assert result.key == "memory_log"
    assert result.unit == "KiB"
    assert result.value.median == pytest.approx(5 * 1024)
    assert result.baseline is not None
    assert result.baseline.median == pytest.approx(300 * 10_000 / 1024)
    assert result.details["process_rss_kib_per_10000"] == 12 * 1024
    assert result.met is None


def test_custom_components_link_the_integration_and_hold_the_noop(
    tmp_path: Path,
) -> None:
    """The working tree's integration is linked in; the no-op baseline is copied."""
    install_custom_components(tmp_path)

    folder = tmp_path / "custom_components"
    assert (folder / DOMAIN).resolve() == (REPO / "custom_components" / DOMAIN)
    manifest = json.loads((folder / NOOP_DOMAIN / "manifest.json").read_text())
    assert manifest["domain"] == NOOP_DOMAIN
    assert (folder / NOOP_DOMAIN / "__init__.py").is_file()
    assert bench_noop.WEBHOOK_ID == NOOP_WEBHOOK_ID
    assert bench_noop.DOMAIN == NOOP_DOMAIN

    remove_noop_integration(tmp_path)

    assert not (folder / NOOP_DOMAIN).exists()
    assert (folder / DOMAIN).is_dir()


def test_no_manifest_in_the_checkout_but_the_integrations() -> None:
    """The no-op's manifest is written at run time: hassfest validates every one."""
    assert not (REPO / "benchmarks" / NOOP_DOMAIN / "manifest.json").exists()


@pytest.mark.parametrize(
    ("key", "benchmark"),
    [
        ("throughput_noop", "throughput"),
        ("hass_cpu_per_webhook", "throughput"),
        ("setup_logged", "setup"),
        ("store_writes", "writes"),
        ("memory_log", "memory"),
    ],
)
def test_new_figures_sort_under_their_benchmark(key: str, benchmark: str) -> None:
    """The table keeps the order of BENCHMARKS."""
    item = Figure(key=key, title=key, unit="ms", value=Summary.of([1.0]))

    assert _benchmark_of(item) == benchmark
