"""``scripts/develop``: the PBX simulator and a real Home Assistant, wired together.

Starts the simulator with random traffic on the demo extensions and Home
Assistant on ``config/`` with the working tree's integration, then, through
Home Assistant's own APIs: onboards a demo user (first start only), points
the instance URLs at itself, creates the Bem Melhor entry against the
simulator (or finds it), and points the simulator's webhooks at the entry's
webhook URL. The voice part (``demo_voice.py``): the repository's sentence
files copied into ``config/custom_sentences/``, the demo user's person paired
with extension 6001, Assist's pipeline in the demo's language (``assist.py``),
the contact Maria Silva, the Call history exposed to Assist. Then it prints
call-state changes until Ctrl-C.

``--check`` does the same start, waits (bounded) until the entry is loaded
and a simulated call has changed an extension's ``call_state``, prints what
it saw, stops both processes and exits 0, or 1 with the reason. It also asks
Assist, as the demo user and in the demo's language, to "ligar para 6002"
("call 6002"), which must call from 6001 and say so in that language; kills
Home Assistant right after 20 hangups were answered and finds them all in
the call log after a restart (``demo_kill.py``); and fails when Home
Assistant logged a warning or an error of the integration or about it
(``hass_log.py``), its stop included.

``--newest`` runs Home Assistant from the second venv ``scripts/setup
--newest`` builds (the newest release the package registry serves) on a
config folder of its own, ``config-newest/``; the demo itself runs in ``.venv``
either way. A config folder without ``configuration.yaml`` gets the
repository's (``config/configuration.yaml`` and ``config/dashboards/``).
"""

import argparse
import asyncio
from collections.abc import Callable, Coroutine, Sequence
import contextlib
from dataclasses import dataclass, field
import os
from pathlib import Path
import shutil
import signal
import sys
import time
from typing import Any

import aiohttp
import annotatedyaml

from .assist import async_set_assist_language
from .demo_kill import CallsLostError, async_check_kill
from .demo_office import (
    CORE_CONFIG as OFFICE_CONFIG,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    config_changes,
    ensure_automations_file,
    install_blueprints,
    traffic_body,
    traffic_toggle,
    user_language,
)
from .demo_phone import (
    MISSED_CALLER,
    PHONE_NAME,
    DemoPhone,
    button_pressed,
    call_back_of,
    describe,
    entity_device,
    mirrored,
)
from .demo_voice import (
    ASKED_IN_THE_BROWSER,
    DEMO_CONTACT,
    VOICE_CHECKS,
    VOICE_EXTENSION,
    VoiceSetupError,
    async_add_contact,
    async_check_voice,
    async_demo_person,
    async_expose_to_assist,
    async_link_person,
    install_custom_sentences,
)
from .hass_api import HassApi, HassApiError, HassWebSocket, load_tokens, save_tokens
from .hass_log import LogRecord, integration_problems
from .hass_process import (
    HassAddress,
    HassProcess,
    mark_onboarding_steps_done,
    prepare_config_dir,
)
from .process import ProcessError, tail
from .simulator import SimulatorProcess, Traffic

REPO = Path(__file__).resolve().parent.parent
DOMAIN = "bemmelhor"
EXTENSIONS = ("6001", "6002", "6003")
CLIENT_ID = "demo-client"
CRASHING_BODY = (
    b'{"event":"call.hangup","clientId":"' + CLIENT_ID.encode() + b'",'
    b'"data":{"callId":"x","created":"\\ud800"}}'
)
"""A lone surrogate in ``created``: it once killed the whole Home Assistant."""
DEMO_NAME = "Demo"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - a demo account on 127.0.0.1
AUTH_FILE = ".demo_auth.json"
DASHBOARD_FILE = Path("dashboards") / "bemmelhor.yaml"
SENTENCES = REPO / "custom_sentences"
"""The sentence files of the voice assistant, copied into the config folder."""
BLUEPRINTS = REPO / "blueprints" / "automation" / "bemmelhor"
"""The integration's blueprints, copied into the config folder at every start."""
DASHBOARD_URL_PATH = "dashboard-bemmelhor"
CALL_STATES = frozenset({"idle", "dialing", "ringing", "talking"})
# Onboarding steps marked done before the first start instead of posted:
# ``core_config`` sets up integrations that go online (met, radio_browser…).
PRESET_ONBOARDING_STEPS = ["core_config"]
CORE_CONFIG = {"location_name": "Bem Melhor demo", "country": "BR"}
# Numbers typed in each extension's Destination box when the entry is created.
DEMO_DESTINATIONS = {"6001": "6002", "6002": "+55 (32) 99999-9999", "6003": "6001"}
NEWEST_VENV_NAME = "bemmelhor-newest-homeassistant"


