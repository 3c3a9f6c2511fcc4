"""What a receptionist asks about calls: who called, which were missed, did Maria call.

The voice intents (``intent_questions.py``) ask these questions; the answers
come from the call log of the PBXs whose Call history calendar is exposed to
the assistant, the rule the LLM tools keep (``llm_exposure.py``). Every
question reads the log through :func:`async_find_calls`.

"Who called me" means the calls to the extensions of the speaking user's
person (``persons`` option); for someone without an extension, the calls from
outside to the whole PBX. "Did Maria call" means any call from one of Maria's
numbers to the PBX.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util

from .call_listing import Span, call_missed
from .call_log.model.calls import Direction, FinishedCall
from .call_log.model.queries import MAX_LIMIT, CallQuery
from .call_texts import written_number
from .const import DOMAIN
from .contacts import fold_name
from .coordinator import BemMelhorConfigEntry
from .llm_exposure import history_readers
from .phone_numbers import number_key
from .spoken_numbers import has_letters, spoken_digits
from .voice_calls import Line, async_user_lines
from .voice_texts import VoiceError

ASSISTANT = "conversation"
"""Home Assistant's own voice assistant, as the expose settings name it."""


async def async_find_calls(
    entry: BemMelhorConfigEntry, query: CallQuery
) -> list[FinishedCall]:
    """Return the finished calls of an entry that answer ``query``, newest first."""
    store = entry.runtime_data.coordinator.store
    return await store.async_query(query, dt_util.utcnow())


@dataclass(frozen=True, slots=True)
class Caller:
    """Someone who called in the period asked about."""

    name: str
    """The contact's or extension's name, else the number as people write it."""
    count: int
    last: datetime
    """When their newest call started."""
    last_missed: bool
    """Whether their newest call was missed."""


@dataclass(frozen=True, slots=True)
class Callers:
    """The answer to a question: who called, newest first, and how many calls."""

    callers: list[Caller]
    calls: int


@callback
def async_readable_entries(
    hass: HomeAssistant, assistant: str | None
) -> list[BemMelhorConfigEntry]:
    """Return the entries whose history the assistant may read, or raise why none."""
    if not hass.config_entries.async_loaded_entries(DOMAIN):
        raise VoiceError("no_call_history")
    if readable := history_readers(hass, assistant or ASSISTANT):
        return readable
    raise VoiceError("history_not_exposed")


def _received(
    span: Span,
    extension: str | None,
    missed: bool,
    numbers: frozenset[str] = frozenset(),
) -> CallQuery:
    """Return the query for calls received in ``span`` (by ``extension``, from ``numbers``)."""
    return CallQuery(
        extension=extension,
        start=span.start,
        end=span.end,
        direction=Direction.INBOUND,
        missed_only=missed,
        numbers=numbers,
        limit=MAX_LIMIT,
    )


def _named_extension(
    hass: HomeAssistant, entries: list[BemMelhorConfigEntry], said: str, language: str
) -> list[Line]:
    """Return the lines of an extension asked about, or raise why there are none."""
    extension = spoken_digits(said, language) or said.strip()
    if lines := [
        Line(entry, extension)
        for entry in entries
        if extension in entry.runtime_data.coordinator.extensions
    ]:
        return lines
    loaded: list[BemMelhorConfigEntry] = hass.config_entries.async_loaded_entries(
        DOMAIN
    )
    if any(extension in entry.runtime_data.coordinator.extensions for entry in loaded):
        raise VoiceError("history_not_exposed")
    raise VoiceError("unknown_extension", extension=extension)


