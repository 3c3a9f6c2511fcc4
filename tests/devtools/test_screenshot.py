"""The pure parts of scripts/screenshot."""

import json
from pathlib import Path

import pytest

from devtools.demo import REPO
from devtools.screenshot import ChromiumError, build_parser, find_chromium, token_script


def test_defaults_capture_the_demo_dashboard() -> None:
    """By default: the demo dashboard on 127.0.0.1:8123, saved into docs/."""
    args = build_parser().parse_args([])

    assert args.url == "http://127.0.0.1:8123"
    assert args.path == "/dashboard-bemmelhor/calls"
    assert args.output == REPO / "docs" / "demo-dashboard.png"
    assert args.config == REPO / "config"


def test_tokens_are_stored_for_the_instance_origin_only() -> None:
    """The injected script sets hassTokens as JSON, guarded by the origin."""
    tokens = {"access_token": "a'b\"c", "hassUrl": "http://127.0.0.1:8123"}

    script = token_script("http://127.0.0.1:8123", tokens)

    prefix = 'if (location.origin === "http://127.0.0.1:8123") '
    assert script.startswith(prefix)
    call = script.removeprefix(prefix)
    assert call.startswith("localStorage.setItem('hassTokens', ")
    argument = call.removeprefix("localStorage.setItem('hassTokens', ").removesuffix(
        ");"
    )
    assert json.loads(json.loads(argument)) == tokens


def test_an_explicit_browser_binary_is_used(tmp_path: Path) -> None:
    """--chromium names the binary; an executable path is taken as is."""
    binary = tmp_path / "my-chromium"
    binary.write_text("#!/bin/sh\n", encoding="utf-8")
    binary.chmod(0o755)

    assert find_chromium(str(binary)) == str(binary)


def test_a_missing_browser_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without Chromium on PATH the error names Debian's package."""
    monkeypatch.setenv("PATH", "")

    with pytest.raises(ChromiumError, match="apt-get install chromium"):
        find_chromium(None)
