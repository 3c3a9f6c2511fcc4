"""Figures, the table printed at the end, and the JSON file of a run."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
import json
from pathlib import Path
from typing import Any, Literal

from .stats import Summary

type Comparison = Literal["ratio", "difference", "none"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    """One measured figure next to its baseline.

    ``comparison`` says how the two are set side by side: ``ratio``
    (value / baseline, medians), ``difference`` (value − baseline, p99s and
    medians) or ``none``. ``met`` is None when the figure has no target.
    """

    key: str
    title: str
    unit: str
    value: Summary
    value_label: str = "integration"
    baseline: Summary | None = None
    baseline_label: str = ""
    comparison: Comparison = "ratio"
    target: str = ""
    met: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Return value / baseline of the medians (None without a baseline)."""
        if self.baseline is None or self.baseline.median == 0:
            return None
        return self.value.median / self.baseline.median

    @property
    def difference(self) -> tuple[float, float] | None:
        """Return (median, p99) of value − baseline (None without a baseline)."""
        if self.baseline is None:
            return None
        return (
            self.value.median - self.baseline.median,
            self.value.p99 - self.baseline.p99,
        )

    def compared(self) -> str:
        """Return the comparison column's text."""
        if self.comparison == "ratio" and (ratio := self.ratio) is not None:
            return f"{ratio:.2f}×"
        if self.comparison == "difference" and (diff := self.difference) is not None:
            return f"{diff[0]:+.2f} / {diff[1]:+.2f} {self.unit}"
        return "–"

    def verdict(self) -> str:
        """Return ``met``, ``MISSED`` or ``–`` (no target)."""
        if self.met is None:
            return "–"
        return "met" if self.met else "MISSED"

    def as_dict(self) -> dict[str, Any]:
        """Return the figure as a JSON object."""
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "value_label": self.value_label,
            "value": self.value.as_dict(),
            "baseline_label": self.baseline_label,
            "baseline": None if self.baseline is None else self.baseline.as_dict(),
            "comparison": self.comparison,
            "ratio": self.ratio,
            "difference": self.difference,
            "target": self.target,
            "met": self.met,
            "details": self.details,
        }


def _number(value: float) -> str:
    """Format a figure with about three significant digits."""
    magnitude = abs(value)
    if magnitude >= 100 or value == int(value):
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _pair(summary: Summary | None) -> str:
    if summary is None:
        return "–"
    return f"{_number(summary.median)} / {_number(summary.p99)}"


HEADERS = (
    "figure",
    "unit",
    "integration (median / p99)",
    "baseline (median / p99)",
    "vs baseline",
    "target",
    "result",
)


def table_rows(figures: Sequence[Figure]) -> list[tuple[str, ...]]:
    """Return the table's rows (header first), one per figure."""
    rows: list[tuple[str, ...]] = [HEADERS]
    rows.extend(
        (
            figure.title,
            figure.unit,
            _pair(figure.value),
            _pair(figure.baseline),
            figure.compared(),
            figure.target or "–",
            figure.verdict(),
        )
        for figure in figures
    )
    return rows


def format_table(figures: Sequence[Figure]) -> str:
    """Return the figures as a Markdown table (readable on a terminal too)."""
    rows = table_rows(figures)
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADERS))]

    def line(row: Sequence[str]) -> str:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        return "| " + " | ".join(cells) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(rows[0]), separator, *(line(row) for row in rows[1:])])


def format_baselines(figures: Sequence[Figure]) -> str:
    """Return one line per figure naming what it is compared with."""
    return "\n".join(
        f"- {figure.title}: {figure.value_label} vs {figure.baseline_label}"
        for figure in figures
        if figure.baseline_label
    )


def results_document(
    figures: Sequence[Figure],
    *,
    started: datetime,
    seconds: float,
    settings: dict[str, Any],
    environment: dict[str, Any],
) -> dict[str, Any]:
    """Return the JSON document of a run."""
    return {
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(seconds, 1),
        "settings": settings,
        "environment": environment,
        "figures": [figure.as_dict() for figure in figures],
        "all_targets_met": all(figure.met is not False for figure in figures),
    }


def write_results(directory: Path, document: dict[str, Any], started: datetime) -> Path:
    """Write a run's JSON document as ``bench-<time>.json``; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"bench-{started:%Y%m%d-%H%M%S}.json"
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    (directory / "latest.json").write_text(text, encoding="utf-8")
    return path
