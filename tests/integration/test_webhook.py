"""The webhook, through real HTTP: its answers, the bus events and the entities."""

import asyncio
from collections.abc import AsyncIterator
import json
import logging
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bemmelhor.const import (
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    WEBHOOK_MAX_BODY,
)
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr

from .helpers import (
    CLIENT_ID,
    EXTENSIONS,
    HOST,
    NUMBER,
    WEBHOOK_PATH,
    WebhookClient,
    device_id_of,
    get_state,
    integration_records,
)

LAST_WEBHOOK = "sensor.bem_melhor_pbx_last_webhook"
CALL_ID = "6583e35aca21ad97"
NOW = "2026-03-02T14:00:00+00:00"
DIALING_CREATED = 1613584017387
"""2021-02-17T17:46:57.387 UTC, in epoch milliseconds as the PBX sends it."""
HANGUP_CREATED = DIALING_CREATED + 125_000

# The hub's last_webhook sensor is disabled by default; these tests read it.
pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")


def dialing(**data: Any) -> dict[str, Any]:
    """Return a ``call.dialing`` body as the PBX sends it, with ``data`` overrides."""
    return {
        "event": "call.dialing",
        "clientId": CLIENT_ID,
        "data": {
            "created": DIALING_CREATED,
            "from": "6001",
            "to": NUMBER,
            "error": None,
            "callId": CALL_ID,
            "serverMessage": "Chamando o destino",
            "disposition": None,
        }
        | data,
    }


def hangup(**data: Any) -> dict[str, Any]:
    """Return a ``call.hangup`` body as the PBX sends it, with ``data`` overrides."""
    return {
        "event": "call.hangup",
        "clientId": CLIENT_ID,
        "data": {
            "created": HANGUP_CREATED,
            "from": "6001",
            "to": "h",
            "error": None,
            "callId": CALL_ID,
            "serverMessage": "Ligação encerrada",
            "disposition": "ANSWERED",
        }
        | data,
    }


def encoded(value: Any) -> bytes:
    """Return a JSON body."""
    return json.dumps(value).encode()


async def post(client: WebhookClient, body: dict[str, Any]) -> tuple[int, Any]:
    """POST a JSON body to the webhook; return the status and the answer."""
    response = await client.post(WEBHOOK_PATH, json=body)
    return response.status, await response.json()


async def post_call(client: WebhookClient, **hangup_data: Any) -> None:
    """POST a dialing, then its hangup with ``hangup_data`` overrides."""
    await post(client, dialing())
    await post(client, hangup(**hangup_data))


# --- Answers -----------------------------------------------------------------


