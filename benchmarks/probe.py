"""How long Home Assistant's event loop stalls while something else happens.

A probe POSTs an empty body to the no-op webhook, one request at a time,
every ``INTERVAL`` seconds, and keeps each round trip. The no-op handler
answers at once, so a long round trip is time the event loop spent on
something else (loading a large call log, a write holding the interpreter
lock). Used around an entry's reload and while its call log is written.
"""

import asyncio
import contextlib
import time
from types import TracebackType
from typing import Self

import aiohttp

from .stats import Summary

INTERVAL = 0.01
STOP_TIMEOUT = 10.0
MS = 1000.0


class StallProbe:
    """``async with StallProbe(session, url) as probe``: round trips in ``probe.samples``."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """Probe ``url`` (the no-op webhook) over ``session``."""
        self._session = session
        self._url = url
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self.samples: list[float] = []
        """Round trips in milliseconds."""

    async def __aenter__(self) -> Self:
        """Start probing."""
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop probing; a request in flight is waited for (a stall it is in counts)."""
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, STOP_TIMEOUT)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task

    @property
    def longest_ms(self) -> float:
        """Return the longest round trip (0 without samples)."""
        return max(self.samples, default=0.0)

    def summary(self) -> Summary | None:
        """Return the round trips' summary (None without samples)."""
        return Summary.of(self.samples) if self.samples else None

    async def _run(self) -> None:
        while not self._stop.is_set():
            started = time.perf_counter()
            async with self._session.post(self._url, data=b"{}") as response:
                await response.read()
            self.samples.append((time.perf_counter() - started) * MS)
            await asyncio.sleep(INTERVAL)
