"""The command line of scripts/bench and the pure helpers of the benchmarks."""

from pathlib import Path

import pytest

from benchmarks.cli import (
    EMPTY_LOG_EXTENSIONS,
    MAIN_EXTENSIONS,
    fanout_hosts,
    parse_args,
)
from benchmarks.environment import extension_range, webhook_id_of
from benchmarks.fanout import allowed_ratio
from benchmarks.options import BENCHMARKS, BenchOptions
from benchmarks.payloads import CallFactory


def test_defaults() -> None:
    """Without options: five rounds of every benchmark, a log of 100,000 calls."""
    options = parse_args([])

    assert options == BenchOptions()
    assert options.rounds == 5
    assert options.only == BENCHMARKS
    assert "writes" in BENCHMARKS
    assert options.logged_calls == 100_000
    assert (options.write_calls, options.write_rounds) == (120, 4)
    assert options.memory_rounds == 3
    assert options.fanout_sizes == (1, 10, 50, 200)


def test_quick_is_a_smaller_run() -> None:
    """--quick shrinks the rounds, the calls and the memory run; sizes may still be set."""
    options = parse_args(["--quick", "--pairs", "40"])

    assert options.rounds < BenchOptions().rounds
    assert options.memory_rounds < BenchOptions().memory_rounds
    assert options.write_calls < BenchOptions().write_calls
    assert options.logged_calls < BenchOptions().logged_calls
    assert options.throughput_pairs == 40


def test_every_option(tmp_path: Path) -> None:
    """Every option reaches the options."""
    options = parse_args(
        [
            "--rounds",
            "3",
            "--pairs",
            "100",
            "--concurrency",
            "8",
            "--latency-samples",
            "10",
            "--write-calls",
            "60",
            "--memory-rounds",
            "2",
            "--log-calls",
            "5000",
            "--only",
            "latency, writes, memory",
            "--results",
            str(tmp_path),
        ]
    )

    assert options.rounds == 3
    assert options.throughput_pairs == 100
    assert options.concurrency == 8
    assert options.latency_samples == 10
    assert options.write_calls == 60
    assert options.memory_rounds == 2
    assert options.logged_calls == 5000
    assert options.only == ("latency", "writes", "memory")
    assert options.results_dir == tmp_path.resolve()


@pytest.mark.parametrize(
    "argv",
    [
        ["--rounds", "0"],
        ["--pairs", "many"],
        ["--only", "speed"],
        ["--only", ","],
        ["--log-calls", "0"],
    ],
)
def test_bad_options_are_refused(argv: list[str]) -> None:
    """Nonsense exits with a usage error."""
    with pytest.raises(SystemExit) as exited:
        parse_args(argv)

    assert exited.value.code == 2


def test_settings_leave_paths_out() -> None:
    """The JSON settings carry sizes, not paths of this machine."""
    settings = BenchOptions().settings()

    assert "results_dir" not in settings
    assert "config_dir" not in settings
    assert settings["rounds"] == 5


def test_fanout_hosts_are_loopback_addresses_after_the_main_one() -> None:
    """Each size gets its own 127.0.0.N (one entry per PBX host)."""
    assert fanout_hosts((1, 10, 50, 200)) == {
        1: "127.0.0.2",
        10: "127.0.0.3",
        50: "127.0.0.4",
        200: "127.0.0.5",
    }


@pytest.mark.parametrize(
    ("extensions", "limit", "allowed"),
    [(1, 50, 2.0), (50, 50, 2.0), (51, 50, 3.0), (200, 50, 5.0), (200, 10, 21.0)],
)
def test_fanout_target_allows_one_request_per_wave(
    extensions: int, limit: int, allowed: float
) -> None:
    """Up to the limit: 2× one request; beyond, one request per wave plus one."""
    assert allowed_ratio(extensions, limit) == allowed


def test_extensions_and_webhook_ids() -> None:
    """Entries get consecutive extensions; the webhook id ends the webhook URL."""
    assert extension_range(7000, 3) == ("7000", "7001", "7002")
    assert webhook_id_of("http://127.0.0.1:8123/api/webhook/abc123") == "abc123"
    assert webhook_id_of("/api/webhook/abc123/") == "abc123"


def test_calls_have_distinct_ids_and_cycle_extensions() -> None:
    """Every call of a factory has its own id; extensions take turns."""
    factory = CallFactory(["6001", "6002"], "client")

    calls = [factory.pair() for _ in range(4)]

    ids = {
        body.split(b'"callId":"')[1].split(b'"')[0] for pair in calls for body in pair
    }
    assert len(ids) == 4
    assert [pair[0].count(b'"from":"6001"') for pair in calls] == [1, 0, 1, 0]
    assert all(b'"to":"h"' in hangup for _, hangup in calls)


def test_the_two_preset_entries_differ_only_in_their_log() -> None:
    """Same size, other numbers: their entity ids never collide (``_2`` suffixes)."""
    assert len(EMPTY_LOG_EXTENSIONS) == len(MAIN_EXTENSIONS)
    assert not set(EMPTY_LOG_EXTENSIONS) & set(MAIN_EXTENSIONS)
