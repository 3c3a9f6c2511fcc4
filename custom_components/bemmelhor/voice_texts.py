"""What the voice assistant and LLM tools say, in the language of the request.

The wording lives in the translation files: ``selector.voice_text`` holds the
answers, ``exceptions`` the reasons a call was refused (the same texts the
UI shows). A request in ``pt`` or ``pt-PT`` is answered in ``pt-BR``; a
language the integration does not speak, in English.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import language as language_util

from .const import DOMAIN

LANGUAGES: Final = ("en", "pt-BR")
"""The languages of the integration's translation files."""
_TEMPLATES = f"component.{DOMAIN}.selector.voice_text.options."
_EXCEPTIONS = f"component.{DOMAIN}.exceptions."


class VoiceError(Exception):
    """A call that cannot be placed (or a question to ask); ``key`` is its answer."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """Keep the answer's key and what fills it in."""
        super().__init__(key)
        self.key = key
        self.placeholders = placeholders


class CallRefused(VoiceError):
    """The dialler or the PBX refused the call: say why, as the UI would."""

    def __init__(self, reason: str, placeholders: Mapping[str, str]) -> None:
        """Keep the key of the translated exception and its placeholders."""
        super().__init__("call_failed")
        self.reason = reason
        self.reason_placeholders = dict(placeholders)


class WhichExtension(VoiceError):
    """More than one extension could call: the answer asks which."""

    def __init__(self, callee: str, extensions: Sequence[str]) -> None:
        """Keep who is to be called and the extensions to choose from."""
        super().__init__("which_extension", callee=callee)
        self.callee = callee
        self.extensions = tuple(extensions)


def answer_language(language: str | None) -> str:
    """Return the integration's language closest to ``language`` (English else)."""
    matches = language_util.matches(language or "en", list(LANGUAGES))
    return matches[0] if matches else "en"


@dataclass(frozen=True, slots=True)
class VoiceTexts:
    """The answers of one language."""

    language: str
    templates: dict[str, str] = field(default_factory=dict)

    def text(self, key: str, **placeholders: str) -> str:
        """Return an answer filled in (its key when it is missing)."""
        return _fill(self.templates.get(_TEMPLATES + key, key), placeholders)

    def either(self, choices: Sequence[str]) -> str:
        """Return ``6001, 6002 or 6003``."""
        if len(choices) < 2:
            return "".join(choices)
        return f"{', '.join(choices[:-1])} {self.text('or')} {choices[-1]}"

    def error(self, err: VoiceError) -> str:
        """Return the answer to a call that was not placed."""
        if isinstance(err, CallRefused):
            template = self.templates.get(f"{_EXCEPTIONS}{err.reason}.message")
            reason = (
                _fill(template, err.reason_placeholders)
                if template
                else self.text("pbx_error")
            )
            return self.text("call_failed", reason=reason)
        if isinstance(err, WhichExtension):
            return self.text(
                err.key, callee=err.callee, extensions=self.either(err.extensions)
            )
        return self.text(err.key, **err.placeholders)


def _fill(template: str, placeholders: Mapping[str, str]) -> str:
    """Fill a template in; a placeholder it lacks is left as it is written."""
    try:
        return template.format(**placeholders)
    except KeyError, IndexError, ValueError:
        return template


async def async_voice_texts(hass: HomeAssistant, language: str | None) -> VoiceTexts:
    """Return the answers in the language of a request."""
    chosen = answer_language(language)
    templates: dict[str, str] = {}
    for category in ("selector", "exceptions"):
        templates |= await async_get_translations(hass, chosen, category, {DOMAIN})
    return VoiceTexts(chosen, templates)
