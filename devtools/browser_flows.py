"""``scripts/browser-check``: the integration's dialogs, driven as a person would.

On the integration's page, with the mouse's path through Home Assistant's own
menus and buttons: *Reconfigure* (the entry's menu), *Configure* (the
options: extensions, where they may call, people), *Edit contact* and *Replace or rename the
phone book* (the rows of a contact and a phone book, which are added through
the API first). Each dialog's form and its success text are read like every
page of the check: an English string or a raw translation key fails it.
Home Assistant's generic success texts (*Reconfiguration was successful*)
have no pt-BR for custom integrations, which is why the integration names its
own. On the dashboard, a Destination that is no number must be refused with
the integration's translated error.
"""

import asyncio
from collections.abc import Callable
import json
from typing import TYPE_CHECKING, Any

from .hass_api import HassApi
from .page_scripts import FIND
from .screenshot import ChromiumError, DevTools

if TYPE_CHECKING:
    from .browser_check import Check

INTEGRATION_PAGE = "/config/integrations/integration/bemmelhor"
CONTACT = {"name": "Maria Silva", "numbers": ["(11) 98765-4321"]}
PHONEBOOK = "Clientes"
PHONEBOOK_FILE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:João Conceição\r\n"
    "TEL:+55 21 2222-3333\r\nEND:VCARD\r\n"
).encode()
NOT_A_NUMBER = "abc"
BUSY_DAY = {
    "sensor.bem_melhor_pbx_calls_today": 6,
    "todo.bem_melhor_pbx_calls_to_return": 1,
}
"""What the simulated traffic brings before the docs' picture: calls, one to return."""
BUSY_DAY_WAIT = 120.0

_FIND = (
    FIND
    + """
var flowDialog = () => deepFind(el => el.tagName === 'DIALOG-DATA-ENTRY-FLOW');
"""
)
"""``deepFind`` and ``flowDialog``: the scripts below start with them."""

DIALOG_STEP = (
    _FIND
    + """
(() => {
  const dialog = flowDialog();
  if (!dialog || !dialog.shadowRoot) return 'none';
  for (const step of ['form', 'abort', 'create-entry', 'menu', 'progress']) {
    if (dialog.shadowRoot.querySelector('step-flow-' + step)) return step;
  }
  return 'other';
})()
"""
)
"""Return which step the open flow dialog shows: ``form``, ``abort``… or ``none``."""

DIALOG_PRIMARY = (
    _FIND
    + """
(() => {
  const dialog = flowDialog();
  const buttons = dialog ? [...dialog.shadowRoot.querySelectorAll('ha-button')] : [];
  if (!buttons.length) return 'no button';
  buttons[buttons.length - 1].click();
  return 'ok';
})()
"""
)
"""Press the dialog's main button: *Submit* on a form, *Close* after it."""


def menu_item_script(value: str) -> str:
    """Return JavaScript choosing the entry menu's item ``value`` (``reconfigure``)."""
    return _FIND + (
        "(() => {"
        "const item = deepFind(el => el.tagName === 'HA-DROPDOWN-ITEM'"
        f" && el.value === {json.dumps(value)});"
        "if (!item) return 'no item';"
        "item.click();"
        "return 'ok';"
        "})()"
    )


def subentry_button_script(subentry_type: str) -> str:
    """Return JavaScript pressing the edit button of the first subentry of a type."""
    return _FIND + (
        "(() => {"
        "const row = deepFind(el => el.tagName === 'HA-CONFIG-SUB-ENTRY-ROW'"
        f" && ((el.data || {{}}).subEntry || {{}}).subentry_type"
        f" === {json.dumps(subentry_type)});"
        "if (!row || !row.shadowRoot) return 'no row';"
        "const button = row.shadowRoot.querySelector('ha-icon-button');"
        "if (!button) return 'no button';"
        "button.click();"
        "return 'ok';"
        "})()"
    )


OPTIONS_BUTTON = (
    _FIND
    + """
(() => {
  const hass = document.querySelector('home-assistant').hass;
  const label = hass.localize('ui.panel.config.integrations.config_entry.configure');
  const button = deepFind(el => el.tagName === 'HA-ICON-BUTTON'
    && el.label === label
    && el.getRootNode().host
    && el.getRootNode().host.tagName === 'HA-CONFIG-ENTRY-ROW');
  if (!button) return 'no button';
  button.click();
  return 'ok';
})()
"""
)
"""Press the entry row's *Configure* (the options flow)."""


async def async_add_contacts(api: HassApi) -> None:
    """Give the demo's entry a contact and a phone book, unless it has them."""
    [entry] = await api.config_entries("bemmelhor")
    entry_id = str(entry["entry_id"])
    async with api.websocket() as ws:
        subentries = await ws.command(
            "config_entries/subentries/list", entry_id=entry_id
        )
    types = {subentry["subentry_type"] for subentry in subentries or []}
    if "contact" not in types:
        await _async_subentry(api, entry_id, "contact", CONTACT)
    if "phonebook" not in types:
        file_id = await api.upload_file(PHONEBOOK_FILE, "clientes.vcf", "text/vcard")
        await _async_subentry(
            api, entry_id, "phonebook", {"name": PHONEBOOK, "file": file_id}
        )


