"""Text entity: the number typed on a dashboard for an extension's dial button."""

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from bemmelhor_simulator import SimulatorServer
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er

from .helpers import (
    DESTINATION,
    NOW,
    async_set_destination,
    async_setup_entry,
    get_state,
)

pytestmark = pytest.mark.freeze_time(NOW)


@pytest.fixture
def platforms() -> list[Platform]:
    """Return the platforms to set up: only the text."""
    return [Platform.TEXT]


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

    assert get_state(hass, DESTINATION).state == value


@pytest.mark.usefixtures("init_integration")
async def test_set_value_only_changes_its_extension(hass: HomeAssistant) -> None:
    """Each extension has a destination of its own."""
    await async_set_destination(hass, "6002")

    assert get_state(hass, "text.extension_6002_destination").state == ""


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
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_set_value_refused(hass: HomeAssistant, value: str) -> None:
    """Letters, slashes or percent signs cannot be set: a translated error says why."""
    await async_set_destination(hass, "6002")

    with pytest.raises(ServiceValidationError) as err:
        await async_set_destination(hass, value)

    assert err.value.translation_key == "destination_not_a_number"
    assert err.value.translation_placeholders == {"value": value}
    assert get_state(hass, DESTINATION).state == "6002"


@pytest.mark.usefixtures("init_integration")
async def test_over_long_value_refused(hass: HomeAssistant) -> None:
    """More than 32 characters: a translated error with the limit."""
    with pytest.raises(ServiceValidationError) as err:
        await async_set_destination(hass, "0" * 33)

    assert err.value.translation_key == "destination_too_long"
    assert err.value.translation_placeholders == {"max": "32"}


async def test_destination_restored(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """The number typed before a restart is there again."""
    mock_restore_cache(hass, [State(DESTINATION, "+55 (32) 99999-9999")])

    await async_setup_entry(hass, mock_config_entry)

    assert get_state(hass, DESTINATION).state == "+55 (32) 99999-9999"


@pytest.mark.parametrize(
    "restored",
    ["unknown", "unavailable", "abc", "6005/../../active/6001", "0" * 40],
)
async def test_no_destination_restored(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, restored: str
) -> None:
    """Without a stored number, or one that could not be typed today, it starts empty."""
    mock_restore_cache(hass, [State(DESTINATION, restored)])

    await async_setup_entry(hass, mock_config_entry)

    assert get_state(hass, DESTINATION).state == ""


async def test_destination_kept_across_a_reload(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
) -> None:
    """Reloading the entry (e.g. after changing options) keeps the typed number."""
    await async_set_destination(hass, "6002")

    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert get_state(hass, DESTINATION).state == "6002"
