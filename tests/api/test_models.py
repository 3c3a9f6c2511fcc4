"""Tolerant parsing of the PBX's answers into typed models, table-driven."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from custom_components.bemmelhor.api import (
    ActiveCall,
    BemMelhorInvalidResponseError,
    CallerId,
    CallResult,
    ChannelState,
)
from custom_components.bemmelhor.api.models import (
    Envelope,
    optional_str,
    parse_datetime,
)

CREATED = "2021-01-06T18:07:10.888+0000"
CREATED_AT = datetime(2021, 1, 6, 18, 7, 10, 888000, tzinfo=UTC)

ACTIVE_DATA: dict[str, Any] = {
    "id": "1609957242.2",
    "name": "SIP/6001-00000002",
    "channel": None,
    "callerId": {"name": "6001", "number": "6001"},
    "state": "UP",
    "account": None,
    "dateOfCreation": CREATED,
    "linkedChannel": "SIP/domain-00000003",
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (CREATED, CREATED_AT),
        ("2021-01-06T18:07:10.888Z", CREATED_AT),
        ("2021-01-06T18:07:10.888+00:00", CREATED_AT),
        (" 2021-01-06T18:07:10.888+0000 ", CREATED_AT),
        (
            "2021-01-06T15:07:10.888-0300",
            datetime(
                2021, 1, 6, 15, 7, 10, 888000, tzinfo=timezone(-timedelta(hours=3))
            ),
        ),
        ("2021-01-06T18:07:10.888", CREATED_AT),
        (1609956430888, CREATED_AT),
        (1609956430888.0, CREATED_AT),
        (0, datetime(1970, 1, 1, tzinfo=UTC)),
        ("garbage", None),
        ("", None),
        ("2021-13-45T99:99:99+0000", None),
        (None, None),
        (True, None),
        (False, None),
        (10**20, None),
        (float("nan"), None),
        ([2021, 1, 6], None),
        ({"date": CREATED}, None),
    ],
)
def test_parse_datetime(value: object, expected: datetime | None) -> None:
    """ISO dates (``+0000`` too) and epoch milliseconds parse; the rest is None."""
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    "value", [CREATED, 1609956430888, "2021-01-06T18:07:10.888", "2021-01-06"]
)
def test_parsed_dates_are_aware(value: object) -> None:
    """Every parsed date carries a time zone (naive ones are taken as UTC)."""
    parsed = parse_datetime(value)

    assert parsed is not None
    assert parsed.utcoffset() is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("UP", ChannelState.UP),
        ("up", ChannelState.UP),
        (" Ringing ", ChannelState.RINGING),
        ("Ring", ChannelState.RING),
        ("Down", ChannelState.DOWN),
        ("Rsrvd", ChannelState.RSRVD),
        ("OffHook", ChannelState.OFFHOOK),
        ("Dialing", ChannelState.DIALING),
        ("Dialing Offhook", ChannelState.DIALING_OFFHOOK),
        ("DIALING_OFFHOOK", ChannelState.DIALING_OFFHOOK),
        ("Pre-ring", ChannelState.PRERING),
        ("PRERING", ChannelState.PRERING),
        ("Busy", ChannelState.BUSY),
        ("Mute", ChannelState.UNKNOWN),
        ("", ChannelState.UNKNOWN),
        (None, ChannelState.UNKNOWN),
        (6, ChannelState.UNKNOWN),
        (["UP"], ChannelState.UNKNOWN),
    ],
)
def test_channel_state(value: object, expected: ChannelState) -> None:
    """Asterisk's state names parse in any case; anything else is UNKNOWN."""
    assert ChannelState.parse(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6001", "6001"),
        ("", ""),
        (6001, "6001"),
        (None, None),
        (True, None),
        (1.5, None),
        ({"number": "6001"}, None),
        (["6001"], None),
    ],
)
def test_optional_str(value: object, expected: str | None) -> None:
    """Text fields accept strings and integers; other types are dropped."""
    assert optional_str(value) == expected


