"""The integration stays in small files with one job each.

A module that grows past the limit is a module with a second job: split it
along that seam (as ``call_log/model/polls.py`` came out of the log itself).
"""

from pathlib import Path

import pytest

INTEGRATION = Path(__file__).parents[2] / "custom_components" / "bemmelhor"
MAX_LINES = 300
MODULES = sorted(INTEGRATION.rglob("*.py"))


def test_there_are_modules() -> None:
    """The search finds the integration's modules (the limit is not vacuous)."""
    assert len(MODULES) > 50


@pytest.mark.parametrize(
    "module", MODULES, ids=[str(path.relative_to(INTEGRATION)) for path in MODULES]
)
def test_module_stays_small(module: Path) -> None:
    """Every module of the integration has at most 300 lines."""
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module.name} has {lines} lines"
