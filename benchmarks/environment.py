"""The system under test: a real Home Assistant and PBX simulators on loopback.

The configuration folder (``benchmarks/.hass/``, git-ignored) is wiped and
written afresh on every run: only what Home Assistant always loads, the two
baselines — an automation with a webhook trigger, and a no-op webhook handler
(``benchmarks/bench_noop``, copied in as a custom integration) — the working
tree's integration (linked in) and, when asked, entries whose call-log
database is already full (``seed``). Home Assistant's recorder is not
loaded, for the integration and the baselines alike, so the figures show
the integration's own cost (its call log included), not the recorder's.
``diagnostics`` is loaded to read an entry's call-log size.

Each PBX simulator listens on its own loopback address (``127.0.0.N``): the
integration allows one entry per PBX host, and the poll fan-out benchmark
needs an entry (and a separate request log) per size.
"""

import asyncio
from collections.abc import Callable, Coroutine, Sequence
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import shutil
import time
from typing import Any

import aiohttp

from devtools.hass_api import HassApi, HassApiError, HassWebSocket
from devtools.hass_process import (
    HassAddress,
    HassProcess,
    mark_onboarding_steps_done,
    prepare_config_dir,
)
from devtools.process import ProcessError, free_port
from devtools.simulator import SimulatorProcess

from .seed import PresetEntry, SeededLog, write_presets

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_DIR = REPO / "benchmarks" / ".hass"
DOMAIN = "bemmelhor"
CLIENT_ID = "bench-client"
BASELINE_WEBHOOK_ID = "bench-baseline"
BASELINE_EVENT = "bench_baseline"
NOOP_DOMAIN = "bench_noop"
NOOP_WEBHOOK_ID = "bench-noop"
"""The webhook of ``benchmarks/bench_noop`` (reads the body, answers 200)."""
NOOP_MANIFEST = {
    "domain": NOOP_DOMAIN,
    "name": "Bench no-op webhook",
    "codeowners": [],
    "dependencies": ["webhook"],
    "documentation": "https://www.home-assistant.io/integrations/webhook/",
    "iot_class": "local_push",
    "requirements": [],
    "version": "1.0.0",
}
"""Written next to the copy only: a manifest in the checkout would be validated
as one of the repository's integrations (hassfest looks at every manifest)."""
USER_NAME = "bench"
USER_PASSWORD = "bench-password"  # noqa: S105 - a throw-away user on 127.0.0.1
# Steps marked done before the first start; only the user is created by API.
PRESET_ONBOARDING_STEPS = ["core_config", "analytics", "integration"]
START_TIMEOUT = 600.0
"""A fresh clone's first start installs the default integrations' requirements."""

CONFIGURATION_YAML = """\
# Written by scripts/bench on every run; the folder is wiped first.
# No recorder (nor default_config): neither side pays for Home Assistant's history.
logger:
  default: warning

automation: !include automations.yaml
# The second baseline: a webhook handler that reads the body and answers 200.
bench_noop:
diagnostics:
"""

AUTOMATIONS_YAML = f"""\
# The baseline: Home Assistant's own webhook, straight to a bus event.
- id: bench_baseline
  alias: Bench baseline
  mode: parallel
  max: 10000
  triggers:
    - trigger: webhook
      webhook_id: {BASELINE_WEBHOOK_ID}
      allowed_methods: [POST]
      local_only: false
  actions:
    - event: {BASELINE_EVENT}
"""

type Say = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Entry:
    """A Bem Melhor entry created for a benchmark."""

    entry_id: str
    webhook_id: str
    host: str
    extensions: tuple[str, ...]


def extension_range(first: int, count: int) -> tuple[str, ...]:
    """Return ``count`` consecutive extensions starting at ``first``."""
    return tuple(str(number) for number in range(first, first + count))


def webhook_id_of(url: str) -> str:
    """Return the webhook id at the end of a webhook URL or path."""
    return url.rstrip("/").rpartition("/")[2]