async def test_dialing_is_accepted(webhook_client: WebhookClient) -> None:
    """A well-formed webhook is answered 200 with a JSON result."""
    assert await post(webhook_client, dialing()) == (200, {"result": "accepted"})


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"call.dialing", id="not-json"),
        pytest.param(b'{"event": "call.dialing"', id="truncated-json"),
        pytest.param(b'{"event": "call.\xff\xfe"}', id="invalid-utf8"),
        pytest.param(b"[" * 10_000 + b"]" * 10_000, id="deeply-nested"),
        pytest.param(encoded([dialing()]), id="json-array"),
        pytest.param(encoded("call.dialing"), id="json-string"),
        pytest.param(encoded(42), id="json-number"),
        pytest.param(b"null", id="json-null"),
        pytest.param(encoded({"clientId": CLIENT_ID}), id="event-missing"),
        pytest.param(encoded(dialing() | {"event": None}), id="event-null"),
        pytest.param(encoded(dialing() | {"event": 1}), id="event-number"),
        pytest.param(encoded(dialing() | {"event": True}), id="event-bool"),
        pytest.param(encoded(dialing() | {"event": ["call.dialing"]}), id="event-list"),
        pytest.param(encoded(dialing() | {"event": {"a": 1}}), id="event-object"),
        pytest.param(encoded(dialing() | {"event": "x" * 65}), id="event-too-long"),
        pytest.param(encoded(dialing() | {"clientId": [CLIENT_ID]}), id="client-list"),
        pytest.param(encoded(dialing() | {"data": []}), id="data-list"),
        pytest.param(encoded(dialing() | {"data": "x"}), id="data-string"),
        pytest.param(encoded(dialing() | {"data": None}), id="data-null"),
        pytest.param(
            encoded({"event": "call.hangup", "clientId": CLIENT_ID}), id="data-missing"
        ),
        pytest.param(
            encoded({"event": "call.dialing", "clientId": CLIENT_ID, "data": {}}),
            id="call-id-missing",
        ),
        pytest.param(encoded(dialing(callId=None)), id="call-id-null"),
        pytest.param(encoded(dialing(callId=[CALL_ID])), id="call-id-list"),
        pytest.param(encoded(dialing(callId={"id": 1})), id="call-id-object"),
        pytest.param(encoded(dialing(callId=1.5)), id="call-id-float"),
        pytest.param(encoded(dialing(callId=True)), id="call-id-bool"),
        pytest.param(encoded(dialing(callId="")), id="call-id-empty"),
        pytest.param(encoded(dialing(callId="   ")), id="call-id-blank"),
        pytest.param(encoded(dialing(callId="x" * 129)), id="call-id-too-long"),
        pytest.param(encoded(dialing(created=True)), id="created-bool"),
        pytest.param(encoded(dialing(created="yesterday")), id="created-text"),
        pytest.param(encoded(dialing(created=[1])), id="created-list"),
        pytest.param(encoded(dialing(created={"ms": 1})), id="created-object"),
        pytest.param(encoded(dialing(created=1e300)), id="created-far-future"),
        pytest.param(
            encoded(dialing(created="2021-02-30T10:00:00Z")), id="created-no-such-day"
        ),
        pytest.param(
            encoded(dialing()).replace(b"1613584017387", b"NaN"), id="created-nan"
        ),
        pytest.param(
            encoded(dialing()).replace(b"1613584017387", b"1" + b"0" * 400),
            id="created-huge-int",
        ),
        pytest.param(
            encoded(dialing(created="0001-01-01T00:00:00+01:00")),
            id="created-before-year-1-in-utc",
        ),
        pytest.param(
            encoded(dialing(created="9999-12-31T23:59:59-01:00")),
            id="created-after-year-9999-in-utc",
        ),
        pytest.param(encoded(dialing(**{"from": {"n": "6001"}})), id="from-object"),
        pytest.param(encoded(dialing(**{"from": ["6001"]})), id="from-list"),
        pytest.param(encoded(dialing(**{"from": 6001.0})), id="from-float"),
        pytest.param(encoded(dialing(**{"from": False})), id="from-bool"),
        pytest.param(encoded(dialing(**{"from": "6" * 65})), id="from-too-long"),
        pytest.param(encoded(dialing(to=[NUMBER])), id="to-list"),
        pytest.param(encoded(hangup(disposition={"a": 1})), id="disposition-object"),
        pytest.param(encoded(dialing(serverMessage=["x"])), id="server-message-list"),
        pytest.param(encoded(dialing(error={"code": 1})), id="error-object"),
        pytest.param(encoded(dialing(error="e" * 1025)), id="error-too-long"),
        pytest.param(
            encoded(dialing()).replace(CALL_ID.encode(), b"\\ud800"),
            id="call-id-lone-surrogate",
        ),
        pytest.param(
            encoded(dialing()).replace(NUMBER.encode(), b"\\udfff"),
            id="to-lone-surrogate",
        ),
    ],
)
async def test_malformed_body_is_refused(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    dialing_events: list[Event],
    caplog: pytest.LogCaptureFixture,
    body: bytes,
) -> None:
    """Not JSON, not an object or wrong field types: 400, and nothing happens."""
    response = await webhook_client.post(WEBHOOK_PATH, data=body)

    assert response.status == 400
    assert (await response.json()).keys() == {"result"}
    assert integration_records(caplog, logging.ERROR) == []
    assert dialing_events == []
    assert get_state(hass, "sensor.extension_6001_call_state").state == "idle"
    assert get_state(hass, LAST_WEBHOOK).state == STATE_UNKNOWN


