"""Helpers of the tests of what the PBX sent: samples, oddities, their repairs."""

import json
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bemmelhor.const import DOMAIN
from homeassistant.helpers import issue_registry as ir

from .helpers import CLIENT_ID, NUMBER

CREATED = 1613584017387


def page_body(
    event: str = "call.dialing", call_id: str = "call-1", **data: Any
) -> bytes:
    """Return a webhook body with every field the provider's page shows.

    A dialing to the outside number (``to: h`` for a hangup, which is
    ``ANSWERED`` unless ``disposition`` says otherwise); ``data`` overrides or
    adds fields.
    """
    hangup = event == "call.hangup"
    page: dict[str, Any] = {
        "created": CREATED,
        "from": "6001",
        "to": "h" if hangup else NUMBER,
        "error": None,
        "callId": call_id,
        "serverMessage": "Ligação encerrada" if hangup else "Chamando o destino",
        "disposition": "ANSWERED" if hangup else None,
    }
    return json.dumps(
        {"event": event, "clientId": CLIENT_ID, "data": page | data}
    ).encode()


def pbx_answers(entry: MockConfigEntry) -> dict[str, Any]:
    """Return the ``pbx_answers`` part of the entry's diagnostics."""
    answers: dict[str, Any] = entry.runtime_data.samples.as_diagnostics()
    return answers


def noted(entry: MockConfigEntry) -> set[tuple[str, str]]:
    """Return every unexpected thing kept, as (kind, where it was seen)."""
    return {
        (found["kind"], found["seen"].split(" = ", 1)[0])
        for found in pbx_answers(entry)["unexpected"]
    }


def pbx_issues(issue_registry: ir.IssueRegistry) -> dict[str, ir.IssueEntry]:
    """Return the integration's issues of a PBX that spoke differently, by id."""
    return {
        issue_id: issue
        for (domain, issue_id), issue in issue_registry.issues.items()
        if domain == DOMAIN and issue_id.startswith("pbx_")
    }
