"""pytest fixtures serving the simulated PBX on a free loopback port.

Enable with ``pytest_plugins = ["bemmelhor_simulator.pytest_plugin"]`` in the
top-level conftest. Fixtures:

- ``pbx_simulator``: a started ``SimulatorServer`` in manual mode with the
  keyword arguments of ``pbx_simulator_kwargs``; stopped after the test.
- ``pbx_simulator_kwargs``: ``{}``; override it to change the extensions,
  webhook URL, ... of ``pbx_simulator``.
- ``pbx_simulator_factory``: ``await factory(**kwargs)`` starts another
  server (manual mode and a free port unless given); all are stopped after
  the test.

The fixtures open sockets; under pytest-socket (Home Assistant's harness)
request ``socket_enabled`` as well.
"""

from collections.abc import AsyncGenerator
from typing import Any, Protocol

import pytest
import pytest_asyncio

from .model import Mode
from .server import SimulatorServer


class SimulatorFactory(Protocol):
    """Starts a simulator; keyword arguments are ``SimulatorServer``'s."""

    async def __call__(self, **kwargs: Any) -> SimulatorServer:
        """Start and return a simulator."""


@pytest.fixture
def pbx_simulator_kwargs() -> dict[str, Any]:
    """Return the keyword arguments ``pbx_simulator`` is built with."""
    return {}


@pytest_asyncio.fixture
async def pbx_simulator_factory() -> AsyncGenerator[SimulatorFactory]:
    """Return a function starting simulators, all stopped at teardown."""
    servers: list[SimulatorServer] = []

    async def factory(**kwargs: Any) -> SimulatorServer:
        kwargs.setdefault("mode", Mode.MANUAL)
        kwargs.setdefault("port", 0)
        server = SimulatorServer(**kwargs)
        await server.start()
        servers.append(server)
        return server

    yield factory
    for server in reversed(servers):
        await server.stop()


@pytest_asyncio.fixture
async def pbx_simulator(
    pbx_simulator_factory: SimulatorFactory, pbx_simulator_kwargs: dict[str, Any]
) -> SimulatorServer:
    """Return a started simulator (manual mode, extensions 6001-6003)."""
    return await pbx_simulator_factory(**pbx_simulator_kwargs)
