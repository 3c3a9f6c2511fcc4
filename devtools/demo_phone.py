"""The demo's phone: missed-call notifications with a "Ligar de volta" button.

No phone is needed. The demo registers one for the demo user as the
Companion app does (``POST /api/mobile_app/registrations``, with the app's
local push: ``mobile_app/push_notification_channel`` over the websocket), so
Home Assistant has a real ``mobile_app`` device and a real
``notify.mobile_app_celular_da_demo`` action; only the phone itself is the
demo's websocket, which receives the notifications as the app would on the
office's network. The repository's missed-call blueprint runs as an
automation for extension 6001 with that phone.

Tapping the button is what the app sends: ``fire_event`` of
``mobile_app_notification_action`` to the phone's webhook, so the event
carries the demo user's context and the integration places the call under
the demo user's rules. In the running demo each notification is printed and
shown as a persistent notification, and the dashboard's button
``input_button.demo_phone_call_back`` taps the last one; ``--check`` makes an
outside number miss 6001, waits for the notification, taps it and waits for
6001's call back, placed by the demo user.
"""

import asyncio
import contextlib
from dataclasses import dataclass
import json
from pathlib import Path
from typing import Any
import uuid

import aiohttp

from .hass_api import HassApi, HassWebSocket

PHONE_FILE = ".demo_phone.json"
PHONE_NAME = "Celular da demo"
APP_ID = "io.bemmelhor.demo_phone"
AUTOMATION_ID = "bemmelhor_demo_missed_calls"
BLUEPRINT = "bemmelhor/notify_missed_call.yaml"
CALL_BACK_BUTTON = "input_button.demo_phone_call_back"
"""The dashboard's button that taps "Ligar de volta" on the last notification."""
MISSED_CALLER = "011955550123"
"""The outside number that misses extension 6001 in ``--check``."""
CALL_BACK_PREFIX = "BEMMELHOR_CALL_BACK:"
NOTIFICATION_ACTION = "mobile_app_notification_action"
ENGLISH_TEXTS = {
    "title": "Missed call",
    "message": "{{ caller_name }} called extension {{ extension }} — {{ outcome }}",
    "call_back_button": "Call back",
}
"""The blueprint's texts in an English demo (its defaults are Portuguese)."""


@dataclass(frozen=True, slots=True)
class Phone:
    """The demo phone's registration: its webhook and its device id."""

    webhook_id: str
    device_id: str


def registration(device_id: str) -> dict[str, Any]:
    """Return what the Companion app posts to register, with local push."""
    return {
        "app_id": APP_ID,
        "app_name": "Home Assistant (demo)",
        "app_version": "2026.11",
        "device_id": device_id,
        "device_name": PHONE_NAME,
        "manufacturer": "Bem Melhor",
        "model": "Demo phone",
        "os_name": "Android",
        "os_version": "16",
        "supports_encryption": False,
        "app_data": {"push_websocket_channel": True},
    }


def load_phone(path: Path) -> Phone | None:
    """Return the phone registered by an earlier start, if any."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Phone(str(data["webhook_id"]), str(data["device_id"]))
    except OSError, ValueError, KeyError, TypeError:
        return None


def save_phone(path: Path, phone: Phone) -> None:
    """Keep the phone's registration for the next start."""
    path.write_text(
        json.dumps({"webhook_id": phone.webhook_id, "device_id": phone.device_id}),
        encoding="utf-8",
    )


def registry_device(devices: list[dict[str, Any]], phone: Phone) -> str | None:
    """Return the device registry id of the phone, if Home Assistant has it."""
    for device in devices:
        if ["mobile_app", phone.device_id] in device.get("identifiers", []):
            return str(device["id"])
    return None


def entity_device(entities: list[dict[str, Any]], entity_id: str) -> str | None:
    """Return the device id of an entity from the entity registry list."""
    for item in entities:
        if item.get("entity_id") == entity_id:
            return item.get("device_id")
    return None


def automation_config(
    extension_device: str, phone_device: str, language: str
) -> dict[str, Any]:
    """Return the missed-call automation: the blueprint for 6001 and the phone."""
    inputs: dict[str, Any] = {"extension": extension_device, "phone": phone_device}
    if language != "pt-BR":
        inputs |= ENGLISH_TEXTS
    return {
        "id": AUTOMATION_ID,
        "alias": "Ligações perdidas do ramal 6001 no celular da demo",
        "description": "scripts/develop: the missed-call blueprint with a call-back button",
        "use_blueprint": {"path": BLUEPRINT, "input": inputs},
    }


