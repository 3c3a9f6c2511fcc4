"""``scripts/screenshot``: a PNG of the demo dashboard, taken with headless Chromium.

Needs the demo running (``scripts/develop`` in another terminal). Logs in
with the demo user's saved tokens (``config/.demo_auth.json``, refreshed
first), hands them to the frontend through ``localStorage.hassTokens``,
opens the dashboard in Debian's ``chromium`` driven over the DevTools
protocol, waits until every card has rendered, and saves the PNG.
"""

import argparse
import asyncio
import base64
from collections.abc import AsyncIterator, Callable, Sequence
import contextlib
import itertools
import json
from pathlib import Path
import shutil
import sys
import tempfile
from typing import Any

import aiohttp

from .demo import AUTH_FILE, DASHBOARD_URL_PATH, REPO
from .hass_api import HassApi, HassApiError, load_tokens, save_tokens
from .process import ChildProcess, ProcessError

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)

# Counts the dashboard's rendered cards and any error or warning card,
# searching through every shadow root (the frontend is web components).
PROBE = """
(() => {
  const found = {cards: 0, rows: 0, errors: 0, warnings: 0, loading: 0};
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (tag === 'hui-entities-card' || tag === 'hui-markdown-card'
          || tag === 'hui-logbook-card' || tag === 'hui-tile-card') found.cards++;
      if (tag.startsWith('hui-') && tag.endsWith('-entity-row')) found.rows++;
      if (tag === 'hui-error-card') found.errors++;
      if (tag === 'hui-warning') found.warnings++;
      if (tag === 'ha-spinner' || tag === 'ha-circular-progress') found.loading++;
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return JSON.stringify(found);
})()
"""


class ChromiumError(RuntimeError):
    """Chromium could not be started, driven, or showed a broken dashboard."""


def build_parser() -> argparse.ArgumentParser:
    """Return the command line parser of ``scripts/screenshot``."""
    parser = argparse.ArgumentParser(
        prog="scripts/screenshot",
        description="Save a PNG of the running demo's dashboard (headless Chromium).",
    )
    add = parser.add_argument
    add("--url", default="http://127.0.0.1:8123", help="Home Assistant base URL")
    add("--config", type=Path, default=REPO / "config", help="the demo's config folder")
    add(
        "--path",
        default=f"/{DASHBOARD_URL_PATH}/calls",
        help="page to capture (default %(default)s)",
    )
    add(
        "--output",
        type=Path,
        default=REPO / "docs" / "demo-dashboard.png",
        help="PNG to write (default docs/demo-dashboard.png)",
    )
    add("--width", type=int, default=1280)
    add("--height", type=int, default=1000)
    add("--cards", type=int, default=6, help="cards to wait for (default %(default)s)")
    add("--timeout", type=float, default=60.0, help="seconds to wait for the page")
    add("--chromium", default=None, help="browser binary (default: chromium on PATH)")
    return parser


def token_script(origin: str, tokens: dict[str, Any]) -> str:
    """Return JavaScript that stores the frontend's tokens on ``origin`` only."""
    return (
        f"if (location.origin === {json.dumps(origin)}) "
        f"localStorage.setItem('hassTokens', {json.dumps(json.dumps(tokens))});"
    )


def find_chromium(explicit: str | None) -> str:
    """Return the Chromium binary to use, or raise with how to install it."""
    for candidate in (explicit, "chromium", "chromium-browser"):
        if candidate and (path := shutil.which(candidate)):
            return path
    raise ChromiumError(
        "Chromium is not installed: apt-get install chromium (Debian's package)"
    )


class DevTools:
    """The smallest Chrome DevTools protocol client: commands and awaited events."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Wrap an open connection to a page target."""
        self.ws = ws
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._events: dict[str, asyncio.Event] = {}
        self.listeners: list[Callable[[dict[str, Any]], None]] = []
        self._reader = asyncio.create_task(self._read(), name="devtools reader")

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            if "method" in payload:
                for listener in self.listeners:
                    listener(payload)
            if (future := self._waiting.pop(payload.get("id", -1), None)) is not None:
                future.set_result(payload)
            elif (event := self._events.get(payload.get("method", ""))) is not None:
                event.set()

    def expect(self, method: str) -> asyncio.Event:
        """Return an event set when ``method`` is next received."""
        event = self._events[method] = asyncio.Event()
        return event

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a command; return its result or raise ``ChromiumError``."""
        msg_id = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = (
            asyncio.get_running_loop().create_future()
        )
        self._waiting[msg_id] = future
        await self.ws.send_json({"id": msg_id, "method": method, "params": params})
        answer = await asyncio.wait_for(future, 30)
        if "error" in answer:
            raise ChromiumError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    async def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page; return its value."""
        result = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    async def close(self) -> None:
        """Stop reading."""
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)


