"""Texts about calls in the system language: calendar events and call-back items.

The wording lives in the translation files (``selector.call_text`` holds the
templates, the ``last_disposition`` sensor's states the outcomes), so it is
translated like every other text of the integration.
"""

from dataclasses import dataclass
from datetime import datetime

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.translation import (
    async_get_cached_translations,
    async_get_translations,
)
from homeassistant.util import dt as dt_util

from .api import BemMelhorInvalidInputError, Disposition, normalize_destination
from .call_log.model.call_backs import CallBack
from .call_log.model.calls import Direction, FinishedCall
from .const import DOMAIN
from .phone_numbers import SHORTEST_SUBSCRIBER, format_number

_TEMPLATES = f"component.{DOMAIN}.selector.call_text.options."
_OUTCOMES = f"component.{DOMAIN}.entity.sensor.last_disposition.state."
_EXTENSION_NAME = f"component.{DOMAIN}.device.extension.name"
_CATEGORIES = ("selector", "entity", "device")


def written_number(number: str | None) -> str:
    """Write a number the Brazilian way, ``(11) 98765-4321``; ``?`` for none."""
    if not number:
        return "?"
    return format_number(number) or number


def dialled_number(number: str, outside_line_prefix: str) -> str:
    """Return a number as a phone of the PBX dials it: ``011987654321``, ``6001``."""
    try:
        return normalize_destination(number, outside_line_prefix)
    except BemMelhorInvalidInputError:
        return number


def _is_short(number: str) -> bool:
    """Return whether a number is an extension or a short code (no DDD, no line)."""
    return number.isdigit() and len(number) < SHORTEST_SUBSCRIBER


@dataclass(frozen=True, slots=True)
class CallTexts:
    """The templates of one language."""

    templates: dict[str, str]

    def text(self, key: str, **placeholders: object) -> str:
        """Return a template filled in (the key itself when it is missing)."""
        template = self.templates.get(_TEMPLATES + key, key)
        return template.format(**placeholders)

    def plural(self, key: str, count: int, **placeholders: object) -> str:
        """Return ``key_one`` for one, ``key_other`` for any other count, filled in."""
        form = "one" if count == 1 else "other"
        return self.text(f"{key}_{form}", count=count, **placeholders)

    def outcome(self, disposition: str) -> str:
        """Return an outcome as the ``last_disposition`` sensor shows it."""
        return self.templates.get(_OUTCOMES + disposition, disposition)

    def call_outcome(self, direction: str | None, disposition: str | None) -> str:
        """Return how a call ended, in one word wherever the call is shown.

        A call into an extension (from outside or from another extension)
        that nobody answered is *Missed*; any other call reads as the
        ``last_disposition`` sensor shows its outcome.
        """
        if (
            direction in (Direction.INBOUND, Direction.INTERNAL)
            and disposition != Disposition.ANSWERED
        ):
            return self.text("missed")
        return self.outcome(disposition or Disposition.UNKNOWN)

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
        return self.text(
            "summary",
            direction=self.text(call.direction.value),
            caller=self.party(call.from_, call.from_name),
            callee=self.party(call.to, call.to_name),
            outcome=self.call_outcome(call.direction, call.disposition),
            duration=self.duration(call.duration),
        )

    def description(self, call: FinishedCall) -> str:
        """Return a calendar event's description: numbers (written as titles write them) and call id."""
        return self.text(
            "description",
            caller=written_number(call.from_),
            callee=written_number(call.to),
            call_id=call.call_id,
        )

    def call_back_summary(self, item: CallBack) -> str:
        """Return a call-back item's title: the name and the number.

        An extension's device name often holds its number (``Extension 6001``):
        then the name alone.
        """
        number = written_number(item.number)
        if not item.name or number in item.name:
            return item.name or number
        if _is_short(item.number):
            return self.text("call_back_extension", name=item.name, extension=number)
        return f"{item.name} {number}"

    def call_back_description(self, item: CallBack, outside_line_prefix: str) -> str:
        """Return how many missed calls, when last, on which extension, what to dial."""
        return self.plural(
            "call_back",
            item.missed,
            last=self.moment(item.last_missed),
            extension=item.extension or "?",
            dial=dialled_number(item.number, outside_line_prefix),
        )

    def moment(self, when: datetime) -> str:
        """Return a local date and time with the month as a word: ``5 de dez. às 14:03``.

        Unambiguous in every language (``05/12`` is May 12 to an American),
        and no *today*, which a list worded once would keep after midnight.
        """
        local = dt_util.as_local(when)
        months = self.text("months").split()
        month = months[local.month - 1] if len(months) == 12 else str(local.month)
        return self.text(
            "moment", day=local.day, month=month, time=local.strftime("%H:%M")
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
