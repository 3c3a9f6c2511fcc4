"""Diagnostics of a config entry, with hosts, numbers and secrets redacted.

What the PBX sent (``pbx_answers``: the last answers of each endpoint and
webhook bodies, and every unexpected one, counted) is masked by its own
rules (:mod:`.sample_masking`), which keep the shape a bug report needs.
"""

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_HOST, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from .const import (
    CONF_ALLOWED_PREFIXES,
    CONF_CLIENT_ID,
    CONF_CLOUDHOOK,
    CONF_REFUSED_PREFIXES,
)
from .coordinator import BemMelhorConfigEntry

TO_REDACT = {
    CONF_HOST,
    CONF_CLIENT_ID,
    "from_",
    "to",
    "from_name",
    "to_name",
    "number",
    "name",
    "linked_channel",
    "title",
    "unique_id",
    "placed_by",
    CONF_ALLOWED_PREFIXES,
    CONF_REFUSED_PREFIXES,
}
"""Hosts, client ids, users and anything that can hold a phone number."""

VISIBLE_TAIL = 4


def redact_tail(value: str | None) -> str | None:
    """Keep only the last characters of a secret (enough to tell two apart)."""
    if not value:
        return value
    return f"{REDACTED}{value[-VISIBLE_TAIL:]}"


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: BemMelhorConfigEntry
) -> dict[str, Any]:
    """Return what support needs to understand the entry's state."""
    coordinator = entry.runtime_data.coordinator
    data = {
        **entry.data,
        CONF_WEBHOOK_ID: redact_tail(entry.data.get(CONF_WEBHOOK_ID)),
        CONF_CLOUDHOOK: redact_tail(entry.data.get(CONF_CLOUDHOOK)),
    }
    diagnostics: dict[str, Any] = async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": data,
                "options": dict(entry.options),
            },
            "webhook_url": redact_tail(coordinator.webhook_url),
            "api": {
                "base_url_scheme": coordinator.client.base_url.scheme,
                "last_update_success": coordinator.last_update_success,
                "last_exception": repr(coordinator.last_exception)
                if coordinator.last_exception
                else None,
            },
            "last_webhook": coordinator.last_webhook,
            "call_log": {
                "open_calls": [asdict(call) for call in coordinator.log.open_calls],
                "finished_calls": await coordinator.store.async_count(),
                "finished_call_ids_remembered": coordinator.log.finished_ids,
            },
            "contacts": coordinator.contacts.counts(),
            "extensions": {
                extension: {
                    "call_state": state.call_state,
                    "channel": asdict(state.channel) if state.channel else None,
                    "call": asdict(state.call) if state.call else None,
                    "last_call": asdict(state.last_call) if state.last_call else None,
                }
                for extension, state in coordinator.data.items()
            },
        },
        TO_REDACT,
    )
    diagnostics["pbx_answers"] = entry.runtime_data.samples.as_diagnostics()
    return diagnostics