@pytest.mark.parametrize(
    ("payload", "api_status", "ok"),
    [
        ({"apiStatus": "SUCCESS", "data": None}, "SUCCESS", True),
        ({"apiStatus": "CONECTION_OK", "data": None}, "CONECTION_OK", True),
        ({"apiStatus": "CONNECTION_OK", "data": None}, "CONNECTION_OK", True),
        ({"apiStatus": "success"}, "success", True),
        ({"apiStatus": "ERROR", "data": None}, "ERROR", False),
        ({"apiStatus": "FAILED"}, "FAILED", False),
    ],
)
def test_envelope_status(payload: dict[str, Any], api_status: str, ok: bool) -> None:
    """``apiStatus`` is kept as sent; its known success spellings are ok."""
    envelope = Envelope.from_json(payload)

    assert envelope.api_status == api_status
    assert envelope.ok is ok


def test_envelope_ignores_unknown_fields() -> None:
    """Fields the client does not know are ignored."""
    envelope = Envelope.from_json(
        {
            "apiStatus": "SUCCESS",
            "created": CREATED,
            "data": {"callId": "abc", "future": [1, 2]},
            "version": 2,
            "extra": {"nested": True},
        }
    )

    assert envelope == Envelope(
        api_status="SUCCESS",
        created=CREATED_AT,
        data={"callId": "abc", "future": [1, 2]},
        message=None,
    )


def test_envelope_with_only_api_status() -> None:
    """``created``, ``data`` and ``message`` are optional."""
    assert Envelope.from_json({"apiStatus": "SUCCESS"}) == Envelope(
        api_status="SUCCESS", created=None, data=None, message=None
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"apiStatus": "ERROR", "message": "Ramal inválido"}, "Ramal inválido"),
        ({"apiStatus": "ERROR", "error": "Timeout"}, "Timeout"),
        ({"apiStatus": "ERROR", "data": {"error": "No route"}}, "No route"),
        ({"apiStatus": "ERROR", "data": {"serverMessage": "Ocupado"}}, "Ocupado"),
        (
            {"apiStatus": "ERROR", "message": "first", "data": {"error": "second"}},
            "first",
        ),
        ({"apiStatus": "ERROR", "message": None}, None),
        ({"apiStatus": "ERROR", "message": 404}, "404"),
    ],
)
def test_envelope_message(payload: dict[str, Any], message: str | None) -> None:
    """The server's message is found wherever the server put it."""
    assert Envelope.from_json(payload).message == message


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"data": None},
        {"apiStatus": None},
        {"apiStatus": ""},
        {"apiStatus": 200},
        {"apiStatus": ["SUCCESS"]},
        {"status": "SUCCESS"},
    ],
)
def test_envelope_without_api_status(payload: dict[str, Any]) -> None:
    """An answer without a usable ``apiStatus`` is not the API's."""
    with pytest.raises(BemMelhorInvalidResponseError):
        Envelope.from_json(payload)


@pytest.mark.parametrize("payload", [[], ["apiStatus"], "SUCCESS", 200, None, True])
def test_envelope_not_an_object(payload: object) -> None:
    """An answer that is not a JSON object is refused."""
    with pytest.raises(BemMelhorInvalidResponseError):
        Envelope.from_json(payload)


@pytest.mark.parametrize("data", [[], [{"state": "UP"}], "UP", 0, True])
def test_envelope_data_not_an_object(data: object) -> None:
    """``data`` must be an object or null."""
    with pytest.raises(BemMelhorInvalidResponseError):
        Envelope.from_json({"apiStatus": "SUCCESS", "data": data})


def test_active_call_full() -> None:
    """Every documented field of an active call is parsed and typed."""
    assert ActiveCall.from_data(ACTIVE_DATA) == ActiveCall(
        id="1609957242.2",
        name="SIP/6001-00000002",
        channel=None,
        caller_id=CallerId(name="6001", number="6001"),
        state=ChannelState.UP,
        account=None,
        created=CREATED_AT,
        linked_channel="SIP/domain-00000003",
        raw_state="UP",
    )


