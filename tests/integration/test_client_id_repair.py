"""Fixing the client-id issue in place: adopt the client id the PBX sends.

The issue keeps the last client id a refused webhook carried; its fix flow
shows it and, once the user confirms, makes it the entry's. The client id is
personal data: it reaches no log above debug.
"""

import logging

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bemmelhor.const import CONF_CLIENT_ID, DOMAIN
from homeassistant.components.repairs import RepairsFlowManager, repairs_flow_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component

from .helpers import WEBHOOK_PATH, WebhookClient, dialing_body

NEW_CLIENT_ID = "0f4c2d1e-5b6a-4c3d-9e8f-7a6b5c4d3e2f"


def issue_id(entry: MockConfigEntry) -> str:
    """Return the id of the entry's client-id issue."""
    return f"client_id_mismatch_{entry.entry_id}"


@pytest.fixture(autouse=True)
async def repairs(hass: HomeAssistant) -> RepairsFlowManager:
    """Set up Home Assistant's repairs and return its flow manager.

    Before anything else: its views must be in place before the HTTP server starts.
    """
    assert await async_setup_component(hass, "repairs", {})
    manager = repairs_flow_manager(hass)
    assert manager is not None
    return manager


async def async_refused(client: WebhookClient, client_id: str | None) -> None:
    """Post a webhook the entry refuses for its client id."""
    response = await client.post(WEBHOOK_PATH, json=dialing_body(client_id=client_id))
    assert response.status == 401


async def test_fix_flow_shows_the_received_client_id(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    repairs: RepairsFlowManager,
) -> None:
    """The flow's first step shows the client id the PBX sent."""
    await async_refused(webhook_client, NEW_CLIENT_ID)

    result = await repairs.async_init(
        DOMAIN, context={"issue_id": issue_id(init_integration)}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "adopt"
    assert result["description_placeholders"] == {"client_id": NEW_CLIENT_ID}


async def test_fix_flow_offers_the_last_client_id_received(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    repairs: RepairsFlowManager,
) -> None:
    """Of several refused client ids, the latest is offered."""
    await async_refused(webhook_client, "an-older-client")
    await async_refused(webhook_client, NEW_CLIENT_ID)

    result = await repairs.async_init(
        DOMAIN, context={"issue_id": issue_id(init_integration)}
    )

    assert result["description_placeholders"] == {"client_id": NEW_CLIENT_ID}


async def test_confirming_adopts_the_client_id(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    repairs: RepairsFlowManager,
    issue_registry: ir.IssueRegistry,
) -> None:
    """On confirmation the options hold the new client id; the issue is gone."""
    await async_refused(webhook_client, NEW_CLIENT_ID)
    options_before = dict(init_integration.options)
    result = await repairs.async_init(
        DOMAIN, context={"issue_id": issue_id(init_integration)}
    )

    result = await repairs.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        **options_before,
        CONF_CLIENT_ID: NEW_CLIENT_ID,
    }
    assert init_integration.state is ConfigEntryState.LOADED
    assert issue_registry.async_get_issue(DOMAIN, issue_id(init_integration)) is None


async def test_webhooks_accepted_once_adopted(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    repairs: RepairsFlowManager,
) -> None:
    """After the fix, the PBX's webhooks are accepted again."""
    await async_refused(webhook_client, NEW_CLIENT_ID)
    result = await repairs.async_init(
        DOMAIN, context={"issue_id": issue_id(init_integration)}
    )
    await repairs.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()

    response = await webhook_client.post(
        WEBHOOK_PATH, json=dialing_body(client_id=NEW_CLIENT_ID)
    )

    assert response.status == 200


async def test_fix_flow_without_a_received_client_id_offers_to_stop_checking(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    repairs: RepairsFlowManager,
) -> None:
    """Webhooks without a client id lead to the ``clear`` step instead."""
    await async_refused(webhook_client, None)

    result = await repairs.async_init(
        DOMAIN, context={"issue_id": issue_id(init_integration)}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "clear"


async def test_confirming_clear_stops_checking(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    repairs: RepairsFlowManager,
) -> None:
    """Confirming the ``clear`` step empties the configured client id."""
    await async_refused(webhook_client, None)
    result = await repairs.async_init(
        DOMAIN, context={"issue_id": issue_id(init_integration)}
    )

    await repairs.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()

    assert init_integration.options[CONF_CLIENT_ID] == ""


@pytest.mark.usefixtures("init_integration")
async def test_issue_of_a_removed_entry_is_only_dismissed(
    hass: HomeAssistant,
    repairs: RepairsFlowManager,
    issue_registry: ir.IssueRegistry,
) -> None:
    """An issue whose entry is gone offers nothing to adopt: confirming dismisses it."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        "client_id_mismatch_gone",
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key="client_id_mismatch",
        translation_placeholders={"title": "Bem Melhor PBX"},
        data={"entry_id": "gone", "client_id": NEW_CLIENT_ID},
    )

    result = await repairs.async_init(
        DOMAIN, context={"issue_id": "client_id_mismatch_gone"}
    )
    assert result["step_id"] == "confirm"
    result = await repairs.async_configure(result["flow_id"], {})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert issue_registry.async_get_issue(DOMAIN, "client_id_mismatch_gone") is None


async def test_received_client_id_not_logged(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    repairs: RepairsFlowManager,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """From the refused webhook to the fix, the client id is in no log line above debug."""
    caplog.set_level(logging.DEBUG)
    await async_refused(webhook_client, NEW_CLIENT_ID)
    result = await repairs.async_init(
        DOMAIN, context={"issue_id": issue_id(init_integration)}
    )
    await repairs.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()

    assert [
        record.getMessage()
        for record in caplog.records
        if record.levelno > logging.DEBUG and NEW_CLIENT_ID in record.getMessage()
    ] == []


@pytest.mark.parametrize("language", ["en", "pt-BR"])
@pytest.mark.parametrize("step", ["adopt", "clear", "confirm"])
async def test_fix_flow_translated(
    hass: HomeAssistant, language: str, step: str
) -> None:
    """Every step of the fix flow has a title and a description."""
    translations = await async_get_translations(hass, language, "issues", [DOMAIN])
    prefix = f"component.{DOMAIN}.issues.client_id_mismatch.fix_flow.step.{step}"

    assert {f"{prefix}.title", f"{prefix}.description"} <= translations.keys()


@pytest.mark.parametrize("language", ["en", "pt-BR"])
async def test_adopt_step_shows_the_client_id_as_copyable_text(
    hass: HomeAssistant, language: str
) -> None:
    """The received client id is shown as code (copyable), in a note."""
    translations = await async_get_translations(hass, language, "issues", [DOMAIN])

    assert (
        "> [!NOTE]\n> `{client_id}`"
        in translations[
            f"component.{DOMAIN}.issues.client_id_mismatch.fix_flow.step.adopt.description"
        ]
    )
