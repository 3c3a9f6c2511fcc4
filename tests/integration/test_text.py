"""Text entity: the number typed on a dashboard for an extension's dial button."""

from collections.abc import Generator
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from bemmelhor_simulator import SimulatorServer
from homeassistant.components.text import (
    ATTR_VALUE,
    DOMAIN as TEXT_DOMAIN,
    SERVICE_SET_VALUE,
)
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er

NOW = "2026-11-27 12:00:00+00:00"
DESTINATION = "text.extension_6001_destination"


@pytest.fixture(autouse=True)
def _text_platform_only() -> Generator[None]:
    """Set up only the text platform."""
    with patch("custom_components.bemmelhor.PLATFORMS", [Platform.TEXT]):
        yield


@pytest.fixture(autouse=True)
def _frozen_time(freezer: FrozenDateTimeFactory) -> None:
    """Freeze time before set-up, so dates in states do not vary."""
    freezer.move_to(NOW)


async def async_set_destination(hass: HomeAssistant, value: str) -> None:
    """Type a number in 6001's destination."""
    await hass.services.async_call(
        TEXT_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: DESTINATION, ATTR_VALUE: value},
        blocking=True,
    )


async def async_setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set up the entry (after the restore cache is filled)."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def test_entities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every extension has an empty destination after set-up."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


@pytest.mark.parametrize(
    "value",
    [
        "6002",
        "+55 (32) 99999-9999",
        "032.9999.9999",
        "*72",
        "#31#",
        "",
        "0" * 32,
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_set_value(hass: HomeAssistant, value: str) -> None:
    """A number, as people write them, is kept as typed."""
    await async_set_destination(hass, value)

    state = hass.states.get(DESTINATION)
    assert state is not None
    assert state.state == value


@pytest.mark.usefixtures("init_integration")
async def test_set_value_only_changes_its_extension(hass: HomeAssistant) -> None:
    """Each extension has a destination of its own."""
    await async_set_destination(hass, "6002")

    state = hass.states.get("text.extension_6002_destination")
    assert state is not None
    assert state.state == ""


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "6001a",
        "a6001",
        "6005/6001",
        "6005/../../active/6001",
        "%",
        "6005%2F6001",
        "6005?x=1",
        "6005;6001",
        "0" * 33,
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_set_value_refused(hass: HomeAssistant, value: str) -> None:
    """Letters, slashes, percent signs or an over-long value cannot be set."""
    await async_set_destination(hass, "6002")

    with pytest.raises(ValueError):
        await async_set_destination(hass, value)

    state = hass.states.get(DESTINATION)
    assert state is not None
    assert state.state == "6002"


async def test_destination_restored(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """The number typed before a restart is there again."""
    mock_restore_cache(hass, [State(DESTINATION, "+55 (32) 99999-9999")])

    await async_setup_entry(hass, mock_config_entry)

    state = hass.states.get(DESTINATION)
    assert state is not None
    assert state.state == "+55 (32) 99999-9999"


@pytest.mark.parametrize("restored", ["unknown", "unavailable"])
async def test_no_destination_restored(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, restored: str
) -> None:
    """Without a stored number the destination starts empty."""
    mock_restore_cache(hass, [State(DESTINATION, restored)])

    await async_setup_entry(hass, mock_config_entry)

    state = hass.states.get(DESTINATION)
    assert state is not None
    assert state.state == ""


@pytest.mark.parametrize("restored", ["abc", "6005/../../active/6001", "0" * 40])
async def test_invalid_destination_not_restored(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, restored: str
) -> None:
    """A stored value that could not be typed today is dropped."""
    mock_restore_cache(hass, [State(DESTINATION, restored)])

    await async_setup_entry(hass, mock_config_entry)

    state = hass.states.get(DESTINATION)
    assert state is not None
    assert state.state == ""


async def test_destination_kept_across_a_reload(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
) -> None:
    """Reloading the entry (e.g. after changing options) keeps the typed number."""
    await async_set_destination(hass, "6002")

    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    state = hass.states.get(DESTINATION)
    assert state is not None
    assert state.state == "6002"
