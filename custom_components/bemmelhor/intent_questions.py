"""The intents of questions about calls: "quem me ligou hoje?", "did Maria call?".

- ``BemMelhorWhoCalled``: who called (slot ``missed``: whose calls were
  missed), optionally ``period`` and ``extension``;
- ``BemMelhorDidCall``: whether a contact (``name``) called, optionally
  ``period``.

``period`` is ``today`` (when none is said), ``this_morning``,
``this_afternoon`` or ``yesterday``. The answers (``call_answers.py``) come
from the call log (``call_questions.py``) of the PBXs whose Call history is
exposed to the assistant; every outcome is a spoken answer in the
question's language, never an exception.
"""

from dataclasses import dataclass
from typing import Any, Final, override

import probatio

from homeassistant.helpers import config_validation as cv, intent

from .call_answers import did_call, who_called
from .call_listing import Period, period_span
from .call_questions import async_calls_from, async_readable_entries, async_who_called
from .coordinator import BemMelhorConfigEntry
from .voice_texts import VoiceError, VoiceTexts, async_voice_texts

INTENT_WHO_CALLED: Final = "BemMelhorWhoCalled"
INTENT_DID_CALL: Final = "BemMelhorDidCall"
SLOT_NAME: Final = "name"
SLOT_EXTENSION: Final = "extension"
SLOT_PERIOD: Final = "period"
SLOT_MISSED: Final = "missed"
PERIODS: Final = (
    Period.TODAY,
    Period.THIS_MORNING,
    Period.THIS_AFTERNOON,
    Period.YESTERDAY,
)
"""The periods said in a question."""
_NOT_READABLE: Final = frozenset({"no_call_history", "history_not_exposed"})


def slot_text(slot: dict[str, Any]) -> str:
    """Return a slot as it was said: ``6001``, not the range's ``6001.0``."""
    text = slot.get("text")
    return text.strip() if isinstance(text, str) and text.strip() else slot["value"]


@dataclass(frozen=True, slots=True)
class Asked:
    """A question about calls, its slots checked, and what may answer it."""

    intent: intent.Intent
    slots: dict[str, Any]
    entries: list[BemMelhorConfigEntry]
    """The entries whose call history the assistant may read."""
    texts: VoiceTexts
    period: Period

    def said(self, slot: str) -> str | None:
        """Return a slot as it was said, if it was."""
        return slot_text(self.slots[slot]) if slot in self.slots else None


class _QuestionHandler(intent.IntentHandler):
    """Answer a question about calls, or say why not."""

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Read the log and say what it holds."""
        slots = self.async_validate_slots(intent_obj.slots)
        texts = await async_voice_texts(intent_obj.hass, intent_obj.language)
        response = intent_obj.create_response()
        period = Period(slots.get(SLOT_PERIOD, {}).get("value", Period.TODAY))
        try:
            entries = async_readable_entries(intent_obj.hass, intent_obj.assistant)
            speech = await self._async_answer(
                Asked(intent_obj, slots, entries, texts, period)
            )
        except VoiceError as err:
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE
                if err.key in _NOT_READABLE
                else intent.IntentResponseErrorCode.NO_VALID_TARGETS,
                texts.error(err),
            )
            return response
        response.response_type = intent.IntentResponseType.QUERY_ANSWER
        response.async_set_speech(speech)
        return response

    async def _async_answer(self, asked: Asked) -> str:
        """Return the answer (raise a ``VoiceError`` to refuse)."""
        raise NotImplementedError


class WhoCalledIntentHandler(_QuestionHandler):
    """Say who called, or whose calls were missed, today or yesterday."""

    intent_type = INTENT_WHO_CALLED
    description = (
        "Says who called the user (or the PBX, or an extension) today, this "
        "morning, this afternoon or yesterday, or only the missed calls"
    )

    @property
    @override
    def slot_schema(self) -> dict[probatio.Optional, object]:
        """Return the slots: period, missed calls only, an extension."""
        return {
            probatio.Optional(SLOT_PERIOD): probatio.In(PERIODS),
            probatio.Optional(SLOT_MISSED): cv.boolean,
            probatio.Optional(SLOT_EXTENSION): intent.non_empty_string,
        }

    @override
    async def _async_answer(self, asked: Asked) -> str:
        """Return who called."""
        missed = bool(asked.slots.get(SLOT_MISSED, {}).get("value", False))
        found = await async_who_called(
            asked.intent.hass,
            asked.entries,
            period_span(asked.period),
            missed=missed,
            extension=asked.said(SLOT_EXTENSION),
            user_id=asked.intent.context.user_id,
            language=asked.intent.language,
        )
        return who_called(asked.texts, asked.period, found, missed=missed)


class DidCallIntentHandler(_QuestionHandler):
    """Say whether a contact called, today or yesterday."""

    intent_type = INTENT_DID_CALL
    description = (
        "Says whether a contact (by name) or a phone number called the PBX "
        "today, this morning, this afternoon or yesterday"
    )

    @property
    @override
    def slot_schema(self) -> dict[probatio.Required | probatio.Optional, object]:
        """Return the slots: who, and the period."""
        return {
            probatio.Required(SLOT_NAME): intent.non_empty_string,
            probatio.Optional(SLOT_PERIOD): probatio.In(PERIODS),
        }

    @override
    async def _async_answer(self, asked: Asked) -> str:
        """Return whether they called, how often and when last."""
        name, found = await async_calls_from(
            asked.intent.hass,
            asked.entries,
            period_span(asked.period),
            asked.said(SLOT_NAME) or "",
            asked.intent.language,
        )
        return did_call(asked.texts, asked.period, name, found)