def newest_python() -> Path:
    """Return the Python of the newest Home Assistant (``scripts/setup --newest``).

    Its venv is outside the checkout, where ``scripts/setup`` puts it.
    """
    if venv := os.environ.get("BEMMELHOR_NEWEST_VENV"):
        return Path(venv) / "bin" / "python"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / NEWEST_VENV_NAME / "bin" / "python"


NEWEST_CONFIG = REPO / "config-newest"
SEEDED_FILES = ("configuration.yaml", "dashboards")
"""What a config folder without ``configuration.yaml`` gets from ``config/``."""
DEFAULT_CHECK_TIMEOUT = 170.0
DEFAULT_SETUP_TIMEOUT = 600.0

type Printer = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class DemoOptions:
    """What ``scripts/develop`` was asked to do."""

    config_dir: Path
    hass_port: int = 8123
    sim_port: int = 3030
    check: bool = False
    timeout: float = DEFAULT_CHECK_TIMEOUT
    traffic: Traffic = field(default_factory=Traffic)
    stop_timeout: float = 30.0
    language: str = DEFAULT_LANGUAGE
    hass_python: str = sys.executable
    """The Python that runs Home Assistant (its venv's Home Assistant runs)."""

    @property
    def address(self) -> HassAddress:
        """Return where Home Assistant listens."""
        return HassAddress(port=self.hass_port)

    @property
    def auth_file(self) -> Path:
        """Return the file keeping the demo user's tokens."""
        return self.config_dir / AUTH_FILE

    @property
    def dashboard_file(self) -> Path:
        """Return the demo dashboard's YAML file."""
        return self.config_dir / DASHBOARD_FILE


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port: {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port: {value!r}")
    return port


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return number


def build_parser() -> argparse.ArgumentParser:
    """Return the command line parser of ``scripts/develop``."""
    parser = argparse.ArgumentParser(
        prog="scripts/develop",
        description=(
            "Run the PBX simulator and Home Assistant with the Bem Melhor "
            "integration from this working tree, wired together."
        ),
    )
    add = parser.add_argument
    add(
        "--check",
        action="store_true",
        help="start, wait for a simulated call to reach Home Assistant, stop; "
        "exit 0 if it did",
    )
    add(
        "--timeout",
        type=_positive,
        default=DEFAULT_CHECK_TIMEOUT,
        help="seconds --check may take in all (default %(default)s)",
    )
    add(
        "--config",
        type=Path,
        default=None,
        help="configuration folder (default config/, config-newest/ with --newest)",
    )
    add(
        "--newest",
        action="store_true",
        help="run the newest Home Assistant release, from the venv "
        "scripts/setup --newest builds",
    )
    add("--port", type=_port, default=8123, help="Home Assistant port (8123)")
    add("--sim-port", type=_port, default=3030, help="simulator port (3030)")
    add(
        "--traffic-interval",
        type=_positive,
        default=Traffic().interval,
        help="mean seconds between simulated calls (default %(default)s)",
    )
    add(
        "--language",
        choices=LANGUAGES,
        default=DEFAULT_LANGUAGE,
        help="language of the instance and the demo user (default %(default)s; "
        "time zone America/Sao_Paulo, country BR either way)",
    )
    return parser


def parse_args(argv: Sequence[str] | None = None) -> DemoOptions:
    """Parse the command line (``sys.argv[1:]`` by default)."""
    args = build_parser().parse_args(argv)
    config = args.config or (NEWEST_CONFIG if args.newest else REPO / "config")
    return DemoOptions(
        config_dir=config.resolve(),
        hass_python=str(newest_python()) if args.newest else sys.executable,
        hass_port=args.port,
        sim_port=args.sim_port,
        check=args.check,
        timeout=args.timeout,
        traffic=Traffic(interval=args.traffic_interval),
        language=args.language,
    )


def seed_config_dir(config_dir: Path) -> bool:
    """Give a config folder without ``configuration.yaml`` the repository's; True if so."""
    if (config_dir / "configuration.yaml").exists():
        return False
    config_dir.mkdir(parents=True, exist_ok=True)
    source = REPO / "config"
    for name in SEEDED_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, config_dir / name, dirs_exist_ok=True)
        else:
            shutil.copyfile(source / name, config_dir / name)
    return True


def dashboard_entity_ids(config: Any) -> set[str]:
    """Return every entity id a Lovelace dashboard configuration refers to."""
    found: set[str] = set()
    if isinstance(config, dict):
        for key, value in config.items():
            if key == "entity" and isinstance(value, str):
                found.add(value)
            elif key == "entities" and isinstance(value, list):
                found.update(item for item in value if isinstance(item, str))
                found |= dashboard_entity_ids(value)
            else:
                found |= dashboard_entity_ids(value)
    elif isinstance(config, list):
        for item in config:
            found |= dashboard_entity_ids(item)
    return found


