"""What a webhook costs: only the states it changes, only its extension's entities.

Each webhook costs Home Assistant what it writes; unchanged states are not
written again (Home Assistant would record them as ``state_reported``), and
the entities of other extensions are not even asked.
"""

import json
from typing import Any
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.bemmelhor.call_events import CallAnnouncer
from custom_components.bemmelhor.const import EVENT_CALL_DIALING, EVENT_CALL_HANGUP
from custom_components.bemmelhor.pushing import PushedBy
from custom_components.bemmelhor.webhook import async_handle_body
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.util.event_type import EventType

from .helpers import NUMBER, WebhookClient
from .test_webhook import CALL_ID, dialing, hangup, post


@callback
def _any_state(event_data: Any) -> bool:
    return True


@pytest.fixture
async def settled_client(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> WebhookClient:
    """Return the webhook client after a first call (entities write once after set-up)."""
    await post(webhook_client, dialing(callId="first"))
    await post(webhook_client, hangup(callId="first"))
    await hass.async_block_till_done()
    return webhook_client


def written_entities(hass: HomeAssistant, event_type: EventType[Any]) -> list[str]:
    """Return the entity ids of the ``event_type`` events to come, as they come."""
    written: list[str] = []

    @callback
    def note(event: Event[Any]) -> None:
        written.append(event.data["entity_id"])

    hass.bus.async_listen(event_type, note, event_filter=_any_state)
    return written


@pytest.fixture
def reported(hass: HomeAssistant, settled_client: WebhookClient) -> list[str]:
    """Return the entity ids whose unchanged state was written again."""
    return written_entities(hass, EVENT_STATE_REPORTED)


@pytest.fixture
def changed(hass: HomeAssistant, settled_client: WebhookClient) -> list[str]:
    """Return the entity ids whose state changed."""
    return written_entities(hass, EVENT_STATE_CHANGED)


@pytest.fixture
def told(init_integration: MockConfigEntry) -> list[str]:
    """Return the contexts of the coordinator's listeners told of an update.

    One listener per kind (:class:`PushedBy`) each of 6001, 6002 and the hub,
    noted as ``"calls 6001"``, ``"polls hub"``…
    """
    coordinator = init_integration.runtime_data.coordinator
    told: list[str] = []
    for pushed_by in PushedBy:
        for extension in ("6001", "6002", None):
            label = f"{pushed_by} {extension or 'hub'}"
            coordinator.async_add_listener(
                lambda label=label: told.append(label), (pushed_by, extension)
            )
    return told


async def test_a_dialing_writes_only_what_it_changes(
    hass: HomeAssistant,
    settled_client: WebhookClient,
    changed: list[str],
    reported: list[str],
) -> None:
    """A dialing changes its extension's call state, on-call and event."""
    await post(settled_client, dialing())
    await hass.async_block_till_done()

    assert sorted(set(changed) - {"sensor.bem_melhor_pbx_last_webhook"}) == [
        "binary_sensor.extension_6001_on_call",
        "event.extension_6001_call",
        "sensor.extension_6001_call_state",
    ]
    assert reported == [], reported


async def test_a_hangup_rewrites_nothing_unchanged(
    hass: HomeAssistant,
    settled_client: WebhookClient,
    changed: list[str],
    reported: list[str],
) -> None:
    """A hangup writes the call's end; the outcome only when it differs."""
    await post(settled_client, dialing())
    changed.clear()

    await post(settled_client, hangup())
    await hass.async_block_till_done()

    assert "sensor.extension_6001_last_call_outcome" not in changed
    assert "sensor.extension_6001_last_call" in changed
    assert reported == [], reported


async def test_a_webhook_asks_only_its_extensions_listeners(
    hass: HomeAssistant, told: list[str], webhook_client: WebhookClient
) -> None:
    """Listeners of other extensions are left alone; the hub's are told."""

    await post(webhook_client, dialing())

    assert sorted(told) == ["calls 6001", "calls hub"]


async def test_a_hangup_also_asks_the_figures_and_lists(
    hass: HomeAssistant, told: list[str], webhook_client: WebhookClient
) -> None:
    """A call that ends changes what counts finished calls, of 6001 and the PBX."""
    await post(webhook_client, dialing())
    told.clear()

    await post(webhook_client, hangup())

    assert sorted(told) == [
        "calls 6001",
        "calls hub",
        "finished calls 6001",
        "finished calls hub",
    ]


async def test_a_poll_asks_every_listener(
    hass: HomeAssistant, init_integration: MockConfigEntry, told: list[str]
) -> None:
    """A poll may change any extension: every listener is told."""
    coordinator = init_integration.runtime_data.coordinator

    await coordinator.async_refresh()

    assert len(told) == 3 * len(PushedBy)


async def test_a_removed_listener_is_not_told(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
) -> None:
    """Removing a listener stops the pushed updates too."""
    coordinator = init_integration.runtime_data.coordinator
    told: list[str] = []
    remove = coordinator.async_add_listener(
        lambda: told.append("6001"), (PushedBy.CALLS, "6001")
    )
    remove()

    await post(webhook_client, dialing())

    assert told == []


async def test_a_failing_listener_does_not_stop_the_others(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A listener that raises is logged; the entities still get the call."""
    coordinator = init_integration.runtime_data.coordinator

    def fail() -> None:
        raise RuntimeError("boom")

    coordinator.async_add_listener(fail, (PushedBy.CALLS, "6001"))

    status, _ = await post(webhook_client, dialing())

    assert status == 200
    state = hass.states.get("sensor.extension_6001_call_state")
    assert state is not None
    assert state.state == "dialing"
    assert "Unexpected error while pushing to" in caplog.text


# --- Webhooks that arrive together -------------------------------------------


def handle_together(entry: MockConfigEntry, *bodies: dict[str, Any]) -> None:
    """Handle webhook bodies in one event loop iteration, as a busy PBX's are."""
    for body in bodies:
        response = async_handle_body(entry, json.dumps(body).encode())
        assert response.status == 200


async def test_webhooks_of_one_loop_iteration_write_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    settled_client: WebhookClient,
    changed: list[str],
) -> None:
    """A dialing and its hangup together: the entities show only the end."""
    handle_together(init_integration, dialing(), hangup())
    assert changed == []  # nothing written before the loop iteration ends

    await hass.async_block_till_done()

    assert "sensor.extension_6001_call_state" not in changed  # idle → idle
    assert changed.count("sensor.extension_6001_last_call") == 1
    assert changed.count("event.extension_6001_call") == 2


async def test_an_announced_call_finds_its_states_written(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    settled_client: WebhookClient,
) -> None:
    """Bus events fire in order, after the states: automations read them fresh."""
    seen: list[tuple[str, str, str]] = []

    @callback
    def note(event: Event[Any]) -> None:
        last_call = hass.states.get("sensor.extension_6001_last_call")
        assert last_call is not None
        seen.append(
            (
                str(event.event_type),
                event.data["call_id"],
                last_call.attributes["call_id"],
            )
        )

    for event_type in (EVENT_CALL_DIALING, EVENT_CALL_HANGUP):
        hass.bus.async_listen(event_type, note)

    handle_together(
        init_integration,
        dialing(callId="c1"),
        dialing(callId="c2"),
        hangup(callId="c1"),
    )
    await hass.async_block_till_done()

    assert seen == [
        (EVENT_CALL_DIALING, "c1", "c1"),
        (EVENT_CALL_DIALING, "c2", "c1"),
        (EVENT_CALL_HANGUP, "c1", "c1"),
    ]


async def test_a_failing_announcement_is_logged_without_numbers(
    hass: HomeAssistant,
    settled_client: WebhookClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The states are written; the log names what failed, not the call's numbers."""
    with patch.object(CallAnnouncer, "_call_data", side_effect=RuntimeError("boom")):
        await post(settled_client, dialing())
        await hass.async_block_till_done()

    state = hass.states.get("sensor.extension_6001_call_state")
    assert state is not None
    assert state.state == "dialing"
    assert (
        "Unexpected error while pushing to CallAnnouncer.async_dialing" in caplog.text
    )
    assert NUMBER not in caplog.text


async def test_a_push_due_at_unload_is_announced(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Unloading in the loop iteration of a webhook still fires its event."""
    events = async_capture_events(hass, EVENT_CALL_DIALING)
    handle_together(init_integration, dialing())

    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert [event.data["call_id"] for event in events] == [CALL_ID]