class BenchEnvironment:
    """Home Assistant plus one simulator per loopback host; started by ``start()``."""

    def __init__(
        self, config_dir: Path, simulator_hosts: Sequence[str], say: Say
    ) -> None:
        """Describe the processes; nothing runs until ``start()``."""
        self.config_dir = config_dir.resolve()
        self.say = say
        self.hass = HassProcess(self.config_dir, HassAddress(port=free_port()))
        self.simulators = {
            host: SimulatorProcess(
                log_path=self.config_dir / f"simulator-{host}.log",
                extensions=["6001"],
                client_id=CLIENT_ID,
                host=host,
                port=free_port(host),
                cwd=REPO,
            )
            for host in simulator_hosts
        }
        self.session: aiohttp.ClientSession | None = None
        self.api: HassApi | None = None
        self._ws_context: contextlib.AbstractAsyncContextManager[HassWebSocket] | None
        self._ws_context = None
        self.ws: HassWebSocket | None = None
        self.presets: list[PresetEntry] = []
        self.seeded: dict[str, SeededLog] = {}
        """The call logs written before the start, by entry id."""

    def preset_entry(
        self, host: str, extensions: Sequence[str], logged_calls: int = 0
    ) -> Entry:
        """Have an entry (with ``logged_calls`` in its log) exist from the start.

        Call before ``start()``: the entry and its call log are written into
        the configuration, and Home Assistant sets the entry up as it starts.
        """
        preset = PresetEntry.new(
            host, self.simulators[host].port, extensions, CLIENT_ID, logged_calls
        )
        self.presets.append(preset)
        return Entry(preset.entry_id, preset.webhook_id, host, preset.extensions)

    def write_config(self) -> None:
        """Wipe the configuration folder and write it afresh."""
        if self.config_dir.exists():
            shutil.rmtree(self.config_dir)
        prepare_config_dir(self.config_dir, self.hass.address)
        install_custom_components(self.config_dir)
        (self.config_dir / "configuration.yaml").write_text(
            CONFIGURATION_YAML, encoding="utf-8"
        )
        (self.config_dir / "automations.yaml").write_text(
            AUTOMATIONS_YAML, encoding="utf-8"
        )
        mark_onboarding_steps_done(self.config_dir, PRESET_ONBOARDING_STEPS)
        if self.presets:
            self.seeded = write_presets(
                self.config_dir, self.presets, datetime.now(UTC)
            )

    async def start(self) -> None:
        """Start everything, onboard a user and open a websocket."""
        if logged := sum(preset.logged_calls for preset in self.presets):
            self.say(f"writing {logged:,} logged calls into the configuration…")
        await asyncio.to_thread(self.write_config)
        await asyncio.gather(*(sim.start() for sim in self.simulators.values()))
        await self.hass.start()
        started = time.monotonic()
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        await asyncio.gather(
            *(sim.wait_ready(self.session, 30.0) for sim in self.simulators.values())
        )
        await self.bounded(self.hass.wait_http(START_TIMEOUT))
        self.api = api = HassApi(self.session, self.hass.base_url)
        await api.onboard_user(name="Bench", username=USER_NAME, password=USER_PASSWORD)
        await self.bounded(api.wait_running(START_TIMEOUT))
        self.say(
            f"Home Assistant running on {self.hass.base_url} "
            f"({time.monotonic() - started:.1f} s after its start)"
        )
        self._ws_context = api.websocket()
        self.ws = await self._ws_context.__aenter__()
        for preset in self.presets:
            await self.bounded(
                api.wait_entry_state(preset.entry_id, DOMAIN, "loaded", 60.0)
            )

    async def stop(self) -> None:
        """Stop Home Assistant and the simulators (bounded)."""
        if self._ws_context is not None:
            with contextlib.suppress(Exception):
                await self._ws_context.__aexit__(None, None, None)
            self._ws_context = self.ws = None
        if self.session is not None:
            await self.session.close()
            self.session = None
        await asyncio.gather(*(sim.stop(5.0) for sim in self.simulators.values()))
        await self.hass.stop(30.0)
        remove_noop_integration(self.config_dir)

    async def bounded[T](self, awaitable: Coroutine[Any, Any, T]) -> T:
        """Await, but fail at once if a child process dies meanwhile."""
        task = asyncio.create_task(awaitable)
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=1.0)
                if done:
                    return task.result()
                self.hass.check_alive()
                for sim in self.simulators.values():
                    sim.check_alive()
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def require(self) -> tuple[aiohttp.ClientSession, HassApi, HassWebSocket]:
        """Return the session, REST client and websocket of a started environment."""
        if self.session is None or self.api is None or self.ws is None:
            raise ProcessError("the benchmark environment is not started")
        return self.session, self.api, self.ws

    def webhook_url(self, webhook_id: str) -> str:
        """Return the full URL of a webhook on this Home Assistant."""
        return f"{self.hass.base_url}/api/webhook/{webhook_id}"

    def ha_cpu_seconds(self) -> float | None:
        """Return the CPU time Home Assistant has used so far (Linux), else None."""
        return process_cpu_seconds(self.hass.pid)

    async def submit_entry_flow(
        self, host: str, extensions: Sequence[str]
    ) -> tuple[str, float, dict[str, Any]]:
        """Start the config flow and submit it; return flow id, submit time, answer.

        The submit time is ``time.time()`` just before the submit: the flow's
        answer comes once the entry is set up.
        """
        _, api, _ = self.require()
        flow = await api.start_flow(DOMAIN)
        submitted = time.time()
        result = await api.flow_step(
            flow["flow_id"],
            {
                "host": host,
                "port": self.simulators[host].port,
                "ssl": False,
                "verify_ssl": True,
                "extensions": list(extensions),
                "client_id": CLIENT_ID,
            },
        )
        return flow["flow_id"], submitted, result

    async def create_entry(self, host: str, extensions: Sequence[str]) -> Entry:
        """Create a Bem Melhor entry against the simulator on ``host``."""
        _, api, _ = self.require()
        flow_id, _, result = await self.submit_entry_flow(host, extensions)
        return await self.entry_from_result(api, flow_id, host, extensions, result)

    async def entry_from_result(
        self,
        api: HassApi,
        flow_id: str,
        host: str,
        extensions: Sequence[str],
        result: dict[str, Any],
    ) -> Entry:
        """Return the entry a flow created, or raise with what the flow said."""
        if result.get("type") != "create_entry":
            await api.abort_flow(flow_id)
            raise HassApiError(f"the config flow did not create the entry: {result}")
        return Entry(
            entry_id=str(result["result"]["entry_id"]),
            webhook_id=webhook_id_of(
                str(result["description_placeholders"]["webhook_url"])
            ),
            host=host,
            extensions=tuple(extensions),
        )

    async def reload_entry(self, entry_id: str) -> None:
        """Reload an entry (unload, then set up); return once it is set up."""
        _, api, _ = self.require()
        await api.request("POST", f"/api/config/config_entries/entry/{entry_id}/reload")

    async def call_log_size(self, entry_id: str) -> int:
        """Return how many finished calls an entry's log holds (from diagnostics)."""
        _, api, _ = self.require()
        answer = await api.request("GET", f"/api/diagnostics/config_entry/{entry_id}")
        return int(answer["data"]["call_log"]["finished_calls"])

    async def entity_ids(self, entry_id: str, key: str | None = None) -> list[str]:
        """Return an entry's enabled entity ids (those of one translation key)."""
        _, _, ws = self.require()
        registry = await ws.command("config/entity_registry/list")
        return [
            str(item["entity_id"])
            for item in registry
            if item.get("config_entry_id") == entry_id
            and item.get("disabled_by") is None
            and (key is None or item.get("translation_key") == key)
        ]


