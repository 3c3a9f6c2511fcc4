"""Repair issues: webhooks refused for their client id, or not arriving at all.

Both issues clear themselves once their cause goes away.
"""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.const import (
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    DOMAIN,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_translations

from .helpers import (
    NUMBER,
    TITLE,
    WEBHOOK_PATH,
    WebhookClient,
    async_poll,
    async_setup_entry,
    dialing_body,
)

pytestmark = pytest.mark.freeze_time("2026-03-02T14:00:00+00:00")


def client_id_issue(
    issue_registry: ir.IssueRegistry, entry: MockConfigEntry
) -> ir.IssueEntry | None:
    """Return the entry's ``client_id_mismatch`` issue, if raised."""
    return issue_registry.async_get_issue(
        DOMAIN, f"client_id_mismatch_{entry.entry_id}"
    )


def webhook_issue(
    issue_registry: ir.IssueRegistry, entry: MockConfigEntry
) -> ir.IssueEntry | None:
    """Return the entry's ``webhook_missing`` issue, if raised."""
    return issue_registry.async_get_issue(DOMAIN, f"webhook_missing_{entry.entry_id}")


# --- client_id_mismatch ------------------------------------------------------


async def test_wrong_client_id_raises_an_issue(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A webhook refused for its client id raises a warning, fixable in place.

    The issue keeps the client id received, for its fix flow to offer.
    """
    await webhook_client.post(
        WEBHOOK_PATH, json=dialing_body(client_id="another-client")
    )

    issue = client_id_issue(issue_registry, init_integration)
    assert issue is not None
    assert issue.translation_key == "client_id_mismatch"
    assert issue.translation_placeholders == {"title": TITLE}
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.is_fixable is True
    assert issue.data == {
        "entry_id": init_integration.entry_id,
        "client_id": "another-client",
    }


async def test_matching_client_id_clears_the_issue(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The next webhook with the configured client id clears the issue."""
    await webhook_client.post(
        WEBHOOK_PATH, json=dialing_body(client_id="another-client")
    )

    await webhook_client.post(WEBHOOK_PATH, json=dialing_body())

    assert client_id_issue(issue_registry, init_integration) is None


async def test_good_webhooks_raise_no_client_id_issue(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Webhooks with the configured client id raise nothing."""
    await webhook_client.post(WEBHOOK_PATH, json=dialing_body())

    assert client_id_issue(issue_registry, init_integration) is None


@pytest.mark.parametrize(
    "entry_options",
    [{CONF_EXTENSIONS: ["6001", "6002", "6003"], CONF_OUTSIDE_LINE_PREFIX: "0"}],
)
async def test_no_client_id_issue_without_a_configured_client_id(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """An entry without a client id never complains about one."""
    await webhook_client.post(
        WEBHOOK_PATH, json=dialing_body(client_id="another-client")
    )

    assert client_id_issue(issue_registry, init_integration) is None


async def test_malformed_body_raises_no_client_id_issue(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A body refused before its client id is read (400) raises nothing."""
    await webhook_client.post(WEBHOOK_PATH, data=b"not json")

    assert client_id_issue(issue_registry, init_integration) is None


# --- webhook_missing ---------------------------------------------------------


async def async_call_without_webhook(
    freezer: FrozenDateTimeFactory, simulator: SimulatorServer
) -> None:
    """Start a call of 6001 that no webhook tells of, over 10 s old at the next poll."""
    freezer.tick(timedelta(seconds=1))
    await simulator.pbx.start_call("6001", NUMBER)


@pytest.fixture
async def missing_webhook_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pbx_simulator: SimulatorServer,
    init_integration: MockConfigEntry,
) -> None:
    """Raise ``webhook_missing``: a poll saw a call no webhook told of."""
    await async_call_without_webhook(freezer, pbx_simulator)
    await async_poll(hass, freezer)


async def test_call_without_webhook_raises_an_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pbx_simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A poll that sees a call no webhook told of raises ``webhook_missing``."""
    await async_call_without_webhook(freezer, pbx_simulator)

    await async_poll(hass, freezer)

    issue = webhook_issue(issue_registry, init_integration)
    assert issue is not None
    assert issue.translation_key == "webhook_missing"
    assert issue.severity is ir.IssueSeverity.WARNING
    webhook_url = init_integration.runtime_data.coordinator.webhook_url
    assert issue.translation_placeholders == {
        "title": TITLE,
        "webhook_url": webhook_url,
    }
    assert webhook_url.endswith(WEBHOOK_PATH)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(dialing_body(), id="dialing"),
        pytest.param(dialing_body() | {"event": "call.other"}, id="ignored-event"),
    ],
)
@pytest.mark.usefixtures("missing_webhook_issue")
async def test_accepted_webhook_clears_the_missing_webhook_issue(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    body: dict[str, Any],
) -> None:
    """The issue goes as soon as any webhook is accepted, even of an unknown event."""
    await webhook_client.post(WEBHOOK_PATH, json=body)

    assert webhook_issue(issue_registry, init_integration) is None


@pytest.mark.usefixtures("missing_webhook_issue")
async def test_refused_webhook_keeps_the_missing_webhook_issue(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A webhook refused for its client id does not count as arriving."""
    await webhook_client.post(
        WEBHOOK_PATH, json=dialing_body(client_id="another-client")
    )

    assert webhook_issue(issue_registry, init_integration) is not None


async def test_no_issue_once_a_webhook_arrived(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pbx_simulator: SimulatorServer,
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Once a webhook arrived, a call the webhook missed raises nothing."""
    await webhook_client.post(
        WEBHOOK_PATH, json=dialing_body() | {"event": "call.other"}
    )
    await async_call_without_webhook(freezer, pbx_simulator)

    await async_poll(hass, freezer)

    assert webhook_issue(issue_registry, init_integration) is None


async def test_no_issue_for_a_call_just_started(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pbx_simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A call younger than 10 s at the poll may still have its webhook on the way."""
    freezer.tick(timedelta(seconds=25))
    await pbx_simulator.pbx.start_call("6001", NUMBER)

    await async_poll(hass, freezer, 6)

    assert webhook_issue(issue_registry, init_integration) is None


async def test_no_issue_for_a_call_from_before_set_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pbx_simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A call already going on when the entry was set up raises nothing."""
    await pbx_simulator.pbx.start_call("6001", NUMBER)
    freezer.tick(timedelta(seconds=5))
    await async_setup_entry(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.LOADED

    await async_poll(hass, freezer)

    assert webhook_issue(issue_registry, mock_config_entry) is None


async def test_no_issue_without_calls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A quiet PBX without webhooks is no problem."""
    await async_poll(hass, freezer)

    assert webhook_issue(issue_registry, init_integration) is None


@pytest.mark.parametrize(
    ("issue", "text"),
    [
        ("webhook_missing", "description"),
        ("client_id_mismatch", "fix_flow.step.adopt.description"),
    ],
)
async def test_issue_is_translated(
    hass: HomeAssistant, init_integration: MockConfigEntry, issue: str, text: str
) -> None:
    """Each issue has an English title and a description (a fixable one, its flow's)."""
    translations = await async_get_translations(hass, "en", "issues", [DOMAIN])

    assert {
        f"component.{DOMAIN}.issues.{issue}.title",
        f"component.{DOMAIN}.issues.{issue}.{text}",
    } <= translations.keys()