@pytest.mark.parametrize(
    "client_id",
    [
        pytest.param("another-client", id="other"),
        pytest.param(CLIENT_ID.upper(), id="other-case"),
        pytest.param(CLIENT_ID[:-1], id="prefix"),
        pytest.param("", id="empty"),
        pytest.param(None, id="null"),
    ],
)
async def test_wrong_client_id_is_refused(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    dialing_events: list[Event],
    client_id: str | None,
) -> None:
    """When the entry has a client id, a webhook with another one is refused."""
    status, answer = await post(webhook_client, dialing() | {"clientId": client_id})

    assert (status, answer) == (401, {"result": "clientId mismatch"})
    assert dialing_events == []
    assert get_state(hass, "sensor.extension_6001_call_state").state == "idle"


async def test_missing_client_id_is_refused(
    webhook_client: WebhookClient, dialing_events: list[Event]
) -> None:
    """A webhook without ``clientId`` is refused when the entry has one."""
    body = dialing()
    del body["clientId"]

    assert await post(webhook_client, body) == (401, {"result": "clientId mismatch"})
    assert dialing_events == []


@pytest.mark.parametrize(
    "entry_options",
    [{CONF_EXTENSIONS: EXTENSIONS, CONF_OUTSIDE_LINE_PREFIX: "0"}],
)
@pytest.mark.parametrize("client_id", ["any-client", "", None])
async def test_any_client_id_is_accepted_without_one_configured(
    webhook_client: WebhookClient, dialing_events: list[Event], client_id: str | None
) -> None:
    """An entry without a client id accepts webhooks whatever their ``clientId``."""
    status, answer = await post(webhook_client, dialing() | {"clientId": client_id})

    assert (status, answer) == (200, {"result": "accepted"})
    assert len(dialing_events) == 1


async def test_body_over_64_kib_is_refused(
    webhook_client: WebhookClient, dialing_events: list[Event]
) -> None:
    """A body far over 64 KiB is answered 413 without being read whole."""
    body = encoded(dialing() | {"padding": ""})
    body = body.replace(b'"padding": ""', b'"padding": "' + b"x" * 200_000 + b'"')

    response = await webhook_client.post(WEBHOOK_PATH, data=body)

    assert response.status == 413
    assert await response.json() == {"result": "body too large"}
    assert dialing_events == []


@pytest.mark.parametrize(
    ("size", "status"), [(WEBHOOK_MAX_BODY, 200), (WEBHOOK_MAX_BODY + 1, 413)]
)
async def test_body_size_limit_is_64_kib(
    webhook_client: WebhookClient, size: int, status: int
) -> None:
    """Exactly 64 KiB is accepted; one byte more is too large."""
    body = encoded(dialing() | {"padding": ""})
    padding = b"x" * (size - len(body))
    body = body.replace(b'"padding": ""', b'"padding": "' + padding + b'"')
    assert len(body) == size

    response = await webhook_client.post(WEBHOOK_PATH, data=body)

    assert response.status == status


async def test_body_arriving_in_parts_is_read_whole(
    webhook_client: WebhookClient, dialing_events: list[Event]
) -> None:
    """A body sent in several chunks (chunked transfer encoding) is read whole."""
    body = encoded(dialing())

    async def slowly() -> AsyncIterator[bytes]:
        yield body[:20]
        await asyncio.sleep(0.05)
        yield body[20:]

    response = await webhook_client.post(WEBHOOK_PATH, data=slowly())

    assert response.status == 200
    assert await response.json() == {"result": "accepted"}
    assert len(dialing_events) == 1


@pytest.mark.parametrize("event", ["call.answered", "call.DIALING", "", "ping"])
async def test_unknown_event_is_ignored(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    dialing_events: list[Event],
    hangup_events: list[Event],
    event: str,
) -> None:
    """An unknown event name is answered 200 "ignored" and fires nothing."""
    body = dialing() | {"event": event}

    assert await post(webhook_client, body) == (200, {"result": "ignored"})
    assert dialing_events == []
    assert hangup_events == []
    assert get_state(hass, "sensor.extension_6001_call_state").state == "idle"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
async def test_only_post_is_allowed(webhook_client: WebhookClient, method: str) -> None:
    """The handler is POST-only: Home Assistant answers other methods 405."""
    response = await webhook_client.request(method, WEBHOOK_PATH, json=dialing())

    assert response.status == 405


