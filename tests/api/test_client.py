"""The API client over real HTTP, against the PBX simulator.

No Home Assistant here: the client is a library of its own.
"""

from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import UTC, datetime
import json

import aiohttp
import pytest
import pytest_socket

from bemmelhor_simulator import CallPhase, Endpoint, FaultKind, SimulatorServer
from bemmelhor_simulator.pytest_plugin import SimulatorFactory
from custom_components.bemmelhor.api import (
    ActiveCall,
    BemMelhorApiError,
    BemMelhorClient,
    BemMelhorConnectionError,
    BemMelhorError,
    BemMelhorInvalidInputError,
    BemMelhorInvalidResponseError,
    BemMelhorTimeoutError,
    CallerId,
    ChannelState,
    InvalidInputReason,
)

type ClientCall = Callable[[BemMelhorClient], Awaitable[object]]

NUMBER = "032999999999"


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let the tests reach the PBX simulator on the loopback interface."""


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Return an HTTP session owned by the test, as Home Assistant owns its own."""
    async with aiohttp.ClientSession() as http:
        yield http


@pytest.fixture
def client(
    pbx_simulator: SimulatorServer, session: aiohttp.ClientSession
) -> BemMelhorClient:
    """Return a client of the simulated PBX."""
    return BemMelhorClient(
        pbx_simulator.host,
        port=pbx_simulator.port,
        session=session,
        request_timeout=2.0,
    )


def serve_json(
    simulator: SimulatorServer, endpoint: Endpoint, body: object, status: int = 200
) -> None:
    """Make the simulator answer the next request to ``endpoint`` with ``body``."""
    simulator.faults.set(
        endpoint,
        FaultKind.HTTP_ERROR,
        count=1,
        status=status,
        body=json.dumps(body),
        content_type="application/json",
    )


async def test_active_call_idle(client: BemMelhorClient) -> None:
    """An idle extension answers ``data: null``: no active call."""
    assert await client.active_call("6001") is None


