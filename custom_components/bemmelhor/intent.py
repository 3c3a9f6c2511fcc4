"""The ``BemMelhorCall`` intent: "ligar para a Maria", "call 11 98765 4321".

Also registers the questions about calls ("quem me ligou hoje?"), whose
handlers are in ``intent_questions.py``.

Home Assistant's ``intent`` integration loads this platform. The sentences
that lead here ship in the repository (``custom_sentences/``), as Home
Assistant reads custom sentences only from its configuration folder.

Every outcome is a spoken answer in the request's language, never an
exception: the call placed, a refusal (unknown name, two Marias, the PBX
down) or, when several extensions could call, a question. The answer to
that question ("do ramal 6002", "from extension 6002") arrives as the same
intent with only ``extension``: the call asked for a moment ago is kept
per speaker until then.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final, override

import probatio

from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent
from homeassistant.util import dt as dt_util

from .intent_questions import DidCallIntentHandler, WhoCalledIntentHandler, slot_text
from .voice_calls import CallRequest, async_place_call
from .voice_texts import CallRefused, VoiceError, WhichExtension, async_voice_texts

INTENT_CALL: Final = "BemMelhorCall"
SLOT_NAME: Final = "name"
SLOT_NUMBER: Final = "number"
SLOT_EXTENSION: Final = "extension"
QUESTION_KEPT: Final = timedelta(minutes=2)
"""How long the answer to "which extension?" may take."""

type Speaker = tuple[str | None, str | None, str | None]
"""Who asked: user, device and satellite."""


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the integration's intents."""
    intent.async_register(hass, CallIntentHandler())
    intent.async_register(hass, WhoCalledIntentHandler())
    intent.async_register(hass, DidCallIntentHandler())


@dataclass(frozen=True, slots=True)
class _Question:
    """A call that waits for its extension."""

    request: CallRequest
    asked: datetime


class CallIntentHandler(intent.IntentHandler):
    """Place a call to a contact or a number, from the right extension."""

    intent_type = INTENT_CALL
    description = (
        "Calls a contact (by name) or a phone number from an extension of the "
        "Bem Melhor PBX"
    )

    def __init__(self) -> None:
        """Start with no question waiting for an answer."""
        self._questions: dict[Speaker, _Question] = {}

    @property
    @override
    def slot_schema(self) -> dict[probatio.Optional, object]:
        """Return the slots: a name or a number, and maybe an extension."""
        return {
            probatio.Optional(SLOT_NAME): intent.non_empty_string,
            probatio.Optional(SLOT_NUMBER): intent.non_empty_string,
            probatio.Optional(SLOT_EXTENSION): intent.non_empty_string,
        }

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Place the call and say so, or say why not."""
        slots = self.async_validate_slots(intent_obj.slots)
        values = {
            slot: slot_text(slots[slot])
            for slot in (SLOT_NAME, SLOT_NUMBER, SLOT_EXTENSION)
            if slot in slots
        }
        speaker: Speaker = (
            intent_obj.context.user_id,
            intent_obj.device_id,
            intent_obj.satellite_id,
        )
        request = self._with_question(
            speaker,
            CallRequest(
                name=values.get(SLOT_NAME),
                number=values.get(SLOT_NUMBER),
                extension=values.get(SLOT_EXTENSION),
                user_id=intent_obj.context.user_id,
                language=intent_obj.language,
            ),
        )
        texts = await async_voice_texts(intent_obj.hass, intent_obj.language)
        response = intent_obj.create_response()
        try:
            placed = await async_place_call(intent_obj.hass, request)
        except VoiceError as err:
            if isinstance(err, WhichExtension):
                self._questions[speaker] = _Question(request, dt_util.utcnow())
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE
                if isinstance(err, CallRefused)
                else intent.IntentResponseErrorCode.NO_VALID_TARGETS,
                texts.error(err),
            )
            return response
        response.async_set_speech(
            texts.text("calling", callee=placed.callee, extension=placed.line.extension)
        )
        response.async_set_results(
            [
                intent.IntentResponseTarget(
                    name=placed.callee,
                    type=intent.IntentResponseTargetType.CUSTOM,
                    id=placed.result.call_id,
                )
            ]
        )
        return response

    def _with_question(self, speaker: Speaker, request: CallRequest) -> CallRequest:
        """Complete an answer that only names the extension with the call it is for."""
        question = self._questions.pop(speaker, None)
        if (
            question is None
            or request.name is not None
            or request.number is not None
            or request.extension is None
            or dt_util.utcnow() - question.asked > QUESTION_KEPT
        ):
            return request
        return replace(question.request, extension=request.extension)