# --- Bus events --------------------------------------------------------------


async def test_dialing_fires_bus_event(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    extension_device_id: str,
    dialing_events: list[Event],
) -> None:
    """A dialing fires ``bemmelhor_call_dialing`` with the SPEC's data."""
    await post(webhook_client, dialing())

    assert [event.data for event in dialing_events] == [
        {
            "config_entry_id": init_integration.entry_id,
            "device_id": extension_device_id,
            "entity_id": "event.extension_6001_call",
            "extension": "6001",
            "call_id": CALL_ID,
            "from": "6001",
            "to": NUMBER,
            "from_name": "Extension 6001",
            "to_name": None,
            "direction": "outbound",
            "source": "webhook",
            "disposition": None,
            "server_message": "Chamando o destino",
            "error": None,
            "created": "2021-02-17T17:46:57.387000+00:00",
            "placed_by": None,
        }
    ]


async def test_hangup_fires_bus_event(
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    extension_device_id: str,
    hangup_events: list[Event],
) -> None:
    """A hangup fires ``bemmelhor_call_hangup``: ``to`` resolved, with duration."""
    await post_call(webhook_client, error="none", serverMessage="Ligação encerrada")

    assert [event.data for event in hangup_events] == [
        {
            "config_entry_id": init_integration.entry_id,
            "device_id": extension_device_id,
            "entity_id": "event.extension_6001_call",
            "extension": "6001",
            "call_id": CALL_ID,
            "from": "6001",
            "to": NUMBER,
            "from_name": "Extension 6001",
            "to_name": None,
            "direction": "outbound",
            "source": "webhook",
            "disposition": "answered",
            "raw_disposition": "ANSWERED",
            "server_message": "Ligação encerrada",
            "error": "none",
            "created": "2021-02-17T17:49:02.387000+00:00",
            "duration": 125,
        }
    ]


@pytest.mark.parametrize(
    ("disposition", "normalised"),
    [
        ("ANSWERED", "answered"),
        ("NO ANSWER", "no_answer"),
        ("BUSY", "busy"),
        ("FAILED", "failed"),
        ("CONGESTION", "congestion"),
        (" no answer ", "no_answer"),
        ("VOICEMAIL", "unknown"),
        (None, None),
    ],
)
async def test_hangup_disposition_is_normalised(
    webhook_client: WebhookClient,
    hangup_events: list[Event],
    disposition: str | None,
    normalised: str | None,
) -> None:
    """Asterisk's ``NO ANSWER`` becomes ``no_answer``; unknown ones ``unknown``."""
    await post(webhook_client, hangup(disposition=disposition))

    assert hangup_events[0].data["disposition"] == normalised


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        (DIALING_CREATED, "2021-02-17T17:46:57.387000+00:00"),
        (DIALING_CREATED + 0.6, "2021-02-17T17:46:57.387600+00:00"),
        ("2021-02-17T17:46:57.387+0000", "2021-02-17T17:46:57.387000+00:00"),
        ("2021-02-17T14:46:57-03:00", "2021-02-17T17:46:57+00:00"),
        (None, NOW),
    ],
)
@pytest.mark.freeze_time(NOW)
async def test_created_is_iso_utc(
    webhook_client: WebhookClient,
    dialing_events: list[Event],
    created: float | str | None,
    expected: str,
) -> None:
    """``created`` (epoch ms, an ISO date, or none: now) is fired as ISO UTC."""
    await post(webhook_client, dialing(created=created))

    assert dialing_events[0].data["created"] == expected


async def test_hangup_without_its_dialing_has_no_duration(
    webhook_client: WebhookClient, hangup_events: list[Event]
) -> None:
    """A hangup whose dialing was never seen has no duration and an unknown ``to``."""
    await post(webhook_client, hangup())

    assert "duration" not in hangup_events[0].data
    assert hangup_events[0].data["to"] is None


async def test_number_fields_may_be_integers(
    webhook_client: WebhookClient, dialing_events: list[Event]
) -> None:
    """Numbers sent as JSON integers are taken as their text."""
    await post(webhook_client, dialing(callId=12345, **{"from": 6001, "to": 6002}))

    data = dialing_events[0].data
    assert (data["call_id"], data["from"], data["to"], data["extension"]) == (
        "12345",
        "6001",
        "6002",
        "6001",
    )


