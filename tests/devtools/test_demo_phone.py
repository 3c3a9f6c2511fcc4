"""The demo's phone: its registration, its notifications and the button it taps."""

from pathlib import Path
from typing import Any

import pytest

from devtools.demo_phone import (
    AUTOMATION_ID,
    CALL_BACK_BUTTON,
    ENGLISH_TEXTS,
    PHONE_NAME,
    Phone,
    automation_config,
    button_pressed,
    call_back_of,
    describe,
    entity_device,
    load_phone,
    mirrored,
    registration,
    registry_device,
    save_phone,
    tap_body,
)

ACTION = "BEMMELHOR_CALL_BACK:01JD:6001:011955550123"
NOTIFICATION: dict[str, Any] = {
    "title": "Ligação perdida",
    "message": "011955550123 ligou para o ramal 6001 — Não atendida",
    "data": {
        "tag": "bemmelhor-1",
        "actions": [{"action": ACTION, "title": "Ligar de volta"}],
    },
}


def test_registration_asks_for_local_push() -> None:
    """The phone registers as the Companion app does, with the websocket channel."""
    body = registration("abc")

    assert body["device_id"] == "abc"
    assert body["device_name"] == PHONE_NAME
    assert body["app_data"] == {"push_websocket_channel": True}
    assert body["supports_encryption"] is False


def test_phone_kept_for_the_next_start(tmp_path: Path) -> None:
    """The registration is saved and read back; a damaged file is no phone."""
    path = tmp_path / "phone.json"
    save_phone(path, Phone("hook", "device"))

    assert load_phone(path) == Phone("hook", "device")

    path.write_text("{", encoding="utf-8")
    assert load_phone(path) is None
    assert load_phone(tmp_path / "missing.json") is None


def test_registry_ids() -> None:
    """The phone's device and an entity's device are found in the registry lists."""
    devices = [
        {"id": "other", "identifiers": [["bemmelhor", "127.0.0.1_6001"]]},
        {"id": "phone", "identifiers": [["mobile_app", "device"]]},
    ]
    entities = [{"entity_id": "sensor.extension_6001_call_state", "device_id": "d1"}]

    assert registry_device(devices, Phone("hook", "device")) == "phone"
    assert registry_device(devices, Phone("hook", "gone")) is None
    assert entity_device(entities, "sensor.extension_6001_call_state") == "d1"
    assert entity_device(entities, "sensor.nothing") is None


@pytest.mark.parametrize(("language", "texts"), [("pt-BR", {}), ("en", ENGLISH_TEXTS)])
def test_automation_uses_the_blueprint(language: str, texts: dict[str, str]) -> None:
    """The automation is the missed-call blueprint for 6001 and the phone."""
    config = automation_config("d1", "phone", language)

    assert config["id"] == AUTOMATION_ID
    assert config["use_blueprint"] == {
        "path": "bemmelhor/notify_missed_call.yaml",
        "input": {"extension": "d1", "phone": "phone", **texts},
    }


def test_call_back_of_a_notification() -> None:
    """The call-back button is found among the notification's buttons."""
    other: dict[str, Any] = {"data": {"actions": [{"action": "ALARM"}]}}

    assert call_back_of(NOTIFICATION) == ACTION
    assert call_back_of(other) is None
    assert call_back_of({"message": "text only"}) is None


def test_describe_a_notification() -> None:
    """One line: title, message and buttons."""
    assert describe(NOTIFICATION) == (
        "Ligação perdida: 011955550123 ligou para o ramal 6001 — Não atendida"
        " [Ligar de volta]"
    )


def test_tap_is_what_the_app_sends() -> None:
    """A tap fires the Companion app's event through the phone's webhook."""
    assert tap_body(ACTION) == {
        "type": "fire_event",
        "data": {
            "event_type": "mobile_app_notification_action",
            "event_data": {"action": ACTION},
        },
    }


def test_mirrored_notification_tells_how_to_tap() -> None:
    """The UI shows the notification and which dashboard button taps it."""
    shown = mirrored(NOTIFICATION, "pt-BR")

    assert shown["title"] == f"📱 {PHONE_NAME}: Ligação perdida"
    assert shown["message"].startswith(str(NOTIFICATION["message"]))
    assert "**Ligar de volta**" in shown["message"]


@pytest.mark.parametrize(
    ("old", "new", "pressed"),
    [
        ("2026-11-27T12:00:00", "2026-11-27T12:01:00", True),
        ("unknown", "2026-11-27T12:01:00", True),
        (None, "2026-11-27T12:01:00", False),
        ("2026-11-27T12:00:00", "unavailable", False),
    ],
)
def test_button_pressed(old: str | None, new: str, pressed: bool) -> None:
    """A new timestamp on the dashboard's button is a press."""
    event = {
        "data": {
            "entity_id": CALL_BACK_BUTTON,
            "old_state": None if old is None else {"state": old},
            "new_state": {"state": new},
        }
    }

    assert button_pressed(event) is pressed
