"""The command line of scripts/develop."""

from pathlib import Path

import pytest

from devtools.demo import (
    DEFAULT_CHECK_TIMEOUT,
    DEMO_DESTINATIONS,
    EXTENSIONS,
    REPO,
    parse_args,
    seed_config_dir,
)
from devtools.hass_process import HassAddress


def test_defaults() -> None:
    """Without options: follow calls on 127.0.0.1:8123 with config/, simulator on 3030."""
    options = parse_args([])

    assert not options.check
    assert options.config_dir == REPO / "config"
    assert options.address == HassAddress("127.0.0.1", 8123)
    assert options.address.base_url == "http://127.0.0.1:8123"
    assert options.sim_port == 3030
    assert options.timeout == DEFAULT_CHECK_TIMEOUT
    assert options.timeout < 180
    assert options.auth_file == REPO / "config" / ".demo_auth.json"
    assert options.dashboard_file == REPO / "config" / "dashboards" / "bemmelhor.yaml"


def test_every_option(tmp_path: Path) -> None:
    """Every option reaches the options."""
    options = parse_args(
        [
            "--check",
            "--timeout",
            "90",
            "--config",
            str(tmp_path),
            "--port",
            "18123",
            "--sim-port",
            "13030",
            "--traffic-interval",
            "2.5",
        ]
    )

    assert options.check
    assert options.timeout == 90
    assert options.config_dir == tmp_path.resolve()
    assert options.address.base_url == "http://127.0.0.1:18123"
    assert options.sim_port == 13030
    assert options.traffic.interval == 2.5


@pytest.mark.parametrize(
    "argv",
    [
        ["--port", "0"],
        ["--port", "65536"],
        ["--sim-port", "http"],
        ["--timeout", "0"],
        ["--timeout", "soon"],
        ["--traffic-interval", "-1"],
        ["--unknown"],
    ],
)
def test_bad_arguments_exit_2(argv: list[str]) -> None:
    """Bad values stop at argument parsing with status 2."""
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)

    assert exit_info.value.code == 2


def test_demo_destinations_are_for_demo_extensions() -> None:
    """Every pre-typed destination belongs to an extension the entry follows."""
    assert set(DEMO_DESTINATIONS) <= set(EXTENSIONS)


def test_newest_runs_the_newest_home_assistant_on_its_own_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``--newest``: Home Assistant from the newest venv, config-newest/ by default."""
    monkeypatch.delenv("BEMMELHOR_NEWEST_VENV", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    options = parse_args(["--check", "--newest"])

    assert options.hass_python == str(
        tmp_path / "bemmelhor-newest-homeassistant" / "bin" / "python"
    )
    assert options.config_dir == REPO / "config-newest"


def test_the_newest_venv_can_be_put_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``BEMMELHOR_NEWEST_VENV`` says where ``scripts/setup --newest`` put it."""
    monkeypatch.setenv("BEMMELHOR_NEWEST_VENV", str(tmp_path / "venv"))

    options = parse_args(["--newest"])

    assert options.hass_python == str(tmp_path / "venv" / "bin" / "python")


def test_seeds_a_new_config_folder_with_the_repository_configuration(
    tmp_path: Path,
) -> None:
    """A folder without configuration.yaml gets the repository's (and its dashboards)."""
    assert seed_config_dir(tmp_path / "new")
    assert (tmp_path / "new" / "configuration.yaml").is_file()
    assert (tmp_path / "new" / "dashboards" / "bemmelhor.yaml").is_file()
    assert not seed_config_dir(tmp_path / "new")
