"""JSON shapes of the PBX's REST responses and webhook bodies."""

from datetime import datetime
from typing import Any

from .clock import epoch_ms, iso
from .const import (
    CALL_STATUS_COMPLETED,
    CALL_STATUS_IN_PROGRESS,
    HANGUP_EXTENSION,
    MESSAGE_DIALING,
    MESSAGE_HANGUP,
)
from .model import Call, CallPhase, Channel

type JsonObject = dict[str, Any]


def envelope(api_status: str, created: datetime, data: JsonObject | None) -> JsonObject:
    """Wrap ``data`` the way every REST response is wrapped."""
    return {"apiStatus": api_status, "created": iso(created), "data": data}


def error_envelope(api_status: str, created: datetime, message: str) -> JsonObject:
    """Return an error answer: ``data`` null and a ``message``."""
    return envelope(api_status, created, None) | {"message": message}


def click_to_call_data(call: Call) -> JsonObject:
    """Return ``data`` of a ``/api/call`` answer."""
    return {
        "key": call.call_id,
        "status": CALL_STATUS_IN_PROGRESS,
        "created": iso(call.created),
        "from": call.from_,
        "to": call.to,
        "error": None,
        "callId": call.call_id,
        "serverMessage": None,
    }


def status_data(call: Call) -> JsonObject:
    """Return ``data`` of a ``/api/status`` answer for a known call."""
    return {
        "key": call.call_id,
        "status": CALL_STATUS_IN_PROGRESS if call.active else CALL_STATUS_COMPLETED,
        "created": iso(call.created),
        "from": call.from_,
        "to": call.to,
        "error": None,
        "callId": call.call_id,
        "serverMessage": MESSAGE_DIALING if call.active else MESSAGE_HANGUP,
        "disposition": None if call.disposition is None else str(call.disposition),
    }


def active_data(call: Call, channel: Channel, linked: Channel) -> JsonObject:
    """Return ``data`` of a ``/api/active`` answer: one channel of an active call.

    The caller id is the calling party's on both channels (what a ringing
    phone displays). ``linkedChannel`` is null until the destination rings.
    """
    return {
        "id": channel.id,
        "name": channel.name,
        "channel": None,
        "callerId": {"name": call.from_, "number": call.from_},
        "state": None if call.state is None else str(call.state),
        "account": None,
        "dateOfCreation": iso(call.created),
        "linkedChannel": None if call.phase is CallPhase.DIALING else linked.name,
    }


def dialing_webhook_data(call: Call) -> JsonObject:
    """Return ``data`` of a ``call.dialing`` webhook."""
    return {
        "created": epoch_ms(call.created),
        "from": call.from_,
        "to": call.to,
        "error": None,
        "callId": call.call_id,
        "serverMessage": MESSAGE_DIALING,
        "disposition": None,
    }


def hangup_webhook_data(call: Call, moment: datetime) -> JsonObject:
    """Return ``data`` of a ``call.hangup`` webhook (``to`` is Asterisk's ``h``)."""
    return {
        "created": epoch_ms(moment),
        "from": call.from_,
        "to": HANGUP_EXTENSION,
        "error": None,
        "callId": call.call_id,
        "serverMessage": MESSAGE_HANGUP,
        "disposition": None if call.disposition is None else str(call.disposition),
    }


def call_snapshot(call: Call) -> JsonObject:
    """Return the simulator's own view of a call (control endpoints)."""
    return {
        "call_id": call.call_id,
        "from": call.from_,
        "to": call.to,
        "phase": str(call.phase),
        "state": None if call.state is None else str(call.state),
        "created": iso(call.created),
        "ended": None if call.ended is None else iso(call.ended),
        "disposition": None if call.disposition is None else str(call.disposition),
        "planned_disposition": str(call.planned_disposition),
        "timings": None if call.timings is None else call.timings.as_dict(),
        "transitions": [
            [str(phase), iso(moment)] for phase, moment in call.transitions
        ],
        "caller_channel": {"id": call.caller.id, "name": call.caller.name},
        "callee_channel": {"id": call.callee.id, "name": call.callee.name},
    }
