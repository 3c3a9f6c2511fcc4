"""Constants of the Bem Melhor Telecom integration."""

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "bemmelhor"
LOGGER = logging.getLogger(__package__)

MANUFACTURER: Final = "Bem Melhor Telecom"
DEFAULT_TITLE: Final = "Bem Melhor PBX"
"""Entry title when no translation is at hand (``naming.py``); never the host itself."""
HUB_MODEL: Final = "Cloud PBX"
EXTENSION_MODEL: Final = "Extension"

CONF_EXTENSIONS: Final = "extensions"
CONF_CLIENT_ID: Final = "client_id"
CONF_OUTSIDE_LINE_PREFIX: Final = "outside_line_prefix"
CONF_CLOUDHOOK: Final = "cloudhook"

DEFAULT_PORT: Final = 3030
DEFAULT_OUTSIDE_LINE_PREFIX: Final = "0"

CONF_AREA_CODE: Final = "area_code"
"""The PBX's DDD, two digits 1-9; empty: numbers without a DDD are matched as is."""
CONF_HISTORY_DAYS: Final = "history_days"
"""Days of call history kept; 0 keeps none."""
CONF_DEFAULT_EXTENSION: Final = "default_extension"
"""One of the extensions, or empty for none."""
CONF_PERSONS: Final = "persons"
"""Extension -> ``person`` entity id, only for extensions that have one."""
CONF_ALLOWED_DESTINATIONS: Final = "allowed_destinations"
"""The kinds of destinations Home Assistant may dial (``destination_kinds.py``)."""
CONF_ALLOWED_PREFIXES: Final = "allowed_prefixes"
"""Prefixes always allowed, whatever their kind."""
CONF_REFUSED_PREFIXES: Final = "refused_prefixes"
"""Prefixes always refused; they win over the allowed ones."""

DEFAULT_AREA_CODE: Final = ""
DEFAULT_HISTORY_DAYS: Final = 90
DEFAULT_DEFAULT_EXTENSION: Final = ""

SCAN_INTERVAL: Final = timedelta(seconds=30)
"""Reconciliation poll; webhooks carry the real-time part."""

REQUEST_TIMEOUT: Final = 10.0
"""Seconds the PBX has to answer one request."""

MAX_PARALLEL_REQUESTS: Final = 50
"""Requests to one PBX in flight at the same time (an office polls at once)."""

FOLLOW_UP_INTERVAL: Final = timedelta(seconds=3)
"""How often a call that is dialing or ringing is asked for again."""

BUSY_WRITE_INTERVAL: Final = 1.0
"""Seconds between two writes of a figure or list that every call changes."""

STALE_CALL_GRACE: Final = timedelta(seconds=10)
"""A pushed call is only ended by a poll that started this long after it."""

EVENT_CALL_DIALING: Final = "bemmelhor_call_dialing"
EVENT_CALL_HANGUP: Final = "bemmelhor_call_hangup"

WEBHOOK_MAX_BODY: Final = 64 * 1024

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_DEVICE_ID: Final = "device_id"
ATTR_EXTENSION: Final = "extension"
ATTR_CALL_ID: Final = "call_id"
ATTR_FROM: Final = "from"
ATTR_TO: Final = "to"
ATTR_DISPOSITION: Final = "disposition"
ATTR_RAW_DISPOSITION: Final = "raw_disposition"
ATTR_RAW_CHANNEL_STATE: Final = "raw_channel_state"
ATTR_SERVER_MESSAGE: Final = "server_message"
ATTR_ERROR: Final = "error"
ATTR_CREATED: Final = "created"
ATTR_DURATION: Final = "duration"
ATTR_CHANNEL: Final = "channel"
ATTR_LINKED_CHANNEL: Final = "linked_channel"
ATTR_STARTED: Final = "started"
ATTR_DESTINATION: Final = "destination"
ATTR_DIRECTION: Final = "direction"
ATTR_SOURCE: Final = "source"
ATTR_FROM_NAME: Final = "from_name"
ATTR_TO_NAME: Final = "to_name"
ATTR_REMOTE_NUMBER: Final = "remote_number"
ATTR_REMOTE_NAME: Final = "remote_name"
ATTR_PLACED_BY: Final = "placed_by"
"""The Home Assistant user who placed a call through Home Assistant."""
ATTR_EVEN_IF_BUSY: Final = "even_if_busy"
