"""A call asked for by voice or by an LLM: which extension, whom, then the call.

The voice intent (``intent.py``) and the LLM tool (``llm_tools.py``) share this
path. It works across every loaded PBX entry: a *line* is one extension of
one entry. Which line calls, when the request names none:

1. the extension the ``persons`` option gives the speaking user's person;
2. else the entry's ``default_extension``;
3. else the only extension there is;
4. else the answer asks which (:class:`.voice_texts.WhichExtension`).

Whom: a contact's name (as the ``bemmelhor.call`` action reads it), or a
number, also spoken as digit words. Everything that can be refused is
refused before the PBX is asked, with a :class:`.voice_texts.VoiceError`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError

from .api import BemMelhorInvalidInputError, CallResult, normalize_destination
from .call_texts import written_number
from .const import CONF_DEFAULT_EXTENSION, DEFAULT_DEFAULT_EXTENSION, DOMAIN
from .coordinator import BemMelhorConfigEntry
from .dialer import async_start_call
from .persons import async_own_extensions
from .spoken_numbers import has_letters, spoken_digits
from .voice_texts import CallRefused, VoiceError, WhichExtension

_OWN_ANSWERS = frozenset({"contact_not_found", "contact_ambiguous"})
"""Refusals of the contact directory that have an answer of their own."""


@dataclass(frozen=True, slots=True)
class Line:
    """One extension of one loaded entry: what can place a call."""

    entry: BemMelhorConfigEntry
    extension: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CallRequest:
    """What was asked: whom (a name or a number), and maybe from where."""

    name: str | None = None
    number: str | None = None
    extension: str | None = None
    user_id: str | None = None
    """The Home Assistant user who asked (their person picks the extension)."""
    language: str = "en"
    even_if_busy: bool = False
    """Whether to call from an extension that is on a call."""
    """The language the request was made in (for spoken digit words)."""


@dataclass(frozen=True, slots=True)
class PlacedCall:
    """A call the PBX accepted."""

    line: Line
    callee: str
    """The contact's name, else the number as people write it."""
    result: CallResult


type LineFilter = Callable[[Line], bool]


@callback
def async_loaded_lines(hass: HomeAssistant) -> list[Line]:
    """Return every extension of every loaded entry, in the entries' order."""
    entries: list[BemMelhorConfigEntry] = hass.config_entries.async_loaded_entries(
        DOMAIN
    )
    return [
        Line(entry, extension)
        for entry in entries
        for extension in entry.runtime_data.coordinator.extensions
    ]


@callback
def async_user_lines(
    hass: HomeAssistant, lines: Iterable[Line], user_id: str | None
) -> list[Line]:
    """Return the lines the ``persons`` option gives to a user's person."""
    return [
        line
        for line in lines
        if line.extension in async_own_extensions(hass, line.entry, user_id)
    ]


def default_lines(lines: Iterable[Line]) -> list[Line]:
    """Return the lines that are their entry's ``default_extension``."""
    return [
        line
        for line in lines
        if line.extension
        == line.entry.options.get(CONF_DEFAULT_EXTENSION, DEFAULT_DEFAULT_EXTENSION)
    ]


@callback
def async_choose_line(
    hass: HomeAssistant, request: CallRequest, usable: LineFilter | None = None
) -> tuple[Line | None, list[Line]]:
    """Return the line that calls (None: ask) and the lines to choose from.

    ``usable`` leaves out lines the caller may not use (the LLM tools use
    only extensions whose Dial button is exposed to the assistant).
    """
    lines = async_loaded_lines(hass)
    if not lines:
        raise VoiceError("no_pbx")
    allowed = [line for line in lines if usable is None or usable(line)]
    if request.extension is not None:
        said = spoken_digits(request.extension, request.language)
        extension = said or request.extension.strip()
        if matching := [line for line in allowed if line.extension == extension]:
            return matching[0], matching
        if any(line.extension == extension for line in lines):
            raise VoiceError("extension_not_exposed", extension=extension)
        raise VoiceError("unknown_extension", extension=extension)
    if not allowed:
        raise VoiceError("no_exposed_extension")
    candidates = (
        async_user_lines(hass, allowed, request.user_id)
        or default_lines(allowed)
        or allowed
    )
    return (candidates[0] if len(candidates) == 1 else None), candidates


def _destination(request: CallRequest) -> tuple[str | None, str | None]:
    """Return ``(name, number)`` of a request's name or number slot.

    Either slot may hold either: digits and digit words are a number, any
    other word makes a name ("disca pra Maria" calls Maria).
    """
    for text in (request.number, request.name):
        if text is None or not text.strip():
            continue
        if digits := spoken_digits(text, request.language):
            return None, digits
        if has_letters(text):
            return text.strip(), None
        return None, text.strip()
    raise VoiceError("no_destination")


def _voice_error(err: HomeAssistantError, number: str) -> VoiceError:
    """Return the answer to a refusal of the dialler, the contacts or the PBX.

    ``number`` is what was to be dialled (said when the dialler refuses it).
    """
    key = err.translation_key or ""
    placeholders = err.translation_placeholders or {}
    if key in _OWN_ANSWERS:
        return VoiceError(key, **placeholders)
    if key.startswith("invalid_input_"):
        return VoiceError("invalid_number", number=number)
    return CallRefused(key, placeholders)


def resolve_callee(
    hass: HomeAssistant, request: CallRequest, candidates: list[Line]
) -> tuple[str, str]:
    """Return ``(number, callee)``: what to dial and how to say whom.

    A name is looked up in the contacts of the candidates' entries first,
    then of the other loaded entries (the first that knows it wins); a
    number is checked as the dialler would.
    """
    name, number = _destination(request)
    entries = list(
        dict.fromkeys(
            [line.entry for line in candidates]
            + [line.entry for line in async_loaded_lines(hass)]
        )
    )
    if name is not None:
        refusals: list[HomeAssistantError] = []
        for entry in entries:
            contacts = entry.runtime_data.coordinator.contacts
            try:
                found = contacts.number_for(name)
            except HomeAssistantError as err:
                refusals.append(err)
                continue
            return found, contacts.name_of(found) or name
        refusals.sort(key=lambda err: err.translation_key != "contact_ambiguous")
        raise _voice_error(refusals[0], name)
    assert number is not None
    try:
        normalize_destination(number, "")
    except BemMelhorInvalidInputError as err:
        raise VoiceError("invalid_number", number=number) from err
    named = (
        entry.runtime_data.coordinator.contacts.name_of(number) for entry in entries
    )
    return number, next(filter(None, named), None) or written_number(number)


async def async_place_call(
    hass: HomeAssistant, request: CallRequest, usable: LineFilter | None = None
) -> PlacedCall:
    """Place the call asked for, or raise the answer that says why not."""
    line, candidates = async_choose_line(hass, request, usable)
    number, callee = resolve_callee(hass, request, candidates)
    if line is None:
        raise WhichExtension(callee, [each.extension for each in candidates])
    try:
        result = await async_start_call(
            line.entry,
            line.extension,
            number,
            user_id=request.user_id,
            even_if_busy=request.even_if_busy,
        )
    except HomeAssistantError as err:
        raise _voice_error(err, number) from err
    return PlacedCall(line, callee, result)
