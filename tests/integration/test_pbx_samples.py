"""What the PBX sent is kept for the diagnostics; the unexpected raises one repair per kind."""

import json
from typing import Any
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from bemmelhor_simulator import SimulatorServer
from custom_components.bemmelhor.const import DOMAIN
from custom_components.bemmelhor.webhook import async_handle_body
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component

from .helpers import (
    CLIENT_ID,
    NOW,
    NUMBER,
    TITLE,
    WEBHOOK_PATH,
    WebhookClient,
    async_setup_entry,
    dialing_body,
)
from .sample_helpers import page_body, pbx_answers, pbx_issues

pytestmark = pytest.mark.freeze_time(NOW)

BURST = 1000


@pytest.fixture
async def version(hass: HomeAssistant) -> str:
    """Return the integration's version, as its manifest says."""
    return str((await async_get_integration(hass, DOMAIN)).version)


@pytest.fixture
async def diagnostics_component(hass: HomeAssistant) -> None:
    """Set up diagnostics before Home Assistant's HTTP server starts serving."""
    assert await async_setup_component(hass, "diagnostics", {})


async def test_diagnostics_hold_masked_samples(
    hass: HomeAssistant,
    diagnostics_component: None,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
) -> None:
    """A downloaded diagnostics file holds the webhook and the poll, masked."""
    await wired_simulator.pbx.start_call("6001", NUMBER)

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )

    answers: Any = diagnostics["pbx_answers"]
    webhook = answers["samples"]["webhook"][0]
    assert webhook["status"] == 200
    assert webhook["content_type"] == "application/json"
    assert webhook["body"]["event"] == "call.dialing"
    assert webhook["body"]["data"]["to"] == "0###########"
    assert webhook["body"]["data"]["created"] == "int:#############"
    assert answers["samples"]["active"][0]["body"]["apiStatus"] == "SUCCESS"
    assert NUMBER not in json.dumps(diagnostics)


async def test_last_answers_of_each_source_are_kept(
    init_integration: MockConfigEntry,
) -> None:
    """Five bodies of each source are kept, the newest last."""
    for number in range(7):
        async_handle_body(init_integration, page_body(call_id=f"call-{number}"))

    samples = pbx_answers(init_integration)["samples"]["webhook"]
    assert [sample["body"]["data"]["callId"] for sample in samples] == [
        "…l-2",
        "…l-3",
        "…l-4",
        "…l-5",
        "…l-6",
    ]


async def test_burst_of_unknown_dispositions_raises_one_issue(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    version: str,
) -> None:
    """A thousand unknown dispositions: one repair issue, and all of them counted."""
    created = async_capture_events(hass, ir.EVENT_REPAIRS_ISSUE_REGISTRY_UPDATED)

    for number in range(BURST):
        response = async_handle_body(
            init_integration,
            page_body("call.hangup", f"call-{number}", disposition="CHANUNAVAIL"),
        )
        assert response.status == 200
    await hass.async_block_till_done()

    issue_id = f"pbx_unknown_disposition_{init_integration.entry_id}_{version}"
    assert list(pbx_issues(issue_registry)) == [issue_id]
    assert [event.data["issue_id"] for event in created] == [issue_id]
    answers = pbx_answers(init_integration)
    assert answers["unexpected_counts"] == {"unknown_disposition": BURST}
    assert [(found["seen"], found["count"]) for found in answers["unexpected"]] == [
        ('data.disposition = "CHANUNAVAIL"', BURST)
    ]


async def test_repair_says_what_was_seen(
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    version: str,
) -> None:
    """The issue names the source and what was seen (masked); it asks, not fixes."""
    async_handle_body(init_integration, page_body(to="+55 (32) 99999-9999"))

    (issue,) = pbx_issues(issue_registry).values()
    assert issue.translation_key == "pbx_other_format"
    assert issue.translation_placeholders == {
        "title": TITLE,
        "source": "webhook",
        "seen": 'data.to = "+## (##) #####-####"',
        "version": version,
    }
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.is_fixable is False
    assert issue.is_persistent is False
    assert issue.learn_more_url is not None
    assert issue.learn_more_url.endswith("#first-contact")


