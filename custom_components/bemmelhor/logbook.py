"""Logbook descriptions of the call bus events, in the system language.

The logbook shows, for example, "Extension 6001 called (32) 99999-9999" and
"Extension 6001: call to (32) 99999-9999 ended — Answered, 2 min 5 s" (in
Portuguese "Ramal 6001 ligou para …"); the other party's name instead of
its number when it is known. Numbers and outcomes read as in the call
history's titles (``call_texts.py``): a call into an extension that nobody
answered is *Missed* in both. Each line carries an icon and belongs to the
extension's call event entity, so the extension's device page and a logbook
card of that entity show it; but a call a person placed through Home
Assistant is the person's line ("Ana ligou para Maria Silva do ramal 6001"):
the frontend names a line after its entity.

The logbook describes events without a language: the texts come from the
integration's translations in the system language (``call_texts.py``),
read once per language.
"""

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .call_events import async_call_event_entity_id
from .call_texts import CallTexts, async_cached_call_texts, written_number
from .const import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DEVICE_ID,
    ATTR_DIRECTION,
    ATTR_DISPOSITION,
    ATTR_DURATION,
    ATTR_EXTENSION,
    ATTR_FROM,
    ATTR_FROM_NAME,
    ATTR_PLACED_BY,
    ATTR_TO,
    ATTR_TO_NAME,
    DOMAIN,
    EVENT_CALL_DIALING,
    EVENT_CALL_HANGUP,
)
from .persons import async_person_of_user

ICON_OUTGOING = "mdi:phone-outgoing"
ICON_INCOMING = "mdi:phone-incoming"
ICON_HANGUP = "mdi:phone-hangup"
ICON_MISSED = "mdi:phone-missed"


def format_duration(texts: CallTexts, seconds: int) -> str:
    """Write a duration the way a person reads it: ``2 min 5 s``, ``1 h 3 min``."""
    hours, rest = divmod(seconds, 3600)
    if hours:
        return texts.text("duration_hours", hours=hours, minutes=rest // 60)
    return texts.duration(rest)


def _is_outgoing(data: Mapping[str, Any]) -> bool:
    """Return whether the extension is the caller."""
    return bool(data.get(ATTR_FROM) == data.get(ATTR_EXTENSION))


def _other_party(texts: CallTexts, data: Mapping[str, Any]) -> str:
    """Return the name or number of the party that is not the extension."""
    if _is_outgoing(data):
        name, number = data.get(ATTR_TO_NAME), data.get(ATTR_TO)
    else:
        name, number = data.get(ATTR_FROM_NAME), data.get(ATTR_FROM)
    if name:
        return str(name)
    return written_number(number) if number else texts.text("logbook_unknown_number")


def describe_dialing(texts: CallTexts, data: Mapping[str, Any]) -> str:
    """Describe a dialing."""
    direction = "outbound" if _is_outgoing(data) else "inbound"
    return texts.text(f"logbook_dialing_{direction}", party=_other_party(texts, data))


def describe_placed(texts: CallTexts, data: Mapping[str, Any]) -> str:
    """Describe a dialing a person placed through Home Assistant (after their name)."""
    return texts.text(
        "logbook_dialing_placed",
        party=_other_party(texts, data),
        extension=data.get(ATTR_EXTENSION) or "?",
    )


def describe_hangup(texts: CallTexts, data: Mapping[str, Any]) -> str:
    """Describe a hangup with its outcome and duration."""
    direction = "outbound" if _is_outgoing(data) else "inbound"
    message = texts.text(
        f"logbook_hangup_{direction}",
        party=_other_party(texts, data),
        outcome=texts.call_outcome(
            data.get(ATTR_DIRECTION), data.get(ATTR_DISPOSITION)
        ),
    )
    if (duration := data.get(ATTR_DURATION)) is not None:
        message += f", {format_duration(texts, duration)}"
    return message


def icon(dialing: bool, data: Mapping[str, Any]) -> str:
    """Return the icon of a line: the direction of a dialing, a hangup's outcome."""
    if dialing:
        return ICON_OUTGOING if _is_outgoing(data) else ICON_INCOMING
    return ICON_HANGUP if data.get(ATTR_DISPOSITION) == "answered" else ICON_MISSED


def _name(hass: HomeAssistant, texts: CallTexts, data: Mapping[str, Any]) -> str:
    if (device_id := data.get(ATTR_DEVICE_ID)) and (
        device := dr.async_get(hass).async_get(device_id, include_child_devices=False)
    ):
        return (
            device.name_by_user or device.name or texts.extension(data[ATTR_EXTENSION])
        )
    return texts.extension(data.get(ATTR_EXTENSION) or "?")


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe the call events in the logbook."""
    texts_by_language: dict[str, CallTexts] = {}

    @callback
    def texts() -> CallTexts:
        """Return the texts of the system language, kept once they are loaded."""
        language = hass.config.language
        if (cached := texts_by_language.get(language)) is not None:
            return cached
        loaded = async_cached_call_texts(hass)
        if loaded.templates:
            texts_by_language[language] = loaded
        return loaded

    @callback
    def describe(event: Event) -> dict[str, str]:
        data = event.data
        language_texts = texts()
        dialing = event.event_type == EVENT_CALL_DIALING
        describe_message = describe_dialing if dialing else describe_hangup
        described = {
            LOGBOOK_ENTRY_NAME: _name(hass, language_texts, data),
            LOGBOOK_ENTRY_MESSAGE: describe_message(language_texts, data),
            LOGBOOK_ENTRY_ICON: icon(dialing, data),
        }
        if dialing and (person := async_person_of_user(hass, data.get(ATTR_PLACED_BY))):
            # The person's line: the frontend names a line after its entity.
            described[LOGBOOK_ENTRY_NAME] = person.name
            described[LOGBOOK_ENTRY_MESSAGE] = describe_placed(language_texts, data)
            described[LOGBOOK_ENTRY_ENTITY_ID] = person.entity_id
        elif (entry_id := data.get(ATTR_CONFIG_ENTRY_ID)) and (
            entity_id := async_call_event_entity_id(
                hass, entry_id, data.get(ATTR_EXTENSION) or ""
            )
        ):
            described[LOGBOOK_ENTRY_ENTITY_ID] = entity_id
        return described

    texts()
    async_describe_event(DOMAIN, EVENT_CALL_DIALING, describe)
    async_describe_event(DOMAIN, EVENT_CALL_HANGUP, describe)