def load_dashboard(path: Path) -> dict[str, Any]:
    """Load a YAML dashboard with Home Assistant's own YAML loader."""
    config = annotatedyaml.load_yaml(str(path))
    if not isinstance(config, dict) or not isinstance(config.get("views"), list):
        raise TypeError(f"{path} is not a dashboard (no list of views)")
    return config


@dataclass(slots=True)
class EntryEntities:
    """An entry's entity ids by description key: the hub's and each extension's."""

    hub: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, dict[str, str]] = field(default_factory=dict)

    def of_key(self, key: str) -> set[str]:
        """Return every extension's entity id for one description key."""
        return {keys[key] for keys in self.extensions.values() if key in keys}


def entry_entities(registry: list[dict[str, Any]], entry_id: str) -> EntryEntities:
    """Sort one entry's entities from the entity registry list.

    Unique ids are ``{base}_{key}`` on the hub and ``{base}_{extension}_{key}``
    on an extension, where ``key`` is the entity's translation key.
    """
    found = EntryEntities()
    for item in registry:
        key = item.get("translation_key")
        unique_id = str(item.get("unique_id", ""))
        if item.get("config_entry_id") != entry_id or not key:
            continue
        if not unique_id.endswith(f"_{key}"):
            continue
        base, _, extension = unique_id.removesuffix(f"_{key}").rpartition("_")
        if base and extension.isdigit():
            found.extensions.setdefault(extension, {})[key] = str(item["entity_id"])
        else:
            found.hub[key] = str(item["entity_id"])
    return found


@dataclass(frozen=True, slots=True)
class Transition:
    """One ``call_state`` change seen on the event bus."""

    entity_id: str
    old: str
    new: str
    attributes: dict[str, Any]

    def describe(self) -> str:
        """Return a one-line description."""
        parties = ""
        if (caller := self.attributes.get("from")) and (
            callee := self.attributes.get("to")
        ):
            parties = f" (call {caller} → {callee})"
        return f"{self.entity_id}: {self.old} → {self.new}{parties}"


def call_state_transition(
    event: dict[str, Any], watched: set[str]
) -> Transition | None:
    """Return the ``call_state`` change a ``state_changed`` event carries, if any."""
    data = event.get("data") or {}
    entity_id = data.get("entity_id")
    if entity_id not in watched:
        return None
    old = (data.get("old_state") or {}).get("state")
    new_state = data.get("new_state") or {}
    new = new_state.get("state")
    if old not in CALL_STATES or new not in CALL_STATES or old == new:
        return None
    return Transition(entity_id, old, new, dict(new_state.get("attributes") or {}))


def _print(line: str) -> None:
    """Print a line at once, also when the output is a pipe (CI logs)."""
    print(line, flush=True)  # noqa: T201 - the demo's terminal output


class DemoFailed(Exception):  # noqa: N818 - reads as "the demo failed: <reason>"
    """The demo could not get where it should; the message says why."""