def test_active_call_minimal() -> None:
    """Only ``state`` is needed; missing fields are None."""
    assert ActiveCall.from_data({"state": "Ringing"}) == ActiveCall(
        id=None,
        name=None,
        channel=None,
        caller_id=CallerId(name=None, number=None),
        state=ChannelState.RINGING,
        account=None,
        created=None,
        linked_channel=None,
        raw_state="Ringing",
    )


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"state": "Hold"}, "state", ChannelState.UNKNOWN),
        ({"state": None}, "state", ChannelState.UNKNOWN),
        ({"dateOfCreation": 1609956430888}, "created", CREATED_AT),
        ({"dateOfCreation": "yesterday"}, "created", None),
        ({"dateOfCreation": None}, "created", None),
        ({"callerId": None}, "caller_id", CallerId(name=None, number=None)),
        ({"callerId": "6001"}, "caller_id", CallerId(name=None, number=None)),
        ({"callerId": {"num": 6001}}, "caller_id", CallerId(name=None, number=None)),
        (
            {"callerId": {"name": "Recepção", "number": 6001}},
            "caller_id",
            CallerId(name="Recepção", number="6001"),
        ),
        ({"id": 1609957242}, "id", "1609957242"),
        ({"linkedChannel": {"name": "SIP/x"}}, "linked_channel", None),
        ({"account": "acme", "unknown": 1}, "account", "acme"),
    ],
)
def test_active_call_tolerance(
    changes: dict[str, Any], field: str, expected: object
) -> None:
    """Odd values in an active call degrade to None/UNKNOWN instead of failing."""
    active = ActiveCall.from_data(ACTIVE_DATA | changes)

    assert getattr(active, field) == expected


def test_active_call_without_state() -> None:
    """An active call must say its state."""
    data = {key: value for key, value in ACTIVE_DATA.items() if key != "state"}

    with pytest.raises(BemMelhorInvalidResponseError):
        ActiveCall.from_data(data)


def test_call_result_full() -> None:
    """A click-to-call answer as the PBX sends it."""
    envelope = Envelope.from_json(
        {
            "apiStatus": "CONECTION_OK",
            "created": CREATED,
            "data": {
                "key": "6583e35aca21ad97",
                "status": "IN_PROGRESS",
                "created": "2021-01-06T18:07:11.000+0000",
                "from": "6001",
                "to": "032999999999",
                "error": None,
                "callId": "6583e35aca21ad97",
                "serverMessage": None,
            },
        }
    )

    assert CallResult.from_envelope(envelope) == CallResult(
        api_status="CONECTION_OK",
        call_id="6583e35aca21ad97",
        status="IN_PROGRESS",
        created=datetime(2021, 1, 6, 18, 7, 11, tzinfo=UTC),
        from_="6001",
        to="032999999999",
        error=None,
        server_message=None,
    )


@pytest.mark.parametrize(
    ("data", "field", "expected"),
    [
        ({"key": "abc"}, "call_id", "abc"),
        ({"callId": "abc", "key": "other"}, "call_id", "abc"),
        ({"callId": 12345}, "call_id", "12345"),
        ({"callId": "abc"}, "created", CREATED_AT),
        ({"callId": "abc", "created": "garbage"}, "created", CREATED_AT),
        ({"callId": "abc"}, "status", None),
        ({"callId": "abc", "from": 6001}, "from_", "6001"),
        ({"callId": "abc", "error": "busy"}, "error", "busy"),
        ({"callId": "abc", "serverMessage": "Ocupado"}, "server_message", "Ocupado"),
    ],
)
def test_call_result_tolerance(
    data: dict[str, Any], field: str, expected: object
) -> None:
    """Missing fields fall back (``key`` for the id, the envelope's date)."""
    envelope = Envelope.from_json(
        {"apiStatus": "CONECTION_OK", "created": CREATED, "data": data}
    )

    assert getattr(CallResult.from_envelope(envelope), field) == expected


@pytest.mark.parametrize(
    "data", [None, {}, {"callId": None}, {"callId": ""}, {"key": True}]
)
def test_call_result_without_call_id(data: dict[str, Any] | None) -> None:
    """A click-to-call answer that names no call is not usable."""
    envelope = Envelope.from_json({"apiStatus": "CONECTION_OK", "data": data})

    with pytest.raises(BemMelhorInvalidResponseError):
        CallResult.from_envelope(envelope)
