"""``scripts/browser-check``'s Assist part: the Assist dialog, in the page's language.

On the demo dashboard the keyboard shortcut ``a`` opens Assist, as for a
user; the check types "liga pra Maria" and "quem me ligou hoje?" ("call
Maria", "who called me today?" in English), presses Enter after each and
reads Assist's answers in the dialog. Each must be the integration's own
answer in the page's language, recognised by the templates of the
translation file (``assist.py``): "Ligando para Maria Silva do ramal 6001",
then "Ninguém ligou hoje.", "Uma ligação hoje: …" or "N ligações hoje: …".
An English answer, or Home Assistant's "Desculpe, não consegui entender",
fails the check. The demo user's person uses extension 6001, so the check
first waits (bounded) until 6001 is idle.
"""

import asyncio
from collections.abc import Awaitable, Callable
import json
from pathlib import Path
from typing import Any

from .assist import answer_key, voice_templates
from .demo import DASHBOARD_URL_PATH
from .demo_voice import ASKED_IN_THE_BROWSER, VOICE_EXTENSION
from .hass_api import HassApi
from .screenshot import ChromiumError, DevTools

EXPECTED = (("calling",), ("calls_none", "calls_one", "calls_many"))
"""The answers each typed sentence may get, by template key."""
IDLE_TIMEOUT = 60.0
DIALOG_TIMEOUT = 20.0
ANSWER_TIMEOUT = 30.0
THINKING = "…"
"""What the dialog shows while Assist has not answered yet."""

# The Assist dialog's chat: every message as [who, text], through shadow roots.
_CHAT = """
(() => {
  const find = (root, test) => {
    for (const el of root.querySelectorAll('*')) {
      if (test(el)) return el;
      if (el.shadowRoot) { const f = find(el.shadowRoot, test); if (f) return f; }
    }
    return null;
  };
  const text = (root) => {
    const parts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) parts.push(walker.currentNode.textContent);
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) parts.push(text(el.shadowRoot));
    }
    return parts.join(' ').replace(/\\s+/g, ' ').trim();
  };
  const chat = find(document, (el) => el.tagName === 'HA-ASSIST-CHAT');
  if (!chat || !chat.shadowRoot) return null;
  const input = chat.shadowRoot.querySelector('#message-input');
  if (input) input.focus();
  return Array.from(chat.shadowRoot.querySelectorAll('.message')).map(
    (m) => [m.classList.contains('user') ? 'user' : 'hass', text(m)]);
})()
"""
_DASHBOARD_READY = (
    "(() => { const find = (root) => { for (const el of root.querySelectorAll('*'))"
    " { if (el.tagName === 'HUI-BUTTON-ENTITY-ROW') return true;"
    " if (el.shadowRoot && find(el.shadowRoot)) return true; } return false; };"
    " return find(document); })()"
)


async def _until[T](
    probe: Callable[[], Awaitable[T | None]], timeout: float, what: str
) -> T:
    """Return the first answer of ``probe`` that is not None (bounded)."""
    try:
        async with asyncio.timeout(timeout):
            while (found := await probe()) is None:
                await asyncio.sleep(0.3)
    except TimeoutError:
        raise ChromiumError(f"assist: {what}") from None
    return found


async def _press(devtools: DevTools, key: str, code: str, key_code: int) -> None:
    """Press and release a key, as a keyboard does."""
    await devtools.send(
        "Input.dispatchKeyEvent",
        type="keyDown",
        key=key,
        code=code,
        text=key if len(key) == 1 else "",
        windowsVirtualKeyCode=key_code,
    )
    await devtools.send(
        "Input.dispatchKeyEvent",
        type="keyUp",
        key=key,
        code=code,
        windowsVirtualKeyCode=key_code,
    )


async def _chat(devtools: DevTools) -> list[tuple[str, str]] | None:
    """Return the dialog's messages (None while it is not open)."""
    messages: Any = await devtools.evaluate(_CHAT)
    if messages is None:
        return None
    return [(str(who), str(text)) for who, text in messages]


async def _ask(devtools: DevTools, text: str) -> str:
    """Type ``text`` in the dialog, press Enter; return Assist's answer."""
    before = await _chat(devtools) or []
    await devtools.send("Input.insertText", text=text)
    await _press(devtools, "Enter", "Enter", 13)

    seen: list[str] = []

    async def answer() -> str | None:
        """Return the answer once it stays the same (it is "…" while awaited)."""
        chat = await _chat(devtools) or []
        if len(chat) < len(before) + 2 or chat[-1][0] != "hass":
            return None
        text = chat[-1][1]
        seen.append(text)
        return text if text not in ("", THINKING) and seen[-2:] == [text] * 2 else None

    return await _until(answer, ANSWER_TIMEOUT, f"no answer to {text!r}")


async def _wait_idle(api: HassApi, extension: str) -> None:
    """Wait until an extension has no call (bounded)."""
    entity_id = f"sensor.extension_{extension}_call_state"

    async def idle() -> bool | None:
        state = await api.state(entity_id)
        return True if state is not None and state["state"] == "idle" else None

    await _until(idle, IDLE_TIMEOUT, f"{entity_id} never became idle")


async def check_assist(
    devtools: DevTools,
    api: HassApi,
    base_url: str,
    language: str,
    say: Callable[[str], None],
    shoot: Callable[[str], Awaitable[Path]],
) -> None:
    """Ask Assist in the dialog; fail unless it answers as expected, in ``language``."""
    await _wait_idle(api, VOICE_EXTENSION)
    loaded = devtools.expect("Page.loadEventFired")
    await devtools.send("Page.navigate", url=f"{base_url}/{DASHBOARD_URL_PATH}/calls")
    await asyncio.wait_for(loaded.wait(), 30)

    async def ready() -> bool | None:
        return True if await devtools.evaluate(_DASHBOARD_READY) else None

    await _until(ready, DIALOG_TIMEOUT, "the dashboard never showed")
    await _press(devtools, "a", "KeyA", 65)
    await _until(lambda: _chat(devtools), DIALOG_TIMEOUT, "the dialog never opened")
    templates = voice_templates(language)
    for said, keys in zip(ASKED_IN_THE_BROWSER[language], EXPECTED, strict=True):
        answer = await _ask(devtools, said)
        if answer_key(answer, templates, keys, extension=VOICE_EXTENSION) is None:
            await shoot("assist")
            raise ChromiumError(
                f"assist: {said!r} was answered {answer!r}, not as "
                f"{json.dumps([templates[key] for key in keys], ensure_ascii=False)}"
            )
        say(f"assist: {said!r} → {answer!r}")
    await shoot("assist")
