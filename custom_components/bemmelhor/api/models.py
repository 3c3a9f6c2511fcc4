"""Typed models of the PBX API's answers, parsed tolerantly.

Unknown fields are ignored; missing optional fields become None. What the
integration relies on (the API status, a call's id, a channel's state) is
checked, and a malformed answer raises
:class:`BemMelhorInvalidResponseError`. Whatever the provider's page does not
show (extra or missing fields, other types, other words) is noted (see
:mod:`.oddities`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from .exceptions import BemMelhorInvalidResponseError
from .numbers import read_number
from .oddities import NoteOddity, Oddity, OddityKind, ignore, note_fields
from .untrusted import checked_text
from .vocabulary import (
    ChannelState,
    Disposition,
    api_status_ok,
    note_date_format,
    parse_datetime,
)

__all__ = ["ChannelState", "Disposition", "parse_datetime"]

type JsonObject = Mapping[str, Any]

ENVELOPE_FIELDS = frozenset({"apiStatus", "created", "data", "message"})
"""``message`` is not on the page: it is where the integration looks for an error."""
ACTIVE_FIELDS = frozenset(
    {
        "id",
        "name",
        "channel",
        "callerId",
        "state",
        "account",
        "dateOfCreation",
        "linkedChannel",
    }
)
CALLER_ID_FIELDS = frozenset({"name", "number"})
CALL_RESULT_FIELDS = frozenset(
    {"key", "status", "created", "from", "to", "error", "callId", "serverMessage"}
)


def optional_str(value: object, max_length: int = 1024) -> str | None:
    """Return a text field; None for null, non-text or over-long values.

    Numbers become their text; strings that are not valid text (lone
    surrogates, NUL) are dropped, as the answer's other odd values are.
    """
    return checked_text(value, max_length)


def _object(payload: object, what: str) -> JsonObject:
    if not isinstance(payload, Mapping):
        raise BemMelhorInvalidResponseError(f"{what} is not a JSON object")
    return payload


def _text(
    data: JsonObject, key: str, where: str, note: NoteOddity, max_length: int = 1024
) -> str | None:
    """Return a text field (see :func:`optional_str`); note a field that is no text."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        note(Oddity(OddityKind.WRONG_TYPE, where, value))
    return optional_str(value, max_length)


@dataclass(frozen=True, slots=True, kw_only=True)
class Envelope:
    """The part every answer shares: ``apiStatus``, ``created``, ``data``."""

    api_status: str
    created: datetime | None
    data: JsonObject | None
    message: str | None

    @property
    def ok(self) -> bool:
        """Whether the server reported success (in any case and spelling)."""
        return api_status_ok(self.api_status)

    @classmethod
    def from_json(cls, payload: object, note: NoteOddity = ignore) -> Self:
        """Parse the outer object of any answer."""
        body = _object(payload, "answer")
        api_status = checked_text(body.get("apiStatus"), 64)
        if not isinstance(body.get("apiStatus"), str) or not api_status:
            raise BemMelhorInvalidResponseError("answer has no apiStatus")
        api_status_ok(api_status, note)
        note_fields(
            note, "", body, ENVELOPE_FIELDS, required=frozenset({"created", "data"})
        )
        note_date_format(body.get("created"), "created", False, note)
        data = body.get("data")
        if data is not None:
            data = _object(data, "data")
        message = optional_str(body.get("message")) or optional_str(body.get("error"))
        if message is None and data is not None:
            message = optional_str(data.get("error")) or optional_str(
                data.get("serverMessage")
            )
        return cls(
            api_status=api_status,
            created=parse_datetime(body.get("created")),
            data=data,
            message=message,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CallerId:
    """Who a channel belongs to."""

    name: str | None
    number: str | None

    @classmethod
    def from_data(cls, caller: object, note: NoteOddity = ignore) -> Self:
        """Parse ``callerId``: an empty name is none, a number is read tolerantly."""
        where = "data.callerId"
        if caller is None:
            note(Oddity(OddityKind.MISSING_FIELD, where))
        elif not isinstance(caller, Mapping):
            note(Oddity(OddityKind.WRONG_TYPE, where, caller))
        caller = caller if isinstance(caller, Mapping) else {}
        note_fields(note, f"{where}.", caller, CALLER_ID_FIELDS)
        number = _text(caller, "number", f"{where}.number", note, 64)
        return cls(
            name=_text(caller, "name", f"{where}.name", note) or None,
            number=read_number(number, f"{where}.number", note) if number else None,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ActiveCall:
    """The channel of an extension's call in progress (``/api/active``)."""

    id: str | None
    name: str | None
    channel: str | None
    caller_id: CallerId
    state: ChannelState
    account: str | None
    created: datetime | None
    linked_channel: str | None
    raw_state: str | None = None
    """The channel state as the PBX wrote it (``state`` may be ``UNKNOWN``)."""

    @classmethod
    def from_data(cls, data: JsonObject, note: NoteOddity = ignore) -> Self:
        """Parse the ``data`` object of an active-call answer."""
        if "state" not in data:
            raise BemMelhorInvalidResponseError("active call has no state")
        note_fields(note, "data.", data, ACTIVE_FIELDS, required=ACTIVE_FIELDS)
        note_date_format(data.get("dateOfCreation"), "data.dateOfCreation", False, note)
        return cls(
            id=_text(data, "id", "data.id", note),
            name=_text(data, "name", "data.name", note),
            channel=_text(data, "channel", "data.channel", note),
            caller_id=CallerId.from_data(data.get("callerId"), note),
            state=ChannelState.parse(data.get("state"), note),
            account=_text(data, "account", "data.account", note),
            created=parse_datetime(data.get("dateOfCreation")),
            linked_channel=_text(data, "linkedChannel", "data.linkedChannel", note),
            raw_state=optional_str(data.get("state"), 64),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CallResult:
    """What click-to-call answers: the call the PBX started."""

    api_status: str
    call_id: str
    status: str | None
    created: datetime | None
    from_: str | None
    to: str | None
    error: str | None
    server_message: str | None

    @classmethod
    def from_envelope(cls, envelope: Envelope, note: NoteOddity = ignore) -> Self:
        """Parse a click-to-call answer."""
        data = envelope.data or {}
        note_fields(note, "data.", data, CALL_RESULT_FIELDS)
        call_id = optional_str(data.get("callId")) or optional_str(data.get("key"))
        if not call_id:
            raise BemMelhorInvalidResponseError("click-to-call answer has no callId")
        return cls(
            api_status=envelope.api_status,
            call_id=call_id,
            status=optional_str(data.get("status")),
            created=parse_datetime(data.get("created")) or envelope.created,
            from_=optional_str(data.get("from")),
            to=optional_str(data.get("to")),
            error=optional_str(data.get("error")),
            server_message=optional_str(data.get("serverMessage")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CallStatus:
    """What the call-status endpoint answers; ``data`` is kept as sent."""

    call_id: str
    api_status: str
    created: datetime | None
    data: JsonObject | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallEvent:
    """One ``call.dialing`` or ``call.hangup`` the PBX posted to the webhook."""

    event: str
    client_id: str | None
    call_id: str
    from_: str | None
    to: str | None
    created: datetime
    disposition: Disposition | None
    server_message: str | None
    error: str | None
    raw_disposition: str | None = None
    """The disposition as the PBX wrote it (``disposition`` may be ``unknown``)."""
