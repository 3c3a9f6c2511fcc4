"""Run a real Home Assistant (``python -m homeassistant -c DIR``) as a child process.

``prepare_config_dir`` makes a configuration folder ready before a start:
the working tree's ``custom_components`` linked into it and the HTTP settings
written to the stable slot of ``.storage/http``. (An ``http:`` block in
``configuration.yaml`` would only be a five-minute trial after which Home
Assistant restarts on 0.0.0.0, see the runtime reference.)
``HassProcess`` starts it, waits until its HTTP server answers and stops it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import sys
from typing import Any

import aiohttp

from .process import ChildProcess, ProcessError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8123
HTTP_STORAGE_VERSION = 2
HTTP_STORAGE_MINOR_VERSION = 2
ONBOARDING_STORAGE_VERSION = 4
CONSOLE_LOG = "home-assistant.console.log"


@dataclass(frozen=True, slots=True)
class HassAddress:
    """Where a Home Assistant instance listens."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT

    @property
    def base_url(self) -> str:
        """Return ``http://host:port`` (no trailing slash)."""
        return f"http://{self.host}:{self.port}"


def http_settings(address: HassAddress) -> dict[str, Any]:
    """Return the stable HTTP settings that bind only ``address``."""
    return {
        "server_host": [address.host],
        "server_port": address.port,
        "cors_allowed_origins": ["https://cast.home-assistant.io"],
        "login_attempts_threshold": -1,
        "ip_ban_enabled": True,
        "ssl_profile": "modern",
        "use_x_frame_options": True,
        "created_at": datetime.now(UTC).isoformat(),
        "error": None,
        "error_message": None,
    }


def _storage_document(key: str, version: int, minor: int, data: Any) -> str:
    document = {"version": version, "minor_version": minor, "key": key, "data": data}
    return json.dumps(document, indent=2) + "\n"


def _bound_address(document: Any) -> tuple[Any, Any] | None:
    try:
        stable = document["data"]["stable"]
        return stable.get("server_host"), stable.get("server_port")
    except KeyError, TypeError:
        return None


def write_http_settings(config_dir: Path, address: HassAddress) -> bool:
    """Write the stable slot of ``.storage/http`` unless it already binds ``address``.

    Must run while Home Assistant is stopped. Returns whether it wrote.
    """
    path = config_dir / ".storage" / "http"
    wanted = ([address.host], address.port)
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError, ValueError:
        current = None
    if _bound_address(current) == wanted and current["data"].get("pending") is None:
        return False
    data = {
        "stable": http_settings(address),
        "pending": None,
        "yaml_migration_done": True,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        _storage_document(
            "http", HTTP_STORAGE_VERSION, HTTP_STORAGE_MINOR_VERSION, data
        ),
        encoding="utf-8",
    )
    path.chmod(0o600)
    return True


def mark_onboarding_steps_done(config_dir: Path, steps: list[str]) -> bool:
    """Mark onboarding steps done before the first start of a fresh config folder.

    Used for steps that must not run here (``core_config`` sets up
    integrations that go online). Does nothing (returns False) once Home
    Assistant has its own onboarding storage.
    """
    path = config_dir / ".storage" / "onboarding"
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        _storage_document(
            "onboarding", ONBOARDING_STORAGE_VERSION, 1, {"done": list(steps)}
        ),
        encoding="utf-8",
    )
    path.chmod(0o600)
    return True


def link_custom_components(config_dir: Path, source: Path) -> None:
    """Make ``config_dir/custom_components`` a relative symlink to ``source``."""
    link = config_dir / "custom_components"
    target = Path(os.path.relpath(source.resolve(), config_dir.resolve()))
    if link.is_symlink():
        if link.readlink() == target:
            return
        link.unlink()
    elif link.exists():
        raise ProcessError(
            f"{link} exists and is not a symlink; move it away so the working "
            "tree's custom_components can be linked there"
        )
    link.symlink_to(target, target_is_directory=True)


def prepare_config_dir(
    config_dir: Path, address: HassAddress, custom_components: Path | None = None
) -> None:
    """Get a configuration folder ready for a start at ``address``."""
    config_dir.mkdir(parents=True, exist_ok=True)
    if custom_components is not None:
        link_custom_components(config_dir, custom_components)
    write_http_settings(config_dir, address)


class HassProcess(ChildProcess):
    """A Home Assistant process serving ``config_dir`` at ``address``."""

    def __init__(
        self,
        config_dir: Path,
        address: HassAddress | None = None,
        *,
        python: str = sys.executable,
        extra_args: list[str] | None = None,
    ) -> None:
        """Describe the process; call ``prepare_config_dir`` before ``start()``."""
        self.config_dir = config_dir.resolve()
        self.address = address or HassAddress()
        super().__init__(
            "Home Assistant",
            [python, "-m", "homeassistant", "-c", str(self.config_dir)]
            + (extra_args or []),
            log_path=self.config_dir / CONSOLE_LOG,
            cwd=self.config_dir,
            listens_on=(self.address.host, self.address.port),
        )

    @property
    def base_url(self) -> str:
        """Return the instance's base URL."""
        return self.address.base_url

    @property
    def log_file(self) -> Path:
        """Return Home Assistant's own log file."""
        return self.config_dir / "home-assistant.log"

    async def wait_http(self, timeout: float) -> None:
        """Wait until the HTTP server answers (any status); raise if it never does."""
        url = f"{self.base_url}/auth/providers"
        client_timeout = aiohttp.ClientTimeout(total=5)
        async with aiohttp.ClientSession(timeout=client_timeout) as session:

            async def probe() -> None:
                async with session.get(url) as response:
                    await response.read()

            await self.wait_answering(probe, timeout)
