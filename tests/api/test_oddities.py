"""What the PBX sends otherwise than its page shows: read anyway, and noted."""

from collections.abc import AsyncGenerator
from datetime import UTC, datetime
import json
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from bemmelhor_simulator import Endpoint, FaultKind, SimulatorServer
from custom_components.bemmelhor.api import (
    ActiveCall,
    BemMelhorApiError,
    BemMelhorClient,
    BemMelhorInvalidResponseError,
    BemMelhorInvalidWebhookError,
    CallEvent,
    ChannelState,
    Disposition,
    Oddity,
    OddityKind,
    Received,
    parse_call_event,
    parse_webhook_message,
    read_number,
)
from custom_components.bemmelhor.api.models import Envelope
from custom_components.bemmelhor.api.vocabulary import api_status_ok

RECEIVED = datetime(2026, 11, 27, 12, tzinfo=UTC)
CREATED = 1613584017387
CREATED_AT = datetime(2021, 2, 17, 17, 46, 57, 387000, tzinfo=UTC)
NUMBER = "032999999999"

type Found = set[tuple[OddityKind, str]]


def envelope(event: str = "call.dialing", **data: Any) -> dict[str, Any]:
    """Return a webhook body as the page shows it; ``data`` overrides fields."""
    hangup = event == "call.hangup"
    page = {
        "created": CREATED,
        "from": "6001",
        "to": "h" if hangup else NUMBER,
        "error": None,
        "callId": "c1",
        "serverMessage": "Ligação encerrada" if hangup else "Chamando o destino",
        "disposition": "ANSWERED" if hangup else None,
    }
    return {"event": event, "clientId": "abc", "data": page | data}


def read(body: bytes, content_type: str | None = None) -> tuple[CallEvent, Found]:
    """Parse a webhook body with its call; return the call and what was noted."""
    notes: list[Oddity] = []
    message = parse_webhook_message(body, content_type, notes.append)
    event = parse_call_event(message, RECEIVED, notes.append)
    return event, {(oddity.kind, oddity.where) for oddity in notes}


def read_json(value: dict[str, Any]) -> tuple[CallEvent, Found]:
    """Parse a webhook body given as a JSON value."""
    return read(json.dumps(value).encode(), "application/json")


@pytest.mark.parametrize("event", ["call.dialing", "call.hangup"])
def test_page_bodies_note_nothing(event: str) -> None:
    """The page's own bodies are read without a single note."""
    _, found = read_json(envelope(event))

    assert found == set()


@pytest.mark.parametrize(
    ("body", "content_type", "where"),
    [
        (json.dumps(envelope()), "text/plain", "Content-Type"),
        (urlencode({"payload": json.dumps(envelope())}), None, "form field payload"),
        (
            urlencode(
                {"event": "call.dialing", "clientId": "abc"}
                | {"data": json.dumps(envelope()["data"])}
            ),
            "application/x-www-form-urlencoded",
            "form field data",
        ),
    ],
    ids=["json-as-text", "form-with-the-envelope", "form-with-json-data"],
)
def test_other_encodings_are_read(
    body: str, content_type: str | None, where: str
) -> None:
    """JSON sent as text, or in a form's field, is the same call."""
    event, found = read(body.encode(), content_type)

    assert (event.call_id, event.to, event.client_id) == ("c1", NUMBER, "abc")
    assert found == {(OddityKind.OTHER_FORMAT, where)}


@pytest.mark.parametrize(
    "body",
    [
        "event=call.dialing&clientId=abc",
        "event=call.dialing&data=%7Bbroken",
        "payload=%5B1%5D",
        "payload=%7B%22no%22%3A1%7D",
        "a=" + "&b=" * 30,
    ],
    ids=["no-data", "broken-json", "json-not-an-object", "no-event", "too-many"],
)
def test_forms_without_an_envelope_are_refused(body: str) -> None:
    """A form that carries no envelope is no body of the PBX's."""
    with pytest.raises(BemMelhorInvalidWebhookError, match="not JSON"):
        parse_webhook_message(body.encode(), "application/x-www-form-urlencoded")


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        (CREATED // 1000, CREATED_AT.replace(microsecond=0)),
        ("2021-02-17T17:46:57.387+0000", CREATED_AT),
    ],
    ids=["seconds", "iso"],
)
def test_created_in_other_units(created: object, expected: datetime) -> None:
    """``created`` in seconds or ISO is read, and noted."""
    event, found = read_json(envelope(created=created))

    assert event.created == expected
    assert found == {(OddityKind.OTHER_FORMAT, "data.created")}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"queue": "vendas"}, {(OddityKind.EXTRA_FIELD, "data.queue")}),
        ({"to": None}, {(OddityKind.MISSING_FIELD, "data.to")}),
        ({"from": 6001}, {(OddityKind.WRONG_TYPE, "data.from")}),
        ({"from": "SIP/6001"}, {(OddityKind.OTHER_FORMAT, "data.from")}),
        ({"to": ""}, {(OddityKind.OTHER_FORMAT, "data.to")}),
    ],
    ids=["extra", "null", "integer", "channel", "empty"],
)
def test_dialing_fields_noted(data: dict[str, Any], expected: Found) -> None:
    """Extra, null, other-typed and other-written fields are each noted."""
    _, found = read_json(envelope(**data))

    assert found == expected