async def _async_subentry(
    api: HassApi, entry_id: str, subentry_type: str, answer: dict[str, Any]
) -> None:
    flow = await api.start_subentry_flow(entry_id, subentry_type)
    result = await api.subentry_flow_step(flow["flow_id"], answer)
    if result.get("type") != "create_entry":
        raise ChromiumError(f"adding a {subentry_type} failed: {result}")


async def _wait_step(devtools: DevTools, name: str, steps: set[str]) -> str:
    """Wait until the flow dialog shows one of ``steps``; return it."""
    step = ""
    try:
        async with asyncio.timeout(20):
            while (step := await devtools.evaluate(DIALOG_STEP)) not in steps:
                await asyncio.sleep(0.3)
    except TimeoutError:
        raise ChromiumError(f"{name}: the dialog shows {step!r}, not {steps}") from None
    await asyncio.sleep(1)  # its texts render after the step
    return str(step)


async def _press(devtools: DevTools, name: str, script: str) -> None:
    if (pressed := await devtools.evaluate(script)) != "ok":
        raise ChromiumError(f"{name}: {pressed}")


async def async_drive_flow(
    check: Check,
    devtools: DevTools,
    name: str,
    open_script: str,
    done: str,
    *,
    forms: int = 1,
    says: str | None = None,
) -> None:
    """Open a flow, check and submit each of its ``forms``, check its end, close it.

    ``done`` is the end step: ``abort`` (a reconfigure's success) or
    ``create-entry`` (an options flow's *saved*); ``says``, the integration's
    text the end must show (Home Assistant's generic one is no string of the
    integration, so the English check alone would not see it).
    """
    await _press(devtools, name, open_script)
    for page in range(1, forms + 1):
        await _wait_step(devtools, name, {"form"})
        await check.inspect(devtools, f"{name}-form-{page}")
        await _press(devtools, name, DIALOG_PRIMARY)
        if page < forms:
            await asyncio.sleep(1.5)  # the next form replaces this one
    await _wait_step(devtools, name, {done})
    text = await check.inspect(devtools, f"{name}-done")
    if says is not None and says not in text:
        raise ChromiumError(f"{name}: the end does not say {says!r}")
    await _press(devtools, name, DIALOG_PRIMARY)
    await _wait_step(devtools, name, {"none", "other"})  # closed, or emptied


async def async_check_flow_dialogs(
    check: Check,
    api: HassApi,
    devtools: DevTools,
    base_url: str,
) -> None:
    """Reconfigure, options and people, contact edit, phone book rename."""
    texts = check.translations
    subentries = texts["config_subentries"]
    await async_add_contacts(api)
    await check.visit(devtools, base_url, INTEGRATION_PAGE, "contacts", "Maria Silva")
    await async_drive_flow(
        check,
        devtools,
        "reconfigure",
        menu_item_script("reconfigure"),
        "abort",
        says=texts["config"]["abort"]["reconfigure_successful"],
    )
    await async_drive_flow(
        check, devtools, "options", OPTIONS_BUTTON, "create-entry", forms=3
    )
    await async_drive_flow(
        check,
        devtools,
        "contact",
        subentry_button_script("contact"),
        "abort",
        says=subentries["contact"]["abort"]["contact_saved"],
    )
    await async_drive_flow(
        check,
        devtools,
        "phonebook",
        subentry_button_script("phonebook"),
        "abort",
        says=subentries["phonebook"]["abort"]["phonebook_renamed"],
    )


def refused_text(translations: dict[str, Any], value: str) -> str:
    """Return the translated error a Destination that is no number gets."""
    message = translations["exceptions"]["destination_not_a_number"]["message"]
    return str(message).replace("{value}", value)


async def async_check_destination_refused(
    check: Check, devtools: DevTools, typing_script: str
) -> None:
    """Type what is no number in a Destination box: the translated error shows."""
    await devtools.evaluate(typing_script)
    expected = refused_text(check.translations, NOT_A_NUMBER)
    try:
        async with asyncio.timeout(10):
            while expected not in await check.page_text(devtools):
                await asyncio.sleep(0.3)
    except TimeoutError:
        await check.shoot(devtools, "destination-refused")
        raise ChromiumError(
            f"destination: {NOT_A_NUMBER!r} was not refused with {expected!r}"
        ) from None
    await check.inspect(devtools, "destination-refused")


async def async_wait_for_a_busy_day(api: HassApi, say: Callable[[str], None]) -> None:
    """Let the simulated traffic fill the day before the docs' picture (bounded)."""
    try:
        async with asyncio.timeout(BUSY_DAY_WAIT):
            while True:
                states = {
                    entity_id: await api.state(entity_id) for entity_id in BUSY_DAY
                }
                if all(
                    (state := states[entity_id]) is not None
                    and state["state"].isdigit()
                    and int(state["state"]) >= least
                    for entity_id, least in BUSY_DAY.items()
                ):
                    return
                await asyncio.sleep(2)
    except TimeoutError:
        say("the simulated traffic was quiet: the picture shows a quiet day")


async def async_office_time_zone(api: HassApi, devtools: DevTools) -> None:
    """Put the browser in the instance's time zone, as the office's computers are.

    Otherwise the calendar (the browser's clock) and the call-back items (the
    instance's) would tell the same call at different hours.
    """
    if time_zone := (await api.config()).get("time_zone"):
        await devtools.send("Emulation.setTimezoneOverride", timezoneId=time_zone)
