"""Constants of the Bem Melhor PBX API as the real server sends them."""

from enum import StrEnum
from typing import Final

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 3030
DEFAULT_EXTENSIONS: Final = ("6001", "6002", "6003")
DEFAULT_CLIENT_ID: Final = "bemmelhor-simulator"
DEFAULT_TRUNK: Final = "domain"

# ``CONECTION_OK`` (one N) is what the real server sends for click-to-call.
API_STATUS_CONNECTION_OK: Final = "CONECTION_OK"
API_STATUS_SUCCESS: Final = "SUCCESS"
API_STATUS_ERROR: Final = "ERROR"

CALL_STATUS_IN_PROGRESS: Final = "IN_PROGRESS"
CALL_STATUS_COMPLETED: Final = "COMPLETED"

EVENT_DIALING: Final = "call.dialing"
EVENT_HANGUP: Final = "call.hangup"

MESSAGE_DIALING: Final = "Chamando o destino"
MESSAGE_HANGUP: Final = "Ligação encerrada"
MESSAGE_INVALID_EXTENSION: Final = "Ramal inválido"

# Asterisk's hangup extension: the ``to`` of every ``call.hangup`` webhook.
HANGUP_EXTENSION: Final = "h"


class Disposition(StrEnum):
    """Asterisk CDR disposition of an ended call."""

    ANSWERED = "ANSWERED"
    NO_ANSWER = "NO ANSWER"
    BUSY = "BUSY"
    FAILED = "FAILED"
    CONGESTION = "CONGESTION"


class ChannelState(StrEnum):
    """Asterisk channel state, as ``/api/active`` reports it in ``data.state``."""

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


class Endpoint(StrEnum):
    """Kind of provider endpoint a request is for (used by the request log and faults)."""

    CALL = "call"
    STATUS = "status"
    ACTIVE = "active"
    ALL = "all"
