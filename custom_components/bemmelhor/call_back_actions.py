"""The "Call back" button of a missed-call notification on the Companion app.

The missed-call blueprint can send a notification with the action
``BEMMELHOR_CALL_BACK:<config entry id>:<extension>:<number>``. Tapping it
makes the Companion app fire ``mobile_app_notification_action`` with that
action, under the context of the phone's Home Assistant user. The
integration listens for its own actions itself (from set-up on, so it works
after a restart and without an automation waiting for the tap) and makes
the extension call the number.

The action is untrusted input (any phone of any user can fire any event):
it must name a loaded entry of this integration and one of its extensions,
hold a number (no contact name), and the call goes through the same checks
as every other (``dial_checks.py``): the tapping user's own extension, a
busy extension, the entry's allowed destinations. A refused or malformed
action places no call and is logged (no number above debug).
"""

from collections.abc import Mapping
from dataclasses import dataclass
import re
from typing import Any, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN, LOGGER
from .coordinator import BemMelhorConfigEntry
from .dialer import async_start_call

EVENT_NOTIFICATION_ACTION: Final = "mobile_app_notification_action"
"""What the Companion app fires when a notification's button is tapped."""
ACTION_PREFIX: Final = "BEMMELHOR_CALL_BACK"
MAX_ACTION_LENGTH: Final = 160
_SEPARATOR = ":"
_ENTRY_ID = re.compile(r"[0-9A-Za-z]{1,64}")
_EXTENSION = re.compile(r"[0-9]{2,8}")
_NUMBER = re.compile(r"\+?[0-9*#]{1,24}")


@dataclass(frozen=True, slots=True)
class CallBackAction:
    """What a call-back button asks: which entry's extension calls which number."""

    entry_id: str
    extension: str
    number: str


def call_back_action_id(entry_id: str, extension: str, number: str) -> str:
    """Return the notification action that calls ``number`` back from ``extension``."""
    return _SEPARATOR.join((ACTION_PREFIX, entry_id, extension, number))


def parse_call_back_action(action: object) -> CallBackAction | None:
    """Read a notification action; None when it is not a well-formed call-back."""
    if not isinstance(action, str) or len(action) > MAX_ACTION_LENGTH:
        return None
    parts = action.split(_SEPARATOR)
    if len(parts) != 4 or parts[0] != ACTION_PREFIX:
        return None
    _, entry_id, extension, number = parts
    if not (
        _ENTRY_ID.fullmatch(entry_id)
        and _EXTENSION.fullmatch(extension)
        and _NUMBER.fullmatch(number)
    ):
        return None
    return CallBackAction(entry_id, extension, number)


@callback
def _is_call_back(data: Mapping[str, Any]) -> bool:
    """Return whether a notification action is one of the integration's."""
    action = data.get("action")
    return isinstance(action, str) and action.startswith(ACTION_PREFIX + _SEPARATOR)


@callback
def async_listen_call_back_actions(hass: HomeAssistant) -> CALLBACK_TYPE:
    """Place the calls the call-back buttons of notifications ask for."""

    async def handle(event: Event) -> None:
        await async_call_back(hass, event.data.get("action"), event.context.user_id)

    return hass.bus.async_listen(
        EVENT_NOTIFICATION_ACTION, handle, event_filter=_is_call_back
    )


async def async_call_back(
    hass: HomeAssistant, action: object, user_id: str | None
) -> None:
    """Place the call a tapped call-back button asks for, if it may be placed."""
    request = parse_call_back_action(action)
    entry: BemMelhorConfigEntry | None = (
        hass.config_entries.async_get_entry(request.entry_id) if request else None
    )
    if (
        request is None
        or entry is None
        or entry.domain != DOMAIN
        or entry.state is not ConfigEntryState.LOADED
    ):
        LOGGER.info("Ignored a call-back notification action that is not valid")
        return
    try:
        await async_start_call(
            entry, request.extension, request.number, user_id=user_id
        )
    except ServiceValidationError as err:
        # The checks log what an administrator should see (once, at info).
        LOGGER.debug(
            "A call-back from a notification was refused: %s", err.translation_key
        )
    except HomeAssistantError as err:
        LOGGER.warning(
            "A call-back from a notification could not be placed: %s",
            err.translation_key,
        )
