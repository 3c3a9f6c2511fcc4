"""Call history, the call-back list, daily figures and ``bemmelhor.get_calls``."""

import copy
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bemmelhor.calendar import Moment
from custom_components.bemmelhor.call_log.model.call_backs import CallBack
from custom_components.bemmelhor.call_texts import async_call_texts
from custom_components.bemmelhor.const import BUSY_WRITE_INTERVAL, DOMAIN
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .helpers import (
    HOST,
    NUMBER,
    WebhookClient,
    async_action,
    async_busy_writes_done,
    async_post_all,
    device_id_of,
    dialing_body,
    get_state,
    hangup_body,
)

pytestmark = pytest.mark.freeze_time("2026-11-27 15:00:00+00:00")
"""Noon in São Paulo (UTC−3)."""

CALENDAR = "calendar.bem_melhor_pbx_call_history"
TODO = "todo.bem_melhor_pbx_calls_to_return"
PBX_CALLS = "sensor.bem_melhor_pbx_calls_today"
PBX_MISSED = "sensor.bem_melhor_pbx_missed_calls_today"
PBX_TALK = "sensor.bem_melhor_pbx_talk_time_today"
CALLS_6001 = "sensor.extension_6001_calls_today"
MISSED_6001 = "sensor.extension_6001_missed_calls_today"
MISSED_6002 = "sensor.extension_6002_missed_calls_today"
TALK_6001 = "sensor.extension_6001_talk_time_today"
EPOCH_MS_NOON = 1795791600000
"""2026-11-27 12:00 in São Paulo, as the PBX writes it (epoch milliseconds)."""
NOON = datetime.fromisoformat("2026-11-27 15:00:00+00:00")


@pytest.fixture(autouse=True)
async def sao_paulo(hass: HomeAssistant) -> None:
    """Put Home Assistant in São Paulo, before the integration starts."""
    await hass.config.async_set_time_zone("America/Sao_Paulo")


def call(
    call_id: str,
    from_: str,
    to: str,
    disposition: str,
    *,
    start_ms: int = EPOCH_MS_NOON,
    seconds: int = 60,
) -> list[dict[str, Any]]:
    """Return the dialing and hangup bodies of a whole call."""
    return [
        dialing_body(call_id, from_=from_, to=to, created=start_ms),
        hangup_body(
            call_id,
            from_=from_,
            disposition=disposition,
            created=start_ms + seconds * 1000,
        ),
    ]


