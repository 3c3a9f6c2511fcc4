"""``scripts/browser-check``: the demo in a real browser, in Brazilian Portuguese.

Starts the demo (``python -m devtools.demo`` on its own config folder and
ports) unless one already answers on ``--url``, then drives headless
Chromium over the DevTools protocol (``screenshot.py``'s client):

- the dashboard: pauses the simulated traffic, types a number in an
  extension's Destination box, presses Dial and waits for that extension's
  ``call_state`` to leave ``idle``;
- Assist (``browser_assist.py``): "liga pra Maria" and "quem me ligou hoje?"
  typed in the Assist dialog, answered in the page's language;
- then types what is no number there: the integration's translated error;
- the add-integration dialog of ``bemmelhor`` (the config flow's first form);
- the integration's page, and its dialogs (``browser_flows.py``):
  reconfigure, options and people, a contact's edit, a phone book's rename,
  each up to its success text;
- Developer tools → Actions with ``bemmelhor.call``.

Every page fails the check on a raw translation key in its text
(``component.bemmelhor.`` or ``[%key``), on an English string of the
integration on the pt-BR page (``translations/en.json`` values that differ
from ``pt-BR.json``) and on browser console errors that concern the
integration (they mention ``bemmelhor`` or an input ``pattern``).
"""

import argparse
import asyncio
import base64
from collections.abc import Iterator, Sequence
import contextlib
from dataclasses import dataclass, field
import json
from pathlib import Path
import re
import shutil
import sys
import tempfile
import time
from typing import Any

import aiohttp

from .browser_assist import check_assist
from .browser_flows import (
    BUSY_DAY_WAIT,
    NOT_A_NUMBER,
    async_check_destination_refused,
    async_check_flow_dialogs,
    async_office_time_zone,
    async_wait_for_a_busy_day,
)
from .demo import AUTH_FILE, DASHBOARD_URL_PATH, REPO
from .demo_office import TRAFFIC_SWITCH
from .hass_api import HassApi, HassApiError, load_tokens, save_tokens
from .page_scripts import DEEP_TEXT, FIND
from .process import ChildProcess, ProcessError
from .screenshot import (
    ChromiumError,
    DevTools,
    find_chromium,
    open_browser,
    token_script,
)

TRANSLATIONS = REPO / "custom_components" / "bemmelhor" / "translations"
RAW_KEYS = ("component.bemmelhor.", "[%key")
EXTENSION = "6003"
DESTINATION = "6002"
# Developer tools → Actions keeps the chosen action in localStorage.
ACTION_STORAGE_KEYS = (
    "panel-dev-action-state-service-data",
    "panel-dev-service-state-service-data",
)
ACTION_STATE = json.dumps({"action": "bemmelhor.call", "data": {}})
MIN_STRING = 8
"""English strings shorter than this (``PBX``, ``Webhook``…) are not looked for."""


# Typing in a box scrolls the dashboard; its picture starts at the top.
SCROLL_TO_TOP = (
    FIND
    + """
(() => {
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.scrollTop > 0) el.scrollTop = 0;
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  window.scrollTo(0, 0);
  return 'ok';
})()
"""
)


def type_destination_script(entity_id: str, value: str) -> str:
    """Return JavaScript typing ``value`` in the text entity row of ``entity_id``."""
    return FIND + (
        "(() => {"
        "const row = deepFind(el => el.tagName === 'HUI-TEXT-ENTITY-ROW'"
        f" && (el._config || el.config || {{}}).entity === {json.dumps(entity_id)});"
        "if (!row) return 'no row';"
        "const inRow = (root) => { for (const el of root.querySelectorAll('*')) {"
        " if (el.tagName === 'INPUT') return el;"
        " if (el.shadowRoot) { const f = inRow(el.shadowRoot); if (f) return f; } }"
        " return null; };"
        "const input = row.shadowRoot && inRow(row.shadowRoot);"
        "if (!input) return 'no input';"
        "input.focus();"
        f"input.value = {json.dumps(value)};"
        "input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));"
        "input.dispatchEvent(new Event('change', {bubbles: true, composed: true}));"
        "input.blur();"
        "return input.checkValidity() ? 'ok' : 'invalid';"
        "})()"
    )


def press_button_script(entity_id: str) -> str:
    """Return JavaScript pressing the button entity row of ``entity_id``."""
    return FIND + (
        "(() => {"
        "const row = deepFind(el => el.tagName === 'HUI-BUTTON-ENTITY-ROW'"
        f" && (el._config || el.config || {{}}).entity === {json.dumps(entity_id)});"
        "if (!row) return 'no row';"
        "const button = row.shadowRoot && (row.shadowRoot.querySelector('ha-button')"
        " || row.shadowRoot.querySelector('mwc-button'));"
        "if (!button) return 'no button';"
        "button.click();"
        "return 'ok';"
        "})()"
    )


