"""Texts about calls in the system language: calendar events and call-back items.

The wording lives in the translation files (``selector.call_text`` holds the
templates, the ``last_disposition`` sensor's states the outcomes), so it is
translated like every other text of the integration.
"""

from dataclasses import dataclass

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.translation import (
    async_get_cached_translations,
    async_get_translations,
)
from homeassistant.util import dt as dt_util

from .call_log.model.call_backs import CallBack
from .call_log.model.calls import Direction, FinishedCall
from .const import DOMAIN
from .phone_numbers import format_number

_TEMPLATES = f"component.{DOMAIN}.selector.call_text.options."
_OUTCOMES = f"component.{DOMAIN}.entity.sensor.last_disposition.state."
_EXTENSION_NAME = f"component.{DOMAIN}.device.extension.name"
_CATEGORIES = ("selector", "entity", "device")


def written_number(number: str | None) -> str:
    """Write a number the Brazilian way, ``(11) 98765-4321``; ``?`` for none."""
    if not number:
        return "?"
    return format_number(number) or number


@dataclass(frozen=True, slots=True)
class CallTexts:
    """The templates of one language."""

    templates: dict[str, str]

    def text(self, key: str, **placeholders: object) -> str:
        """Return a template filled in (the key itself when it is missing)."""
        template = self.templates.get(_TEMPLATES + key, key)
        return template.format(**placeholders)

    def outcome(self, disposition: str) -> str:
        """Return an outcome as the ``last_disposition`` sensor shows it."""
        return self.templates.get(_OUTCOMES + disposition, disposition)

    def extension(self, extension: str) -> str:
        """Return the name an extension's device gets: ``Extension 6001``."""
        template = self.templates.get(_EXTENSION_NAME, "Extension {extension}")
        return template.format(extension=extension)

    def party(self, number: str | None, name: str | None) -> str:
        """Return how one end of a call is written: its name, else its number."""
        return name or written_number(number)

    def duration(self, seconds: int | None) -> str:
        """Return ``3 min 5 s`` (or ``5 s``)."""
        if seconds is None:
            return self.text("duration_unknown")
        minutes, rest = divmod(seconds, 60)
        if minutes:
            return self.text("duration_minutes", minutes=minutes, seconds=rest)
        return self.text("duration_seconds", seconds=rest)

    def summary(self, call: FinishedCall) -> str:
        """Return a calendar event's title: who called whom, how it ended, how long."""
        missed = call.direction is not Direction.OUTBOUND and call.missed_by(call.to)
        outcome = (
            self.text("missed") if missed else self.outcome(call.disposition.value)
        )
        return self.text(
            "summary",
            direction=self.text(call.direction.value),
            caller=self.party(call.from_, call.from_name),
            callee=self.party(call.to, call.to_name),
            outcome=outcome,
            duration=self.duration(call.duration),
        )

    def description(self, call: FinishedCall) -> str:
        """Return a calendar event's description: numbers and call id."""
        return self.text(
            "description",
            caller=call.from_ or "?",
            callee=call.to or "?",
            call_id=call.call_id,
        )

    def call_back_summary(self, item: CallBack) -> str:
        """Return a call-back item's title: the name and the number."""
        number = written_number(item.number)
        return f"{item.name} {number}" if item.name else number

    def call_back_description(self, item: CallBack) -> str:
        """Return how many missed calls, when last and on which extension."""
        return self.text(
            "call_back",
            count=item.missed,
            last=dt_util.as_local(item.last_missed).strftime("%d/%m %H:%M"),
            extension=item.extension or "?",
        )


async def async_call_texts(hass: HomeAssistant) -> CallTexts:
    """Return the texts in the system language (English where it has none)."""
    language = hass.config.language
    templates: dict[str, str] = {}
    for category in _CATEGORIES:
        templates |= await async_get_translations(hass, language, category, {DOMAIN})
    return CallTexts(templates)


@callback
def async_cached_call_texts(hass: HomeAssistant) -> CallTexts:
    """Return the texts in the system language from the translation cache.

    For callbacks that cannot wait; Home Assistant loads the integration's
    translations in the system language before setting it up.
    """
    language = hass.config.language
    templates: dict[str, str] = {}
    for category in _CATEGORIES:
        templates |= async_get_cached_translations(hass, language, category, DOMAIN)
    return CallTexts(templates)