def call_back_of(notification: dict[str, Any]) -> str | None:
    """Return the call-back action of a notification's buttons, if it has one."""
    actions = (notification.get("data") or {}).get("actions") or []
    for action in actions:
        if isinstance(action, dict) and str(action.get("action", "")).startswith(
            CALL_BACK_PREFIX
        ):
            return str(action["action"])
    return None


def describe(notification: dict[str, Any]) -> str:
    """Return a notification as one line: title, message, buttons."""
    actions = (notification.get("data") or {}).get("actions") or []
    buttons = "".join(
        f" [{action.get('title')}]" for action in actions if isinstance(action, dict)
    )
    return (
        f"{notification.get('title', '')}: {notification.get('message', '')}{buttons}"
    )


def tap_body(action: str) -> dict[str, Any]:
    """Return what the Companion app posts to its webhook when a button is tapped."""
    return {
        "type": "fire_event",
        "data": {"event_type": NOTIFICATION_ACTION, "event_data": {"action": action}},
    }


class DemoPhone:
    """The registered phone: sets it up, receives its notifications, taps them."""

    def __init__(self, api: HassApi, ws: HassWebSocket, config_dir: Path) -> None:
        """Use the demo user's REST and websocket connections."""
        self.api = api
        self.ws = ws
        self.file = config_dir / PHONE_FILE
        self.phone: Phone | None = None
        self.last_call_back: str | None = None

    async def async_register(self) -> str:
        """Register the phone unless it is; return its device registry id."""
        phone = load_phone(self.file)
        devices = await self.ws.command("config/device_registry/list")
        if phone is None or (device := registry_device(devices, phone)) is None:
            device_id = uuid.uuid4().hex
            answer = await self.api.request(
                "POST",
                "/api/mobile_app/registrations",
                json_body=registration(device_id),
            )
            phone = Phone(str(answer["webhook_id"]), device_id)
            save_phone(self.file, phone)
            device = await self._wait_for_device(phone)
        self.phone = phone
        return device

    async def _wait_for_device(self, phone: Phone) -> str:
        """Wait for the new registration's device (its entry is set up meanwhile)."""
        async with asyncio.timeout(30):
            while True:
                devices = await self.ws.command("config/device_registry/list")
                if (device := registry_device(devices, phone)) is not None:
                    return device
                await asyncio.sleep(0.5)

    async def async_set_up_automation(
        self, extension_device: str, phone_device: str, language: str
    ) -> None:
        """Create (or update) the missed-call automation from the blueprint."""
        await self.api.request(
            "POST",
            f"/api/config/automation/config/{AUTOMATION_ID}",
            json_body=automation_config(extension_device, phone_device, language),
        )

    def notifications(
        self,
    ) -> contextlib.AbstractAsyncContextManager[asyncio.Queue[dict[str, Any]]]:
        """Return the phone's local push channel: a queue of its notifications."""
        assert self.phone is not None
        return self.ws.subscribe(
            "mobile_app/push_notification_channel", webhook_id=self.phone.webhook_id
        )

    async def async_tap(self, session: aiohttp.ClientSession, action: str) -> None:
        """Tap a button of a notification, as the Companion app reports it."""
        assert self.phone is not None
        async with session.post(
            f"{self.api.base_url}/api/webhook/{self.phone.webhook_id}",
            json=tap_body(action),
        ) as response:
            response.raise_for_status()


MIRROR_TEXTS = {
    "pt-BR": "Botão do celular: **{button}** — no painel Bem Melhor, aperte"
    " *Celular da demo: tocar em Ligar de volta*.",
    "en": "Phone button: **{button}** — on the Bem Melhor dashboard, press"
    " *Celular da demo: tocar em Ligar de volta*.",
}


def mirrored(notification: dict[str, Any], language: str) -> dict[str, str]:
    """Return the persistent notification that shows a phone notification in the UI."""
    actions = (notification.get("data") or {}).get("actions") or []
    message = str(notification.get("message", ""))
    if actions and isinstance(actions[0], dict):
        hint = MIRROR_TEXTS.get(language, MIRROR_TEXTS["en"])
        message += "\n\n" + hint.format(button=actions[0].get("title", ""))
    return {
        "notification_id": "bemmelhor_demo_phone",
        "title": f"📱 {PHONE_NAME}: {notification.get('title', '')}",
        "message": message,
    }


def button_pressed(event: dict[str, Any]) -> bool:
    """Return whether a ``state_changed`` event is a press of the call-back button."""
    data = event.get("data") or {}
    old = (data.get("old_state") or {}).get("state")
    new = (data.get("new_state") or {}).get("state")
    return (
        data.get("entity_id") == CALL_BACK_BUTTON
        and old is not None
        and new not in (None, old, "unavailable", "unknown")
    )
