"""Preparing a Home Assistant configuration folder before a start."""

import json
import os
from pathlib import Path
import sys

import pytest

from devtools.hass_process import (
    HassAddress,
    HassProcess,
    link_custom_components,
    mark_onboarding_steps_done,
    prepare_config_dir,
    write_http_settings,
)
from devtools.process import ProcessError


def _http(config_dir: Path) -> dict[str, object]:
    document: dict[str, object] = json.loads(
        (config_dir / ".storage" / "http").read_text(encoding="utf-8")
    )
    return document


def test_http_settings_go_to_the_stable_slot(tmp_path: Path) -> None:
    """The stable slot binds only the address; nothing pending, no YAML to migrate."""
    assert write_http_settings(tmp_path, HassAddress("127.0.0.1", 8123))

    document = _http(tmp_path)
    assert (document["key"], document["version"], document["minor_version"]) == (
        "http",
        2,
        2,
    )
    data = document["data"]
    assert isinstance(data, dict)
    assert data["stable"]["server_host"] == ["127.0.0.1"]
    assert data["stable"]["server_port"] == 8123
    assert data["stable"]["error"] is None
    assert data["pending"] is None
    assert data["yaml_migration_done"] is True


def test_http_settings_already_there_are_kept(tmp_path: Path) -> None:
    """A second start with the same address does not rewrite the file."""
    write_http_settings(tmp_path, HassAddress())
    before = (tmp_path / ".storage" / "http").read_text(encoding="utf-8")

    assert not write_http_settings(tmp_path, HassAddress())
    assert (tmp_path / ".storage" / "http").read_text(encoding="utf-8") == before


def test_http_settings_follow_a_new_port(tmp_path: Path) -> None:
    """Another port rewrites the stable slot."""
    write_http_settings(tmp_path, HassAddress(port=8123))

    assert write_http_settings(tmp_path, HassAddress(port=18123))
    data = _http(tmp_path)["data"]
    assert isinstance(data, dict)
    assert data["stable"]["server_port"] == 18123


def test_a_pending_trial_is_replaced(tmp_path: Path) -> None:
    """A pending HTTP trial (from a YAML http: block) would revert: it is dropped."""
    write_http_settings(tmp_path, HassAddress())
    path = tmp_path / ".storage" / "http"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["data"]["pending"] = {"server_port": 9999}
    path.write_text(json.dumps(document), encoding="utf-8")

    assert write_http_settings(tmp_path, HassAddress())
    data = _http(tmp_path)["data"]
    assert isinstance(data, dict)
    assert data["pending"] is None


def test_onboarding_steps_are_preset_only_on_a_fresh_folder(tmp_path: Path) -> None:
    """Steps are marked done before the first start, never over Home Assistant's own."""
    assert mark_onboarding_steps_done(tmp_path, ["core_config"])
    path = tmp_path / ".storage" / "onboarding"
    document = json.loads(path.read_text(encoding="utf-8"))

    assert not mark_onboarding_steps_done(tmp_path, ["analytics"])
    assert document["data"] == {"done": ["core_config"]}
    assert (document["key"], document["version"]) == ("onboarding", 4)
    assert json.loads(path.read_text(encoding="utf-8")) == document


def test_custom_components_are_linked_relatively(tmp_path: Path) -> None:
    """config/custom_components → ../custom_components, twice without error."""
    source = tmp_path / "custom_components"
    source.mkdir()
    config_dir = tmp_path / "config"
    config_dir.mkdir()

    link_custom_components(config_dir, source)
    link_custom_components(config_dir, source)

    link = config_dir / "custom_components"
    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("..", "custom_components")
    assert link.resolve() == source.resolve()


def test_a_stale_link_is_replaced(tmp_path: Path) -> None:
    """A link to somewhere else (a moved checkout) is pointed at the source."""
    source = tmp_path / "custom_components"
    source.mkdir()
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "custom_components").symlink_to(tmp_path / "elsewhere")

    link_custom_components(tmp_path / "config", source)

    assert (tmp_path / "config" / "custom_components").resolve() == source.resolve()


def test_a_real_custom_components_folder_is_left_alone(tmp_path: Path) -> None:
    """A real folder in the way is an error, not something to delete."""
    source = tmp_path / "custom_components"
    source.mkdir()
    (tmp_path / "config" / "custom_components").mkdir(parents=True)

    with pytest.raises(ProcessError, match="not a symlink"):
        link_custom_components(tmp_path / "config", source)


def test_prepare_config_dir(tmp_path: Path) -> None:
    """A new folder gets the link and the HTTP settings."""
    source = tmp_path / "custom_components"
    source.mkdir()
    config_dir = tmp_path / "new" / "config"

    prepare_config_dir(config_dir, HassAddress(), source)

    assert (config_dir / "custom_components").is_symlink()
    assert (config_dir / ".storage" / "http").is_file()


def test_the_command_line(tmp_path: Path) -> None:
    """The process is `python -m homeassistant -c <absolute dir>`, logging there."""
    hass = HassProcess(tmp_path, HassAddress(port=18123), extra_args=["--debug"])

    assert hass.argv == [
        sys.executable,
        "-m",
        "homeassistant",
        "-c",
        str(tmp_path.resolve()),
        "--debug",
    ]
    assert hass.base_url == "http://127.0.0.1:18123"
    assert hass.log_path.parent == tmp_path.resolve()
    assert hass.log_file == tmp_path.resolve() / "home-assistant.log"