async def async_who_called(
    hass: HomeAssistant,
    entries: list[BemMelhorConfigEntry],
    span: Span,
    *,
    missed: bool = False,
    extension: str | None = None,
    user_id: str | None = None,
    language: str = "en",
) -> Callers:
    """Return who called (or whose calls were missed) in ``span``.

    Received by ``extension`` when one is said, else by the user's own
    extensions, else by the PBX from outside.
    """
    if extension is not None:
        lines = _named_extension(hass, entries, extension, language)
    else:
        every = [
            Line(entry, each)
            for entry in entries
            for each in entry.runtime_data.coordinator.extensions
        ]
        lines = async_user_lines(hass, every, user_id)
    asked: list[tuple[BemMelhorConfigEntry, str | None]] = (
        [(line.entry, line.extension) for line in lines]
        if lines
        else [(entry, None) for entry in entries]
    )
    found: dict[tuple[str, str], tuple[BemMelhorConfigEntry, FinishedCall, bool]] = {}
    for entry, each in asked:
        for call in await async_find_calls(entry, _received(span, each, missed)):
            found.setdefault(
                (entry.entry_id, call.call_id),
                (entry, call, call_missed(call, each)),
            )
    return _callers(
        (_caller_name(entry, call), call, was_missed)
        for entry, call, was_missed in found.values()
    )


async def async_calls_from(
    hass: HomeAssistant,
    entries: list[BemMelhorConfigEntry],
    span: Span,
    who: str,
    language: str = "en",
) -> tuple[str, Callers]:
    """Return how a contact (or number) is said, and their calls in ``span``."""
    name, keys = _numbers_of(entries, who, language)
    found: list[tuple[str, FinishedCall, bool]] = []
    for entry in entries:
        area_code = entry.runtime_data.coordinator.contacts.area_code
        if not (numbers := frozenset(keys[entry.entry_id])):
            continue
        found.extend(
            (name, call, call_missed(call, None))
            for call in await async_find_calls(
                entry, _received(span, None, False, numbers)
            )
            if call.from_ and number_key(call.from_, area_code) in numbers
        )
    return name, _callers(found)


def _numbers_of(
    entries: list[BemMelhorConfigEntry], who: str, language: str
) -> tuple[str, dict[str, set[str]]]:
    """Return the name and, per entry, the number keys of a contact or number.

    A name is looked up in the contacts of every entry asked (case and
    accents ignored); one that no contact has, or several, is refused.
    """
    digits = spoken_digits(who, language)
    if digits is not None or not has_letters(who):
        number = digits or who.strip()
        known = (
            entry.runtime_data.coordinator.contacts.name_of(number) for entry in entries
        )
        name = next(filter(None, known), None) or written_number(number)
        return name, {entry.entry_id: _keys(entry, [number]) for entry in entries}
    found = {
        entry.entry_id: entry.runtime_data.coordinator.contacts.index.find(who)
        for entry in entries
    }
    names = {fold_name(c.name): c.name for each in found.values() for c in each}
    if not names:
        raise VoiceError("contact_not_found", name=who.strip())
    if len(names) > 1:
        raise VoiceError(
            "contact_ambiguous",
            name=who.strip(),
            candidates=", ".join(sorted(names.values())),
        )
    return next(iter(names.values())), {
        entry.entry_id: _keys(
            entry, [number for c in found[entry.entry_id] for number in c.numbers]
        )
        for entry in entries
    }


def _keys(entry: BemMelhorConfigEntry, numbers: Iterable[str]) -> set[str]:
    """Return the keys of numbers, as the entry's contacts match them."""
    area_code = entry.runtime_data.coordinator.contacts.area_code
    return {key for number in numbers if (key := number_key(number, area_code))}


def _caller_name(entry: BemMelhorConfigEntry, call: FinishedCall) -> str:
    """Return how the caller is said: the name the call has or now has, else the number."""
    contacts = entry.runtime_data.coordinator.contacts
    return call.from_name or contacts.name_of(call.from_) or written_number(call.from_)


def _callers(calls: Iterable[tuple[str, FinishedCall, bool]]) -> Callers:
    """Group calls by caller, the newest caller first."""
    newest_first = sorted(calls, key=lambda item: item[1].ended, reverse=True)
    callers: dict[str, Caller] = {}
    for name, call, missed in newest_first:
        known = callers.get(name)
        callers[name] = (
            Caller(name, known.count + 1, known.last, known.last_missed)
            if known
            else Caller(name, 1, call.started, missed)
        )
    return Callers(list(callers.values()), len(newest_first))
