"""What 0.1.0 kept in its sensors' restore data, taken over on the first start.

0.1.0 had no call log: each extension's ``last_call`` sensor kept the last
call in its state and attributes, and its ``call_state`` sensor an open call
in its extra restore data. When an entry starts with no call log at all,
these two sensors read what they left through Home Assistant's public
:class:`~homeassistant.helpers.restore_state.RestoreEntity` methods (never
the restore-state helper's own data, which changes between releases) and
hand it to the log. Whatever goes wrong is a warning: the entry starts.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from custom_components.bemmelhor.api import parse_datetime
from custom_components.bemmelhor.const import LOGGER
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import State
from homeassistant.helpers.restore_state import ExtraStoredData, RestoreEntity

from .model.calls import FinishedCall, OpenCall
from .model.log import CallLog

RESTORED_OPEN_CALL = "open_call"
"""Where 0.1.0's ``call_state`` sensor kept an open call in its restore data."""

TAKEN_OVER_KEYS = frozenset({"last_call", "call_state"})
"""The sensors (description keys) whose restore data 0.1.0 filled."""


async def async_take_over(
    entity: RestoreEntity, key: str, extension: str, log: CallLog, now: datetime
) -> bool:
    """Give the log what the sensor ``key`` of ``extension`` kept; True if anything."""
    try:
        if key == "last_call":
            state = await entity.async_get_last_state()
            call = _last_call(extension, state) if state is not None else None
            return call is not None and log.set_last_call(extension, call)
        extra = await entity.async_get_last_extra_data()
        opened = _open_call(log, extra, now) if extra is not None else None
        return opened is not None and log.restore_open_call(opened)
    except Exception:  # noqa: BLE001 - a migration never stops the entry
        LOGGER.warning(
            "What version 0.1.0 kept of extension %s's %s could not be taken over",
            extension,
            key,
            exc_info=True,
        )
        return False


def _last_call(extension: str, state: State) -> FinishedCall | None:
    """Rebuild a last call from 0.1.0's ``last_call`` state and attributes."""
    if state.state in (STATE_UNKNOWN, STATE_UNAVAILABLE):
        return None
    if (ended := parse_datetime(state.state)) is None:
        return None
    attributes: dict[str, Any] = dict(state.attributes)
    attributes |= {"ended": ended.isoformat(), "extension": extension}
    attributes.setdefault("talk_time", 0)
    return FinishedCall.from_dict(attributes)


def _open_call(log: CallLog, extra: ExtraStoredData, now: datetime) -> OpenCall | None:
    """Rebuild an open call from 0.1.0's ``call_state`` extra restore data."""
    stored = extra.as_dict().get(RESTORED_OPEN_CALL)
    if (
        not isinstance(stored, Mapping)
        or (call := OpenCall.from_dict(stored, now)) is None
    ):
        return None
    extension, direction = log.owner(call.from_, call.to)
    return OpenCall(
        call_id=call.call_id,
        extension=call.extension or extension,
        direction=direction,
        from_=call.from_,
        to=call.to,
        started=call.started,
        seen=now,
    )