async def test_each_kind_raises_its_own_issue(
    init_integration: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    """An unknown event and an extra field are two kinds: two issues."""
    async_handle_body(init_integration, page_body("call.transfer"))
    async_handle_body(init_integration, page_body(queue="vendas"))

    assert sorted(
        str(issue.translation_key) for issue in pbx_issues(issue_registry).values()
    ) == ["pbx_extra_field", "pbx_unknown_event"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<html>Bad gateway</html>", "text/html"),
        (b"event=call.dialing&clientId=x", "application/x-www-form-urlencoded"),
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
    ],
    ids=["html", "form-without-json", "form-with-broken-json"],
)
async def test_body_no_reading_explains_is_refused_and_counted(
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    body: bytes,
    content_type: str,
) -> None:
    """A body no variant explains: 400 (never 500), counted, one repair."""
    response = async_handle_body(init_integration, body, content_type)

    assert response.status == 400
    assert pbx_answers(init_integration)["unexpected_counts"] == {"unreadable": 1}
    assert [issue.translation_key for issue in pbx_issues(issue_registry).values()] == [
        "pbx_unreadable"
    ]


async def test_bodies_refused_for_their_client_id_are_not_counted(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Someone else's body (wrong client id) is kept but raises nothing."""
    response = await webhook_client.post(
        WEBHOOK_PATH,
        json=dialing_body(client_id="intruder") | {"extra": 1},
    )

    assert response.status == 401
    assert pbx_answers(init_integration)["unexpected_counts"] == {}
    assert pbx_issues(issue_registry) == {}


async def test_unexpected_things_listed_are_bounded(
    init_integration: MockConfigEntry,
) -> None:
    """At most a hundred different things are listed; the rest only counted."""
    for number in range(30):
        fields: dict[str, Any] = {f"field{number}_{extra}": 1 for extra in range(8)}
        async_handle_body(init_integration, page_body(**fields))

    answers = pbx_answers(init_integration)
    assert len(answers["unexpected"]) == 100
    assert answers["unexpected_not_listed"] == 140
    assert answers["unexpected_counts"] == {"extra_field": 240}


async def test_issues_of_another_version_are_removed_at_set_up(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    version: str,
) -> None:
    """An upgrade clears the issues its predecessor raised; its own stay."""
    mock_config_entry.add_to_hass(hass)
    for old_or_current in ("0.1.0", version):
        ir.async_create_issue(
            hass,
            DOMAIN,
            f"pbx_unknown_event_{mock_config_entry.entry_id}_{old_or_current}",
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="pbx_unknown_event",
        )

    await async_setup_entry(hass, mock_config_entry)

    assert list(pbx_issues(issue_registry)) == [
        f"pbx_unknown_event_{mock_config_entry.entry_id}_{version}"
    ]


@pytest.mark.parametrize("language", ["en", "pt-BR"])
async def test_every_kind_has_a_translated_issue(
    hass: HomeAssistant, language: str
) -> None:
    """Each kind of oddity has an issue text that shows what was seen."""
    translations = await async_get_translations(hass, language, "issues", [DOMAIN])
    kinds = [
        "unreadable",
        "unknown_event",
        "unknown_disposition",
        "unknown_channel_state",
        "unknown_api_status",
        "extra_field",
        "missing_field",
        "wrong_type",
        "other_format",
    ]

    for kind in kinds:
        key = f"component.{DOMAIN}.issues.pbx_{kind}"
        assert translations[f"{key}.title"]
        assert "`{seen}`" in translations[f"{key}.description"]


async def test_client_id_of_samples_is_masked(
    init_integration: MockConfigEntry,
) -> None:
    """The client id of a webhook shows only its shape."""
    async_handle_body(init_integration, page_body())

    sample = pbx_answers(init_integration)["samples"]["webhook"][0]
    assert sample["body"]["clientId"] == "a#####aa-####-##a#-####-##a#a####a##"
    assert CLIENT_ID not in json.dumps(sample)


async def test_keeping_a_sample_never_fails_the_answer(
    init_integration: MockConfigEntry,
) -> None:
    """Should keeping a sample fail, the webhook is still answered (and applied)."""
    samples = init_integration.runtime_data.samples
    with patch.object(samples, "received", side_effect=RuntimeError("broken")):
        response = async_handle_body(init_integration, page_body())

    assert response.status == 200
