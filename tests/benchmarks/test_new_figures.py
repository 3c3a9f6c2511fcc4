"""The calendar, call-back, phone-book and caller-name figures of scripts/bench."""

from datetime import UTC, datetime
import json
from pathlib import Path

import pytest

from benchmarks.calendar_events import calendar_path, one_day
from benchmarks.call_backs import CALLBACK_MISSED, CALLBACK_RETURNED, MissedCalls
from benchmarks.cli import _benchmark_of, parse_args, run_benchmarks
from benchmarks.contacts import dialled
from benchmarks.options import BENCHMARKS, BenchOptions
from benchmarks.payloads import OUTSIDE_NUMBER, CallFactory, call_bodies
from benchmarks.report import Figure
from benchmarks.stats import Summary


def test_the_new_benchmarks_can_be_chosen() -> None:
    """Each new figure has its name for --only, and quick runs are smaller."""
    assert {"contacts", "calendar", "callbacks", "phonebook"} <= set(BENCHMARKS)
    options = parse_args(["--only", "contacts,calendar"])
    assert options.only == ("contacts", "calendar")
    quick = BenchOptions.quick()
    assert quick.calendar_requests < BenchOptions().calendar_requests
    assert quick.lookups < BenchOptions().lookups


@pytest.mark.parametrize(
    ("key", "benchmark"),
    [
        ("phonebook_throughput", "phonebook"),
        ("calendar_day", "calendar"),
        ("callbacks_throughput", "callbacks"),
        ("lookup_new_number", "contacts"),
        ("lookup_known_number", "contacts"),
        ("contact_index_build", "contacts"),
        ("throughput", "throughput"),
    ],
)
def test_new_figures_sort_under_their_benchmark(key: str, benchmark: str) -> None:
    """The table keeps the order of BENCHMARKS."""
    item = Figure(key=key, title=key, unit="ms", value=Summary.of([1.0]))

    assert _benchmark_of(item) == benchmark


async def test_contacts_alone_needs_no_home_assistant(tmp_path: Path) -> None:
    """--only contacts measures in this process: no Home Assistant is started."""
    options = BenchOptions(
        only=("contacts",),
        lookup_rounds=2,
        lookups=200,
        config_dir=tmp_path / "hass",
    )
    said: list[str] = []

    figures = await run_benchmarks(options, said.append)

    assert [figure.key for figure in figures] == [
        "lookup_new_number",
        "lookup_known_number",
        "contact_index_build",
    ]
    assert not any("Home Assistant" in line for line in said)
    assert not (tmp_path / "hass").exists()


def test_the_calendar_asks_for_one_utc_day() -> None:
    """Midnight to midnight, two days back, in UTC with a ``Z`` (no ``+`` in the URL)."""
    start, end = one_day(datetime(2026, 3, 10, 15, 30, tzinfo=UTC))

    assert (start, end) == (
        datetime(2026, 3, 8, tzinfo=UTC),
        datetime(2026, 3, 9, tzinfo=UTC),
    )
    assert calendar_path("calendar.pbx_call_history", start, end) == (
        "/api/calendars/calendar.pbx_call_history"
        "?start=2026-03-08T00:00:00Z&end=2026-03-09T00:00:00Z"
    )


def test_call_bodies_of_an_inbound_missed_call() -> None:
    """Inbound: from the outside number to the extension, hung up as asked."""
    dialing, hangup = (
        json.loads(body)
        for body in call_bodies(
            "c1", "6001", "client", 1000, remote="0219", inbound=True,
            disposition="NO ANSWER",
        )
    )  # fmt: skip

    assert (dialing["data"]["from"], dialing["data"]["to"]) == ("0219", "6001")
    assert hangup["data"]["disposition"] == "NO ANSWER"
    assert hangup["data"]["created"] > dialing["data"]["created"]


def test_the_factory_cycles_the_numbers_it_calls() -> None:
    """By default the one outside number; else the numbers given, in turn."""
    plain = json.loads(CallFactory(["6001"], "c").pair()[0])
    assert plain["data"]["to"] == OUTSIDE_NUMBER
    factory = CallFactory(["6001"], "c", [dialled(0), dialled(1)])
    called = [json.loads(factory.pair()[0])["data"]["to"] for _ in range(3)]
    assert called == [dialled(0), dialled(1), dialled(0)]


def test_a_missed_burst_opens_items_and_calls_some_back() -> None:
    """New numbers every burst, missed; the first ones called back after they ended."""
    calls = MissedCalls(["6001", "6002"])

    first, second = calls.burst(), calls.burst()

    assert len(first) == CALLBACK_MISSED + CALLBACK_RETURNED
    bodies = [[json.loads(body) for body in pair] for pair in first]
    missed = bodies[:CALLBACK_MISSED]
    returned = bodies[CALLBACK_MISSED:]
    assert all(h["data"]["disposition"] == "NO ANSWER" for _, h in missed)
    assert all(d["data"]["to"] in {"6001", "6002"} for d, _ in missed)
    assert all(h["data"]["disposition"] == "ANSWERED" for _, h in returned)
    numbers = [d["data"]["from"] for d, _ in missed]
    assert len(set(numbers)) == CALLBACK_MISSED
    assert [d["data"]["to"] for d, _ in returned] == numbers[:CALLBACK_RETURNED]
    last_missed_end = max(h["data"]["created"] for _, h in missed)
    assert min(d["data"]["created"] for d, _ in returned) > last_missed_end
    later = {json.loads(pair[0])["data"]["from"] for pair in second}
    assert not later & set(numbers)
    call_ids = {json.loads(pair[0])["data"]["callId"] for pair in first + second}
    assert len(call_ids) == 2 * len(first)
