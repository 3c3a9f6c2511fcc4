"""Logbook descriptions of the call events."""

from collections.abc import Callable
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.bemmelhor.call_texts import CallTexts, async_call_texts
from custom_components.bemmelhor.const import (
    DOMAIN,
    EVENT_CALL_DIALING,
    EVENT_CALL_HANGUP,
)
from custom_components.bemmelhor.logbook import (
    describe_dialing,
    describe_hangup,
    format_duration,
)
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.translation import async_load_integrations
from homeassistant.setup import async_setup_component

from .contact_helpers import async_add_contact
from .helpers import NUMBER, WEBHOOK_PATH, WebhookClient, dialing_body, hangup_body

type Describer = Callable[[Event[Any]], dict[str, str]]

DIALING_CREATED = 1613584017387
WRITTEN = "(32) 99999-9999"
"""``NUMBER`` as the logbook writes it, as the call history's titles do."""


def dialing(from_: str = "6001", to: str = NUMBER) -> dict[str, Any]:
    """Return a ``call.dialing`` body."""
    return dialing_body(from_=from_, to=to, created=DIALING_CREATED)


def hangup(from_: str = "6001") -> dict[str, Any]:
    """Return the answered ``call.hangup`` of the call of ``dialing``, 125 s later."""
    return hangup_body(from_=from_, created=DIALING_CREATED + 125_000)


@pytest.fixture(autouse=True)
def _custom_integrations(
    recorder_db_url: str, enable_custom_integrations: None
) -> None:
    """Let Home Assistant load the integration, after the recorder's database.

    Overrides the conftest fixture of the same name: the recorder must get its
    database before Home Assistant starts.
    """


@pytest.fixture
async def logbook(recorder_mock: Any, hass: HomeAssistant) -> None:
    """Set up the logbook (on an in-memory recorder) before the HTTP server starts."""
    hass.config.components.add("frontend")  # not installed in the test venv
    assert await async_setup_component(hass, "websocket_api", {})
    assert await async_setup_component(hass, "logbook", {})


@pytest.fixture
async def texts(hass: HomeAssistant) -> CallTexts:
    """Return the integration's texts in English."""
    return await async_call_texts(hass)


def describer(hass: HomeAssistant, event_type: str) -> Describer:
    """Return the describe callback the integration registered for an event."""
    domain, describe = hass.data["logbook"].external_events[event_type]
    assert domain == DOMAIN
    return describe  # type: ignore[no-any-return]


# --- Texts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (5, "5 s"),
        (59, "59 s"),
        (60, "1 min 0 s"),
        (125, "2 min 5 s"),
        (3599, "59 min 59 s"),
        (3600, "1 h 0 min"),
        (3725, "1 h 2 min"),
        (90_061, "25 h 1 min"),
    ],
)
async def test_format_duration(texts: CallTexts, seconds: int, text: str) -> None:
    """Durations read like a person writes them."""
    assert format_duration(texts, seconds) == text


@pytest.mark.parametrize(
    ("data", "text"),
    [
        pytest.param(
            {"extension": "6001", "from": "6001", "to": NUMBER},
            f"called {WRITTEN}",
            id="outgoing",
        ),
        pytest.param(
            {"extension": "6001", "from": "6001", "to": "6002"},
            "called 6002",
            id="internal",
        ),
        pytest.param(
            {"extension": "6002", "from": NUMBER, "to": "6002"},
            f"is receiving a call from {WRITTEN}",
            id="incoming",
        ),
        pytest.param(
            {"extension": "6001", "from": "6001", "to": None},
            "called an unknown number",
            id="unknown-destination",
        ),
        pytest.param(
            {
                "extension": "6001",
                "from": "6001",
                "to": NUMBER,
                "from_name": "Recepção",
                "to_name": "Maria Silva",
            },
            "called Maria Silva",
            id="outgoing-to-contact",
        ),
        pytest.param(
            {
                "extension": "6002",
                "from": NUMBER,
                "to": "6002",
                "from_name": "Maria Silva",
                "to_name": "Extension 6002",
            },
            "is receiving a call from Maria Silva",
            id="incoming-from-contact",
        ),
        pytest.param(
            {"extension": "6002", "from": None, "to": "6002"},
            "is receiving a call from an unknown number",
            id="unknown-caller",
        ),
    ],
)
async def test_describe_dialing(
    texts: CallTexts, data: dict[str, Any], text: str
) -> None:
    """A dialing names the other party and the direction."""
    assert describe_dialing(texts, data) == text


