"""Home Assistant Cloud: the entry's webhook as a cloudhook, and cloud deliveries.

The cloud integration cannot run here (it talks to Nabu Casa), so these
tests put a stand-in for its four functions where the integration imports
them from. Deliveries through a cloudhook reach the handler the way Home
Assistant's cloud client delivers them: as a ``MockRequest``.
"""

from collections.abc import Generator
import json
import sys
from types import ModuleType
from typing import Any
from unittest.mock import AsyncMock, Mock, patch

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.const import (
    CONF_CLOUDHOOK,
    CONF_EXTENSIONS,
    EVENT_CALL_DIALING,
)
from homeassistant.components import webhook
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.util.aiohttp import MockRequest

from .helpers import (
    HOST,
    WEBHOOK_ID,
    WEBHOOK_PATH,
    async_setup_entry,
    async_user_step,
    dialing_body,
)

CLOUDHOOK = "https://hooks.nabu.casa/bemmelhor-test"


class CloudNotAvailable(HomeAssistantError):
    """Stand-in for the cloud integration's error."""


@pytest.fixture
def cloud(hass: HomeAssistant) -> Generator[ModuleType]:
    """Return a logged-in Home Assistant Cloud stand-in."""
    module = ModuleType("homeassistant.components.cloud")
    module.CloudNotAvailable = CloudNotAvailable  # type: ignore[attr-defined]
    module.async_active_subscription = Mock(return_value=True)  # type: ignore[attr-defined]
    module.async_get_or_create_cloudhook = AsyncMock(return_value=CLOUDHOOK)  # type: ignore[attr-defined]
    module.async_delete_cloudhook = AsyncMock()  # type: ignore[attr-defined]
    hass.config.components.add("cloud")
    with patch.dict(sys.modules, {"homeassistant.components.cloud": module}):
        yield module


async def async_remove_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Remove the entry, as the user does, and wait for its clean-up."""
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()


def delivery(body: dict[str, Any], source: str) -> MockRequest:
    """Return a POST of ``body`` as Home Assistant's cloud client delivers it."""
    return MockRequest(
        content=json.dumps(body).encode(), mock_source=source, method="POST"
    )


async def test_config_flow_shows_the_cloudhook(
    hass: HomeAssistant, cloud: ModuleType, pbx_simulator: SimulatorServer
) -> None:
    """With the cloud logged in, the entry gets a cloudhook and shows it."""
    result = await async_user_step(
        hass,
        {
            CONF_HOST: HOST,
            CONF_PORT: pbx_simulator.port,
            CONF_SSL: False,
            CONF_VERIFY_SSL: True,
            CONF_EXTENSIONS: ["6001"],
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_CLOUDHOOK] == CLOUDHOOK
    assert result["description_placeholders"] == {"webhook_url": CLOUDHOOK}


async def test_setup_moves_an_entry_to_a_cloudhook(
    hass: HomeAssistant, cloud: ModuleType, init_integration: MockConfigEntry
) -> None:
    """An entry made before the cloud was logged in gets a cloudhook at set-up."""
    assert init_integration.data[CONF_CLOUDHOOK] == CLOUDHOOK
    assert init_integration.runtime_data.coordinator.webhook_url == CLOUDHOOK
    cloud.async_get_or_create_cloudhook.assert_awaited_once_with(hass, WEBHOOK_ID)


async def test_no_subscription_keeps_the_instance_url(
    hass: HomeAssistant, cloud: ModuleType, mock_config_entry: MockConfigEntry
) -> None:
    """Without an active subscription there is no cloudhook."""
    cloud.async_active_subscription.return_value = False
    await async_setup_entry(hass, mock_config_entry)
    assert CONF_CLOUDHOOK not in mock_config_entry.data
    cloud.async_get_or_create_cloudhook.assert_not_awaited()


async def test_cloud_not_connected_falls_back_to_the_instance_url(
    hass: HomeAssistant,
    cloud: ModuleType,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A logged-in but disconnected cloud: the instance URL, and one info line."""
    cloud.async_get_or_create_cloudhook.side_effect = CloudNotAvailable
    await async_setup_entry(hass, mock_config_entry)
    assert CONF_CLOUDHOOK not in mock_config_entry.data
    coordinator = mock_config_entry.runtime_data.coordinator
    assert coordinator.webhook_url.endswith(WEBHOOK_PATH)
    assert "Home Assistant Cloud is not connected" in caplog.text


async def test_removing_the_entry_deletes_its_cloudhook(
    hass: HomeAssistant, cloud: ModuleType, init_integration: MockConfigEntry
) -> None:
    """The cloudhook goes with the entry."""
    await async_remove_entry(hass, init_integration)
    cloud.async_delete_cloudhook.assert_awaited_once_with(hass, WEBHOOK_ID)


async def test_removing_with_cloud_unavailable_is_quiet(
    hass: HomeAssistant, cloud: ModuleType, init_integration: MockConfigEntry
) -> None:
    """A cloud that cannot be reached does not stop the removal."""
    cloud.async_delete_cloudhook.side_effect = CloudNotAvailable
    await async_remove_entry(hass, init_integration)
    assert hass.config_entries.async_get_entry(init_integration.entry_id) is None


async def test_removing_an_entry_without_cloudhook_asks_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """No cloud, no cloudhook: removal does not import the cloud integration."""
    with patch.dict(sys.modules, {"homeassistant.components.cloud": None}):
        await async_remove_entry(hass, init_integration)
    assert hass.config_entries.async_get_entry(init_integration.entry_id) is None


async def test_cloud_delivery_is_handled(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A webhook delivered through the cloud reaches the handler like any other."""
    events = async_capture_events(hass, EVENT_CALL_DIALING)
    body = dialing_body("c1", to="6002", created=0)
    response = await webhook.async_handle_webhook(
        hass, WEBHOOK_ID, delivery(body, "cloud")
    )
    await hass.async_block_till_done()
    assert response.status == 200
    assert [event.data["call_id"] for event in events] == ["c1"]


class _BrokenContent:
    async def read(self, size: int) -> bytes:
        raise ConnectionResetError


async def test_unreadable_body_is_a_bad_request(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A body that breaks off while being read gets a 400, not a 500."""
    request = MockRequest(content=b"", mock_source="test", method="POST")
    request._content = _BrokenContent()  # type: ignore[assignment]  # noqa: SLF001
    with patch.object(MockRequest, "content", property(lambda self: self._content)):
        response = await webhook.async_handle_webhook(hass, WEBHOOK_ID, request)
    assert response.status == 400


async def test_unexpected_error_is_logged_and_answered_400(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Even a bug in the handler never turns into a 500 for the PBX."""
    body = dialing_body("c1", to="6002")
    with patch.object(
        init_integration.runtime_data.coordinator,
        "async_dialing",
        side_effect=RuntimeError("bug"),
    ):
        response = await webhook.async_handle_webhook(
            hass, WEBHOOK_ID, delivery(body, "t")
        )
    assert response.status == 400
    assert "Unexpected error while handling a webhook" in caplog.text


async def test_webhook_url_without_any_instance_url(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Without an internal or external URL, the path alone is shown."""
    with patch(
        "homeassistant.components.webhook.async_generate_url",
        side_effect=NoURLAvailableError,
    ):
        await async_setup_entry(hass, mock_config_entry)
    assert mock_config_entry.runtime_data.coordinator.webhook_url == WEBHOOK_PATH
