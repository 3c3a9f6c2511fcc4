"""Token handling and URL building of the Home Assistant client."""

from pathlib import Path
import stat
import time

import pytest

from devtools.hass_api import (
    REFRESH_MARGIN,
    Tokens,
    client_id_for,
    load_tokens,
    save_tokens,
    websocket_url,
)


@pytest.mark.parametrize(
    ("base_url", "client_id"),
    [
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123/"),
        ("http://127.0.0.1:8123/", "http://127.0.0.1:8123/"),
    ],
)
def test_client_id_is_the_base_url_with_a_slash(base_url: str, client_id: str) -> None:
    """The OAuth client id of a script is its base URL with one trailing slash."""
    assert client_id_for(base_url) == client_id


@pytest.mark.parametrize(
    ("base_url", "url"),
    [
        ("http://127.0.0.1:8123", "ws://127.0.0.1:8123/api/websocket"),
        ("http://127.0.0.1:8123/", "ws://127.0.0.1:8123/api/websocket"),
        ("https://ha.example:443", "wss://ha.example:443/api/websocket"),
    ],
)
def test_websocket_url(base_url: str, url: str) -> None:
    """The websocket API lives at /api/websocket, ws or wss like the base URL."""
    assert websocket_url(base_url) == url


def test_tokens_round_trip_through_a_private_file(tmp_path: Path) -> None:
    """Saved tokens load back equal, from a file only the owner can read."""
    path = tmp_path / "sub" / "auth.json"
    tokens = Tokens(
        client_id="http://127.0.0.1:8123/",
        refresh_token="refresh",
        access_token="access",
        expires_at=1234.5,
    )

    save_tokens(path, tokens)

    assert load_tokens(path) == tokens
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "content",
    ["", "not json", "[]", '{"client_id": "x"}', '{"refresh_token": "y"}'],
)
def test_unreadable_token_files_load_as_none(tmp_path: Path, content: str) -> None:
    """A damaged token file means "no saved tokens", not a crash."""
    path = tmp_path / "auth.json"
    path.write_text(content, encoding="utf-8")

    assert load_tokens(path) is None


def test_a_missing_token_file_loads_as_none(tmp_path: Path) -> None:
    """No file, no tokens."""
    assert load_tokens(tmp_path / "absent.json") is None


def test_a_token_answer_updates_access_and_refresh_tokens() -> None:
    """An /auth/token answer replaces the access token and sets its expiry."""
    tokens = Tokens(client_id="c", refresh_token="old")

    tokens.update({"access_token": "a", "expires_in": 1800, "refresh_token": "new"})

    assert (tokens.access_token, tokens.refresh_token) == ("a", "new")
    assert tokens.expires_at == pytest.approx(time.time() + 1800, abs=5)
    assert not tokens.expired


def test_a_refresh_answer_keeps_the_refresh_token() -> None:
    """A refresh-grant answer carries no refresh token: the old one stays."""
    tokens = Tokens(client_id="c", refresh_token="keep")

    tokens.update({"access_token": "a", "expires_in": 1800})

    assert tokens.refresh_token == "keep"


@pytest.mark.parametrize(
    ("access_token", "seconds_left", "expired"),
    [
        ("", 1800, True),
        ("a", REFRESH_MARGIN - 5, True),
        ("a", REFRESH_MARGIN + 60, False),
    ],
)
def test_expiry(access_token: str, seconds_left: float, expired: bool) -> None:
    """A token is renewed when missing or within the margin of its expiry."""
    tokens = Tokens(
        client_id="c",
        refresh_token="r",
        access_token=access_token,
        expires_at=time.time() + seconds_left,
    )

    assert tokens.expired is expired


def test_browser_tokens_have_the_frontends_shape() -> None:
    """localStorage.hassTokens: the frontend's own field names, expiry in ms."""
    tokens = Tokens(
        client_id="http://127.0.0.1:8123/",
        refresh_token="r",
        access_token="a",
        expires_at=time.time() + 600,
    )

    stored = tokens.browser_tokens("http://127.0.0.1:8123/")

    assert stored["hassUrl"] == "http://127.0.0.1:8123"
    assert stored["clientId"] == "http://127.0.0.1:8123/"
    assert (stored["access_token"], stored["refresh_token"]) == ("a", "r")
    assert stored["token_type"] == "Bearer"
    assert stored["expires"] == int(tokens.expires_at * 1000)
    assert 590 <= stored["expires_in"] <= 600
