"""Run the PBX simulator (``python -m bemmelhor_simulator``) as a child process.

``SimulatorProcess`` starts it with timed calls and, optionally, random
traffic, waits until its control API answers, and talks to that API
(``/_sim/state``, ``/_sim/config``, ``/_sim/faults``, ``/_sim/requests``) to
point its webhooks somewhere, inject faults and read the request log.
"""

from dataclasses import dataclass
from pathlib import Path
import sys
from typing import Any

import aiohttp

from .process import ChildProcess, ProcessError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3030


@dataclass(frozen=True, slots=True)
class Traffic:
    """Random calls: one every ``interval`` s on average, timings scaled."""

    interval: float = 4.0
    time_scale: float = 0.25
    seed: int | None = None


def simulator_argv(
    *,
    python: str,
    host: str,
    port: int,
    extensions: list[str],
    client_id: str,
    traffic: Traffic | None,
) -> list[str]:
    """Return the simulator's command line."""
    argv = [
        python,
        "-m",
        "bemmelhor_simulator",
        "--host",
        host,
        "--port",
        str(port),
        "--extensions",
        ",".join(extensions),
        "--client-id",
        client_id,
    ]
    if traffic is not None:
        argv += [
            "--traffic",
            "--traffic-interval",
            str(traffic.interval),
            "--time-scale",
            str(traffic.time_scale),
        ]
        if traffic.seed is not None:
            argv += ["--seed", str(traffic.seed)]
    return argv


class SimulatorProcess(ChildProcess):
    """The PBX simulator serving ``extensions`` on ``host:port``."""

    def __init__(
        self,
        *,
        log_path: Path,
        extensions: list[str],
        client_id: str,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        traffic: Traffic | None = None,
        python: str = sys.executable,
        cwd: Path | None = None,
    ) -> None:
        """Describe the process; nothing runs until ``start()``."""
        self.host = host
        self.port = port
        self.extensions = list(extensions)
        self.client_id = client_id
        super().__init__(
            "PBX simulator",
            simulator_argv(
                python=python,
                host=host,
                port=port,
                extensions=self.extensions,
                client_id=client_id,
                traffic=traffic,
            ),
            log_path=log_path,
            cwd=cwd,
            listens_on=(host, port),
        )

    @property
    def base_url(self) -> str:
        """Return the simulator's base URL."""
        return f"http://{self.host}:{self.port}"

    async def _control(
        self, session: aiohttp.ClientSession, method: str, path: str, body: Any = None
    ) -> Any:
        async with session.request(
            method, f"{self.base_url}/_sim/{path}", json=body
        ) as response:
            answer = await response.json()
            if response.status not in (200, 201):
                raise ProcessError(f"simulator {method} /_sim/{path}: {answer}")
            return answer

    async def wait_ready(self, session: aiohttp.ClientSession, timeout: float) -> None:
        """Wait until the control API answers."""
        await self.wait_answering(lambda: self.state(session), timeout)

    async def state(self, session: aiohttp.ClientSession) -> dict[str, Any]:
        """Return ``GET /_sim/state``."""
        answer: dict[str, Any] = await self._control(session, "GET", "state")
        return answer

    async def set_webhook(
        self, session: aiohttp.ClientSession, url: str, client_id: str
    ) -> dict[str, Any]:
        """Send webhooks to ``url`` with ``clientId`` = ``client_id``."""
        answer: dict[str, Any] = await self._control(
            session, "POST", "config", {"webhook_url": url, "client_id": client_id}
        )
        return answer

    async def set_fault(
        self,
        session: aiohttp.ClientSession,
        kind: str,
        endpoint: str = "all",
        **settings: Any,
    ) -> dict[str, Any]:
        """Install a fault (``latency``, ``http_error``…; see the simulator README)."""
        answer: dict[str, Any] = await self._control(
            session, "POST", "faults", {"kind": kind, "endpoint": endpoint, **settings}
        )
        return answer

    async def clear_faults(
        self, session: aiohttp.ClientSession, endpoint: str | None = None
    ) -> None:
        """Remove the fault of one endpoint kind, or every fault."""
        query = "" if endpoint is None else f"?endpoint={endpoint}"
        await self._control(session, "DELETE", f"faults{query}")

    async def requests(self, session: aiohttp.ClientSession) -> list[dict[str, Any]]:
        """Return the request log: ``{method, path, received_at, endpoint}`` each."""
        answer: list[dict[str, Any]] = await self._control(session, "GET", "requests")
        return answer

    async def clear_requests(self, session: aiohttp.ClientSession) -> None:
        """Forget the recorded requests."""
        await self._control(session, "DELETE", "requests")

    async def start_call(
        self, session: aiohttp.ClientSession, from_: str, to: str
    ) -> str:
        """Start a call that waits to be ended (``POST /_sim/calls``); return its id."""
        answer = await self._control(
            session, "POST", "calls", {"from": from_, "to": to, "timed": False}
        )
        return str(answer["call_id"])

    async def hang_up(
        self, session: aiohttp.ClientSession, call_id: str, disposition: str
    ) -> None:
        """End a call with ``disposition`` (``ANSWERED``, ``NO ANSWER``…)."""
        await self._control(
            session, "POST", f"calls/{call_id}/hangup", {"disposition": disposition}
        )

    async def set_traffic(
        self, session: aiohttp.ClientSession, body: dict[str, Any]
    ) -> dict[str, Any]:
        """Start (``{"enabled": true, …}``) or stop the random calls."""
        answer: dict[str, Any] = await self._control(session, "POST", "traffic", body)
        return answer
