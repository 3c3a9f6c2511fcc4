"""Text from outside is checked before anything reads it: the client's share.

Unit tests of the checks, then the PBX answering lone surrogates and NUL in
every string of its answers (served by the simulator over real HTTP).
"""

from collections.abc import AsyncGenerator
import json

import aiohttp
import pytest

from bemmelhor_simulator import Endpoint, FaultKind, SimulatorServer
from custom_components.bemmelhor.api import (
    BemMelhorClient,
    BemMelhorInvalidResponseError,
    ChannelState,
    checked_json,
    checked_text,
    is_text,
    parse_datetime,
)

SURROGATE = "\ud800"


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let the tests reach the PBX simulator on 127.0.0.1."""


@pytest.fixture
async def client(pbx_simulator: SimulatorServer) -> AsyncGenerator[BemMelhorClient]:
    """Return a client of the simulated PBX, with a session of its own."""
    async with aiohttp.ClientSession() as session:
        yield BemMelhorClient(
            pbx_simulator.host, port=pbx_simulator.port, session=session
        )


def serve(simulator: SimulatorServer, endpoint: Endpoint, body: object) -> None:
    """Make the simulator answer the next request to ``endpoint`` with ``body``."""
    simulator.faults.set(
        endpoint,
        FaultKind.HTTP_ERROR,
        count=1,
        status=200,
        body=json.dumps(body),
        content_type="application/json",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6001", True),
        ("Ligação çncerrada", True),
        ("\u202e\u200f\ufeff\U0010ffff", True),
        ("", True),
        (SURROGATE, False),
        ("60\udfff01", False),
        ("\x00", False),
        ("Ligação\x00", False),
    ],
)
def test_is_text(value: str, expected: bool) -> None:
    """Text is what UTF-8 can encode, without NUL."""
    assert is_text(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6001", "6001"),
        (6001, "6001"),
        (10**8 - 1, "99999999"),
        (10**8, None),
        ("x" * 9, None),
        (SURROGATE, None),
        (True, None),
        (1.5, None),
        (["6001"], None),
        (None, None),
    ],
)
def test_checked_text(value: object, expected: str | None) -> None:
    """Text (or a plain integer) up to the limit; anything else is None."""
    assert checked_text(value, 8) == expected


def test_checked_json_drops_what_is_not_text() -> None:
    """Strings that are not text become None; keys that are not text go."""
    value = {
        "ok": ["a", SURROGATE, 1, 2.5, float("inf"), None, True],
        SURROGATE: "dropped",
        "nested": {"deep": "x\x00"},
    }

    assert checked_json(value) == {
        "ok": ["a", None, 1, 2.5, None, None, True],
        "nested": {"deep": None},
    }


def test_checked_json_cuts_deep_nesting() -> None:
    """Nesting deeper than 32 levels is cut off, not recursed into."""
    value: object = "leaf"
    for _ in range(40):
        value = [value]

    checked = checked_json(value)
    for _ in range(32):
        assert isinstance(checked, list)
        checked = checked[0]
    assert checked is None


@pytest.mark.parametrize(
    "value",
    [SURROGATE, f"2021-01-06T18:07:10{SURROGATE}", "2021-01-06\x00", "9" * 65],
)
def test_parse_datetime_reads_no_bad_text(value: str) -> None:
    """A date that is not text, or too long to be a date, is no date."""
    assert parse_datetime(value) is None


async def test_active_call_with_bad_text_everywhere(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """Every string of an active call that is not text is read as missing."""
    serve(
        pbx_simulator,
        Endpoint.ACTIVE,
        {
            "apiStatus": "SUCCESS",
            "created": SURROGATE,
            "data": {
                "id": SURROGATE,
                "name": "SIP/6001\x00",
                "channel": SURROGATE,
                "callerId": {"name": SURROGATE, "number": "6001\udfff"},
                "state": f"UP{SURROGATE}",
                "account": SURROGATE,
                "dateOfCreation": SURROGATE,
                "linkedChannel": SURROGATE,
            },
        },
    )

    call = await client.active_call("6001")

    assert call is not None
    assert (call.id, call.name, call.channel, call.account) == (None,) * 4
    assert (call.caller_id.name, call.caller_id.number) == (None, None)
    assert (call.created, call.linked_channel) == (None, None)
    assert call.state is ChannelState.UNKNOWN


async def test_api_status_that_is_not_text(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """An ``apiStatus`` that is not text is no answer of the API."""
    serve(pbx_simulator, Endpoint.ACTIVE, {"apiStatus": SURROGATE, "data": None})

    with pytest.raises(BemMelhorInvalidResponseError):
        await client.active_call("6001")


async def test_call_status_data_keeps_only_text(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """The status data is handed on as sent, less what is not text."""
    serve(
        pbx_simulator,
        Endpoint.STATUS,
        {
            "apiStatus": "SUCCESS",
            "data": {"status": SURROGATE, "from": "6001", SURROGATE: 1},
        },
    )

    status = await client.call_status("abc123")

    assert status.data == {"status": None, "from": "6001"}
