"""Async client for the Bem Melhor Telecom cloud PBX API.

This package imports nothing from Home Assistant: it could be published on its
own. It talks to the three documented endpoints (click-to-call, call status,
active call), parses their answers into typed models and normalises what a
person types as a phone number into what the PBX dials.
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
from .models import ActiveCall, CallerId, CallResult, CallStatus, ChannelState

__all__ = [
    "MAX_PREFIX_LENGTH",
    "ActiveCall",
    "BemMelhorApiError",
    "BemMelhorClient",
    "BemMelhorConnectionError",
    "BemMelhorError",
    "BemMelhorInvalidInputError",
    "BemMelhorInvalidResponseError",
    "BemMelhorTimeoutError",
    "CallResult",
    "CallStatus",
    "CallerId",
    "ChannelState",
    "InvalidInputReason",
    "PbxAddress",
    "normalize_destination",
    "parse_address",
    "validate_call_id",
    "validate_dial_string",
    "validate_extension",
]
