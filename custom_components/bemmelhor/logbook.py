"""Logbook descriptions of the call bus events.

The logbook shows, for example, "Extension 6001 called 032999999999" and
"Extension 6001: call to 032999999999 ended — answered, 2 min 5 s"; the
other party's name instead of its number when it is known ("Extension 6001
is receiving a call from Maria Silva").
"""

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .const import (
    ATTR_DEVICE_ID,
    ATTR_DISPOSITION,
    ATTR_DURATION,
    ATTR_EXTENSION,
    ATTR_FROM,
    ATTR_FROM_NAME,
    ATTR_TO,
    ATTR_TO_NAME,
    DOMAIN,
    EVENT_CALL_DIALING,
    EVENT_CALL_HANGUP,
)

DISPOSITION_TEXT = {
    "answered": "answered",
    "no_answer": "not answered",
    "busy": "busy",
    "failed": "failed",
    "congestion": "network congestion",
    "unknown": "outcome unknown",
}

UNKNOWN_NUMBER = "an unknown number"


def format_duration(seconds: int) -> str:
    """Write a duration the way a person reads it: ``2 min 5 s``, ``1 h 3 min``."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def _name(hass: HomeAssistant, data: Mapping[str, Any]) -> str:
    if (device_id := data.get(ATTR_DEVICE_ID)) and (
        device := dr.async_get(hass).async_get(device_id, include_child_devices=False)
    ):
        return device.name_by_user or device.name or f"Extension {data[ATTR_EXTENSION]}"
    return f"Extension {data.get(ATTR_EXTENSION) or '?'}"


def _other_party(data: Mapping[str, Any]) -> tuple[str, str]:
    """Return ("to"|"from", name or number) of the party that is not the extension."""
    if data.get(ATTR_FROM) == data.get(ATTR_EXTENSION):
        return "to", data.get(ATTR_TO_NAME) or data.get(ATTR_TO) or UNKNOWN_NUMBER
    return "from", data.get(ATTR_FROM_NAME) or data.get(ATTR_FROM) or UNKNOWN_NUMBER


def describe_dialing(data: Mapping[str, Any]) -> str:
    """Describe a dialing."""
    direction, number = _other_party(data)
    if direction == "to":
        return f"called {number}"
    return f"is receiving a call from {number}"


def describe_hangup(data: Mapping[str, Any]) -> str:
    """Describe a hangup with its outcome and duration."""
    direction, number = _other_party(data)
    outcome = DISPOSITION_TEXT.get(data.get(ATTR_DISPOSITION) or "unknown", "ended")
    message = f"call {direction} {number} ended — {outcome}"
    if (duration := data.get(ATTR_DURATION)) is not None:
        message += f", {format_duration(duration)}"
    return message


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe the call events in the logbook."""

    @callback
    def describe(event: Event) -> dict[str, str]:
        describe_message = (
            describe_dialing
            if event.event_type == EVENT_CALL_DIALING
            else describe_hangup
        )
        return {
            LOGBOOK_ENTRY_NAME: _name(hass, event.data),
            LOGBOOK_ENTRY_MESSAGE: describe_message(event.data),
        }

    async_describe_event(DOMAIN, EVENT_CALL_DIALING, describe)
    async_describe_event(DOMAIN, EVENT_CALL_HANGUP, describe)