@pytest.mark.parametrize(
    ("data", "text"),
    [
        pytest.param(
            {
                "extension": "6001",
                "from": "6001",
                "to": NUMBER,
                "disposition": "answered",
                "duration": 125,
            },
            f"call to {WRITTEN} ended — Answered, 2 min 5 s",
            id="answered",
        ),
        pytest.param(
            {
                "extension": "6001",
                "from": "6001",
                "to": NUMBER,
                "disposition": "no_answer",
            },
            f"call to {WRITTEN} ended — No answer",
            id="no-answer-without-duration",
        ),
        pytest.param(
            {
                "extension": "6002",
                "from": NUMBER,
                "to": "6002",
                "direction": "inbound",
                "disposition": "busy",
                "duration": 0,
            },
            f"call from {WRITTEN} ended — Missed, 0 s",
            id="incoming-busy",
        ),
        pytest.param(
            {
                "extension": "6001",
                "from": "6001",
                "to": "6002",
                "direction": "internal",
                "to_name": "Extension 6002",
                "disposition": "no_answer",
                "duration": 20,
            },
            "call to Extension 6002 ended — Missed, 20 s",
            id="internal-missed",
        ),
        pytest.param(
            {
                "extension": "6001",
                "from": "6001",
                "to": NUMBER,
                "direction": "outbound",
                "disposition": "no_answer",
                "duration": 20,
            },
            f"call to {WRITTEN} ended — No answer, 20 s",
            id="outgoing-no-answer",
        ),
        pytest.param(
            {
                "extension": "6002",
                "from": NUMBER,
                "to": "6002",
                "from_name": "Maria Silva",
                "disposition": "answered",
                "duration": 180,
            },
            "call from Maria Silva ended — Answered, 3 min 0 s",
            id="incoming-from-contact",
        ),
        pytest.param(
            {
                "extension": "6001",
                "from": "6001",
                "to": None,
                "disposition": "congestion",
            },
            "call to an unknown number ended — Congestion",
            id="congestion-unknown-destination",
        ),
        pytest.param(
            {"extension": "6001", "from": "6001", "to": NUMBER, "disposition": None},
            f"call to {WRITTEN} ended — Unknown",
            id="no-disposition",
        ),
        pytest.param(
            {
                "extension": "6001",
                "from": "6001",
                "to": NUMBER,
                "disposition": "failed",
                "duration": 3725,
            },
            f"call to {WRITTEN} ended — Failed, 1 h 2 min",
            id="failed-long",
        ),
    ],
)
async def test_describe_hangup(
    texts: CallTexts, data: dict[str, Any], text: str
) -> None:
    """A hangup tells the other party, the outcome and the duration."""
    assert describe_hangup(texts, data) == text


# --- In the logbook ----------------------------------------------------------


async def test_logbook_shows_the_call(
    logbook: None,
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    webhook_client: WebhookClient,
) -> None:
    """``logbook/get_events`` tells the call in two lines, named after the extension."""
    await webhook_client.post(WEBHOOK_PATH, json=dialing())
    await webhook_client.post(WEBHOOK_PATH, json=hangup())
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    client = await hass_ws_client()

    await client.send_json_auto_id(
        {"type": "logbook/get_events", "start_time": "2020-01-01T00:00:00+00:00"}
    )
    response = await client.receive_json()

    assert response["success"]
    assert [
        {key: entry[key] for key in ("name", "message")}
        for entry in response["result"]
        if entry.get("domain") == DOMAIN
    ] == [
        {"name": "Extension 6001", "message": f"called {WRITTEN}"},
        {
            "name": "Extension 6001",
            "message": f"call to {WRITTEN} ended — Answered, 2 min 5 s",
        },
    ]


async def test_logbook_names_the_contact(
    logbook: None,
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
) -> None:
    """A contact added on the integration's page names the other party."""
    await async_add_contact(hass, init_integration, "Maria Silva", "+55 32 99999-9999")
    await webhook_client.post(WEBHOOK_PATH, json=dialing())
    await webhook_client.post(WEBHOOK_PATH, json=hangup())
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    client = await hass_ws_client()

    await client.send_json_auto_id(
        {"type": "logbook/get_events", "start_time": "2020-01-01T00:00:00+00:00"}
    )
    response = await client.receive_json()

    assert [
        entry["message"]
        for entry in response["result"]
        if entry.get("domain") == DOMAIN
    ] == [
        "called Maria Silva",
        "call to Maria Silva ended — Answered, 2 min 5 s",
    ]