def install_custom_components(config_dir: Path) -> None:
    """Link the working tree's integration in and copy the no-op baseline next to it.

    ``custom_components`` is a folder of its own here (not a link to the
    working tree's), so the no-op handler never lands in the working tree.
    """
    folder = config_dir / "custom_components"
    folder.mkdir(parents=True, exist_ok=True)
    source = REPO / "custom_components" / DOMAIN
    (folder / DOMAIN).symlink_to(
        Path(os.path.relpath(source, folder)), target_is_directory=True
    )
    noop = folder / NOOP_DOMAIN
    shutil.copytree(
        Path(__file__).resolve().parent / NOOP_DOMAIN,
        noop,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (noop / "manifest.json").write_text(
        json.dumps(NOOP_MANIFEST, indent=2) + "\n", encoding="utf-8"
    )


def remove_noop_integration(config_dir: Path) -> None:
    """Remove the no-op baseline from a stopped configuration (see ``NOOP_MANIFEST``)."""
    shutil.rmtree(config_dir / "custom_components" / NOOP_DOMAIN, ignore_errors=True)


def process_cpu_seconds(pid: int | None) -> float | None:
    """Return a process's user + system CPU seconds from ``/proc`` (Linux only)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    # The command name (field 2) may hold spaces: split after its closing ')'.
    after = fields.rpartition(")")[2].split()
    utime, stime = int(after[11]), int(after[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")
