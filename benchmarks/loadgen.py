"""A lean HTTP/1.1 load generator: pre-encoded POSTs over keep-alive connections.

The webhook rounds must measure Home Assistant, not the client. With
``aiohttp``'s client, sending a request and reading its answer costs about
as much CPU as Home Assistant's no-op webhook handler spends on it: on two
cores the client, not Home Assistant, set the no-op's pace. Here each
request is built (as bytes) before the round, a connection is an
``asyncio.Protocol`` that writes the request and reads the answer's status
line and ``Content-Length`` (Home Assistant's webhook answers always carry
one), and the next request follows on the same connection.
"""

import asyncio
from collections.abc import Iterator, Sequence
import re
import time
from typing import override

HEADER_END = b"\r\n\r\n"
CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
CONNECT_TIMEOUT = 10.0
ANSWER_TIMEOUT = 30.0


def encode_post(host: str, port: int, path: str, body: bytes) -> bytes:
    """Return one HTTP/1.1 POST of a JSON body, ready to write."""
    head = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


def parse_answer(buffer: bytes | bytearray) -> tuple[int, int] | None:
    """Return ``(status, length)`` of a complete answer at the buffer's start.

    None while the answer is incomplete. ``length`` is how many bytes of the
    buffer it takes (head and body).
    """
    end = buffer.find(HEADER_END)
    if end < 0:
        return None
    head = bytes(buffer[:end])
    status = int(head[9:12])
    match = CONTENT_LENGTH.search(head)
    if match is None:
        raise ValueError("an answer without Content-Length")
    length = end + len(HEADER_END) + int(match[1])
    return (status, length) if len(buffer) >= length else None


class Connection(asyncio.Protocol):
    """One keep-alive connection: one request in flight at a time."""

    def __init__(self) -> None:
        """Start unconnected; ``open_connection`` connects it."""
        self.transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._answer: asyncio.Future[int] | None = None

    @override
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    @override
    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if (answer := parse_answer(self._buffer)) is not None:
            status, length = answer
            del self._buffer[:length]
            if self._answer is not None and not self._answer.done():
                self._answer.set_result(status)

    @override
    def connection_lost(self, exc: Exception | None) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_exception(exc or ConnectionError("connection closed"))

    async def request(self, raw: bytes) -> int:
        """Send one encoded request; return the answer's status."""
        if self.transport is None or self.transport.is_closing():
            raise ConnectionError("not connected")
        self._answer = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        async with asyncio.timeout(ANSWER_TIMEOUT):
            return await self._answer

    def close(self) -> None:
        """Close the connection."""
        if self.transport is not None:
            self.transport.close()


async def open_connection(host: str, port: int) -> Connection:
    """Connect one ``Connection`` to ``host:port``."""
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(CONNECT_TIMEOUT):
        _, protocol = await loop.create_connection(Connection, host, port)
    return protocol


class WebhookLoad:
    """Posts pre-encoded webhook bodies to one URL path of one server."""

    def __init__(self, host: str, port: int) -> None:
        """Aim at ``host:port`` (Home Assistant's HTTP server)."""
        self.host = host
        self.port = port

    def encode_pairs(
        self, path: str, pairs: Sequence[tuple[bytes, bytes]]
    ) -> list[tuple[bytes, bytes]]:
        """Return the requests of dialing/hangup body pairs (built before a round)."""
        return [
            (
                encode_post(self.host, self.port, path, dialing),
                encode_post(self.host, self.port, path, hangup),
            )
            for dialing, hangup in pairs
        ]

    async def post_pairs(
        self, requests: Sequence[tuple[bytes, bytes]], concurrency: int
    ) -> tuple[int, int, float]:
        """Send every pair (dialing, then its hangup) over ``concurrency`` connections.

        Connections are opened before the clock starts. Returns requests sent,
        requests not answered 200, and seconds taken.
        """
        connections = await asyncio.gather(
            *(open_connection(self.host, self.port) for _ in range(concurrency))
        )
        calls: Iterator[tuple[bytes, bytes]] = iter(requests)
        sent = failures = 0

        async def worker(connection: Connection) -> None:
            nonlocal sent, failures
            for pair in calls:
                for raw in pair:
                    status = await connection.request(raw)
                    sent += 1
                    if status != 200:
                        failures += 1

        try:
            started = time.perf_counter()
            await asyncio.gather(*(worker(connection) for connection in connections))
            seconds = time.perf_counter() - started
        finally:
            for connection in connections:
                connection.close()
        return sent, failures, seconds
