"""The pure parts of the call-log benchmarks: seeding, bytes written, memory, figures."""

from datetime import UTC, datetime, timedelta
import json
import os
from pathlib import Path
import sqlite3
import threading

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
from benchmarks.memory import MemoryRound, figure as memory_figure
from benchmarks.procfs import (
    parse_io,
    resident_bytes,
    thread_id,
    thread_name,
    written_bytes,
)
from benchmarks.report import Figure
from benchmarks.seed import (
    HISTORY_DAYS,
    SPREAD_DAYS,
    PresetEntry,
    SeededLog,
    call_log_path,
    config_entries_document,
    logged_calls,
    write_presets,
)
from benchmarks.stats import Summary
from benchmarks.throughput import RoundResult, figures, round_order
from benchmarks.writes import (
    Counters,
    Meter,
    RoundBytes,
    database_thread_name,
    per_call_kib,
    year_mib,
)
from custom_components.bemmelhor.call_log.database import questions
from custom_components.bemmelhor.call_log.database.json_log import json_log_path
from custom_components.bemmelhor.call_log.database.start import LoadResult, load_live
from custom_components.bemmelhor.call_log.store import key_of_numbers

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


def test_the_integration_finds_the_seeded_database_as_its_own(tmp_path: Path) -> None:
    """A database that has run: no import, no takeover, every call, each last call."""
    entry = _entry(30)
    (seeded,) = write_presets(tmp_path, [entry], NOW).values()
    connection = sqlite3.connect(
        call_log_path(tmp_path, entry.entry_id), autocommit=True
    )

    loaded = load_live(
        connection,
        json_path=json_log_path(tmp_path / ".storage", entry.entry_id),
        extensions=EXTENSIONS,
        key_of=key_of_numbers(""),
        now=NOW,
        day_start=NOW.replace(hour=0),
    )

    assert loaded.result is LoadResult.LOADED
    assert loaded.imported == 0
    assert questions.count_calls(connection) == seeded.calls == 30
    assert set(loaded.last) == set(EXTENSIONS)
    assert seeded.file_bytes == (
        connection.execute("PRAGMA page_count").fetchone()[0]
        * connection.execute("PRAGMA page_size").fetchone()[0]
    )
    connection.close()


def test_presets_are_written_into_the_storage_folder(tmp_path: Path) -> None:
    """The entries file, and a database (file only, no WAL) for an entry with calls."""
    full, empty = _entry(5), _entry(0)

    seeded = write_presets(tmp_path, [full, empty], NOW)

    entries = json.loads((tmp_path / ".storage" / "core.config_entries").read_text())
    assert len(entries["data"]["entries"]) == 2
    database = call_log_path(tmp_path, full.entry_id)
    assert database.name == f"bemmelhor.{full.entry_id}.call_log.db"
    assert sorted(path.name for path in database.parent.glob("bemmelhor.*")) == [
        database.name
    ]
    assert list(seeded) == [full.entry_id]
    assert seeded[full.entry_id].calls == 5
    assert not call_log_path(tmp_path, empty.entry_id).exists()


def test_a_year_on_disk_is_the_bytes_per_call_times_the_calls() -> None:
    """1,000 calls a day for 365 days, at the seeded database's bytes per call."""
    log = SeededLog(calls=100_000, file_bytes=20_000_000)

    assert log.bytes_per_call == 200
    assert year_mib(log) == pytest.approx(200 * 365_000 / 1024 / 1024)
    assert SeededLog(calls=0, file_bytes=4096).bytes_per_call == 0


def test_bytes_per_call_leave_the_log_files_out() -> None:
    """A round is what the process wrote less what its logs grew, over its calls."""
    before = Counters(process=1_000, database_thread=100, logs=50)
    after = Counters(
        process=1_000 + 30 * 1024 * 10 + 2048, database_thread=None, logs=50 + 2048
    )

    result = Meter.between(before, after, 10)

    assert result == RoundBytes(
        calls=10, process=30 * 1024 * 10 + 2048, logs=2048, database_thread=None
    )
    assert per_call_kib([result]) == 30
    assert per_call_kib([result], database=True) is None
    rounds = [
        RoundBytes(calls=10, process=10 * 1024, logs=0, database_thread=5 * 1024),
        RoundBytes(calls=30, process=110 * 1024, logs=0, database_thread=35 * 1024),
    ]
    assert per_call_kib(rounds) == 3
    assert per_call_kib(rounds, database=True) == 1
    assert per_call_kib([]) is None


def test_io_counters_are_read_as_numbers() -> None:
    """``name: value`` lines; anything else is left out."""
    text = (
        "rchar: 10\nwchar: 20\nwrite_bytes: 4096\ncancelled_write_bytes: 0\nodd line\n"
    )

    assert parse_io(text) == {
        "rchar": 10,
        "wchar": 20,
        "write_bytes": 4096,
        "cancelled_write_bytes": 0,
    }


def test_the_database_thread_is_found_by_its_name() -> None:
    """Linux keeps 15 bytes of a thread's name; the entry's thread is the one."""
    name = database_thread_name("01JABCDEFGH")
    assert thread_name(name) == "bemmelhor 01JAB"
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name=name)
    thread.start()
    try:
        found = thread_id(os.getpid(), name)
        counters = written_bytes(os.getpid(), found)
    finally:
        stop.set()
        thread.join()

    assert found == thread.native_id
    assert counters is not None
    assert thread_id(os.getpid(), "no such thread") is None
    assert (resident_bytes(os.getpid()) or 0) > 0
    assert written_bytes(None) is None


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


def test_memory_figure_is_the_growth_of_the_medians() -> None:
    """Resident memory with the full log against the empty one, medians of the rounds."""
    mib = 1024 * 1024
    rounds = [
        MemoryRound("full", 250 * mib, 254 * mib, 1668),
        MemoryRound("empty", 240 * mib, 241 * mib, 0),
        MemoryRound("empty", 244 * mib, 244 * mib, 0),
        MemoryRound("full", 252 * mib, 255 * mib, 1668),
    ]

    result = memory_figure(rounds, 100_000)

    assert result.key == "memory_rss"
    assert result.value.median == 251
    assert result.baseline is not None
    assert result.baseline.median == 242
    assert result.details["growth_mib"] == 9
    assert result.details["growth_after_a_calendar_day_mib"] == 12
    assert result.met is True
    too_much = [MemoryRound("full", 300 * mib, 300 * mib, 0), rounds[1]]
    assert memory_figure(too_much, 100_000).met is False


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
        ("setup_logged_stall", "setup"),
        ("disk_writes_per_call", "writes"),
        ("disk_size", "writes"),
        ("memory_rss", "memory"),
    ],
)
def test_new_figures_sort_under_their_benchmark(key: str, benchmark: str) -> None:
    """The table keeps the order of BENCHMARKS."""
    item = Figure(key=key, title=key, unit="ms", value=Summary.of([1.0]))

    assert _benchmark_of(item) == benchmark