def test_missing_fields_noted() -> None:
    """A field the page shows and the integration reads, left out, is noted."""
    body = envelope()
    del body["data"]["created"], body["clientId"]

    event, found = read_json(body)

    assert event.created == RECEIVED
    assert found == {
        (OddityKind.MISSING_FIELD, "data.created"),
        (OddityKind.MISSING_FIELD, "clientId"),
    }


def test_extra_fields_noted_at_most_eight() -> None:
    """A body with many extra fields notes eight of them (it is read anyway)."""
    extra: dict[str, Any] = {f"x{number}": number for number in range(20)}
    _, found = read_json(envelope(**extra))

    assert len(found) == 8


def test_client_id_as_number_noted() -> None:
    """A numeric ``clientId`` is read as text, and noted."""
    event, found = read_json(envelope() | {"clientId": 12345})

    assert event.client_id == "12345"
    assert found == {(OddityKind.WRONG_TYPE, "clientId")}


def test_unknown_event_noted() -> None:
    """An event the page does not show is noted (the receiver ignores it)."""
    notes: list[Oddity] = []

    message = parse_webhook_message(
        json.dumps(envelope("call.transfer")).encode(), None, notes.append
    )

    assert not message.is_call_event
    assert notes == [Oddity(OddityKind.UNKNOWN_EVENT, "event")]
    assert notes[0].value == "call.transfer"


@pytest.mark.parametrize(
    ("raw", "disposition", "kind"),
    [
        ("ANSWERED", Disposition.ANSWERED, None),
        ("NO ANSWER", Disposition.NO_ANSWER, None),
        ("no_answer", Disposition.NO_ANSWER, OddityKind.OTHER_FORMAT),
        ("Busy", Disposition.BUSY, OddityKind.OTHER_FORMAT),
        ("CHANUNAVAIL", Disposition.UNKNOWN, OddityKind.UNKNOWN_DISPOSITION),
    ],
)
def test_dispositions_keep_the_pbx_word(
    raw: str, disposition: Disposition, kind: OddityKind | None
) -> None:
    """A hangup keeps the disposition as sent; other spellings and words are noted."""
    event, found = read_json(envelope("call.hangup", disposition=raw))

    assert (event.disposition, event.raw_disposition) == (disposition, raw)
    assert found == ({(kind, "data.disposition")} if kind else set())


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"to": "h"}, set()),
        ({"to": NUMBER}, {(OddityKind.OTHER_FORMAT, "data.to")}),
        ({"disposition": None}, {(OddityKind.MISSING_FIELD, "data.disposition")}),
    ],
    ids=["h", "number", "no-disposition"],
)
def test_hangup_fields_noted(data: dict[str, Any], expected: Found) -> None:
    """A hangup's real number as ``to`` and a null disposition are noted."""
    _, found = read_json(envelope("call.hangup", **data))

    assert found == expected


@pytest.mark.parametrize(
    ("raw", "number", "noted"),
    [
        ("6001", "6001", False),
        (NUMBER, NUMBER, False),
        ("+55 32 99999-9999", NUMBER, True),
        ("+5532999999999", NUMBER, True),
        ("032 99999 9999", NUMBER, True),
        ("(032) 99999.9999", NUMBER, True),
        ("SIP/6001", "6001", True),
        ("PJSIP/6001-0000001a", "6001", True),
        ("sip/6001", "6001", True),
        ("+1 212 555 0100", "+12125550100", True),
        ("h", "h", False),
        ("anonymous", "anonymous", False),
        ("SIP/trunk-name", "SIP/trunk-name", False),
        ("*72", "*72", False),
    ],
)
def test_numbers_read_in_the_page_form(raw: str, number: str, noted: bool) -> None:
    """Numbers with ``+55``, spaces or a channel become the page's; the rest stays."""
    notes: list[Oddity] = []

    assert read_number(raw, "data.from", notes.append) == number
    assert bool(notes) is noted


