"""The demo's configuration.yaml and dashboard, read with Home Assistant's loader."""

from pathlib import Path
from typing import Any

import annotatedyaml
import pytest

from devtools.demo import (
    DASHBOARD_FILE,
    DASHBOARD_URL_PATH,
    EXTENSIONS,
    REPO,
    dashboard_entity_ids,
    load_dashboard,
)

CONFIG = REPO / "config"

# What the dashboard shows per extension (entity ids as the integration names them).
PER_EXTENSION = (
    "sensor.extension_{}_call_state",
    "sensor.extension_{}_last_call",
    "sensor.extension_{}_last_call_outcome",
    "sensor.extension_{}_calls_today",
    "sensor.extension_{}_missed_calls_today",
    "text.extension_{}_destination",
    "button.extension_{}_dial",
    "event.extension_{}_call",
)


@pytest.fixture
def configuration() -> dict[str, Any]:
    """Return the demo's configuration.yaml."""
    config = annotatedyaml.load_yaml(str(CONFIG / "configuration.yaml"))
    assert isinstance(config, dict)
    return config


@pytest.fixture
def dashboard() -> dict[str, Any]:
    """Return the demo dashboard."""
    return load_dashboard(CONFIG / DASHBOARD_FILE)


def test_the_dashboard_is_registered_in_yaml_mode(
    configuration: dict[str, Any],
) -> None:
    """configuration.yaml registers the dashboard file, which exists."""
    registered = configuration["lovelace"]["dashboards"][DASHBOARD_URL_PATH]

    assert registered["mode"] == "yaml"
    assert Path(registered["filename"]) == DASHBOARD_FILE
    assert (CONFIG / registered["filename"]).is_file()
    assert "-" in DASHBOARD_URL_PATH


def test_no_http_block_in_yaml(configuration: dict[str, Any]) -> None:
    """HTTP settings live in .storage/http: a YAML http: block is only a trial."""
    assert "http" not in configuration


def test_the_dashboard_shows_every_extension(dashboard: dict[str, Any]) -> None:
    """Call state, last call, outcome, the day, destination and dial for each."""
    shown = dashboard_entity_ids(dashboard)

    for extension in EXTENSIONS:
        for template in PER_EXTENSION:
            assert template.format(extension) in shown


def test_the_dashboard_shows_the_pbx(dashboard: dict[str, Any]) -> None:
    """The hub's connectivity and last webhook (hub device "Bem Melhor PBX")."""
    shown = dashboard_entity_ids(dashboard)

    assert "binary_sensor.bem_melhor_pbx_api_connectivity" in shown
    assert "sensor.bem_melhor_pbx_last_webhook" in shown


def test_every_card_has_a_type(dashboard: dict[str, Any]) -> None:
    """Each view has sections of cards, each card a type."""
    for view in dashboard["views"]:
        assert view["type"] == "sections"
        for section in view["sections"]:
            assert section["cards"]
            for card in section["cards"]:
                assert isinstance(card.get("type"), str)


def test_tiles_show_short_names(dashboard: dict[str, Any]) -> None:
    """A tile names its entity alone, or heads its section with its device's name.

    The full name (*PABX Bem Melhor Ligações hoje*) is cut on a tile.
    """
    tiles = [
        card
        for view in dashboard["views"]
        for section in view["sections"]
        for card in section["cards"]
        if card["type"] == "tile" and not card["entity"].startswith("input_boolean.")
    ]

    assert tiles
    assert {card["name"]["type"] for card in tiles} == {"entity", "device"}


def test_entity_ids_are_found_at_any_depth() -> None:
    """entity: keys, entities: lists of ids or of rows, nested cards."""
    config = {
        "views": [
            {
                "cards": [
                    {"type": "tile", "entity": "sensor.a"},
                    {"type": "logbook", "entities": ["event.b", "event.c"]},
                    {
                        "type": "vertical-stack",
                        "cards": [
                            {
                                "type": "entities",
                                "entities": [
                                    {"entity": "button.d", "name": "D"},
                                    {"type": "divider"},
                                ],
                            }
                        ],
                    },
                ]
            }
        ]
    }

    assert dashboard_entity_ids(config) == {
        "sensor.a",
        "event.b",
        "event.c",
        "button.d",
    }


def test_a_file_without_views_is_not_a_dashboard(tmp_path: Path) -> None:
    """load_dashboard refuses YAML that is not a dashboard."""
    path = tmp_path / "dashboard.yaml"
    path.write_text("title: nothing\n", encoding="utf-8")

    with pytest.raises(TypeError, match="no list of views"):
        load_dashboard(path)