async def test_logbook_uses_the_name_given_by_the_user(
    logbook: None,
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    extension_device_id: str,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A renamed extension appears under its new name."""
    device_registry.async_update_device(extension_device_id, name_by_user="Reception")
    events = async_capture_events(hass, EVENT_CALL_DIALING)
    await webhook_client.post(WEBHOOK_PATH, json=dialing())

    assert describer(hass, EVENT_CALL_DIALING)(events[0]) == {
        "name": "Reception",
        "message": f"called {WRITTEN}",
        "icon": "mdi:phone-outgoing",
        "entity_id": "event.extension_6001_call",
    }


async def test_logbook_names_an_unknown_extension(
    logbook: None, hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """A call of an extension not configured is named after its number."""
    events = async_capture_events(hass, EVENT_CALL_HANGUP)
    await webhook_client.post(WEBHOOK_PATH, json=dialing(from_="7777"))
    await webhook_client.post(WEBHOOK_PATH, json=hangup(from_="7777"))

    assert describer(hass, EVENT_CALL_HANGUP)(events[0]) == {
        "name": "Extension 7777",
        "message": f"call to {WRITTEN} ended — Answered, 2 min 5 s",
        "icon": "mdi:phone-hangup",
    }


async def test_logbook_describes_an_incoming_call(
    logbook: None, hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """A call from outside is told from the called extension's side."""
    events = async_capture_events(hass, EVENT_CALL_DIALING)
    await webhook_client.post(WEBHOOK_PATH, json=dialing(from_=NUMBER, to="6002"))

    assert describer(hass, EVENT_CALL_DIALING)(events[0]) == {
        "name": "Extension 6002",
        "message": f"is receiving a call from {WRITTEN}",
        "icon": "mdi:phone-incoming",
        "entity_id": "event.extension_6002_call",
    }


async def test_logbook_marks_an_unanswered_call_missed(
    logbook: None, hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """A hangup that was not answered has the missed-call icon."""
    events = async_capture_events(hass, EVENT_CALL_HANGUP)
    await webhook_client.post(WEBHOOK_PATH, json=dialing(from_=NUMBER, to="6002"))
    await webhook_client.post(
        WEBHOOK_PATH,
        json=hangup_body(
            from_=NUMBER, disposition="NO ANSWER", created=DIALING_CREATED + 20_000
        ),
    )

    assert describer(hass, EVENT_CALL_HANGUP)(events[0])["icon"] == "mdi:phone-missed"


async def test_logbook_speaks_the_system_language(
    logbook: None, hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """On a Portuguese system the lines are in Portuguese."""
    hass.config.language = "pt-BR"
    await async_load_integrations(hass, {DOMAIN})
    events = async_capture_events(hass, EVENT_CALL_HANGUP)
    await webhook_client.post(WEBHOOK_PATH, json=dialing(from_="7777"))
    await webhook_client.post(WEBHOOK_PATH, json=hangup(from_="7777"))

    assert (
        describer(hass, EVENT_CALL_HANGUP)(events[0])["message"]
        == f"ligação para {WRITTEN} encerrada — Atendida, 2 min 5 s"
    )


async def test_logbook_writes_a_missed_call_as_the_history_does(
    logbook: None, hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """The number as ``(32) 99999-9999`` and the outcome *Perdida*, as in the calendar."""
    hass.config.language = "pt-BR"
    await async_load_integrations(hass, {DOMAIN})
    events = async_capture_events(hass, EVENT_CALL_HANGUP)
    await webhook_client.post(WEBHOOK_PATH, json=dialing(from_=NUMBER, to="6002"))
    await webhook_client.post(
        WEBHOOK_PATH,
        json=hangup_body(
            from_=NUMBER, disposition="NO ANSWER", created=DIALING_CREATED + 20_000
        ),
    )

    assert (
        describer(hass, EVENT_CALL_HANGUP)(events[0])["message"]
        == f"ligação de {WRITTEN} encerrada — Perdida, 20 s"
    )


async def test_logbook_card_of_the_event_entity_shows_the_call(
    logbook: None,
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    webhook_client: WebhookClient,
) -> None:
    """A logbook filtered on the extension's event entity shows its calls."""
    await webhook_client.post(WEBHOOK_PATH, json=dialing())
    await webhook_client.post(WEBHOOK_PATH, json=hangup())
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    client = await hass_ws_client()

    await client.send_json_auto_id(
        {
            "type": "logbook/get_events",
            "start_time": "2020-01-01T00:00:00+00:00",
            "entity_ids": ["event.extension_6001_call"],
        }
    )
    response = await client.receive_json()

    assert [
        entry["message"]
        for entry in response["result"]
        if entry.get("domain") == DOMAIN
    ] == [f"called {WRITTEN}", f"call to {WRITTEN} ended — Answered, 2 min 5 s"]


async def test_last_webhook_is_off_by_default(
    init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """The hub's last_webhook, which changes with every call, adds no logbook rows."""
    entry = entity_registry.async_get("sensor.bem_melhor_pbx_last_webhook")

    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
