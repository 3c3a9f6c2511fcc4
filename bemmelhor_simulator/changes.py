"""Wake-ups for code waiting on the simulator's state to change."""

import asyncio
from collections.abc import Callable


class ChangeNotifier:
    """Lets coroutines wait until a predicate over the simulator state holds."""

    def __init__(self) -> None:
        """Start with nobody waiting."""
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake every waiter so that it re-checks its predicate."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float) -> None:
        """Return once ``predicate()`` is true; raise ``TimeoutError`` after ``timeout`` s."""
        async with asyncio.timeout(timeout):
            while not predicate():
                await self._event.wait()
