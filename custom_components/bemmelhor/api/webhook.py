"""The format of the webhook the PBX posts on every call event.

The body is a JSON object ``{event, clientId, data: {created, from, to,
error, callId, serverMessage, disposition}}`` (the provider prints it as a
JavaScript object; the wire format is JSON, UTF-8). Parsing is two steps,
so that a receiver can check ``clientId`` before it looks at the call:
:func:`parse_webhook_message` reads the envelope, :func:`parse_call_event`
the call data of a ``call.dialing`` or ``call.hangup``. Both raise
:class:`BemMelhorInvalidWebhookError` (with a short English reason) for
anything else; every string is checked to be text before it is used. What
the page does not show but can still be read (a form, a date in seconds, a
number written ``+55 …``, extra or missing fields) is read and noted (see
:mod:`.oddities`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
import json
import math
from typing import Any
from urllib.parse import parse_qsl

from .exceptions import BemMelhorError
from .models import CallEvent, Disposition, parse_datetime
from .numbers import read_number
from .oddities import NoteOddity, Oddity, OddityKind, ignore, note_fields
from .untrusted import checked_text
from .vocabulary import note_date_format

EVENT_DIALING = "call.dialing"
EVENT_HANGUP = "call.hangup"
CALL_EVENTS = frozenset({EVENT_DIALING, EVENT_HANGUP})
HANGUP_EXTENSION = "h"
"""Asterisk's hangup extension: the ``to`` of a hangup on the provider's page."""

MAX_EVENT_LENGTH = 64
MAX_NUMBER_LENGTH = 64
MAX_CALL_ID_LENGTH = 128
MAX_TEXT_LENGTH = 1024
MAX_FORM_FIELDS = 20

ENVELOPE_FIELDS = frozenset({"event", "clientId", "data"})
CALL_FIELDS = frozenset(
    {"created", "from", "to", "error", "callId", "serverMessage", "disposition"}
)
REQUIRED_CALL_FIELDS = {
    EVENT_DIALING: frozenset({"created", "from", "to"}),
    EVENT_HANGUP: frozenset({"created", "from", "to", "disposition"}),
}
"""The fields the integration reads, whose absence (or null) it notes."""


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


def parse_webhook_message(
    body: bytes, content_type: str | None = None, note: NoteOddity = ignore
) -> WebhookMessage:
    """Read a webhook body's envelope, or raise.

    The body is UTF-8 JSON (RFC 8259), whatever ``Content-Type`` says; a
    form (``application/x-www-form-urlencoded``) is read too when one of its
    fields holds the JSON envelope, or when its ``data`` field holds the
    call data as JSON (what Node clients send when told to post a form).
    """
    payload = _payload(body, content_type, note)
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
    note_fields(note, "", payload, ENVELOPE_FIELDS, required=ENVELOPE_FIELDS)
    if event not in CALL_EVENTS:
        note(Oddity(OddityKind.UNKNOWN_EVENT, "event", event))
    return WebhookMessage(
        event=event,
        client_id=_optional_text(payload, "clientId", MAX_TEXT_LENGTH, note, ""),
        data=data or {},
    )


def parse_call_event(
    message: WebhookMessage, received: datetime, note: NoteOddity = ignore
) -> CallEvent:
    """Read the call of a dialing or hangup; ``received`` stands in for no date."""
    data = message.data
    call_id = _optional_text(data, "callId", MAX_CALL_ID_LENGTH, note)
    if not call_id or not call_id.strip():
        raise BemMelhorInvalidWebhookError("callId is missing or empty")
    raw_disposition = _optional_text(data, "disposition", MAX_NUMBER_LENGTH, note)
    from_ = _number(data, "from", note)
    to = _number(data, "to", note)
    created = _created(data.get("created"), received, note)
    note_fields(
        note,
        "data.",
        data,
        CALL_FIELDS,
        required=REQUIRED_CALL_FIELDS[message.event],
        not_null=True,
    )
    if to == "" or (
        message.event == EVENT_HANGUP and to not in (HANGUP_EXTENSION, None)
    ):
        note(Oddity(OddityKind.OTHER_FORMAT, "data.to", to))
    return CallEvent(
        event=message.event,
        client_id=message.client_id,
        call_id=call_id,
        from_=from_,
        to=to,
        created=created,
        disposition=Disposition.parse(raw_disposition, note),
        server_message=_optional_text(data, "serverMessage", MAX_TEXT_LENGTH, note),
        error=_optional_text(data, "error", MAX_TEXT_LENGTH, note),
        raw_disposition=raw_disposition,
    )


def _payload(body: bytes, content_type: str | None, note: NoteOddity) -> object:
    """Decode the body: JSON (noting a content type other than JSON), or a form."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BemMelhorInvalidWebhookError("body is not JSON") from None
    try:
        payload = json.loads(text)
    except ValueError, RecursionError:
        if (found := _form_payload(text)) is None:
            raise BemMelhorInvalidWebhookError("body is not JSON") from None
        field_name, payload = found
        note(Oddity(OddityKind.OTHER_FORMAT, f"form field {field_name}", content_type))
        return payload
    if content_type and "json" not in content_type.lower():
        note(Oddity(OddityKind.OTHER_FORMAT, "Content-Type", content_type))
    return payload


def _form_payload(text: str) -> tuple[str, dict[str, Any]] | None:
    """Return the envelope a form carries (and the field it came from), if any."""
    try:
        fields = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        return None
    for name, value in fields:
        if (envelope := _json_object(value)) is not None and "event" in envelope:
            return name, envelope
    form = dict(fields)
    if "event" in form and (data := _json_object(form.get("data", ""))) is not None:
        envelope = {key: form[key] for key in ("event", "clientId") if key in form}
        return "data", envelope | {"data": data}
    return None


def _json_object(value: str) -> dict[str, Any] | None:
    """Return a form field's value as a JSON object, or None."""
    if not value.lstrip().startswith("{"):
        return None
    try:
        decoded = json.loads(value)
    except ValueError, RecursionError:
        return None
    return decoded if isinstance(decoded, dict) else None


def _optional_text(
    data: Mapping[str, Any],
    key: str,
    max_length: int,
    note: NoteOddity,
    prefix: str = "data.",
) -> str | None:
    """Return a field that is text (or a plain integer) or null, or raise."""
    value = data.get(key)
    if value is None:
        return None
    if (text := checked_text(value, max_length)) is None:
        raise BemMelhorInvalidWebhookError(
            f"{key} is not a text of at most {max_length} characters"
        )
    if not isinstance(value, str):
        note(Oddity(OddityKind.WRONG_TYPE, f"{prefix}{key}", value))
    return text


def _number(data: Mapping[str, Any], key: str, note: NoteOddity) -> str | None:
    """Return a number field in the page's form (see :func:`.read_number`)."""
    text = _optional_text(data, key, MAX_NUMBER_LENGTH, note)
    return read_number(text, f"data.{key}", note) if text else text


def _created(value: object, received: datetime, note: NoteOddity) -> datetime:
    """Epoch milliseconds (the page's), seconds, an ISO date, or null (``received``)."""
    if value is None:
        return received
    if isinstance(value, float) and not math.isfinite(value):
        raise BemMelhorInvalidWebhookError("created is not a finite number")
    if isinstance(value, bool) or (parsed := parse_datetime(value)) is None:
        raise BemMelhorInvalidWebhookError("created is not a date")
    note_date_format(value, "data.created", True, note)
    return parsed