def flat_strings(node: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Yield (dotted key, text) of every string of a translation tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from flat_strings(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, str):
        yield prefix, node


def english_strings(
    english: dict[str, Any], portuguese: dict[str, Any], min_length: int = MIN_STRING
) -> set[str]:
    """Return the English strings to look for on a pt-BR page.

    Those whose pt-BR translation differs, cut at placeholders (``{name}``)
    and markup, keeping the pieces of at least ``min_length`` characters
    that no pt-BR string holds (numbers, names and loanwords are shared).
    """
    pt = dict(flat_strings(portuguese))
    all_pt = "\n".join(pt.values())
    found: set[str] = set()
    for key, value in flat_strings(english):
        if pt.get(key, value) == value:
            continue
        for piece in re.split(r"\{[^}]*\}|[\[\]()*`\n]|https?://\S+", value):
            piece = piece.strip(" .,:;-")
            if len(piece) >= min_length and piece not in all_pt:
                found.add(piece)
    return found


def page_problems(text: str, english: set[str]) -> list[str]:
    """Return what is wrong with a pt-BR page's text."""
    problems = [f"raw translation key {key!r}" for key in RAW_KEYS if key in text]
    problems += [f"English string {s!r}" for s in sorted(english) if s in text]
    return problems


def is_integration_error(message: str) -> bool:
    """Return whether a console error concerns the integration."""
    lowered = message.lower()
    return "bemmelhor" in lowered or "pattern" in lowered


def console_message(event: dict[str, Any]) -> str | None:
    """Return the text of a console error or uncaught exception event, if any."""
    params = event.get("params") or {}
    method = event.get("method")
    if method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails") or {}
        exception = details.get("exception") or {}
        return str(exception.get("description") or details.get("text") or details)
    if method == "Runtime.consoleAPICalled" and params.get("type") == "error":
        return " ".join(
            str(arg.get("value", arg.get("description", "")))
            for arg in params.get("args", [])
        )
    if method == "Log.entryAdded":
        entry = params.get("entry") or {}
        if entry.get("level") == "error":
            return str(entry.get("text"))
    return None


def build_parser() -> argparse.ArgumentParser:
    """Return the command line parser of ``scripts/browser-check``."""
    parser = argparse.ArgumentParser(
        prog="scripts/browser-check",
        description="Check the demo in headless Chromium, in pt-BR.",
    )
    add = parser.add_argument
    add("--url", default=None, help="reuse a demo running there (default: start one)")
    add("--config", type=Path, default=None, help="the demo's config folder")
    add("--port", type=int, default=18123, help="Home Assistant port of a started demo")
    add("--sim-port", type=int, default=13030, help="simulator port of a started demo")
    add("--language", choices=("pt-BR", "en"), default="pt-BR")
    add(
        "--docs",
        action="store_true",
        help="save the dashboard as docs/demo-dashboard-<language>.png",
    )
    add("--timeout", type=float, default=170.0, help="seconds for the whole check")
    add("--chromium", default=None, help="browser binary (default: chromium on PATH)")
    add(
        "--newest",
        action="store_true",
        help="start the demo on the newest Home Assistant (.venv-newest, "
        "scripts/setup --newest)",
    )
    return parser


@dataclass
class Check:
    """One run of the browser check."""

    args: argparse.Namespace
    shots: Path
    english: set[str] = field(default_factory=set)
    translations: dict[str, Any] = field(default_factory=dict)
    """The integration's texts in the language checked."""
    errors: list[str] = field(default_factory=list)
    other_errors: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def say(self, message: str) -> None:
        """Print a progress line."""
        sys.stdout.write(f"[{time.monotonic() - self.started:5.1f}s] {message}\n")
        sys.stdout.flush()

    def on_event(self, event: dict[str, Any]) -> None:
        """Collect console errors."""
        if (message := console_message(event)) is not None:
            target = self.errors if is_integration_error(message) else self.other_errors
            target.append(message[:300])

    async def visit(
        self, devtools: DevTools, base_url: str, path: str, name: str, wait_for: str
    ) -> str:
        """Open ``path``, wait until ``wait_for`` is in the text; check and shoot it."""
        loaded = devtools.expect("Page.loadEventFired")
        await devtools.send("Page.navigate", url=base_url + path)
        await asyncio.wait_for(loaded.wait(), 30)
        try:
            async with asyncio.timeout(30):
                while wait_for not in await self.page_text(devtools):
                    await asyncio.sleep(0.5)
        except TimeoutError:
            await self.shoot(devtools, name)
            raise ChromiumError(f"{name}: {wait_for!r} never appeared") from None
        await asyncio.sleep(1.5)
        return await self.inspect(devtools, name)

    async def page_text(self, devtools: DevTools) -> str:
        """Return every text of the page, through shadow roots."""
        return str(await devtools.evaluate(DEEP_TEXT) or "")

    async def inspect(self, devtools: DevTools, name: str) -> str:
        """Check the page as it is now and shoot it; return its text."""
        text = await self.page_text(devtools)
        await self.shoot(devtools, name)
        problems = (
            page_problems(text, self.english)
            if self.checks_language
            else [f"raw translation key {key!r}" for key in RAW_KEYS if key in text]
        )
        if problems:
            raise ChromiumError(f"{name}: {'; '.join(problems)}")
        self.say(f"{name}: ok")
        return text

    @property
    def checks_language(self) -> bool:
        """Whether English strings count as errors (pt-BR pages only)."""
        return bool(self.args.language == "pt-BR")

    async def shoot(self, devtools: DevTools, name: str) -> Path:
        """Save a screenshot of the page."""
        shot = await devtools.send("Page.captureScreenshot", format="png")
        path = self.shots / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


async def _wait_state(
    api: HassApi, entity_id: str, test: Any, timeout: float
) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            state = await api.state(entity_id)
            if state is not None and test(state):
                return state
            await asyncio.sleep(0.3)


async def run_checks(check: Check, api: HassApi, base_url: str) -> None:
    """Drive the browser through every page."""
    args = check.args
    translations = {
        lang: json.loads((TRANSLATIONS / f"{lang}.json").read_text(encoding="utf-8"))
        for lang in ("en", "pt-BR")
    }
    check.english = english_strings(translations["en"], translations["pt-BR"])
    check.translations = translations[args.language]
    assert api.tokens is not None
    language = json.dumps(args.language)
    async with (
        aiohttp.ClientSession() as session,
        open_browser(session, find_chromium(args.chromium), 1280, 1000) as devtools,
    ):
        devtools.listeners.append(check.on_event)
        for domain in ("Page", "Runtime", "Log"):
            await devtools.send(f"{domain}.enable")
        await devtools.send(
            "Emulation.setDeviceMetricsOverride",
            width=1280,
            height=1000,
            deviceScaleFactor=1,
            mobile=False,
        )
        await async_office_time_zone(api, devtools)
        await devtools.send(
            "Page.addScriptToEvaluateOnNewDocument",
            source=token_script(base_url, api.tokens.browser_tokens(base_url))
            + f"localStorage.setItem('selectedLanguage', {json.dumps(language)});"
            + "".join(
                f"localStorage.setItem({json.dumps(key)}, {json.dumps(ACTION_STATE)});"
                for key in ACTION_STORAGE_KEYS
            ),
        )
        # The dashboard: pause the traffic, type a number, press Dial.
        if args.docs:
            await async_wait_for_a_busy_day(api, check.say)
        await api.call_service(
            "input_boolean", "turn_off", {"entity_id": TRAFFIC_SWITCH}
        )
        call_state = f"sensor.extension_{EXTENSION}_call_state"
        await _wait_state(api, call_state, lambda s: s["state"] == "idle", 60)
        dial_word = "Discar" if args.language == "pt-BR" else "Dial"
        await check.visit(
            devtools, base_url, f"/{DASHBOARD_URL_PATH}/calls", "dashboard", dial_word
        )
        text_entity = f"text.extension_{EXTENSION}_destination"
        await api.call_service(
            "text", "set_value", {"entity_id": text_entity, "value": "6001"}
        )
        await asyncio.sleep(1)
        typed = await devtools.evaluate(
            type_destination_script(text_entity, DESTINATION)
        )
        if typed != "ok":
            raise ChromiumError(f"dashboard: typing {DESTINATION!r} failed: {typed}")
        try:
            await _wait_state(api, text_entity, lambda s: s["state"] == DESTINATION, 10)
        except TimeoutError:
            raise ChromiumError(
                f"dashboard: typing {DESTINATION!r} did not set {text_entity}"
            ) from None
        pressed = await devtools.evaluate(
            press_button_script(f"button.extension_{EXTENSION}_dial")
        )
        if pressed != "ok":
            raise ChromiumError(f"dashboard: pressing Dial failed: {pressed}")
        try:
            state = await _wait_state(
                api, call_state, lambda s: s["state"] != "idle", 20
            )
        except TimeoutError:
            raise ChromiumError(
                f"dashboard: Dial did not change {call_state}"
            ) from None
        check.say(
            f"dashboard: typed {DESTINATION}, Dial → {call_state} {state['state']}"
        )
        await asyncio.sleep(1.5)
        await devtools.evaluate(SCROLL_TO_TOP)
        await asyncio.sleep(0.5)
        dashboard_png = await check.shoot(devtools, "dashboard-call")
        if args.docs:
            target = REPO / "docs" / f"demo-dashboard-{args.language}.png"
            shutil.copyfile(dashboard_png, target)
            check.say(f"saved {target.relative_to(REPO)}")
        await check_assist(
            devtools,
            api,
            base_url,
            args.language,
            check.say,
            lambda name: check.shoot(devtools, name),
        )
        await async_check_destination_refused(
            check, devtools, type_destination_script(text_entity, NOT_A_NUMBER)
        )
        await api.call_service(
            "input_boolean", "turn_on", {"entity_id": TRAFFIC_SWITCH}
        )
        # The config flow's first form, the integration page, the action form.
        await check.visit(
            devtools,
            base_url,
            "/config/integrations/dashboard/add?domain=bemmelhor",
            "config-flow",
            "Bem Melhor",
        )
        await check.visit(
            devtools,
            base_url,
            "/config/integrations/integration/bemmelhor",
            "integration",
            "Bem Melhor",
        )
        await async_check_flow_dialogs(check, api, devtools, base_url)
        await check.visit(
            devtools,
            base_url,
            "/developer-tools/action",
            "action",
            translations[args.language]["services"]["call"]["name"],
        )
    if check.other_errors:
        check.say(f"other console errors (not counted): {check.other_errors[:5]}")
    if check.errors:
        raise ChromiumError(f"console errors of the integration: {check.errors}")


@contextlib.asynccontextmanager
async def demo_running(args: argparse.Namespace, say: Any) -> Any:
    """Yield (base URL, auth file) of a running demo, started here if needed."""
    if args.url:
        config = args.config or REPO / "config"
        yield args.url.rstrip("/"), config / AUTH_FILE
        return
    with tempfile.TemporaryDirectory(prefix="bemmelhor-browser-") as tmp:
        # The demo gives a new folder the repository's configuration.
        config = args.config or Path(tmp) / "config"
        demo = ChildProcess(
            "demo",
            [
                sys.executable,
                "-m",
                "devtools.demo",
                "--config",
                str(config),
                "--port",
                str(args.port),
                "--sim-port",
                str(args.sim_port),
                "--language",
                args.language,
                *(["--newest"] if args.newest else []),
            ],
            log_path=Path(tmp) / "demo.log",
            cwd=REPO,
        )
        await demo.start()
        try:
            log = Path(tmp) / "demo.log"
            async with asyncio.timeout(120):
                while "following calls" not in log.read_text(encoding="utf-8"):
                    demo.check_alive()
                    await asyncio.sleep(0.5)
            say(f"demo started ({config})")
            yield f"http://127.0.0.1:{args.port}", config / AUTH_FILE
        finally:
            await demo.stop(40)


async def async_main(args: argparse.Namespace) -> int:
    """Run the check; return the exit status."""
    shots = Path(tempfile.mkdtemp(prefix="bemmelhor-shots-"))
    check = Check(args, shots)
    async with (
        # --docs first waits (a bounded while) for the simulated traffic.
        asyncio.timeout(args.timeout + (BUSY_DAY_WAIT if args.docs else 0)),
        demo_running(args, check.say) as (
            base_url,
            auth_file,
        ),
        aiohttp.ClientSession() as session,
    ):
        tokens = load_tokens(auth_file)
        if tokens is None:
            raise ChromiumError(f"no {auth_file}: is the demo running?")
        api = HassApi(session, base_url, tokens)
        await api.refresh()
        save_tokens(auth_file, api.tokens)  # type: ignore[arg-type]
        await run_checks(check, api, base_url)
    check.say(f"browser check passed (screenshots in {shots})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``scripts/browser-check``."""
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(async_main(args))
    except (ChromiumError, ProcessError, HassApiError, aiohttp.ClientError) as err:
        sys.stderr.write(f"browser-check: failed: {err}\n")
    except TimeoutError:
        sys.stderr.write("browser-check: failed: timed out\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
