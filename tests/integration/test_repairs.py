"""Repair issues: webhooks refused for their client id, or not arriving at all.

Both issues clear themselves once their cause goes away.
"""

from datetime import timedelta
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

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

from .conftest import CLIENT_ID, TITLE, WEBHOOK_ID

type HaClient = TestClient[web.Request, web.Application]

URL = f"/api/webhook/{WEBHOOK_ID}"
OUTSIDE = "032999999999"
POLL_INTERVAL = timedelta(seconds=31)

pytestmark = pytest.mark.freeze_time("2026-03-02T14:00:00+00:00")


def dialing(client_id: str | None = CLIENT_ID) -> dict[str, Any]:
    """Return a ``call.dialing`` body of 6001 calling outside."""
    return {
        "event": "call.dialing",
        "clientId": client_id,
        "data": {"callId": "call-1", "from": "6001", "to": OUTSIDE},
    }


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


async def poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Move the clock past the poll interval and wait for the poll to finish."""
    freezer.tick(POLL_INTERVAL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


# --- client_id_mismatch ------------------------------------------------------


async def test_wrong_client_id_raises_an_issue(
    webhook_client: HaClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A webhook refused for its client id raises a warning (not fixable in place)."""
    await webhook_client.post(URL, json=dialing("another-client"))

    issue = client_id_issue(issue_registry, init_integration)
    assert issue is not None
    assert issue.translation_key == "client_id_mismatch"
    assert issue.translation_placeholders == {"title": TITLE}
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.is_fixable is False


async def test_matching_client_id_clears_the_issue(
    webhook_client: HaClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The next webhook with the configured client id clears the issue."""
    await webhook_client.post(URL, json=dialing("another-client"))

    await webhook_client.post(URL, json=dialing())

    assert client_id_issue(issue_registry, init_integration) is None


async def test_good_webhooks_raise_no_client_id_issue(
    webhook_client: HaClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Webhooks with the configured client id raise nothing."""
    await webhook_client.post(URL, json=dialing())

    assert client_id_issue(issue_registry, init_integration) is None


@pytest.mark.parametrize(
    "entry_options",
    [{CONF_EXTENSIONS: ["6001", "6002", "6003"], CONF_OUTSIDE_LINE_PREFIX: "0"}],
)
async def test_no_client_id_issue_without_a_configured_client_id(
    webhook_client: HaClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """An entry without a client id never complains about one."""
    await webhook_client.post(URL, json=dialing("another-client"))

    assert client_id_issue(issue_registry, init_integration) is None


async def test_malformed_body_raises_no_client_id_issue(
    webhook_client: HaClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A body refused before its client id is read (400) raises nothing."""
    await webhook_client.post(URL, data=b"not json")

    assert client_id_issue(issue_registry, init_integration) is None


# --- webhook_missing ---------------------------------------------------------


async def test_call_without_webhook_raises_an_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pbx_simulator: SimulatorServer,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A poll that sees a call no webhook told of raises ``webhook_missing``."""
    freezer.tick(timedelta(seconds=1))
    await pbx_simulator.pbx.start_call("6001", OUTSIDE)

    await poll(hass, freezer)

    issue = webhook_issue(issue_registry, init_integration)
    assert issue is not None
    assert issue.translation_key == "webhook_missing"
    assert issue.severity is ir.IssueSeverity.WARNING
    webhook_url = init_integration.runtime_data.coordinator.webhook_url
    assert issue.translation_placeholders == {
        "title": TITLE,
        "webhook_url": webhook_url,
    }
    assert webhook_url.endswith(URL)


async def test_first_webhook_clears_the_missing_webhook_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pbx_simulator: SimulatorServer,
    webhook_client: HaClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The issue goes away as soon as a webhook arrives."""
    freezer.tick(timedelta(seconds=1))
    await pbx_simulator.pbx.start_call("6001", OUTSIDE)
    await poll(hass, freezer)

    await webhook_client.post(URL, json=dialing())

    assert webhook_issue(issue_registry, init_integration) is None


async def test_ignored_event_clears_the_missing_webhook_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pbx_simulator: SimulatorServer,
    webhook_client: HaClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Any accepted webhook proves they arrive, even one of an unknown event."""
    freezer.tick(timedelta(seconds=1))
    await pbx_simulator.pbx.start_call("6001", OUTSIDE)
    await poll(hass, freezer)

    await webhook_client.post(URL, json=dialing() | {"event": "call.other"})

    assert webhook_issue(issue_registry, init_integration) is None


async def test_refused_webhook_keeps_the_missing_webhook_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pbx_simulator: SimulatorServer,
    webhook_client: HaClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A webhook refused for its client id does not count as arriving."""
    freezer.tick(timedelta(seconds=1))
    await pbx_simulator.pbx.start_call("6001", OUTSIDE)
    await poll(hass, freezer)

    await webhook_client.post(URL, json=dialing("another-client"))

    assert webhook_issue(issue_registry, init_integration) is not None


async def test_no_issue_once_a_webhook_arrived(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pbx_simulator: SimulatorServer,
    webhook_client: HaClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Once a webhook arrived, a call the webhook missed raises nothing."""
    await webhook_client.post(URL, json=dialing() | {"event": "call.other"})
    freezer.tick(timedelta(seconds=1))
    await pbx_simulator.pbx.start_call("6001", OUTSIDE)

    await poll(hass, freezer)

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
    await pbx_simulator.pbx.start_call("6001", OUTSIDE)

    freezer.tick(timedelta(seconds=6))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert webhook_issue(issue_registry, init_integration) is None


async def test_no_issue_for_a_call_from_before_set_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pbx_simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A call already going on when the entry was set up raises nothing."""
    await pbx_simulator.pbx.start_call("6001", OUTSIDE)
    freezer.tick(timedelta(seconds=5))
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED

    await poll(hass, freezer)

    assert webhook_issue(issue_registry, mock_config_entry) is None


async def test_no_issue_without_calls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A quiet PBX without webhooks is no problem."""
    await poll(hass, freezer)

    assert webhook_issue(issue_registry, init_integration) is None


@pytest.mark.parametrize("issue", ["webhook_missing", "client_id_mismatch"])
async def test_issue_is_translated(
    hass: HomeAssistant, init_integration: MockConfigEntry, issue: str
) -> None:
    """Each issue has an English title and description."""
    translations = await async_get_translations(hass, "en", "issues", [DOMAIN])

    assert {
        f"component.{DOMAIN}.issues.{issue}.title",
        f"component.{DOMAIN}.issues.{issue}.description",
    } <= translations.keys()
