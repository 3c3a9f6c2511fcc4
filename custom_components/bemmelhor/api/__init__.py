"""Async client for the Bem Melhor Telecom cloud PBX API.

This package imports nothing from Home Assistant: it could be published on its
own. It talks to the three documented endpoints (click-to-call, call status,
active call), parses their answers and the webhook's bodies into typed
models (noting whatever the provider's page does not show), and normalises
what a person types as a phone number into what the PBX dials.
"""

from .address import PbxAddress, parse_address
from .client import BemMelhorClient
from .dialing import (
    MAX_PREFIX_LENGTH,
    normalize_destination,
    validate_call_id,
    validate_dial_string,
    validate_extension,
)
from .exceptions import (
    BemMelhorApiError,
    BemMelhorConnectionError,
    BemMelhorError,
    BemMelhorInvalidInputError,
    BemMelhorInvalidResponseError,
    BemMelhorTimeoutError,
    InvalidInputReason,
)
from .models import (
    ActiveCall,
    CallerId,
    CallEvent,
    CallResult,
    CallStatus,
    ChannelState,
    Disposition,
    parse_datetime,
)
from .numbers import read_number
from .oddities import NoteOddity, ObserveReceived, Oddity, OddityKind, Received
from .untrusted import checked_json, checked_text, is_text
from .webhook import (
    EVENT_DIALING,
    EVENT_HANGUP,
    BemMelhorInvalidWebhookError,
    WebhookMessage,
    parse_call_event,
    parse_webhook_message,
)

__all__ = [
    "EVENT_DIALING",
    "EVENT_HANGUP",
    "MAX_PREFIX_LENGTH",
    "ActiveCall",
    "BemMelhorApiError",
    "BemMelhorClient",
    "BemMelhorConnectionError",
    "BemMelhorError",
    "BemMelhorInvalidInputError",
    "BemMelhorInvalidResponseError",
    "BemMelhorInvalidWebhookError",
    "BemMelhorTimeoutError",
    "CallEvent",
    "CallResult",
    "CallStatus",
    "CallerId",
    "ChannelState",
    "Disposition",
    "InvalidInputReason",
    "NoteOddity",
    "ObserveReceived",
    "Oddity",
    "OddityKind",
    "PbxAddress",
    "Received",
    "WebhookMessage",
    "checked_json",
    "checked_text",
    "is_text",
    "normalize_destination",
    "parse_address",
    "parse_call_event",
    "parse_datetime",
    "parse_webhook_message",
    "read_number",
    "validate_call_id",
    "validate_dial_string",
    "validate_extension",
]
