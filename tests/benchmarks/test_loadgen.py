"""The lean load generator: encoded requests, answers parsed, one server on loopback."""

from aiohttp import web
import pytest

from benchmarks.loadgen import WebhookLoad, encode_post, parse_answer


def test_a_post_is_encoded_with_its_length() -> None:
    """Host, JSON content type and the body's length, then the body."""
    raw = encode_post("127.0.0.1", 8123, "/api/webhook/x", b'{"a":1}')

    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"POST /api/webhook/x HTTP/1.1\r\n")
    assert b"\r\nHost: 127.0.0.1:8123" in head
    assert b"\r\nContent-Type: application/json" in head
    assert b"\r\nContent-Length: 7" in head
    assert body == b'{"a":1}'


def test_answers_are_complete_only_with_their_body() -> None:
    """Status and length once head and body are in; None before."""
    answer = b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 4\r\n\r\nnope"

    assert parse_answer(answer[:20]) is None
    assert parse_answer(answer[:-1]) is None
    assert parse_answer(answer + b"HTTP/1.1 200") == (401, len(answer))


def test_an_answer_without_length_is_refused() -> None:
    """Home Assistant's answers carry a length; anything else is an error."""
    with pytest.raises(ValueError):
        parse_answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")


async def test_pairs_are_posted_in_order_over_keep_alive_connections(
    socket_enabled: None,
) -> None:
    """Every request reaches the server, each hangup after its dialing; 404s count."""
    received: list[bytes] = []

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        received.append(body)
        return web.Response(status=404 if body == b"bad" else 200, text="ok")

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        load = WebhookLoad("127.0.0.1", port)
        pairs = [(f"d{n}".encode(), f"h{n}".encode()) for n in range(20)]
        pairs.append((b"bad", b"h-bad"))

        sent, failures, seconds = await load.post_pairs(
            load.encode_pairs("/hook", pairs), 4
        )
    finally:
        await runner.cleanup()

    assert (sent, failures) == (42, 1)
    assert seconds > 0
    assert sorted(received) == sorted(body for pair in pairs for body in pair)
    for dialing, hangup in pairs:
        assert received.index(dialing) < received.index(hangup)
