"""The format of the webhook the PBX posts on every call event.

The body is a JSON object ``{event, clientId, data: {created, from, to,
error, callId, serverMessage, disposition}}`` (the provider prints it as a
JavaScript object; the wire format is JSON, UTF-8). Parsing is two steps,
so that a receiver can check ``clientId`` before it looks at the call:
:func:`parse_webhook_message` reads the envelope, :func:`parse_call_event`
the call data of a ``call.dialing`` or ``call.hangup``. Both raise
:class:`BemMelhorInvalidWebhookError` (with a short English reason) for
anything else; every string is checked to be text before it is used.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
import json
import math
from typing import Any

from .exceptions import BemMelhorError
from .models import CallEvent, Disposition, parse_datetime
from .untrusted import checked_text

EVENT_DIALING = "call.dialing"
EVENT_HANGUP = "call.hangup"
CALL_EVENTS = frozenset({EVENT_DIALING, EVENT_HANGUP})

MAX_EVENT_LENGTH = 64
MAX_NUMBER_LENGTH = 64
MAX_CALL_ID_LENGTH = 128
MAX_TEXT_LENGTH = 1024


class BemMelhorInvalidWebhookError(BemMelhorError, ValueError):
    """A webhook body that is not the PBX's format; the reason is its message."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookMessage:
    """The envelope of a webhook body: its event name, client id and data."""

    event: str
    client_id: str | None
    data: Mapping[str, Any]

    @property
    def is_call_event(self) -> bool:
        """Whether the event is one :func:`parse_call_event` reads."""
        return self.event in CALL_EVENTS


def parse_webhook_message(body: bytes) -> WebhookMessage:
    """Read a webhook body's envelope (UTF-8 JSON, RFC 8259), or raise."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except ValueError, RecursionError:
        raise BemMelhorInvalidWebhookError("body is not JSON") from None
    if not isinstance(payload, dict):
        raise BemMelhorInvalidWebhookError("body is not a JSON object")
    raw_event = payload.get("event")
    if (
        not isinstance(raw_event, str)
        or (event := checked_text(raw_event, MAX_EVENT_LENGTH)) is None
    ):
        raise BemMelhorInvalidWebhookError("event is not a short text")
    data = payload.get("data")
    if data is not None and not isinstance(data, dict):
        raise BemMelhorInvalidWebhookError("data is not an object")
    return WebhookMessage(
        event=event,
        client_id=_optional_text(payload, "clientId", MAX_TEXT_LENGTH),
        data=data or {},
    )


def parse_call_event(message: WebhookMessage, received: datetime) -> CallEvent:
    """Read the call of a dialing or hangup; ``received`` stands in for no date."""
    data = message.data
    call_id = _optional_text(data, "callId", MAX_CALL_ID_LENGTH)
    if not call_id or not call_id.strip():
        raise BemMelhorInvalidWebhookError("callId is missing or empty")
    disposition = _optional_text(data, "disposition", MAX_NUMBER_LENGTH)
    return CallEvent(
        event=message.event,
        client_id=message.client_id,
        call_id=call_id,
        from_=_optional_text(data, "from", MAX_NUMBER_LENGTH),
        to=_optional_text(data, "to", MAX_NUMBER_LENGTH),
        created=_created(data.get("created"), received),
        disposition=Disposition.parse(disposition),
        server_message=_optional_text(data, "serverMessage", MAX_TEXT_LENGTH),
        error=_optional_text(data, "error", MAX_TEXT_LENGTH),
    )


def _optional_text(data: Mapping[str, Any], key: str, max_length: int) -> str | None:
    """Return a field that is text (or a plain integer) or null, or raise."""
    value = data.get(key)
    if value is None:
        return None
    if (text := checked_text(value, max_length)) is None:
        raise BemMelhorInvalidWebhookError(
            f"{key} is not a text of at most {max_length} characters"
        )
    return text


def _created(value: object, received: datetime) -> datetime:
    """Epoch milliseconds (the PBX's format), an ISO date, or null (``received``)."""
    if value is None:
        return received
    if isinstance(value, float) and not math.isfinite(value):
        raise BemMelhorInvalidWebhookError("created is not a finite number")
    if isinstance(value, bool) or (parsed := parse_datetime(value)) is None:
        raise BemMelhorInvalidWebhookError("created is not a date")
    return parsed
