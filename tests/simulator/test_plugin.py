"""The pytest plugin's fixtures."""

from typing import Any

import pytest

from bemmelhor_simulator import Mode, SimulatorServer
from bemmelhor_simulator.pytest_plugin import SimulatorFactory


async def test_default_simulator(pbx_simulator: SimulatorServer) -> None:
    """The default simulator is started, manual, on loopback, with 6001-6003."""
    assert pbx_simulator.started
    assert pbx_simulator.host == "127.0.0.1"
    assert pbx_simulator.port > 0
    assert pbx_simulator.pbx.mode is Mode.MANUAL
    assert pbx_simulator.pbx.extensions == ["6001", "6002", "6003"]
    assert pbx_simulator.webhooks.url is None


async def test_factory(
    pbx_simulator_factory: SimulatorFactory, pbx_simulator: SimulatorServer
) -> None:
    """The factory starts more simulators with any options."""
    other = await pbx_simulator_factory(extensions=["7001"], client_id="x")
    assert other.started
    assert other.port != pbx_simulator.port
    assert other.pbx.extensions == ["7001"]
    assert other.pbx.mode is Mode.MANUAL
    assert other.webhooks.client_id == "x"


class TestOverriddenKwargs:
    """``pbx_simulator_kwargs`` can be overridden."""

    @pytest.fixture
    def pbx_simulator_kwargs(self) -> dict[str, Any]:
        """Use other extensions and a webhook URL."""
        return {"extensions": ["100", "101"], "webhook_url": "http://127.0.0.1:1/h"}

    async def test_overridden(self, pbx_simulator: SimulatorServer) -> None:
        """The overrides reach the simulator."""
        assert pbx_simulator.pbx.extensions == ["100", "101"]
        assert pbx_simulator.webhooks.url == "http://127.0.0.1:1/h"