@pytest.mark.parametrize(
    ("raw", "state", "kind"),
    [
        ("UP", ChannelState.UP, None),
        ("Up", ChannelState.UP, OddityKind.OTHER_FORMAT),
        ("Pre-ring", ChannelState.PRERING, OddityKind.OTHER_FORMAT),
        ("Dialing Offhook", ChannelState.DIALING_OFFHOOK, OddityKind.OTHER_FORMAT),
        ("Hold", ChannelState.UNKNOWN, OddityKind.UNKNOWN_CHANNEL_STATE),
        (None, ChannelState.UNKNOWN, OddityKind.UNKNOWN_CHANNEL_STATE),
    ],
)
def test_channel_states_noted(
    raw: str | None, state: ChannelState, kind: OddityKind | None
) -> None:
    """Other spellings of a state are noted; unknown words too, kept as sent."""
    notes: list[Oddity] = []

    active = ActiveCall.from_data({"state": raw}, notes.append)

    assert (active.state, active.raw_state) == (state, raw)
    assert {oddity.kind for oddity in notes if oddity.where == "data.state"} == (
        {kind} if kind else set()
    )


@pytest.mark.parametrize(
    ("status", "ok", "kind"),
    [
        ("SUCCESS", True, None),
        ("CONECTION_OK", True, None),
        ("ERROR", False, None),
        ("success", True, OddityKind.OTHER_FORMAT),
        ("CONNECTION_OK", True, OddityKind.OTHER_FORMAT),
        ("Conection OK", True, OddityKind.OTHER_FORMAT),
        ("error", False, OddityKind.OTHER_FORMAT),
        ("FAILURE", False, OddityKind.UNKNOWN_API_STATUS),
    ],
)
def test_api_statuses_noted(status: str, ok: bool, kind: OddityKind | None) -> None:
    """``apiStatus`` in another case or spelling is read and noted; unknown too."""
    notes: list[Oddity] = []

    assert api_status_ok(status, notes.append) is ok
    assert [oddity.kind for oddity in notes] == ([kind] if kind else [])


def test_envelope_fields_noted() -> None:
    """An answer's extra field, missing ``data`` and epoch ``created`` are noted."""
    notes: list[Oddity] = []

    Envelope.from_json(
        {"apiStatus": "SUCCESS", "created": CREATED, "page": 1}, notes.append
    )

    assert {(oddity.kind, oddity.where) for oddity in notes} == {
        (OddityKind.EXTRA_FIELD, "page"),
        (OddityKind.MISSING_FIELD, "data"),
        (OddityKind.OTHER_FORMAT, "created"),
    }


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"callerId": "6001"}, {(OddityKind.WRONG_TYPE, "data.callerId")}),
        ({"callerId": None}, {(OddityKind.MISSING_FIELD, "data.callerId")}),
        (
            {"callerId": {"name": "", "number": "SIP/6001"}},
            {(OddityKind.OTHER_FORMAT, "data.callerId.number")},
        ),
        (
            {"callerId": {"name": "x", "number": "6001", "tag": 1}},
            {(OddityKind.EXTRA_FIELD, "data.callerId.tag")},
        ),
        ({"id": 1609957242}, {(OddityKind.WRONG_TYPE, "data.id")}),
        ({"queue": "vendas"}, {(OddityKind.EXTRA_FIELD, "data.queue")}),
    ],
)
def test_active_call_fields_noted(data: dict[str, Any], expected: Found) -> None:
    """Odd caller ids and fields of an active channel are noted; it is read anyway."""
    page: dict[str, Any] = {
        "id": "1609957242.2",
        "name": "SIP/6001-00000002",
        "channel": None,
        "callerId": {"name": "6001", "number": "6001"},
        "state": "UP",
        "account": None,
        "dateOfCreation": "2021-01-06T18:20:42.206+0000",
        "linkedChannel": "SIP/domain-00000003",
    }
    notes: list[Oddity] = []

    active = ActiveCall.from_data(page | data, notes.append)

    assert active.state is ChannelState.UP
    assert {(oddity.kind, oddity.where) for oddity in notes} == expected


