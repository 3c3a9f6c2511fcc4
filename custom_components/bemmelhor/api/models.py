"""Typed models of the PBX API's answers, parsed tolerantly.

Unknown fields are ignored; missing optional fields become None. What the
integration relies on (the API status, a call's id, a channel's state) is
checked, and a malformed answer raises
:class:`BemMelhorInvalidResponseError`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Self

from .exceptions import BemMelhorInvalidResponseError
from .untrusted import checked_text, is_text

type JsonObject = Mapping[str, Any]

MAX_DATE_LENGTH = 64
"""Longer than any ISO-8601 date; longer strings are not parsed at all."""

SUCCESS_STATUSES = frozenset({"SUCCESS", "CONECTION_OK", "CONNECTION_OK"})
"""``apiStatus`` values that mean success (the server spells one ``CONECTION``)."""


class ChannelState(StrEnum):
    """Asterisk channel states, as ``/api/active`` reports them."""

    DOWN = "DOWN"
    RSRVD = "RSRVD"
    OFFHOOK = "OFFHOOK"
    DIALING = "DIALING"
    RING = "RING"
    RINGING = "RINGING"
    UP = "UP"
    BUSY = "BUSY"
    DIALING_OFFHOOK = "DIALING_OFFHOOK"
    PRERING = "PRERING"
    UNKNOWN = "UNKNOWN"

    @classmethod
    def parse(cls, value: object) -> ChannelState:
        """Map the server's spelling (any case, spaces, Asterisk's ``Pre-ring``)."""
        if not isinstance(value, str):
            return cls.UNKNOWN
        try:
            return cls(value.strip().upper().replace(" ", "_").replace("-", ""))
        except ValueError:
            return cls.UNKNOWN


class Disposition(StrEnum):
    """How a call ended (Asterisk CDR dispositions, normalised)."""

    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"
    CONGESTION = "congestion"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: str | None) -> Disposition | None:
        """Map ``ANSWERED``, ``NO ANSWER``… to a member; None stays None."""
        if value is None:
            return None
        try:
            return cls(value.strip().lower().replace(" ", "_"))
        except ValueError:
            return cls.UNKNOWN


def parse_datetime(value: object) -> datetime | None:
    """Parse an ISO date (``+0000`` offsets too) or epoch milliseconds, in UTC.

    The one date parser of the client: it reads only checked text (see
    :mod:`.untrusted`) with the standard library, never a C parser that has
    not been shown safe on arbitrary strings. None when it is no date.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value / 1000, tz=UTC)
        except OverflowError, OSError, ValueError:
            return None
    if not isinstance(value, str) or len(value) > MAX_DATE_LENGTH or not is_text(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except OverflowError, ValueError:
        return None


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Envelope:
    """The part every answer shares: ``apiStatus``, ``created``, ``data``."""

    api_status: str
    created: datetime | None
    data: JsonObject | None
    message: str | None

    @property
    def ok(self) -> bool:
        """Whether the server reported success."""
        return self.api_status.upper() in SUCCESS_STATUSES

    @classmethod
    def from_json(cls, payload: object) -> Self:
        """Parse the outer object of any answer."""
        body = _object(payload, "answer")
        api_status = checked_text(body.get("apiStatus"), 64)
        if not isinstance(body.get("apiStatus"), str) or not api_status:
            raise BemMelhorInvalidResponseError("answer has no apiStatus")
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

    @classmethod
    def from_data(cls, data: JsonObject) -> Self:
        """Parse the ``data`` object of an active-call answer."""
        if "state" not in data:
            raise BemMelhorInvalidResponseError("active call has no state")
        caller = data.get("callerId")
        caller = caller if isinstance(caller, Mapping) else {}
        return cls(
            id=optional_str(data.get("id")),
            name=optional_str(data.get("name")),
            channel=optional_str(data.get("channel")),
            caller_id=CallerId(
                name=optional_str(caller.get("name")),
                number=optional_str(caller.get("number")),
            ),
            state=ChannelState.parse(data.get("state")),
            account=optional_str(data.get("account")),
            created=parse_datetime(data.get("dateOfCreation")),
            linked_channel=optional_str(data.get("linkedChannel")),
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
    def from_envelope(cls, envelope: Envelope) -> Self:
        """Parse a click-to-call answer."""
        data = envelope.data or {}
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
