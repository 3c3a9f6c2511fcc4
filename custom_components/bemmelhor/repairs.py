"""Repair issues: webhooks missing, a wrong client id, a log lost, a PBX speaking unlike its page.

The first two clear themselves as soon as their cause goes away; the third
tells once that the history started anew, and the user dismisses it. The
client-id issue can also be fixed in place: its flow shows the client id the
PBX sends and, once confirmed, makes it the entry's. The issues of a PBX
that speaks differently (one per kind) ask for the diagnostics; their ids
carry the integration's version, so an upgrade clears them.
"""

from typing import Any

import probatio

from homeassistant.components.repairs import (
    ConfirmRepairFlow,
    RepairsFlow,
    RepairsFlowResult,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import CONF_CLIENT_ID, DOMAIN

ISSUE_WEBHOOK_MISSING = "webhook_missing"
ISSUE_CLIENT_ID_MISMATCH = "client_id_mismatch"
ISSUE_CALL_LOG_RESET = "call_log_reset"

ISSUE_PBX_PREFIX = "pbx_"
"""Translation keys ``pbx_<oddity kind>``: the PBX spoke differently."""
FIRST_CONTACT_URL = (
    "https://github.com/bemmelhor-ha/bemmelhor-home-assistant#first-contact"
)

DATA_ENTRY_ID = "entry_id"
DATA_CLIENT_ID = "client_id"


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
def async_client_id_mismatched(
    hass: HomeAssistant, entry: ConfigEntry, received: str
) -> None:
    """Raise: webhooks arrive with a client id other than the configured one.

    The issue keeps the last client id received (empty when none was sent),
    for its fix flow to offer; it is personal data and goes to no log.
    """
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(ISSUE_CLIENT_ID_MISMATCH, entry),
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key=ISSUE_CLIENT_ID_MISMATCH,
        translation_placeholders={"title": entry.title},
        data={DATA_ENTRY_ID: entry.entry_id, DATA_CLIENT_ID: received},
    )


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


def pbx_issue_id(kind: str, entry: ConfigEntry, version: str) -> str:
    """Return the id of the issue of a kind of oddity, for this version."""
    return f"{ISSUE_PBX_PREFIX}{kind}_{entry.entry_id}_{version}"


@callback
def async_pbx_spoke_differently(
    hass: HomeAssistant,
    entry: ConfigEntry,
    kind: str,
    *,
    version: str,
    source: str,
    seen: str,
) -> None:
    """Raise: the PBX sent what its documentation does not show (``seen``, masked).

    Not persistent: after a restart the samples it asks for are gone, and it
    comes back with the next such answer.
    """
    ir.async_create_issue(
        hass,
        DOMAIN,
        pbx_issue_id(kind, entry, version),
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        learn_more_url=FIRST_CONTACT_URL,
        translation_key=f"{ISSUE_PBX_PREFIX}{kind}",
        translation_placeholders={
            "title": entry.title,
            "source": source,
            "seen": seen,
            "version": version,
        },
    )


@callback
def async_remove_pbx_issues(
    hass: HomeAssistant, entry: ConfigEntry, *, keep_version: str | None = None
) -> None:
    """Delete the entry's PBX issues, but those of ``keep_version``."""
    registry = ir.async_get(hass)
    prefix = ISSUE_PBX_PREFIX
    for domain, issue in list(registry.issues):
        if (
            domain == DOMAIN
            and issue.startswith(prefix)
            and f"_{entry.entry_id}_" in issue
            and not (keep_version and issue.endswith(f"_{keep_version}"))
        ):
            ir.async_delete_issue(hass, DOMAIN, issue)


class ClientIdRepairFlow(RepairsFlow):
    """Make the client id the PBX sends the entry's, once the user confirms.

    With a client id received, the ``adopt`` step shows it; when webhooks
    came without one, the ``clear`` step offers to stop checking.
    """

    def __init__(self, entry: ConfigEntry, received: str) -> None:
        """Remember the entry and the client id its webhooks carried."""
        self._entry = entry
        self._received = received

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Show the step that fits what was received."""
        if self._received:
            return await self.async_step_adopt()
        return await self.async_step_clear()

    async def async_step_adopt(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Show the received client id; on confirmation, use it."""
        if user_input is not None:
            return self._async_use_client_id()
        return self.async_show_form(
            step_id="adopt",
            data_schema=probatio.Schema({}),
            description_placeholders={"client_id": self._received},
        )

    async def async_step_clear(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Say that webhooks carry no client id; on confirmation, stop checking."""
        if user_input is not None:
            return self._async_use_client_id()
        return self.async_show_form(step_id="clear", data_schema=probatio.Schema({}))

    def _async_use_client_id(self) -> RepairsFlowResult:
        """Store the received client id in the options and reload the entry."""
        entry = self._entry
        self.hass.config_entries.async_update_entry(
            entry, options={**entry.options, CONF_CLIENT_ID: self._received}
        )
        self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant,
    issue_id: str,
    data: dict[str, str | int | float | None] | None,
) -> RepairsFlow:
    """Return the fix flow of a client-id issue whose entry still exists.

    Otherwise (the entry was deleted), a flow that only dismisses the issue.
    """
    entry_id = (data or {}).get(DATA_ENTRY_ID)
    received = (data or {}).get(DATA_CLIENT_ID)
    if (
        isinstance(entry_id, str)
        and isinstance(received, str)
        and (entry := hass.config_entries.async_get_entry(entry_id)) is not None
    ):
        return ClientIdRepairFlow(entry, received)
    return ConfirmRepairFlow()
