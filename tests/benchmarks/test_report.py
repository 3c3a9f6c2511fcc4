"""The table and the JSON document of a run."""

from datetime import UTC, datetime
import json
from pathlib import Path

import pytest

from benchmarks.report import (
    Figure,
    format_baselines,
    format_table,
    results_document,
    table_rows,
    write_results,
)
from benchmarks.stats import Summary

STARTED = datetime(2026, 11, 27, 22, 0, 0, tzinfo=UTC)


def _throughput(value: float = 900.0, baseline: float = 1000.0) -> Figure:
    return Figure(
        key="throughput",
        title="Webhook throughput",
        unit="req/s",
        value=Summary.of([value, value + 10]),
        baseline=Summary.of([baseline, baseline + 10]),
        baseline_label="an automation",
        target="≥ 0.90×",
        met=True,
    )


def _latency() -> Figure:
    return Figure(
        key="push_to_state_latency",
        title="Push-to-state latency",
        unit="ms",
        value=Summary.of([1.0, 2.0, 3.0]),
        baseline=Summary.of([0.5, 1.0, 1.5]),
        baseline_label="an automation's event",
        comparison="difference",
        target="p99 ≤ baseline p99 + 5 ms",
        met=False,
    )


def test_ratio_compares_medians() -> None:
    """The ratio column is value / baseline of the medians."""
    figure = _throughput(900.0, 1000.0)

    assert figure.ratio == pytest.approx(905 / 1005)
    assert figure.compared() == "0.90×"
    assert figure.verdict() == "met"


def test_difference_compares_medians_and_p99s() -> None:
    """A difference figure shows value − baseline of the median and of the p99."""
    figure = _latency()

    assert figure.difference == pytest.approx((1.0, 1.49))
    assert figure.compared() == "+1.00 / +1.49 ms"
    assert figure.verdict() == "MISSED"


def test_a_figure_without_baseline_or_target() -> None:
    """No baseline: no ratio, no difference, dashes in the table."""
    figure = Figure(key="x", title="X", unit="ms", value=Summary.of([1.0]))

    assert figure.ratio is None
    assert figure.difference is None
    assert figure.compared() == "–"
    assert figure.verdict() == "–"
    assert table_rows([figure])[1][3:] == ("–", "–", "–", "–")


def test_table_is_markdown_with_aligned_columns() -> None:
    """One header, one separator, one row per figure, all the same width."""
    table = format_table([_throughput(), _latency()])
    lines = table.splitlines()

    assert len(lines) == 4
    assert lines[0].startswith("| figure")
    assert set(lines[1]) == {"|", "-"}
    assert len({len(line) for line in lines}) == 1
    assert "| 905 / 910 " in lines[2]
    assert "| MISSED |" in lines[3]


def test_numbers_keep_about_three_significant_digits() -> None:
    """Large figures get thousands separators, small ones decimals."""
    rows = table_rows(
        [
            Figure(key="a", title="A", unit="ms", value=Summary.of([12345.6])),
            Figure(key="b", title="B", unit="ms", value=Summary.of([12.345])),
            Figure(key="c", title="C", unit="ms", value=Summary.of([1.2345])),
            Figure(key="d", title="D", unit="ms", value=Summary.of([0.12345])),
        ]
    )

    assert [row[2] for row in rows[1:]] == [
        "12,346 / 12,346",
        "12.3 / 12.3",
        "1.23 / 1.23",
        "0.123 / 0.123",
    ]


def test_baselines_are_named() -> None:
    """Under the table, each figure says what it was compared with."""
    assert format_baselines([_throughput()]) == (
        "- Webhook throughput: integration vs an automation"
    )


def test_results_document_and_files(tmp_path: Path) -> None:
    """The JSON document has every figure; it is written twice (dated, latest)."""
    document = results_document(
        [_throughput(), _latency()],
        started=STARTED,
        seconds=123.456,
        settings={"rounds": 5},
        environment={"cpus": 2},
    )

    path = write_results(tmp_path / "results", document, STARTED)

    assert path.name == "bench-20261127-220000.json"
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written == json.loads((path.parent / "latest.json").read_text())
    assert written["seconds"] == 123.5
    assert written["all_targets_met"] is False
    assert [figure["key"] for figure in written["figures"]] == [
        "throughput",
        "push_to_state_latency",
    ]
    assert written["figures"][0]["baseline"]["median"] == 1005