# The client: every answer observed, idle in other forms


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let the tests reach the PBX simulator on the loopback interface."""


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Return an HTTP session owned by the test."""
    async with aiohttp.ClientSession() as http:
        yield http


@pytest.fixture
def observed() -> list[Received]:
    """Return what the client hands its observer."""
    return []


@pytest.fixture
def client(
    pbx_simulator: SimulatorServer,
    session: aiohttp.ClientSession,
    observed: list[Received],
) -> BemMelhorClient:
    """Return a client of the simulated PBX that keeps what it receives."""
    return BemMelhorClient(
        pbx_simulator.host,
        port=pbx_simulator.port,
        session=session,
        request_timeout=2.0,
        observe=observed.append,
    )


def serve(
    simulator: SimulatorServer, body: str, status: int, content_type: str
) -> None:
    """Make the simulator answer the next ``/api/active`` with this."""
    simulator.faults.set(
        Endpoint.ACTIVE,
        FaultKind.HTTP_ERROR,
        count=1,
        status=status,
        body=body,
        content_type=content_type,
    )


async def test_every_answer_is_observed(
    client: BemMelhorClient, observed: list[Received]
) -> None:
    """Each answer goes to the observer raw, with its source and status."""
    await client.active_call("6001")
    await client.click_to_call("6001", "6002")
    await client.call_status("abc")

    assert [(answer.source, answer.status) for answer in observed] == [
        ("active", 200),
        ("call", 200),
        ("status", 200),
    ]
    assert json.loads(observed[0].body)["data"] is None
    assert observed[0].content_type == "application/json; charset=utf-8"
    assert all(answer.oddities == () for answer in observed)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"apiStatus": "NOT_FOUND", "data": null}', "application/json"),
        ("Not Found", "text/plain"),
        ("", "text/plain"),
    ],
    ids=["json", "text", "empty"],
)
async def test_idle_as_not_found(
    client: BemMelhorClient,
    pbx_simulator: SimulatorServer,
    observed: list[Received],
    body: str,
    content_type: str,
) -> None:
    """HTTP 404 that is no web page means idle, and is noted."""
    serve(pbx_simulator, body, 404, content_type)

    assert await client.active_call("6001") is None
    assert observed[0].oddities == (Oddity(OddityKind.OTHER_FORMAT, "HTTP status"),)


async def test_not_found_page_is_no_pbx(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """A 404 web page (a web server, not the PBX) stays an error."""
    serve(pbx_simulator, "<!DOCTYPE html><pre>Cannot GET</pre>", 404, "text/html")

    with pytest.raises(BemMelhorApiError):
        await client.active_call("6001")


async def test_idle_as_empty_object(
    client: BemMelhorClient, pbx_simulator: SimulatorServer, observed: list[Received]
) -> None:
    """``data: {}`` means idle, and is noted."""
    serve(
        pbx_simulator,
        '{"apiStatus": "SUCCESS", "created": "x", "data": {}}',
        200,
        "application/json",
    )

    assert await client.active_call("6001") is None
    assert Oddity(OddityKind.OTHER_FORMAT, "data") in observed[0].oddities


async def test_unreadable_answer_is_observed(
    client: BemMelhorClient, pbx_simulator: SimulatorServer, observed: list[Received]
) -> None:
    """An answer that is not the API's is refused, and noted as unreadable."""
    pbx_simulator.faults.set(Endpoint.ACTIVE, FaultKind.HTML, count=1)

    with pytest.raises(BemMelhorInvalidResponseError):
        await client.active_call("6001")

    assert observed[0].oddities == (Oddity(OddityKind.UNREADABLE, "body"),)
    assert observed[0].body.startswith(b"<!DOCTYPE html>")


def test_envelope_created_as_boolean_is_no_date() -> None:
    """``created: true`` is no date in any format: nothing to note of its format."""
    notes: list[Oddity] = []

    parsed = Envelope.from_json(
        {"apiStatus": "SUCCESS", "created": True, "data": None}, notes.append
    )

    assert parsed.created is None
    assert notes == []


async def test_a_failing_observer_fails_no_request(
    pbx_simulator: SimulatorServer,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The answer is returned even when its observer raises (which is logged)."""

    def broken(_received: Received) -> None:
        raise RuntimeError("broken")

    client = BemMelhorClient(
        pbx_simulator.host, port=pbx_simulator.port, session=session, observe=broken
    )

    assert await client.active_call("6001") is None
    assert "The observer of answers failed" in caplog.text
