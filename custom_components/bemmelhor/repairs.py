"""Repair issues: webhooks missing or with a wrong client id; an unreadable log.

The first two clear themselves as soon as their cause goes away; the third
tells once that the history started anew, and the user dismisses it.
"""

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

ISSUE_WEBHOOK_MISSING = "webhook_missing"
ISSUE_CLIENT_ID_MISMATCH = "client_id_mismatch"
ISSUE_CALL_LOG_RESET = "call_log_reset"


def issue_id(kind: str, entry: ConfigEntry) -> str:
    """Return the id of an entry's issue of a kind."""
    return f"{kind}_{entry.entry_id}"


@callback
def _async_raise(
    hass: HomeAssistant, kind: str, entry: ConfigEntry, **placeholders: str
) -> None:
    """Raise an entry's issue of a kind (a warning the user fixes elsewhere)."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, entry),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=kind,
        translation_placeholders={"title": entry.title, **placeholders},
    )


@callback
def async_webhook_missing(
    hass: HomeAssistant, entry: ConfigEntry, webhook_url: str
) -> None:
    """Raise: calls happen on the PBX but no webhook arrived since set-up."""
    _async_raise(hass, ISSUE_WEBHOOK_MISSING, entry, webhook_url=webhook_url)


@callback
def async_webhook_arrived(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Clear the missing-webhook issue."""
    ir.async_delete_issue(hass, DOMAIN, issue_id(ISSUE_WEBHOOK_MISSING, entry))


@callback
def async_client_id_mismatched(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Raise: webhooks arrive with a client id other than the configured one."""
    _async_raise(hass, ISSUE_CLIENT_ID_MISMATCH, entry)


@callback
def async_client_id_matched(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Clear the client-id issue."""
    ir.async_delete_issue(hass, DOMAIN, issue_id(ISSUE_CLIENT_ID_MISMATCH, entry))


@callback
def async_call_log_reset(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Raise: the stored call log could not be read; the entry started without it."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(ISSUE_CALL_LOG_RESET, entry),
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=ISSUE_CALL_LOG_RESET,
        translation_placeholders={"title": entry.title},
    )
