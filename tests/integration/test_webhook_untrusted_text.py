"""Strings that are not valid text never get past the webhook.

The body below once crashed the whole Home Assistant process: ``created``
went to ``dt_util.parse_datetime``, whose C parser (``ciso8601``) segfaults
on a lone surrogate. Had it come back, this file would take the test run
down with it, which fails the suite as surely as a failed assertion.
"""

import json
import logging
from typing import Any

import pytest

from homeassistant.core import Event, HomeAssistant

from .helpers import (
    CLIENT_ID,
    NUMBER,
    WEBHOOK_PATH,
    WebhookClient,
    dialing_body,
    get_state,
    integration_records,
)

CRASHING_BODY = b'{"event":"call.hangup","data":{"callId":"x","created":"\\ud800"}}\n'
"""The 65-byte body that crashed Home Assistant before (as ``echo`` sends it)."""

CALL_STATE = "sensor.extension_6001_call_state"
FIELDS = ("callId", "created", "from", "to", "error", "serverMessage", "disposition")


@pytest.fixture
def entry_options(entry_options: dict[str, Any]) -> dict[str, Any]:
    """Configure no client id (the default): every body reaches the call data."""
    return entry_options | {"client_id": ""}


def with_data(**data: Any) -> bytes:
    """Return a dialing of 6001 with some of its data fields replaced, as JSON."""
    body = dialing_body(client_id=None)
    body["data"] |= data
    return json.dumps(body).encode()


async def assert_still_working(
    hass: HomeAssistant, client: WebhookClient, dialing_events: list[Event]
) -> None:
    """Check that a good dialing after the bad body is accepted and shown."""
    response = await client.post(WEBHOOK_PATH, json=dialing_body("good-call"))

    assert response.status == 200
    assert [event.data["call_id"] for event in dialing_events] == ["good-call"]
    assert get_state(hass, CALL_STATE).state == "dialing"


def test_the_crashing_body_is_65_bytes() -> None:
    """The replayed body is byte for byte the one that crashed Home Assistant."""
    assert len(CRASHING_BODY) == 65


async def test_crashing_body_is_refused_and_home_assistant_keeps_running(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    dialing_events: list[Event],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The body that crashed Home Assistant is answered 400; everything goes on."""
    response = await webhook_client.post(WEBHOOK_PATH, data=CRASHING_BODY)

    assert response.status == 400
    assert await response.json() == {"result": "invalid data: created is not a date"}
    assert integration_records(caplog, logging.WARNING) == []
    await assert_still_working(hass, webhook_client, dialing_events)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(
    "bad_text",
    [
        pytest.param("\ud800", id="lone-high-surrogate"),
        pytest.param("6001\udfff", id="lone-low-surrogate-after-digits"),
        pytest.param("\x00", id="nul"),
        pytest.param("60\x0001", id="nul-inside"),
    ],
)
async def test_bad_text_in_any_call_field_is_refused(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    dialing_events: list[Event],
    field: str,
    bad_text: str,
) -> None:
    """A lone surrogate or NUL in any call field: 400, nothing changes, all goes on."""
    response = await webhook_client.post(
        WEBHOOK_PATH, data=with_data(**{field: bad_text})
    )

    assert response.status == 400
    assert dialing_events == []
    assert get_state(hass, CALL_STATE).state == "idle"
    await assert_still_working(hass, webhook_client, dialing_events)


@pytest.mark.parametrize("field", ["event", "clientId"])
async def test_bad_text_in_the_envelope_is_refused(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    dialing_events: list[Event],
    field: str,
) -> None:
    """A lone surrogate in ``event`` or ``clientId``: 400, and all goes on."""
    body = dialing_body() | {field: "\udbff"}

    response = await webhook_client.post(WEBHOOK_PATH, data=json.dumps(body).encode())

    assert response.status == 400
    assert dialing_events == []
    await assert_still_working(hass, webhook_client, dialing_events)


async def test_raw_surrogate_bytes_are_refused(
    hass: HomeAssistant, webhook_client: WebhookClient, dialing_events: list[Event]
) -> None:
    """A surrogate encoded straight into the bytes is not UTF-8: 400."""
    body = json.dumps(dialing_body(created="\ud800"), ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )

    response = await webhook_client.post(WEBHOOK_PATH, data=body)

    assert response.status == 400
    await assert_still_working(hass, webhook_client, dialing_events)


async def test_surrogate_in_an_unknown_field_is_ignored(
    hass: HomeAssistant, webhook_client: WebhookClient, dialing_events: list[Event]
) -> None:
    """Fields the PBX may add are never read: a surrogate there changes nothing."""
    response = await webhook_client.post(
        WEBHOOK_PATH, data=with_data(**{"\ud800": "\ud800", "extra": ["\udc00"]})
    )

    assert response.status == 200
    assert [event.data["call_id"] for event in dialing_events] == ["call-1"]


async def test_right_to_left_marks_in_free_text_are_kept(
    webhook_client: WebhookClient, dialing_events: list[Event]
) -> None:
    """Valid text, however odd (RTL marks, BOM, astral planes), is kept as sent."""
    message = "\u202eChamando\u200f o destino \ufeff\U0010fffd"

    response = await webhook_client.post(
        WEBHOOK_PATH, data=with_data(serverMessage=message)
    )

    assert response.status == 200
    assert dialing_events[0].data["server_message"] == message


@pytest.mark.parametrize(
    ("created", "iso"),
    [
        pytest.param(1613584017387, "2021-02-17T17:46:57.387000+00:00", id="epoch-ms"),
        pytest.param("1613584017387", None, id="epoch-ms-as-text"),
        pytest.param(
            "2021-01-06T18:07:10.888+0000",
            "2021-01-06T18:07:10.888000+00:00",
            id="iso-with-offset",
        ),
        pytest.param(
            "2021-01-06T15:07:10-03:00",
            "2021-01-06T18:07:10+00:00",
            id="iso-in-brasilia",
        ),
    ],
)
async def test_created_is_read_without_a_c_parser(
    webhook_client: WebhookClient,
    dialing_events: list[Event],
    created: object,
    iso: str | None,
) -> None:
    """Epoch milliseconds and ISO dates are read; other text is no date (400)."""
    response = await webhook_client.post(WEBHOOK_PATH, data=with_data(created=created))

    assert response.status == (400 if iso is None else 200)
    assert [event.data["created"] for event in dialing_events] == (
        [] if iso is None else [iso]
    )


async def test_numbers_as_numbers_are_text(
    webhook_client: WebhookClient, dialing_events: list[Event]
) -> None:
    """``from`` and ``to`` sent as JSON numbers are read as their digits."""
    response = await webhook_client.post(
        WEBHOOK_PATH, data=with_data(**{"from": 6001, "to": int(NUMBER)})
    )

    assert response.status == 200
    assert dialing_events[0].data["from"] == "6001"
    assert dialing_events[0].data["to"] == str(int(NUMBER))


async def test_client_id_check_still_applies_to_bad_text(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
) -> None:
    """The client id is compared as text: a surrogate one never matches."""
    entry = hass.config_entries.async_entries("bemmelhor")[0]
    hass.config_entries.async_update_entry(
        entry, options=entry.options | {"client_id": CLIENT_ID}
    )
    body = dialing_body(client_id=CLIENT_ID[:-1] + "\ud800")

    response = await webhook_client.post(WEBHOOK_PATH, data=json.dumps(body).encode())

    assert response.status == 400