async def todo_items(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Return the call-back list's items."""
    response = await hass.services.async_call(
        "todo",
        "get_items",
        {"entity_id": TODO},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    items: list[dict[str, Any]] = response[TODO]["items"]  # type: ignore[call-overload,index,assignment]
    return items


async def calendar_events(
    hass: HomeAssistant, start: str, end: str
) -> list[dict[str, Any]]:
    """Return the call history's events between two local times."""
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": CALENDAR, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    events: list[dict[str, Any]] = response[CALENDAR]["events"]  # type: ignore[call-overload,index,assignment]
    return events


# --- The call-back list ------------------------------------------------------


async def test_missed_inbound_call_adds_one_item(
    hass: HomeAssistant, webhook_client: WebhookClient, freezer: FrozenDateTimeFactory
) -> None:
    """An inbound call nobody answered: one item to call the number back."""
    await async_post_all(webhook_client, call("c1", NUMBER, "6001", "NO ANSWER"))

    (item,) = await todo_items(hass)
    assert item["summary"] == "(32) 99999-9999"
    assert item["status"] == "needs_action"
    assert item["description"] == (
        "1 missed call, on Nov 27 at 12:01, extension 6001. "
        "To call back, dial 032999999999."
    )
    await async_busy_writes_done(hass, freezer)
    assert get_state(hass, TODO).state == "1"


async def test_call_back_item_speaks_the_system_language(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """In Portuguese: one missed call in the singular, the month as a word."""
    hass.config.language = "pt-BR"
    await hass.config_entries.async_reload(
        hass.config_entries.async_entries(DOMAIN)[0].entry_id
    )
    await async_post_all(webhook_client, call("c1", NUMBER, "6001", "NO ANSWER"))

    (item,) = await todo_items(hass)
    assert item["description"] == (
        "1 ligação perdida, em 27 de nov. às 12:01, no ramal 6001. "
        "Para retornar, disque 032999999999."
    )


@pytest.mark.parametrize(
    ("name", "number", "summary"),
    [
        (None, NUMBER, "(32) 99999-9999"),
        ("Maria Silva", NUMBER, "Maria Silva (32) 99999-9999"),
        ("Extension 6001", "6001", "Extension 6001"),
        ("Reception", "6001", "Reception (extension 6001)"),
    ],
)
async def test_call_back_item_title(
    hass: HomeAssistant, name: str | None, number: str, summary: str
) -> None:
    """A title names the caller once: an extension's name often holds its number."""
    texts = await async_call_texts(hass)
    item = CallBack(
        uid="u", number=number, name=name, extension="6002", missed=1, last_missed=NOON
    )

    assert texts.call_back_summary(item) == summary


async def test_second_miss_updates_the_item(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """The same number missed twice: still one item, counting two."""
    await async_post_all(
        webhook_client,
        [
            *call("c1", NUMBER, "6001", "NO ANSWER"),
            *call("c2", NUMBER, "6002", "BUSY", start_ms=EPOCH_MS_NOON + 600_000),
        ],
    )

    (item,) = await todo_items(hass)
    assert item["description"] == (
        "2 missed calls, the last on Nov 27 at 12:11, extension 6002. "
        "To call back, dial 032999999999."
    )


async def test_answered_call_back_completes_the_item(
    hass: HomeAssistant, webhook_client: WebhookClient, freezer: FrozenDateTimeFactory
) -> None:
    """Calling the number back (with the outside-line prefix) and talking completes it."""
    await async_post_all(
        webhook_client,
        [
            *call("c1", "32999999999", "6001", "NO ANSWER"),
            *call("c2", "6001", NUMBER, "ANSWERED", start_ms=EPOCH_MS_NOON + 600_000),
        ],
    )

    (item,) = await todo_items(hass)
    assert item["status"] == "completed"
    await async_busy_writes_done(hass, freezer)
    assert get_state(hass, TODO).state == "0"


async def test_unanswered_call_back_leaves_the_item_open(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """Calling back without reaching anyone leaves the item to do."""
    await async_post_all(
        webhook_client,
        [
            *call("c1", NUMBER, "6001", "NO ANSWER"),
            *call("c2", "6001", NUMBER, "NO ANSWER", start_ms=EPOCH_MS_NOON + 600_000),
        ],
    )

    (item,) = await todo_items(hass)
    assert item["status"] == "needs_action"


async def test_outgoing_unanswered_call_adds_no_item(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """An extension's own unanswered outgoing call is nobody's missed call."""
    await async_post_all(webhook_client, call("c1", "6001", NUMBER, "NO ANSWER"))

    assert await todo_items(hass) == []


async def test_user_completes_and_deletes_items(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """The user may tick an item off, and remove it."""
    await async_post_all(webhook_client, call("c1", NUMBER, "6001", "NO ANSWER"))
    (item,) = await todo_items(hass)

    await hass.services.async_call(
        "todo",
        "update_item",
        {"entity_id": TODO, "item": item["uid"], "status": "completed"},
        blocking=True,
    )
    assert [item["status"] for item in await todo_items(hass)] == ["completed"]
    await hass.services.async_call(
        "todo", "remove_item", {"entity_id": TODO, "item": item["uid"]}, blocking=True
    )
    assert await todo_items(hass) == []


async def test_missed_call_between_extensions_is_the_called_ones(
    hass: HomeAssistant, webhook_client: WebhookClient, freezer: FrozenDateTimeFactory
) -> None:
    """6001 calls 6002, nobody answers: 6002 missed a call from 6001."""
    await async_post_all(webhook_client, call("c1", "6001", "6002", "NO ANSWER"))
    await async_busy_writes_done(hass, freezer)

    (item,) = await todo_items(hass)
    assert item["summary"] == "Extension 6001"
    assert item["description"].endswith("extension 6002. To call back, dial 6001.")
    assert get_state(hass, MISSED_6002).state == "1"
    assert get_state(hass, MISSED_6001).state == "0"


# --- Calendar ----------------------------------------------------------------


async def test_calendar_shows_the_calls_of_a_day(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """The day's calls are events from start to end, titled in English."""
    yesterday = EPOCH_MS_NOON - 86_400_000
    await async_post_all(
        webhook_client,
        [
            *call("old", "6001", NUMBER, "ANSWERED", start_ms=yesterday),
            *call("c1", "6001", NUMBER, "ANSWERED", seconds=185),
            *call(
                "c2", NUMBER, "6002", "NO ANSWER", start_ms=EPOCH_MS_NOON + 3_600_000
            ),
        ],
    )

    events = await calendar_events(hass, "2026-11-27 00:00:00", "2026-11-28 00:00:00")

    assert [(event["start"], event["end"], event["summary"]) for event in events] == [
        (
            "2026-11-27T12:00:00-03:00",
            "2026-11-27T12:03:05-03:00",
            "Outgoing: Extension 6001 → (32) 99999-9999 · Answered · 3 min 5 s",
        ),
        (
            "2026-11-27T13:00:00-03:00",
            "2026-11-27T13:01:00-03:00",
            "Incoming: (32) 99999-9999 → Extension 6002 · Missed · 1 min 0 s",
        ),
    ]
    assert events[0]["description"] == ("From: 6001\nTo: (32) 99999-9999\nCall ID: c1")


async def test_calendar_speaks_the_system_language(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """On a Portuguese system the titles are Portuguese."""
    hass.config.language = "pt-BR"
    await async_post_all(webhook_client, call("c1", NUMBER, "6001", "NO ANSWER"))

    (event,) = await calendar_events(hass, "2026-11-27 00:00:00", "2026-11-28 00:00:00")

    assert (
        event["summary"]
        == "Recebida: (32) 99999-9999 → Extension 6001 · Perdida · 1 min 0 s"
    )


async def test_the_calendar_card_asks_for_a_day_again(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    hass_client: ClientSessionGenerator,
) -> None:
    """Over REST, as the card asks: local times; asked again, the new call is there."""
    await async_post_all(webhook_client, call("c1", "6001", NUMBER, "ANSWERED"))
    client = await hass_client()
    path = (
        f"/api/calendars/{CALENDAR}?start=2026-11-27T03:00:00Z&end=2026-11-28T03:00:00Z"
    )
    first = await (await client.get(path)).json()
    await async_post_all(
        webhook_client,
        call("c2", NUMBER, "6002", "NO ANSWER", start_ms=EPOCH_MS_NOON + 3_600_000),
    )

    second = await (await client.get(path)).json()

    assert [(event["uid"], event["start"], event["end"]) for event in second] == [
        (
            "c1",
            {"dateTime": "2026-11-27T12:00:00-03:00"},
            {"dateTime": "2026-11-27T12:01:00-03:00"},
        ),
        (
            "c2",
            {"dateTime": "2026-11-27T13:00:00-03:00"},
            {"dateTime": "2026-11-27T13:01:00-03:00"},
        ),
    ]
    assert second[0] == first[0]


def test_a_moment_writes_itself_as_a_date_time_does() -> None:
    """Its text is ``isoformat``'s; other forms and derived moments are written anew."""
    zone = dt_util.get_time_zone("America/Sao_Paulo")
    assert zone is not None
    moment = Moment.of(1795791600.25, zone)
    plain = datetime.fromtimestamp(1795791600.25, zone)

    assert moment == plain
    assert moment.isoformat() == plain.isoformat() == "2026-11-27T12:00:00.250000-03:00"
    assert moment.isoformat(" ", "seconds") == "2026-11-27 12:00:00-03:00"
    assert moment.replace(hour=13).isoformat() == "2026-11-27T13:00:00.250000-03:00"
    assert copy.deepcopy(moment) is moment


# --- Daily figures -----------------------------------------------------------


async def test_daily_figures_count_the_day(
    hass: HomeAssistant, webhook_client: WebhookClient, freezer: FrozenDateTimeFactory
) -> None:
    """Calls, missed calls and talk time, per extension and for the PBX."""
    await async_post_all(
        webhook_client,
        [
            *call("c1", "6001", NUMBER, "ANSWERED", seconds=90),
            *call("c2", NUMBER, "6001", "NO ANSWER"),
            *call("c3", "6002", "6003", "ANSWERED", seconds=30),
        ],
    )
    await async_busy_writes_done(hass, freezer)

    assert get_state(hass, CALLS_6001).state == "2"
    assert get_state(hass, MISSED_6001).state == "1"
    assert get_state(hass, TALK_6001).state == "1.5"
    assert get_state(hass, PBX_CALLS).state == "3"
    assert get_state(hass, PBX_MISSED).state == "1"
    assert get_state(hass, PBX_TALK).state == "2.0"


async def test_a_flood_of_calls_writes_the_figures_once_a_second(
    hass: HomeAssistant, webhook_client: WebhookClient, freezer: FrozenDateTimeFactory
) -> None:
    """Ten calls in a row: the PBX's count is written once, then the final 10."""
    written = async_capture_events(hass, EVENT_STATE_CHANGED)
    bodies = [
        body for n in range(10) for body in call(f"c{n}", NUMBER, "6001", "NO ANSWER")
    ]
    await async_post_all(webhook_client, bodies)
    await async_busy_writes_done(hass, freezer)

    counts = [
        new_state.state
        for event in written
        if event.data["entity_id"] == PBX_CALLS
        and (new_state := event.data["new_state"]) is not None
    ]
    assert len(counts) <= 2
    assert counts[-1] == "10"


async def test_a_figure_after_a_quiet_second_is_written_at_once(
    hass: HomeAssistant, webhook_client: WebhookClient, freezer: FrozenDateTimeFactory
) -> None:
    """Only changes that come in quick succession wait for each other."""
    freezer.tick(timedelta(seconds=BUSY_WRITE_INTERVAL))  # quiet since set-up

    await async_post_all(webhook_client, call("c1", NUMBER, "6001", "NO ANSWER"))
    await hass.async_block_till_done()

    assert get_state(hass, PBX_CALLS).state == "1"
    assert get_state(hass, MISSED_6001).state == "1"


async def test_daily_figures_start_again_at_local_midnight(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    freezer: FrozenDateTimeFactory,
) -> None:
    """At midnight in São Paulo every figure goes back to 0."""
    await async_post_all(webhook_client, call("c1", NUMBER, "6001", "NO ANSWER"))
    await async_busy_writes_done(hass, freezer)
    assert get_state(hass, PBX_CALLS).state == "1"

    freezer.move_to(datetime.fromisoformat("2026-11-28 03:00:00+00:00"))
    async_fire_time_changed(hass)
    await async_busy_writes_done(hass, freezer)

    assert get_state(hass, PBX_CALLS).state == "0"
    assert get_state(hass, MISSED_6001).state == "0"


async def test_daily_figures_survive_a_restart(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
) -> None:
    """The figures come from the call log: a restart keeps them."""
    await async_post_all(webhook_client, call("c1", NUMBER, "6001", "NO ANSWER"))

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert get_state(hass, PBX_CALLS).state == "1"
    assert get_state(hass, MISSED_6001).state == "1"


# --- get_calls ---------------------------------------------------------------


@pytest.fixture
async def three_calls(webhook_client: WebhookClient) -> None:
    """6001 calls out (answered), misses a call, and 6002 calls 6003."""
    await async_post_all(
        webhook_client,
        [
            *call("out", "6001", NUMBER, "ANSWERED"),
            *call(
                "missed", NUMBER, "6001", "NO ANSWER", start_ms=EPOCH_MS_NOON + 60_000
            ),
            *call(
                "internal", "6002", "6003", "ANSWERED", start_ms=EPOCH_MS_NOON + 120_000
            ),
        ],
    )


@pytest.mark.usefixtures("three_calls")
@pytest.mark.parametrize(
    ("data", "call_ids"),
    [
        pytest.param({}, ["internal", "missed", "out"], id="all-newest-first"),
        pytest.param({"extension": "6001"}, ["missed", "out"], id="extension"),
        pytest.param({"missed_only": True}, ["missed"], id="missed-only"),
        pytest.param({"direction": "internal"}, ["internal"], id="internal"),
        pytest.param(
            {"extension": "6003", "direction": "inbound"}, ["internal"], id="seen-from"
        ),
        pytest.param({"limit": 1}, ["internal"], id="limit"),
        pytest.param(
            {"start": "2026-11-27 12:01:30", "end": "2026-11-27 12:02:30"},
            ["missed"],
            id="period",
        ),
    ],
)
async def test_get_calls_filters(
    hass: HomeAssistant, data: dict[str, Any], call_ids: list[str]
) -> None:
    """``get_calls`` answers the log's finished calls that match, newest first."""
    response = await async_action(hass, "get_calls", data)

    assert response is not None
    assert [found["call_id"] for found in response["calls"]] == call_ids


@pytest.mark.usefixtures("three_calls")
async def test_get_calls_answers_the_spec_fields(hass: HomeAssistant) -> None:
    """Each call holds the fields SPEC.md lists for a finished call."""
    response = await async_action(hass, "get_calls", {"missed_only": True})

    assert response == {
        "calls": [
            {
                "call_id": "missed",
                "extension": "6001",
                "direction": "inbound",
                "from": NUMBER,
                "to": "6001",
                "from_name": None,
                "to_name": "Extension 6001",
                "remote_number": NUMBER,
                "remote_name": None,
                "started": "2026-11-27T15:01:00+00:00",
                "answered": None,
                "ended": "2026-11-27T15:02:00+00:00",
                "duration": 60,
                "talk_time": 0,
                "disposition": "no_answer",
                "raw_disposition": "NO ANSWER",
                "source": "webhook",
                "placed_by": None,
            }
        ]
    }


@pytest.mark.usefixtures("three_calls")
async def test_get_calls_of_the_extension_device(
    hass: HomeAssistant, extension_device_id: str
) -> None:
    """The action's picker gives the extension's device: its calls are answered."""
    response = await async_action(hass, "get_calls", {"extension": extension_device_id})

    assert response is not None
    assert [found["call_id"] for found in response["calls"]] == ["missed", "out"]


@pytest.mark.usefixtures("init_integration")
async def test_get_calls_of_an_unknown_extension_is_refused(
    hass: HomeAssistant,
) -> None:
    """An extension the entry does not have: a translated error."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(hass, "get_calls", {"extension": "7777"})

    assert err.value.translation_key == "unknown_extension"


@pytest.mark.usefixtures("init_integration")
async def test_get_calls_of_a_period_ending_before_it_starts_is_refused(
    hass: HomeAssistant,
) -> None:
    """Start after end answers a translated error naming both, not an empty list."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(
            hass,
            "get_calls",
            {"start": "2026-11-28 00:00:00", "end": "2026-11-27 00:00:00"},
        )

    assert err.value.translation_key == "start_after_end"
    assert err.value.translation_placeholders == {
        "start": "2026-11-28 00:00:00",
        "end": "2026-11-27 00:00:00",
    }


# --- The missed trigger ------------------------------------------------------


async def test_missed_trigger_fires_for_the_called_extension(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    automation_calls: list[ServiceCall],
    device_registry: dr.DeviceRegistry,
) -> None:
    """``missed`` on 6002 fires for 6001's unanswered call to it, not on 6001."""
    automations = [
        {
            "alias": extension,
            "triggers": [
                {
                    "trigger": "device",
                    "domain": DOMAIN,
                    "device_id": device_id_of(
                        device_registry, init_integration, f"{HOST}_{extension}"
                    ),
                    "type": "missed",
                }
            ],
            "actions": [
                {"action": "test.automation", "data": {"extension": extension}}
            ],
        }
        for extension in ("6001", "6002")
    ]
    assert await async_setup_component(hass, "automation", {"automation": automations})

    await async_post_all(
        webhook_client,
        [
            *call("c1", "6001", "6002", "NO ANSWER"),
            *call("c2", "6002", NUMBER, "NO ANSWER", start_ms=EPOCH_MS_NOON + 60_000),
            *call("c3", NUMBER, "6002", "ANSWERED", start_ms=EPOCH_MS_NOON + 120_000),
        ],
    )
    await hass.async_block_till_done()

    assert [service_call.data["extension"] for service_call in automation_calls] == [
        "6002"
    ]