async def _devtools_port(profile: Path, browser: ChildProcess, timeout: float) -> int:
    """Wait for Chromium to write the port it listens on."""
    path = profile / "DevToolsActivePort"
    async with asyncio.timeout(timeout):
        while True:
            browser.check_alive()
            with contextlib.suppress(FileNotFoundError, ValueError, IndexError):
                return int(path.read_text(encoding="utf-8").splitlines()[0])
            await asyncio.sleep(0.2)


async def _page_websocket(session: aiohttp.ClientSession, port: int) -> str:
    async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
        targets = await response.json()
    for target in targets:
        if target.get("type") == "page":
            return str(target["webSocketDebuggerUrl"])
    raise ChromiumError("Chromium has no page open")


async def _wait_rendered(
    devtools: DevTools, cards: int, timeout: float
) -> dict[str, int]:
    """Wait until ``cards`` cards have rendered and nothing is loading."""
    found: dict[str, int] = {}
    try:
        async with asyncio.timeout(timeout):
            while True:
                found = json.loads(await devtools.evaluate(PROBE))
                if found["cards"] >= cards and not found["loading"]:
                    return found
                await asyncio.sleep(0.5)
    except TimeoutError:
        raise ChromiumError(f"the dashboard did not render in time: {found}") from None


@contextlib.asynccontextmanager
async def open_browser(
    session: aiohttp.ClientSession, chromium: str, width: int, height: int
) -> AsyncIterator[DevTools]:
    """Start headless Chromium on a fresh profile; yield its page's DevTools client."""
    with tempfile.TemporaryDirectory(prefix="bemmelhor-chromium-") as profile:
        browser = ChildProcess(
            "Chromium",
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            log_path=Path(profile) / "chromium.log",
        )
        await browser.start()
        try:
            port = await _devtools_port(Path(profile), browser, 30)
            ws_url = await _page_websocket(session, port)
            async with session.ws_connect(ws_url, max_msg_size=0) as ws:
                devtools = DevTools(ws)
                try:
                    yield devtools
                finally:
                    await devtools.close()
        finally:
            await browser.stop(10)


async def capture(args: argparse.Namespace) -> Path:
    """Take the screenshot; return the PNG written."""
    base_url = str(args.url).rstrip("/")
    auth_file = args.config / AUTH_FILE
    chromium = find_chromium(args.chromium)
    async with aiohttp.ClientSession() as session:
        api = HassApi(session, base_url, load_tokens(auth_file))
        if api.tokens is None:
            raise ChromiumError(
                f"no {auth_file}: start the demo (scripts/develop) first"
            )
        try:
            await api.refresh()
        except aiohttp.ClientError as err:
            raise ChromiumError(
                f"Home Assistant does not answer on {base_url}: start the demo "
                f"(scripts/develop) first ({err})"
            ) from err
        save_tokens(auth_file, api.tokens)
        async with open_browser(session, chromium, args.width, args.height) as devtools:
            png = await _shoot(devtools, api, args, base_url)
    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(png)
    return output


async def _shoot(
    devtools: DevTools, api: HassApi, args: argparse.Namespace, base_url: str
) -> bytes:
    assert api.tokens is not None
    await devtools.send("Page.enable")
    await devtools.send(
        "Emulation.setDeviceMetricsOverride",
        width=args.width,
        height=args.height,
        deviceScaleFactor=1,
        mobile=False,
    )
    await devtools.send(
        "Page.addScriptToEvaluateOnNewDocument",
        source=token_script(base_url, api.tokens.browser_tokens(base_url)),
    )
    loaded = devtools.expect("Page.loadEventFired")
    await devtools.send("Page.navigate", url=base_url + args.path)
    await asyncio.wait_for(loaded.wait(), args.timeout)
    found = await _wait_rendered(devtools, args.cards, args.timeout)
    if found["errors"] or found["warnings"]:
        raise ChromiumError(f"the dashboard shows errors or warnings: {found}")
    # Let relative times and icons settle.
    await asyncio.sleep(2)
    shot = await devtools.send("Page.captureScreenshot", format="png")
    return base64.b64decode(shot["data"])


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``scripts/screenshot``; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        output = asyncio.run(capture(args))
    except (ChromiumError, ProcessError, HassApiError, TimeoutError) as err:
        sys.stderr.write(f"screenshot: {err or 'timed out'}\n")
        return 1
    sys.stdout.write(f"screenshot: wrote {output}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
