"""What a Brazilian office sees in the demo: language, blueprints, traffic switch."""

from pathlib import Path
from typing import Any

import pytest

from devtools.demo import BLUEPRINTS, parse_args
from devtools.demo_office import (
    AUTOMATIONS_FILE,
    CORE_CONFIG,
    TRAFFIC_SWITCH,
    config_changes,
    ensure_automations_file,
    install_blueprints,
    traffic_body,
    traffic_toggle,
    user_language,
)
from devtools.simulator import Traffic


def test_pt_br_by_default_and_english_on_request() -> None:
    """The demo runs in pt-BR unless asked for English; other languages are refused."""
    assert parse_args([]).language == "pt-BR"
    assert parse_args(["--language", "en"]).language == "en"
    with pytest.raises(SystemExit):
        parse_args(["--language", "fr"])


def test_core_config_is_brazilian() -> None:
    """Country, time zone and currency of a Brazilian office."""
    assert CORE_CONFIG == {
        "country": "BR",
        "time_zone": "America/Sao_Paulo",
        "currency": "BRL",
    }
    assert user_language("pt-BR")["language"] == "pt-BR"


def test_config_changes_only_what_differs() -> None:
    """Only the settings that differ are sent."""
    current = {"country": "BR", "time_zone": "UTC", "language": "en"}
    assert config_changes(
        current, {"country": "BR", "time_zone": "America/Sao_Paulo"}
    ) == {"time_zone": "America/Sao_Paulo"}


def test_blueprints_copied(tmp_path: Path) -> None:
    """Every repository blueprint lands in blueprints/automation/bemmelhor/."""
    copied = install_blueprints(tmp_path, BLUEPRINTS)
    names = sorted(path.name for path in BLUEPRINTS.glob("*.yaml"))
    assert names
    assert sorted(path.name for path in copied) == names
    target = tmp_path / "blueprints" / "automation" / "bemmelhor"
    assert sorted(path.name for path in target.iterdir()) == names


def test_automations_file_created_once(tmp_path: Path) -> None:
    """An empty list when missing; an existing file is left alone."""
    assert ensure_automations_file(tmp_path)
    assert (tmp_path / AUTOMATIONS_FILE).read_text(encoding="utf-8") == "[]\n"
    (tmp_path / AUTOMATIONS_FILE).write_text("- id: mine\n", encoding="utf-8")
    assert not ensure_automations_file(tmp_path)
    assert (tmp_path / AUTOMATIONS_FILE).read_text(encoding="utf-8") == "- id: mine\n"


def _event(entity_id: str, old: str | None, new: str | None) -> dict[str, Any]:
    return {
        "data": {
            "entity_id": entity_id,
            "old_state": None if old is None else {"state": old},
            "new_state": None if new is None else {"state": new},
        }
    }


@pytest.mark.parametrize(
    ("old", "new", "enabled"),
    [("on", "off", False), ("off", "on", True), (None, "on", True)],
)
def test_traffic_toggle(old: str | None, new: str, enabled: bool) -> None:
    """The traffic switch moving between on and off turns the traffic so."""
    toggle = traffic_toggle(_event(TRAFFIC_SWITCH, old, new))

    assert toggle is not None
    assert toggle.enabled is enabled


def test_traffic_toggle_ignores_the_rest() -> None:
    """Only the traffic switch moving between on and off counts."""
    assert traffic_toggle(_event(TRAFFIC_SWITCH, "on", "on")) is None
    assert traffic_toggle(_event(TRAFFIC_SWITCH, "on", "unavailable")) is None
    assert traffic_toggle(_event("input_boolean.other", "on", "off")) is None


def test_traffic_body_keeps_the_demo_traffic() -> None:
    """Resuming restarts the traffic with the demo's interval and time scale."""
    traffic = Traffic(interval=2.5, time_scale=0.25, seed=7)
    assert traffic_body(False, traffic) == {"enabled": False}
    assert traffic_body(True, traffic) == {
        "enabled": True,
        "interval": 2.5,
        "time_scale": 0.25,
        "seed": 7,
    }
