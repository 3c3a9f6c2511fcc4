"""What a Brazilian office sees in the demo: language, time zone, blueprints, automations.

Home Assistant derives new entity ids from the names in the system
language (``sensor.ramal_6001_estado_da_chamada`` in pt-BR). The demo
dashboard refers to the integration's English ids, so the demo creates the
entry while the instance is still in English and switches the language
afterwards (reloading the entry, so names follow): the ids stay the same in
either language.

``scripts/develop`` runs the instance in Brazilian Portuguese and on
São Paulo time by default (``--language en`` for English), installs the
repository's blueprints into the config folder at every start, keeps the
automations made in the UI (``automations.yaml``, included by
``configuration.yaml``), and lets the dashboard pause the simulated traffic
(``input_boolean.simulated_traffic``, followed by the demo, which calls the
simulator's ``POST /_sim/traffic``).
"""

from dataclasses import dataclass
from pathlib import Path
import shutil
from typing import Any

from .simulator import Traffic

LANGUAGES = ("pt-BR", "en")
DEFAULT_LANGUAGE = "pt-BR"
COUNTRY = "BR"
TIME_ZONE = "America/Sao_Paulo"
CURRENCY = "BRL"
AUTOMATIONS_FILE = "automations.yaml"
BLUEPRINT_FOLDER = Path("blueprints") / "automation" / "bemmelhor"
TRAFFIC_SWITCH = "input_boolean.simulated_traffic"
"""The dashboard's switch for the simulator's random calls (configuration.yaml)."""


CORE_CONFIG = {"country": COUNTRY, "time_zone": TIME_ZONE, "currency": CURRENCY}
"""The core settings of a Brazilian office, whatever the language."""


def user_language(language: str) -> dict[str, str]:
    """Return the frontend's per-user language setting (``frontend/set_user_data``)."""
    return {
        "language": language,
        "number_format": "language",
        "time_format": "language",
    }


def config_changes(current: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """Return the settings of ``wanted`` that ``current`` (``get_config``) lacks."""
    return {key: value for key, value in wanted.items() if current.get(key) != value}


def install_blueprints(config_dir: Path, source: Path) -> list[Path]:
    """Copy ``source/*.yaml`` into ``config_dir/blueprints/automation/bemmelhor``.

    Done at every start, so the demo always has the working tree's blueprints.
    """
    target_dir = config_dir / BLUEPRINT_FOLDER
    copied: list[Path] = []
    for blueprint in sorted(source.glob("*.yaml")):
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / blueprint.name
        shutil.copyfile(blueprint, target)
        copied.append(target)
    return copied


def ensure_automations_file(config_dir: Path) -> bool:
    """Create an empty ``automations.yaml`` if missing; return whether it was."""
    path = config_dir / AUTOMATIONS_FILE
    if path.exists():
        return False
    path.write_text("[]\n", encoding="utf-8")
    return True


@dataclass(frozen=True, slots=True)
class TrafficToggle:
    """The dashboard's traffic switch moved: ``enabled`` is its new position."""

    enabled: bool


def traffic_toggle(event: dict[str, Any]) -> TrafficToggle | None:
    """Return the traffic switch's move a ``state_changed`` event carries, if any."""
    data = event.get("data") or {}
    if data.get("entity_id") != TRAFFIC_SWITCH:
        return None
    old = (data.get("old_state") or {}).get("state")
    new = (data.get("new_state") or {}).get("state")
    if new not in ("on", "off") or old == new:
        return None
    return TrafficToggle(enabled=new == "on")


def traffic_body(enabled: bool, traffic: Traffic) -> dict[str, Any]:
    """Return the body of the simulator's ``POST /_sim/traffic``."""
    if not enabled:
        return {"enabled": False}
    body: dict[str, Any] = {
        "enabled": True,
        "interval": traffic.interval,
        "time_scale": traffic.time_scale,
    }
    if traffic.seed is not None:
        body["seed"] = traffic.seed
    return body