class Demo:
    """One run of ``scripts/develop`` (with or without ``--check``)."""

    def __init__(self, options: DemoOptions, out: Printer = _print) -> None:
        """Describe the two processes; nothing starts until ``run()``."""
        self.options = options
        self.out = out
        self.started = time.monotonic()
        self.phase = "starting"
        self.log_problems: list[LogRecord] = []
        """Problems logged by a Home Assistant run that the check ended."""
        self.hass = HassProcess(
            options.config_dir, options.address, python=options.hass_python
        )
        self.simulator = SimulatorProcess(
            log_path=options.config_dir / "simulator.log",
            extensions=list(EXTENSIONS),
            client_id=CLIENT_ID,
            port=options.sim_port,
            traffic=options.traffic,
            cwd=REPO,
        )

    def say(self, message: str) -> None:
        """Print a progress line with the seconds since the start."""
        self.out(f"[{time.monotonic() - self.started:5.1f}s] {message}")

    async def run(self) -> int:
        """Start, set up, then follow calls (or check); always stop both processes.

        A check that passed fails still if Home Assistant's log, read after
        the stop, holds a warning or an error of the integration or about it.
        """
        status = await self._run_and_stop()
        if status == 0 and self.options.check:
            status = self.check_log()
        return status

    def integration_log_problems(self) -> list[LogRecord]:
        """Return the integration's warnings and errors in Home Assistant's log."""
        with self.hass.log_file.open(encoding="utf-8", errors="replace") as log:
            return integration_problems(log)

    def check_log(self) -> int:
        """Return 0 unless Home Assistant logged the integration's warnings or errors.

        The log of each run of Home Assistant counts (the check restarts it).
        """
        problems = [*self.log_problems, *self.integration_log_problems()]
        if not problems:
            self.say("Home Assistant's log: no warning or error of the integration")
            return 0
        self.out(
            f"develop: failed: Home Assistant logged {len(problems)} warning(s) or "
            f"error(s) of the integration ({self.hass.log_file}):"
        )
        for problem in problems[:20]:
            self.out(f"  {problem}")
        return 1

    async def _run_and_stop(self) -> int:
        """Start, set up, then follow calls (or check); always stop both processes."""
        if not self.options.hass_python or not Path(self.options.hass_python).exists():
            self.out(
                f"develop: failed: no {self.options.hass_python}; "
                "run scripts/setup --newest first"
            )
            return 1
        try:
            seed_config_dir(self.options.config_dir)
            prepare_config_dir(
                self.options.config_dir,
                self.options.address,
                REPO / "custom_components",
            )
            install_custom_sentences(self.options.config_dir, SENTENCES)
            install_blueprints(self.options.config_dir, BLUEPRINTS)
            ensure_automations_file(self.options.config_dir)
            fresh = mark_onboarding_steps_done(
                self.options.config_dir, PRESET_ONBOARDING_STEPS
            )
            limit = self.options.timeout if self.options.check else None
            async with asyncio.timeout(limit):
                return await self._run(fresh)
        except TimeoutError:
            elapsed = time.monotonic() - self.started
            self.out(
                f"develop: failed: timed out after {elapsed:.0f} s while {self.phase}"
            )
            self.show_log()
            return 1
        except ProcessError as err:
            self.out(f"develop: failed while {self.phase}: {err}")
            return 1
        except (
            CallsLostError,
            DemoFailed,
            VoiceSetupError,
            HassApiError,
            aiohttp.ClientError,
        ) as err:
            self.out(f"develop: failed while {self.phase}: {err}")
            self.show_log()
            return 1
        finally:
            await self.stop()

    def show_log(self) -> None:
        """Print Home Assistant's last logged errors, for a failure's context."""
        errors = [
            line
            for line in tail(self.hass.log_file, 2000).splitlines()
            if " ERROR (" in line or " CRITICAL (" in line
        ]
        if errors:
            self.out(f"last errors in {self.hass.log_file}:")
            for line in errors[-10:]:
                self.out(f"  {line}")

    async def stop(self) -> None:
        """Stop the simulator, then Home Assistant (bounded), and say so."""
        if self.simulator.pid is None and self.hass.pid is None:
            return
        self.say("stopping the simulator and Home Assistant…")
        await self.simulator.stop(5.0)
        status = await self.hass.stop(self.options.stop_timeout)
        if status is None:
            self.say("stopped (Home Assistant had not started)")
        else:
            self.say(f"stopped (Home Assistant exit status {status})")

    async def _run(self, fresh: bool) -> int:
        options = self.options
        self.say(
            "first start of config/: Home Assistant installs the requirements "
            "of its default integrations (a minute or two)"
            if fresh
            else f"reusing {options.config_dir}"
        )
        self.phase = "starting the PBX simulator"
        await self.simulator.start()
        self.phase = "starting Home Assistant"
        await self.hass.start()
        async with aiohttp.ClientSession() as session:
            self.phase = "waiting for the PBX simulator"
            await self.simulator.wait_ready(session, 30.0)
            # No calls until the instance speaks the demo's language: a call
            # keeps the names its ends had when it was made.
            await self.simulator.set_traffic(
                session, traffic_body(False, options.traffic)
            )
            self.say(
                f"PBX simulator on {self.simulator.base_url} (logs: simulator.log)"
            )
            self.phase = "waiting for Home Assistant's HTTP server"
            await self._bounded(self.hass.wait_http(DEFAULT_SETUP_TIMEOUT))
            api = HassApi(session, self.hass.base_url)
            self.phase = "logging in"
            await self.authenticate(api)
            self.phase = "waiting for Home Assistant to be RUNNING"
            await self._bounded(api.wait_running(DEFAULT_SETUP_TIMEOUT))
            self.say(f"Home Assistant running on {self.hass.base_url}")
            async with api.websocket() as ws:
                version = (await ws.command("get_config")).get("version")
                self.say(f"Home Assistant {version} ({options.hass_python})")
                self.phase = "setting the instance URLs"
                await self.configure_core(ws)
                self.phase = "setting up the Bem Melhor entry"
                entry_id, webhook_url, created = await self.ensure_entry(api)
                self.phase = "pointing the simulator at the webhook"
                await self.simulator.set_webhook(session, webhook_url, CLIENT_ID)
                self.say("simulator webhooks → the entry's webhook URL")
                self.phase = "waiting for the entry to load"
                await self._bounded(
                    api.wait_entry_state(entry_id, DOMAIN, "loaded", 60.0)
                )
                self.phase = "setting the language"
                await self.set_language(api, ws, entry_id)
                await self.simulator.set_traffic(
                    session, traffic_body(True, options.traffic)
                )
                self.phase = "pairing the demo user's person with extension 6001"
                person = await async_demo_person(api, ws, DEMO_NAME)
                if await async_link_person(api, entry_id, person, self.say):
                    await self._bounded(
                        api.wait_entry_state(entry_id, DOMAIN, "loaded", 60.0)
                    )
                self.phase = "reading the entity registry"
                registry = await ws.command("config/entity_registry/list")
                entities = entry_entities(registry, entry_id)
                self.phase = "setting up Assist"
                await self.setup_assist(api, ws, entry_id, entities)
                self.phase = "registering the demo phone"
                phone = await self.set_up_phone(api, ws, registry, entities)
                if created:
                    self.phase = "typing demo destinations"
                    await self.type_destinations(api, entities)
                self.phase = "checking the dashboard"
                missing = self.check_dashboard(registry)
                self.print_summary(entities)
                if not options.check:
                    await self.follow(ws, entities, session, phone)
                    return 0
                await self.check_crashing_body(session, api, webhook_url)
                await self.quiet_6001(session, api, entities)
                said = VOICE_CHECKS[options.language]
                self.phase = f"asking Assist to {said!r}"
                answer = await async_check_voice(ws, options.language)
                self.say(f"Assist: {said!r} → {answer!r}")
                await self.quiet_6001(session, api, entities)
                await self.check_call_back(session, ws, phone)
                await self.simulator.set_traffic(
                    session, traffic_body(True, options.traffic)
                )
                status = await self.check(ws, entities, missing)
            self.phase = "killing Home Assistant right after hangups were answered"
            self.log_problems.extend(self.integration_log_problems())
            self.say(
                await async_check_kill(
                    session,
                    self.hass,
                    api,
                    webhook_url=webhook_url,
                    client_id=CLIENT_ID,
                    entry_id=entry_id,
                    bounded=self._bounded,
                )
            )
        return status

    async def _bounded[T](self, awaitable: Coroutine[Any, Any, T]) -> T:
        """Await, and if a child process dies meanwhile, say so instead of waiting."""
        task = asyncio.create_task(awaitable)
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=1.0)
                if done:
                    return task.result()
                self.simulator.check_alive()
                self.hass.check_alive()
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def authenticate(self, api: HassApi) -> None:
        """Get tokens: onboarding (fresh), else the saved ones, else the login flow.

        Then finish the onboarding steps that are left, and save the tokens.
        """
        steps = await api.onboarding_steps()
        if steps is not None and not steps.get("user", False):
            await api.onboard_user(
                name=DEMO_NAME,
                username=DEMO_USERNAME,
                password=DEMO_PASSWORD,
                language=self.options.language,
            )
            self.say(
                f"onboarded: demo user '{DEMO_USERNAME}', password "
                f"'{DEMO_PASSWORD}' (tokens in {AUTH_FILE})"
            )
        elif not await self._refresh_saved_tokens(api):
            try:
                await api.login(DEMO_USERNAME, DEMO_PASSWORD)
            except HassApiError as err:
                raise DemoFailed(
                    f"{self.options.config_dir} belongs to another Home Assistant "
                    f"set-up (user '{DEMO_USERNAME}' cannot log in); move it away "
                    "for a fresh demo"
                ) from err
        assert api.tokens is not None
        save_tokens(self.options.auth_file, api.tokens)
        if steps is not None:
            steps = await api.onboarding_steps() or {}
            if not steps.get("analytics", True):
                await api.onboard_analytics()
            if not steps.get("integration", True):
                await api.onboard_integration()

    async def _refresh_saved_tokens(self, api: HassApi) -> bool:
        """Use the tokens of an earlier start, if they are still accepted."""
        api.tokens = load_tokens(self.options.auth_file)
        if api.tokens is None:
            return False
        try:
            await api.refresh()
        except HassApiError:
            self.say(f"the token saved in {AUTH_FILE} was refused; logging in again")
            api.tokens = None
            return False
        return True

    async def configure_core(self, ws: HassWebSocket) -> None:
        """Set the instance URLs (and what onboarding's core_config would have).

        The entry's webhook URL is built on the external URL, which the
        simulator reaches on 127.0.0.1. The country (asked by the skipped
        ``core_config`` step) keeps a repair issue away.
        """
        url = self.hass.base_url
        wanted = {
            **CORE_CONFIG,
            **OFFICE_CONFIG,
            "external_url": url,
            "internal_url": url,
        }
        if changes := config_changes(await ws.command("get_config"), wanted):
            await ws.command("config/core/update", **changes)

    async def set_language(
        self, api: HassApi, ws: HassWebSocket, entry_id: str
    ) -> None:
        """Set the instance's and the demo user's language (after the entry exists).

        The entry is created in English so its entity ids are the English
        ones the dashboard refers to; a changed language reloads it, so the
        device and entity names follow.
        """
        language = self.options.language
        config = await ws.command("get_config")
        enabled = await self.enable_dashboard_entities(ws, entry_id)
        if config.get("language") != language or enabled:
            if config.get("language") != language:
                await ws.command("config/core/update", language=language)
            await api.request(
                "POST", f"/api/config/config_entries/entry/{entry_id}/reload"
            )
            await self._bounded(api.wait_entry_state(entry_id, DOMAIN, "loaded", 60.0))
            self.say(f"language: {language}; enabled: {enabled or 'nothing'}")
        # The demo user's own language (the frontend's profile setting).
        await ws.command(
            "frontend/set_user_data", key="language", value=user_language(language)
        )

    async def setup_assist(
        self, api: HassApi, ws: HassWebSocket, entry_id: str, entities: EntryEntities
    ) -> None:
        """Assist in the demo's language, a contact, the call history exposed.

        See ``demo_voice.py`` and ``assist.py``.
        """
        language = self.options.language
        if pipeline := await async_set_assist_language(ws, language):
            self.say(f"Assist pipeline {pipeline!r}: {language}")
        if await async_add_contact(api, ws, entry_id):
            self.say(f"added the contact {DEMO_CONTACT['name']}")
        if history := entities.hub.get("call_history"):
            await async_expose_to_assist(ws, history)

    async def enable_dashboard_entities(
        self, ws: HassWebSocket, entry_id: str
    ) -> list[str]:
        """Enable the entry's dashboard entities the integration disabled by default.

        (The hub's ``last_webhook`` is off by default; the dashboard and
        ``--check`` use it.) Home Assistant reloads the entry 30 s later;
        ``set_language`` reloads it at once.
        """
        try:
            wanted = dashboard_entity_ids(load_dashboard(self.options.dashboard_file))
        except OSError, TypeError, annotatedyaml.YAMLException:
            return []
        enabled: list[str] = []
        for item in await ws.command("config/entity_registry/list"):
            entity_id = str(item["entity_id"])
            if (
                item.get("config_entry_id") == entry_id
                and entity_id in wanted
                and item.get("disabled_by") == "integration"
            ):
                await ws.command(
                    "config/entity_registry/update",
                    entity_id=entity_id,
                    disabled_by=None,
                )
                enabled.append(entity_id)
        return enabled

    async def ensure_entry(self, api: HassApi) -> tuple[str, str, bool]:
        """Return the entry id, its webhook URL and whether it was just created."""
        entries = await api.config_entries(DOMAIN)
        if entries:
            entry_id = str(entries[0]["entry_id"])
            flow = await api.start_options_flow(entry_id)
            try:
                webhook_url = str(flow["description_placeholders"]["webhook_url"])
            finally:
                await api.abort_options_flow(flow["flow_id"])
            self.say(f"found the Bem Melhor entry {entries[0]['title']!r}")
            return entry_id, self._absolute(webhook_url), False
        flow = await api.start_flow(DOMAIN)
        result = await api.flow_step(
            flow["flow_id"],
            {
                "host": self.simulator.host,
                "port": self.simulator.port,
                "ssl": False,
                "verify_ssl": True,
                "extensions": list(EXTENSIONS),
                "client_id": CLIENT_ID,
            },
        )
        if result.get("type") != "create_entry":
            await api.abort_flow(flow["flow_id"])
            raise DemoFailed(
                f"the config flow did not create the entry: "
                f"{result.get('errors') or result.get('reason') or result}"
            )
        webhook_url = str(result["description_placeholders"]["webhook_url"])
        self.say(f"created the Bem Melhor entry {result['title']!r}")
        entry_id = str(result["result"]["entry_id"])
        return entry_id, self._absolute(webhook_url), True

    async def type_destinations(self, api: HassApi, entities: EntryEntities) -> None:
        """Fill each extension's Destination box, so Dial works at once."""
        for extension, number in DEMO_DESTINATIONS.items():
            if entity_id := entities.extensions.get(extension, {}).get("destination"):
                await api.call_service(
                    "text", "set_value", {"entity_id": entity_id, "value": number}
                )

    def _absolute(self, webhook_url: str) -> str:
        """Return the webhook URL, prefixed with the base URL if it is a path."""
        if webhook_url.startswith("/"):
            return self.hass.base_url + webhook_url
        return webhook_url

    def check_dashboard(self, registry: list[dict[str, Any]]) -> list[str]:
        """Return the dashboard's entity ids that do not exist (warn about them)."""
        known = {str(item["entity_id"]) for item in registry}
        try:
            wanted = dashboard_entity_ids(load_dashboard(self.options.dashboard_file))
        except (OSError, TypeError, annotatedyaml.YAMLException) as err:
            return [f"(dashboard unreadable: {err})"]
        missing = sorted(wanted - known)
        if missing:
            self.say(f"warning: the dashboard refers to missing entities: {missing}")
        return missing

    def print_summary(self, entities: EntryEntities) -> None:
        """Print where to look and how to log in."""
        base = self.hass.base_url
        language = self.options.language
        lines = [
            "",
            f"  Home Assistant  {base}",
            f"  log in as       {DEMO_USERNAME} / {DEMO_PASSWORD}",
            f"  dashboard       {base}/{DASHBOARD_URL_PATH}/calls",
            f"  PBX simulator   {self.simulator.base_url}/_sim/state",
            f"  extensions      {', '.join(sorted(entities.extensions)) or 'none'}",
            f"  Assist          say {VOICE_CHECKS[language]!r} (the demo user's "
            f"person uses {VOICE_EXTENSION}), "
            + ", ".join(repr(said) for said in ASKED_IN_THE_BROWSER[language]),
            "",
        ]
        for line in lines:
            self.out(line)

    async def check(
        self,
        ws: HassWebSocket,
        entities: EntryEntities,
        missing: list[str],
    ) -> int:
        """Wait for a simulated call to change a ``call_state``; 0 if it did.

        Also waits until the hub's ``last_webhook`` changes, so a webhook is
        known to have come through the wired URL during this run (its state
        at start may be restored from an earlier one).
        """
        if missing:
            raise DemoFailed(f"the dashboard refers to missing entities: {missing}")
        watched = entities.of_key("call_state")
        last_webhook = entities.hub.get("last_webhook")
        if not watched or last_webhook is None:
            raise DemoFailed(f"the entry lacks call_state or last_webhook: {entities}")
        self.phase = "waiting for a simulated call to change a call_state"
        transition: Transition | None = None
        webhook_at: str | None = None
        async with ws.subscribe_events("state_changed") as events:
            while transition is None or webhook_at is None:
                event = await events.get()
                transition = transition or call_state_transition(event, watched)
                if event["data"].get("entity_id") == last_webhook:
                    webhook_at = _known(event["data"].get("new_state"))
        self.say(f"entry loaded; saw {transition.describe()}")
        self.say(f"last webhook accepted at {webhook_at} ({last_webhook})")
        self.say("check passed")
        return 0

    async def set_up_phone(
        self,
        api: HassApi,
        ws: HassWebSocket,
        registry: list[dict[str, Any]],
        entities: EntryEntities,
    ) -> DemoPhone:
        """Register the demo phone and its missed-call automation (``demo_phone.py``)."""
        phone = DemoPhone(api, ws, self.options.config_dir)
        phone_device = await phone.async_register()
        call_state = entities.extensions.get(VOICE_EXTENSION, {}).get("call_state", "")
        if (extension_device := entity_device(registry, call_state)) is None:
            raise DemoFailed(f"extension {VOICE_EXTENSION} has no device")
        await phone.async_set_up_automation(
            extension_device, phone_device, self.options.language
        )
        self.say(
            f"{PHONE_NAME}: missed calls of {VOICE_EXTENSION} notify it,"
            " with a call-back button"
        )
        return phone

    async def quiet_6001(
        self, session: aiohttp.ClientSession, api: HassApi, entities: EntryEntities
    ) -> None:
        """Pause the random calls and wait until extension 6001 is idle.

        Home Assistant refuses to dial from an extension on a call.
        """
        self.phase = f"waiting for extension {VOICE_EXTENSION} to be idle"
        await self.simulator.set_traffic(session, {"enabled": False})
        entity_id = entities.extensions[VOICE_EXTENSION]["call_state"]
        while await self._pbx_busy(session, VOICE_EXTENSION) or (
            ((await api.state(entity_id)) or {}).get("state") != "idle"
        ):
            await asyncio.sleep(0.5)

    async def _pbx_busy(self, session: aiohttp.ClientSession, extension: str) -> bool:
        """Return whether the simulator has a call of ``extension`` still going.

        A call just placed (by Assist, say) may not have reached Home
        Assistant yet: its entities alone would say the extension is idle.
        """
        calls = (await self.simulator.state(session)).get("calls", [])
        return any(
            extension in (call.get("from"), call.get("to")) and not call.get("ended")
            for call in calls
        )

    async def check_call_back(
        self, session: aiohttp.ClientSession, ws: HassWebSocket, phone: DemoPhone
    ) -> None:
        """Make an outside number miss 6001; tap the phone's "Ligar de volta".

        The call back must come from 6001, placed by the demo user.
        """
        self.phase = "calling back from the demo phone's notification"
        user_id = (await ws.command("auth/current_user"))["id"]
        async with (
            phone.notifications() as pushed,
            ws.subscribe_events(f"{DOMAIN}_call_dialing") as dialings,
        ):
            call_id = await self.simulator.start_call(
                session, MISSED_CALLER, VOICE_EXTENSION
            )
            await self.simulator.hang_up(session, call_id, "NO ANSWER")
            while (action := call_back_of(notification := await pushed.get())) is None:
                pass
            if not action.endswith(f":{VOICE_EXTENSION}:{MISSED_CALLER}"):
                raise DemoFailed(
                    f"the notification calls back something else: {action}"
                )
            self.say(f"{PHONE_NAME}: {describe(notification)}")
            await phone.async_tap(session, action)
            while True:
                data = (await dialings.get())["data"]
                if (
                    data.get("from") == VOICE_EXTENSION
                    and data.get("to") == MISSED_CALLER
                ):
                    break
        if data.get("placed_by") != user_id:
            raise DemoFailed(f"the call back was not the demo user's: {data}")
        self.say(
            f"tapped it: {VOICE_EXTENSION} called {MISSED_CALLER} back,"
            " placed by the demo user"
        )

    async def check_crashing_body(
        self, session: aiohttp.ClientSession, api: HassApi, webhook_url: str
    ) -> None:
        """Post the body that once crashed Home Assistant: 400, and it keeps running."""
        self.phase = "posting a lone surrogate to the webhook"
        try:
            async with session.post(
                webhook_url,
                data=CRASHING_BODY,
                headers={"Content-Type": "application/json"},
            ) as response:
                status = response.status
        except aiohttp.ClientError as err:
            raise DemoFailed(
                f"the webhook broke off on a lone surrogate: {err}"
            ) from err
        await asyncio.sleep(1.0)
        self.hass.check_alive()
        if status != 400 or await api.core_state() != "RUNNING":
            raise DemoFailed(f"a lone surrogate in a webhook was answered {status}")
        self.say("a lone surrogate in a webhook: answered 400, Home Assistant running")

    async def follow(
        self,
        ws: HassWebSocket,
        entities: EntryEntities,
        session: aiohttp.ClientSession,
        phone: DemoPhone,
    ) -> None:
        """Print every ``call_state`` change until cancelled (Ctrl-C).

        Also follows the dashboard's traffic switch (the simulator's random
        calls stop and start with it), shows the demo phone's notifications
        and taps "Ligar de volta" when the dashboard's button asks.
        """
        watched = entities.of_key("call_state")
        self.phase = "running"
        self.say("following calls; Ctrl-C stops both processes")
        async with (
            ws.subscribe_events("state_changed") as events,
            phone.notifications() as pushed,
        ):
            mirror = asyncio.create_task(self.mirror_phone(phone, pushed))
            try:
                await self._follow_events(events, watched, session, phone)
            finally:
                mirror.cancel()

    async def mirror_phone(
        self, phone: DemoPhone, pushed: asyncio.Queue[dict[str, Any]]
    ) -> None:
        """Print each notification of the demo phone and show it in the UI."""
        while True:
            notification = await pushed.get()
            self.say(f"{PHONE_NAME}: {describe(notification)}")
            phone.last_call_back = call_back_of(notification) or phone.last_call_back
            await phone.api.call_service(
                "persistent_notification",
                "create",
                mirrored(notification, self.options.language),
            )

    async def _follow_events(
        self,
        events: asyncio.Queue[dict[str, Any]],
        watched: set[str],
        session: aiohttp.ClientSession,
        phone: DemoPhone,
    ) -> None:
        while True:
            event = await events.get()
            if transition := call_state_transition(event, watched):
                self.say(transition.describe())
            elif button_pressed(event) and phone.last_call_back:
                await phone.async_tap(session, phone.last_call_back)
                self.say(f"{PHONE_NAME}: tapped the call-back button")
            elif toggle := traffic_toggle(event):
                body = traffic_body(toggle.enabled, self.options.traffic)
                await self.simulator.set_traffic(session, body)
                self.say(
                    "simulated traffic " + ("resumed" if toggle.enabled else "paused")
                )


def _known(state: dict[str, Any] | None) -> str | None:
    """Return an entity's state unless it is missing, unknown or unavailable."""
    value = None if state is None else state.get("state")
    return None if value in (None, "unknown", "unavailable") else str(value)


async def async_main(options: DemoOptions) -> int:
    """Run the demo; SIGINT/SIGTERM stop it cleanly (once: a second is ignored)."""
    loop = asyncio.get_running_loop()
    demo = Demo(options)
    task = asyncio.create_task(demo.run())
    interrupted = False

    def on_signal() -> None:
        nonlocal interrupted
        if interrupted:
            demo.out("develop: still stopping…")
            return
        interrupted = True
        task.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal)
    try:
        return await task
    except asyncio.CancelledError:
        # Cancelled by a signal: run() has stopped both processes on its way out.
        return 1 if options.check else 0
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``scripts/develop``; returns the exit status."""
    options = parse_args(argv)
    return asyncio.run(async_main(options))


if __name__ == "__main__":
    sys.exit(main())