async def test_active_call_while_dialing(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """A call still dialing shows ``DIALING``, not yet linked to the other party."""
    await pbx_simulator.pbx.start_call("6001", NUMBER)

    active = await client.active_call("6001")

    assert active is not None
    assert active.state is ChannelState.DIALING
    assert active.linked_channel is None


@pytest.mark.parametrize(
    ("phase", "state"),
    [(CallPhase.RINGING, ChannelState.RINGING), (CallPhase.TALKING, ChannelState.UP)],
)
async def test_active_call_state(
    client: BemMelhorClient,
    pbx_simulator: SimulatorServer,
    phase: CallPhase,
    state: ChannelState,
) -> None:
    """Each later phase of a call shows as its Asterisk channel state."""
    call_id = await pbx_simulator.pbx.start_call("6001", NUMBER)
    await pbx_simulator.pbx.set_phase(call_id, phase)

    active = await client.active_call("6001")

    assert active is not None
    assert active.state is state


async def test_active_call_is_typed(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """The active call is parsed into typed fields, with an aware creation date."""
    call_id = await pbx_simulator.pbx.start_call("6001", NUMBER)
    await pbx_simulator.pbx.advance(call_id)
    call = pbx_simulator.pbx.get_call(call_id)
    assert call is not None

    active = await client.active_call("6001")

    assert active == ActiveCall(
        id=call.caller.id,
        name=call.caller.name,
        channel=None,
        caller_id=CallerId(name="6001", number="6001"),
        state=ChannelState.RINGING,
        account=None,
        created=call.created.replace(
            microsecond=call.created.microsecond // 1000 * 1000
        ),
        linked_channel=call.callee.name,
        raw_state="RINGING",
    )
    assert active.created is not None
    assert active.created.utcoffset() is not None


async def test_active_call_of_the_called_extension(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """The called extension sees the call too, with the caller's id."""
    call_id = await pbx_simulator.pbx.start_call("6001", "6002")
    await pbx_simulator.pbx.advance(call_id)
    call = pbx_simulator.pbx.get_call(call_id)
    assert call is not None

    active = await client.active_call("6002")

    assert active is not None
    assert active.name == call.callee.name
    assert active.caller_id == CallerId(name="6001", number="6001")
    assert active.linked_channel == call.caller.name


async def test_active_call_date_with_plus_0000_offset(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """``2021-01-06T18:07:10.888+0000`` becomes an aware UTC datetime."""
    serve_json(
        pbx_simulator,
        Endpoint.ACTIVE,
        {
            "apiStatus": "SUCCESS",
            "created": "2021-01-06T18:07:11.000+0000",
            "data": {"state": "Up", "dateOfCreation": "2021-01-06T18:07:10.888+0000"},
        },
    )

    active = await client.active_call("6001")

    assert active is not None
    assert active.created == datetime(2021, 1, 6, 18, 7, 10, 888000, tzinfo=UTC)
    assert active.created.tzinfo is not None


async def test_click_to_call(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """Click-to-call answers with the call the PBX started."""
    result = await client.click_to_call("6001", NUMBER)

    call = pbx_simulator.pbx.get_call(result.call_id)
    assert call is not None
    assert (call.from_, call.to) == ("6001", NUMBER)
    assert result.api_status == "CONECTION_OK"
    assert result.status == "IN_PROGRESS"
    assert (result.from_, result.to) == ("6001", NUMBER)
    assert result.created == call.created.replace(
        microsecond=call.created.microsecond // 1000 * 1000
    )
    assert pbx_simulator.requests.paths() == [f"/api/call/6001/{NUMBER}"]


@pytest.mark.parametrize("api_status", ["CONECTION_OK", "CONNECTION_OK", "SUCCESS"])
async def test_click_to_call_success_spellings(
    client: BemMelhorClient, pbx_simulator: SimulatorServer, api_status: str
) -> None:
    """Both spellings of ``CONNECTION_OK`` (the server's has one N) mean success."""
    serve_json(
        pbx_simulator,
        Endpoint.CALL,
        {
            "apiStatus": api_status,
            "created": "2026-11-27T12:00:00.000+0000",
            "data": {"callId": "9cb60bfe8dfb200f", "status": "IN_PROGRESS"},
        },
    )

    result = await client.click_to_call("6001", NUMBER)

    assert result.api_status == api_status
    assert result.call_id == "9cb60bfe8dfb200f"


async def test_click_to_call_unknown_extension(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """The PBX refuses an extension it does not have; its message is kept."""
    with pytest.raises(BemMelhorApiError) as err:
        await client.click_to_call("7777", NUMBER)

    assert err.value.api_status == "ERROR"
    assert err.value.server_message == "Ramal inválido"
    assert err.value.http_status == 200
    assert pbx_simulator.pbx.calls == []


async def test_call_status_known_call(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """The status of a call the PBX started carries its data as sent."""
    call_id = await pbx_simulator.pbx.start_call("6001", NUMBER)

    status = await client.call_status(call_id)

    assert status.call_id == call_id
    assert status.api_status == "SUCCESS"
    assert status.created is not None
    assert status.data is not None
    assert status.data["callId"] == call_id
    assert status.data["status"] == "IN_PROGRESS"
    assert (status.data["from"], status.data["to"]) == ("6001", NUMBER)


async def test_call_status_ended_call(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """An ended call is ``COMPLETED`` with its disposition."""
    call_id = await pbx_simulator.pbx.start_call("6001", NUMBER)
    await pbx_simulator.pbx.hangup(call_id, "BUSY")

    status = await client.call_status(call_id)

    assert status.data is not None
    assert status.data["status"] == "COMPLETED"
    assert status.data["disposition"] == "BUSY"


async def test_call_status_unknown_call(client: BemMelhorClient) -> None:
    """An unknown call id is a success with no data."""
    status = await client.call_status("0000000000000000")

    assert status.call_id == "0000000000000000"
    assert status.api_status == "SUCCESS"
    assert status.data is None


CLIENT_CALLS: list[ClientCall] = [
    lambda client: client.active_call("6001"),
    lambda client: client.click_to_call("6001", NUMBER),
    lambda client: client.call_status("9cb60bfe8dfb200f"),
]
CLIENT_CALL_IDS = ["active_call", "click_to_call", "call_status"]


@pytest.mark.parametrize("request_call", CLIENT_CALLS, ids=CLIENT_CALL_IDS)
async def test_connection_refused(
    client: BemMelhorClient, pbx_simulator: SimulatorServer, request_call: ClientCall
) -> None:
    """A PBX that refuses connections raises a connection error, not a timeout."""
    await pbx_simulator.refuse_connections()

    with pytest.raises(BemMelhorConnectionError) as err:
        await request_call(client)

    assert not isinstance(err.value, BemMelhorTimeoutError)


@pytest.mark.parametrize("request_call", CLIENT_CALLS, ids=CLIENT_CALL_IDS)
async def test_latency_over_the_timeout(
    client: BemMelhorClient, pbx_simulator: SimulatorServer, request_call: ClientCall
) -> None:
    """A PBX slower than ``request_timeout`` raises a timeout error."""
    client.request_timeout = 0.1
    pbx_simulator.faults.set(Endpoint.ALL, FaultKind.LATENCY, delay=0.5)

    with pytest.raises(BemMelhorTimeoutError):
        await request_call(client)


async def test_latency_under_the_timeout(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """A slow PBX within ``request_timeout`` is just slow."""
    pbx_simulator.faults.set(Endpoint.ALL, FaultKind.LATENCY, delay=0.2)

    assert await client.active_call("6001") is None


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("request_call", CLIENT_CALLS, ids=CLIENT_CALL_IDS)
async def test_server_error(
    client: BemMelhorClient,
    pbx_simulator: SimulatorServer,
    request_call: ClientCall,
    status: int,
) -> None:
    """A 5xx answer raises an API error carrying the HTTP status."""
    pbx_simulator.faults.set(Endpoint.ALL, FaultKind.HTTP_ERROR, status=status)

    with pytest.raises(BemMelhorApiError) as err:
        await request_call(client)

    assert err.value.http_status == status


async def test_server_error_with_json_body(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """A 5xx answer in the API's JSON keeps the server's message."""
    serve_json(
        pbx_simulator,
        Endpoint.ACTIVE,
        {"apiStatus": "ERROR", "data": None, "message": "Asterisk offline"},
        status=500,
    )

    with pytest.raises(BemMelhorApiError) as err:
        await client.active_call("6001")

    assert err.value.http_status == 500
    assert err.value.server_message == "Asterisk offline"


@pytest.mark.parametrize("kind", [FaultKind.HTML, FaultKind.BROKEN_JSON])
@pytest.mark.parametrize("request_call", CLIENT_CALLS, ids=CLIENT_CALL_IDS)
async def test_not_the_api(
    client: BemMelhorClient,
    pbx_simulator: SimulatorServer,
    request_call: ClientCall,
    kind: FaultKind,
) -> None:
    """An HTML page (captive portal) or broken JSON is an invalid response."""
    pbx_simulator.faults.set(Endpoint.ALL, kind)

    with pytest.raises(BemMelhorInvalidResponseError):
        await request_call(client)


async def test_oversized_answer(
    client: BemMelhorClient, pbx_simulator: SimulatorServer
) -> None:
    """An answer far larger than the API's is not parsed."""
    serve_json(
        pbx_simulator,
        Endpoint.ACTIVE,
        {"apiStatus": "SUCCESS", "data": None, "padding": "x" * 300_000},
    )

    with pytest.raises(BemMelhorInvalidResponseError):
        await client.active_call("6001")


@pytest.mark.parametrize("request_call", CLIENT_CALLS, ids=CLIENT_CALL_IDS)
async def test_api_status_error(
    client: BemMelhorClient, pbx_simulator: SimulatorServer, request_call: ClientCall
) -> None:
    """``apiStatus`` other than success raises with the server's message."""
    pbx_simulator.faults.set(
        Endpoint.ALL, FaultKind.API_ERROR, api_status="ERROR", message="Sem permissão"
    )

    with pytest.raises(BemMelhorApiError) as err:
        await request_call(client)

    assert err.value.api_status == "ERROR"
    assert err.value.server_message == "Sem permissão"
    assert str(err.value) == "Sem permissão"


@pytest.mark.parametrize("request_call", CLIENT_CALLS, ids=CLIENT_CALL_IDS)
async def test_every_failure_is_a_client_error(
    client: BemMelhorClient, pbx_simulator: SimulatorServer, request_call: ClientCall
) -> None:
    """Nothing but the client's own exceptions escapes (here: a dropped socket)."""
    await pbx_simulator.stop()

    with pytest.raises(BemMelhorError):
        await request_call(client)


@pytest.mark.parametrize(
    ("request_call", "reason"),
    [
        (
            lambda client: client.click_to_call("6001", "6005/../../active/6001"),
            InvalidInputReason.INVALID_CHARACTERS,
        ),
        (
            lambda client: client.click_to_call("6001", ".."),
            InvalidInputReason.INVALID_CHARACTERS,
        ),
        (
            lambda client: client.click_to_call("6001", "%2F"),
            InvalidInputReason.INVALID_CHARACTERS,
        ),
        (
            lambda client: client.click_to_call("6001", ""),
            InvalidInputReason.INVALID_CHARACTERS,
        ),
        (
            lambda client: client.click_to_call("6001", "0" * 25),
            InvalidInputReason.INVALID_CHARACTERS,
        ),
        (
            lambda client: client.click_to_call("../6001", "6005"),
            InvalidInputReason.INVALID_EXTENSION,
        ),
        (
            lambda client: client.active_call("../6001"),
            InvalidInputReason.INVALID_EXTENSION,
        ),
        (
            lambda client: client.active_call("6001/../../call/6001/6002"),
            InvalidInputReason.INVALID_EXTENSION,
        ),
        (
            lambda client: client.call_status(".."),
            InvalidInputReason.INVALID_CALL_ID,
        ),
        (
            lambda client: client.call_status("a..b"),
            InvalidInputReason.INVALID_CALL_ID,
        ),
        (
            lambda client: client.call_status("../active/6001"),
            InvalidInputReason.INVALID_CALL_ID,
        ),
    ],
    ids=[
        "destination_traversal",
        "destination_dots",
        "destination_percent",
        "destination_empty",
        "destination_too_long",
        "extension_traversal_call",
        "extension_traversal_active",
        "extension_traversal_long",
        "call_id_dots",
        "call_id_inner_dots",
        "call_id_traversal",
    ],
)
async def test_path_injection_refused_before_any_request(
    client: BemMelhorClient,
    pbx_simulator: SimulatorServer,
    request_call: ClientCall,
    reason: InvalidInputReason,
) -> None:
    """Anything that could escape its path segment is refused, nothing is sent."""
    with pytest.raises(BemMelhorInvalidInputError) as err:
        await request_call(client)

    assert err.value.reason is reason
    assert pbx_simulator.requests == []


@pytest.mark.parametrize(
    ("destination", "raw_path"),
    [
        ("*72", "/api/call/6001/%2A72"),
        ("#31#", "/api/call/6001/%2331%23"),
        ("*#06#", "/api/call/6001/%2A%2306%23"),
    ],
)
async def test_star_and_hash_are_quoted(
    client: BemMelhorClient,
    pbx_simulator: SimulatorServer,
    destination: str,
    raw_path: str,
) -> None:
    """``*`` and ``#`` travel percent-encoded; the PBX dials them decoded."""
    result = await client.click_to_call("6001", destination)

    assert pbx_simulator.requests.paths() == [raw_path]
    call = pbx_simulator.pbx.get_call(result.call_id)
    assert call is not None
    assert call.to == destination


@pytest.mark.parametrize(
    ("host", "port", "ssl", "base_url"),
    [
        (
            "empresa.bemmelhor.com.br",
            3030,
            False,
            "http://empresa.bemmelhor.com.br:3030",
        ),
        (
            "empresa.bemmelhor.com.br",
            3031,
            True,
            "https://empresa.bemmelhor.com.br:3031",
        ),
        ("empresa.bemmelhor.com.br", 443, True, "https://empresa.bemmelhor.com.br"),
        ("empresa.bemmelhor.com.br", 80, False, "http://empresa.bemmelhor.com.br"),
        ("192.0.2.10", 3030, False, "http://192.0.2.10:3030"),
        ("2001:db8::1", 3030, False, "http://[2001:db8::1]:3030"),
        ("::1", 3030, True, "https://[::1]:3030"),
    ],
)
async def test_base_url(
    session: aiohttp.ClientSession, host: str, port: int, ssl: bool, base_url: str
) -> None:
    """The base URL is built from host, port and scheme; IPv6 hosts get brackets."""
    client = BemMelhorClient(host, port=port, ssl=ssl, session=session)

    assert str(client.base_url) == base_url


async def test_default_port(session: aiohttp.ClientSession) -> None:
    """Without a port the client uses Bem Melhor's 3030 over plain http."""
    client = BemMelhorClient("empresa.bemmelhor.com.br", session=session)

    assert str(client.base_url) == "http://empresa.bemmelhor.com.br:3030"


@pytest.fixture
def ipv6_loopback() -> None:
    """Let the test connect to ``::1`` too (Home Assistant's harness allows 127.0.0.1)."""
    pytest_socket.socket_allow_hosts(["127.0.0.1", "::1"])


@pytest.mark.usefixtures("ipv6_loopback")
async def test_ipv6_host(
    session: aiohttp.ClientSession, pbx_simulator_factory: SimulatorFactory
) -> None:
    """A PBX on an IPv6 address is reached through its bracketed URL."""
    simulator = await pbx_simulator_factory(host="::1")
    client = BemMelhorClient("::1", port=simulator.port, session=session)

    assert await client.active_call("6001") is None
    assert simulator.requests.paths() == ["/api/active/6001"]
