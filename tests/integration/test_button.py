"""Button entity: dial the extension's typed destination."""

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from bemmelhor_simulator import Endpoint, FaultKind, SimulatorServer
from custom_components.bemmelhor.const import DOMAIN
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er

from .helpers import NOW, async_set_destination, get_state

DIAL = "button.extension_6001_dial"

pytestmark = pytest.mark.freeze_time(NOW)


@pytest.fixture
def platforms() -> list[Platform]:
    """Return the platforms to set up: the button and the text it dials."""
    return [Platform.BUTTON, Platform.TEXT]


async def async_press(hass: HomeAssistant, entity_id: str = DIAL) -> None:
    """Press a dial button."""
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


@pytest.mark.parametrize("platforms", [[Platform.BUTTON]])
async def test_entities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every extension has a dial button."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


@pytest.mark.parametrize(
    ("typed", "path"),
    [
        ("+55 (32) 99999-9999", "/api/call/6001/032999999999"),
        ("(32) 99999-9999", "/api/call/6001/032999999999"),
        ("6002", "/api/call/6001/6002"),
        ("*72", "/api/call/6001/%2A72"),
        ("#31#", "/api/call/6001/%2331%23"),
    ],
)
async def test_press_dials_the_destination(
    hass: HomeAssistant, pbx: SimulatorServer, typed: str, path: str
) -> None:
    """Pressing dial calls the typed number, normalised, from the extension."""
    await async_set_destination(hass, typed)

    await async_press(hass)

    assert pbx.requests.paths() == [path]
    assert len(pbx.pbx.calls) == 1
    assert pbx.pbx.calls[0].from_ == "6001"


async def test_press_uses_its_own_extension(
    hass: HomeAssistant, pbx: SimulatorServer
) -> None:
    """Each extension's button dials that extension's destination."""
    await async_set_destination(hass, "6001")
    await async_set_destination(hass, "6003", "text.extension_6002_destination")

    await async_press(hass, "button.extension_6002_dial")

    assert pbx.requests.paths() == ["/api/call/6002/6003"]


@pytest.mark.parametrize("typed", ["", "   "])
async def test_press_with_empty_destination(
    hass: HomeAssistant, pbx: SimulatorServer, typed: str
) -> None:
    """Nothing typed: the user is asked to type a number first."""
    await async_set_destination(hass, typed)

    with pytest.raises(ServiceValidationError) as err:
        await async_press(hass)

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "destination_empty"
    assert err.value.translation_placeholders == {"extension": "6001"}
    assert pbx.requests == []


async def test_press_before_anything_typed(
    hass: HomeAssistant, pbx: SimulatorServer
) -> None:
    """A destination never typed is empty too."""
    with pytest.raises(ServiceValidationError) as err:
        await async_press(hass)

    assert err.value.translation_key == "destination_empty"
    assert pbx.requests == []


@pytest.mark.parametrize(
    ("typed", "translation_key"),
    [
        ("..", "invalid_input_invalid_characters"),
        ("60..01", "invalid_input_invalid_characters"),
        ("()-.", "invalid_input_empty"),
        ("+1 212 555 0100", "invalid_input_international"),
        ("+55 *72", "invalid_input_invalid_characters"),
        ("6001+6002", "invalid_input_invalid_characters"),
        ("0" * 21, "invalid_input_too_long"),
    ],
)
async def test_press_with_undiallable_destination(
    hass: HomeAssistant, pbx: SimulatorServer, typed: str, translation_key: str
) -> None:
    """What the text accepts but cannot be dialled is refused at the press."""
    await async_set_destination(hass, typed)

    with pytest.raises(ServiceValidationError) as err:
        await async_press(hass)

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == translation_key
    assert pbx.requests == []


async def test_press_when_pbx_fails(hass: HomeAssistant, pbx: SimulatorServer) -> None:
    """A PBX failure at the press is a translated error."""
    pbx.faults.set(Endpoint.CALL, FaultKind.HTTP_ERROR, status=503)
    await async_set_destination(hass, "6002")

    with pytest.raises(HomeAssistantError) as err:
        await async_press(hass)

    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "api_error"


async def test_press_records_the_press(
    hass: HomeAssistant, pbx: SimulatorServer
) -> None:
    """The button's state is when it was last pressed."""
    await async_set_destination(hass, "6002")

    await async_press(hass)

    assert get_state(hass, DIAL).state == "2026-11-27T12:00:00+00:00"