async def test_duplicate_dialing_fires_once(
    webhook_client: WebhookClient, dialing_events: list[Event]
) -> None:
    """The same dialing delivered twice fires once; the copy is answered "duplicate"."""
    first = await post(webhook_client, dialing())
    second = await post(webhook_client, dialing())

    assert (first, second) == (
        (200, {"result": "accepted"}),
        (200, {"result": "duplicate"}),
    )
    assert len(dialing_events) == 1


async def test_duplicate_hangup_fires_once(
    webhook_client: WebhookClient, hangup_events: list[Event]
) -> None:
    """The same hangup delivered twice fires once; the copy is answered "duplicate"."""
    await post(webhook_client, dialing())
    first = await post(webhook_client, hangup())
    second = await post(webhook_client, hangup())

    assert (first, second) == (
        (200, {"result": "accepted"}),
        (200, {"result": "duplicate"}),
    )
    assert len(hangup_events) == 1


async def test_hangup_before_dialing_ends_the_call(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    dialing_events: list[Event],
    hangup_events: list[Event],
) -> None:
    """A hangup that overtakes its dialing ends the call; the late dialing is void."""
    await post(webhook_client, hangup())
    late = await post(webhook_client, dialing())

    assert late == (200, {"result": "duplicate"})
    assert len(hangup_events) == 1
    assert dialing_events == []
    assert get_state(hass, "sensor.extension_6001_call_state").state == "idle"
    assert get_state(hass, "sensor.extension_6001_last_call_outcome").state == (
        "answered"
    )


async def test_unknown_extension_fires_without_device(
    webhook_client: WebhookClient,
    dialing_events: list[Event],
    hangup_events: list[Event],
) -> None:
    """A call of an extension not configured fires events with no ``device_id``."""
    await post(webhook_client, dialing(**{"from": "7777"}))
    await post(webhook_client, hangup(**{"from": "7777"}))

    assert [event.data.get("device_id", "absent") for event in dialing_events] == [
        "absent"
    ]
    assert [event.data["extension"] for event in dialing_events] == ["7777"]
    assert [event.data.get("device_id", "absent") for event in hangup_events] == [
        "absent"
    ]
    assert [
        (event.data["extension"], event.data["to"], event.data["duration"])
        for event in hangup_events
    ] == [("7777", NUMBER, 125)]


