"""Fixtures of the devtools tests."""

import pytest

from devtools.demo import REPO
from devtools.demo_office import ensure_automations_file


@pytest.fixture(autouse=True, scope="session")
def automations_file() -> None:
    """Create config/automations.yaml (ignored by git) as scripts/develop does.

    configuration.yaml includes it, so loading that file on a clean clone
    needs it.
    """
    ensure_automations_file(REPO / "config")