async def test_unknown_extension_changes_no_entity(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """A call of an extension not configured leaves every extension idle."""
    await post(webhook_client, dialing(**{"from": "7777"}))

    assert [
        get_state(hass, f"sensor.extension_{extension}_call_state").state
        for extension in ("6001", "6002", "6003")
    ] == ["idle", "idle", "idle"]


async def test_incoming_call_belongs_to_the_called_extension(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    dialing_events: list[Event],
) -> None:
    """A call from outside to 6002 is 6002's call, ringing there."""
    await post(webhook_client, dialing(**{"from": NUMBER, "to": "6002"}))

    assert dialing_events[0].data["extension"] == "6002"
    assert dialing_events[0].data["device_id"] == device_id_of(
        device_registry, init_integration, f"{HOST}_6002"
    )
    assert get_state(hass, "sensor.extension_6002_call_state").state == "ringing"
    assert get_state(hass, "sensor.extension_6001_call_state").state == "idle"


# --- Entities ----------------------------------------------------------------


async def test_dialing_updates_call_state_at_once(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """After a dialing webhook the extension is dialing, with the call's attributes."""
    await post(webhook_client, dialing())

    state = get_state(hass, "sensor.extension_6001_call_state")
    assert state.state == "dialing"
    assert {key: state.attributes[key] for key in ("call_id", "from", "to")} == {
        "call_id": CALL_ID,
        "from": "6001",
        "to": NUMBER,
    }
    assert state.attributes["started"] == "2021-02-17T17:46:57.387000+00:00"
    assert get_state(hass, "binary_sensor.extension_6001_on_call").state == "on"


async def test_hangup_makes_the_extension_idle(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """After the hangup webhook the extension is idle, without call attributes."""
    await post_call(webhook_client)

    state = get_state(hass, "sensor.extension_6001_call_state")
    assert state.state == "idle"
    assert "call_id" not in state.attributes
    assert get_state(hass, "binary_sensor.extension_6001_on_call").state == "off"


async def test_hangup_sets_last_call(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """``last_call`` is the hangup's time, with the call as attributes."""
    await post_call(webhook_client)

    state = get_state(hass, "sensor.extension_6001_last_call")
    assert state.state == "2021-02-17T17:49:02+00:00"
    assert {
        key: state.attributes[key]
        for key in ("call_id", "from", "to", "disposition", "duration")
    } == {
        "call_id": CALL_ID,
        "from": "6001",
        "to": NUMBER,
        "disposition": "answered",
        "duration": 125,
    }


@pytest.mark.parametrize(
    ("disposition", "state"),
    [("ANSWERED", "answered"), ("NO ANSWER", "no_answer"), ("BUSY", "busy")],
)
async def test_hangup_sets_last_disposition(
    hass: HomeAssistant, webhook_client: WebhookClient, disposition: str, state: str
) -> None:
    """``last_disposition`` shows the normalised outcome of the last call."""
    await post_call(webhook_client, disposition=disposition)

    assert get_state(hass, "sensor.extension_6001_last_call_outcome").state == state


@pytest.mark.freeze_time(NOW)
async def test_event_entity_fires_dialing(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    extension_device_id: str,
) -> None:
    """The extension's event entity fires ``dialing`` with the bus event's data."""
    await post(webhook_client, dialing())

    state = get_state(hass, "event.extension_6001_call")
    assert state.state == "2026-03-02T14:00:00.000+00:00"
    assert {
        key: value
        for key, value in state.attributes.items()
        if key not in ("event_types", "friendly_name")
    } == {
        "event_type": "dialing",
        "config_entry_id": init_integration.entry_id,
        "device_id": extension_device_id,
        "extension": "6001",
        "call_id": CALL_ID,
        "from": "6001",
        "to": NUMBER,
        "from_name": "Extension 6001",
        "to_name": None,
        "direction": "outbound",
        "source": "webhook",
        "disposition": None,
        "server_message": "Chamando o destino",
        "error": None,
        "created": "2021-02-17T17:46:57.387000+00:00",
        "placed_by": None,
    }


async def test_event_entity_fires_hangup(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """After the hangup the event entity's last event is ``hangup``."""
    await post_call(webhook_client)

    state = get_state(hass, "event.extension_6001_call")
    assert state.attributes["event_type"] == "hangup"
    assert state.attributes["duration"] == 125
    assert state.attributes["disposition"] == "answered"


async def test_other_extensions_event_entities_stay_quiet(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """A call of 6001 fires only 6001's event entity."""
    await post(webhook_client, dialing())

    assert get_state(hass, "event.extension_6002_call").state == STATE_UNKNOWN


@pytest.mark.freeze_time(NOW)
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(dialing(), id="dialing"),
        pytest.param(hangup(), id="hangup"),
        pytest.param(dialing() | {"event": "call.other"}, id="ignored"),
    ],
)
async def test_accepted_webhook_stamps_last_webhook(
    hass: HomeAssistant, webhook_client: WebhookClient, body: dict[str, Any]
) -> None:
    """The hub's ``last_webhook`` is the time of the last accepted webhook."""
    await post(webhook_client, body)

    assert get_state(hass, LAST_WEBHOOK).state == NOW


async def test_refused_webhook_does_not_stamp_last_webhook(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """A webhook with the wrong client id leaves ``last_webhook`` alone."""
    await post(webhook_client, dialing() | {"clientId": "another-client"})

    assert get_state(hass, LAST_WEBHOOK).state == STATE_UNKNOWN


async def test_webhook_is_gone_after_unload(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    init_integration: MockConfigEntry,
    dialing_events: list[Event],
) -> None:
    """Once the entry is unloaded, posts reach no handler and fire nothing."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    response = await webhook_client.post(WEBHOOK_PATH, json=dialing())

    assert response.status == 200
    assert dialing_events == []
