"""Actions: ``bemmelhor.call`` (click-to-call) and ``bemmelhor.call_status``."""

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator import Endpoint, FaultKind, SimulatorServer
from bemmelhor_simulator.pytest_plugin import SimulatorFactory
from custom_components.bemmelhor.const import (
    CONF_CLIENT_ID,
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    DOMAIN,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .helpers import (
    HOST,
    NOW,
    NUMBER,
    BreakPbx,
    async_action,
    async_setup_entry,
    fault,
    refuse_connections,
)

TYPED_NUMBER = "+55 (32) 99999-9999"

pytestmark = pytest.mark.freeze_time(NOW)


@pytest.fixture
def second_pbx_extension() -> str:
    """Return the extension of the second PBX (by default one the first lacks)."""
    return "7001"


@pytest.fixture
async def second_pbx(
    hass: HomeAssistant,
    pbx_simulator_factory: SimulatorFactory,
    second_pbx_extension: str,
) -> SimulatorServer:
    """Return a second simulated PBX, with its own loaded entry."""
    simulator = await pbx_simulator_factory(extensions=[second_pbx_extension])
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Second PBX",
        unique_id="second.example.com",
        data={
            CONF_HOST: HOST,
            CONF_PORT: simulator.port,
            CONF_SSL: False,
            CONF_VERIFY_SSL: True,
            CONF_WEBHOOK_ID: "fedcba9876543210fedcba9876543210",
        },
        options={
            CONF_EXTENSIONS: [second_pbx_extension],
            CONF_OUTSIDE_LINE_PREFIX: "0",
            CONF_CLIENT_ID: "",
        },
    )
    await async_setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    simulator.requests.clear()
    return simulator


async def test_call(hass: HomeAssistant, pbx: SimulatorServer) -> None:
    """A typed number is normalised and dialled from the extension."""
    response = await async_action(
        hass, "call", {"extension": "6001", "destination": TYPED_NUMBER}
    )

    assert pbx.requests.paths() == [f"/api/call/6001/{NUMBER}"]
    assert len(pbx.pbx.calls) == 1
    assert response == {
        "call_id": pbx.pbx.calls[0].call_id,
        "status": "IN_PROGRESS",
        "from": "6001",
        "to": NUMBER,
        "from_name": "Extension 6001",
        "to_name": None,
        "created": "2026-11-27T12:00:00+00:00",
    }


async def test_call_with_config_entry_id(
    hass: HomeAssistant, init_integration: MockConfigEntry, pbx: SimulatorServer
) -> None:
    """The entry can be named explicitly."""
    response = await async_action(
        hass,
        "call",
        {
            "config_entry_id": init_integration.entry_id,
            "extension": "6001",
            "destination": "6002",
        },
    )

    assert pbx.requests.paths() == ["/api/call/6001/6002"]
    assert response is not None
    assert response["to"] == "6002"


async def test_call_with_config_entry_id_among_two(
    hass: HomeAssistant,
    pbx: SimulatorServer,
    second_pbx: SimulatorServer,
) -> None:
    """With two PBXs, the named entry's PBX gets the call, the other none."""
    entry = hass.config_entries.async_entry_for_domain_unique_id(
        DOMAIN, "second.example.com"
    )
    assert entry is not None

    await async_action(
        hass,
        "call",
        {"config_entry_id": entry.entry_id, "extension": "7001", "destination": "*72"},
    )

    assert second_pbx.requests.paths() == ["/api/call/7001/%2A72"]
    assert pbx.requests == []


async def test_call_without_response(hass: HomeAssistant, pbx: SimulatorServer) -> None:
    """The response is optional: the action works as a plain action too."""
    await hass.services.async_call(
        DOMAIN,
        "call",
        {"extension": "6001", "destination": "6002"},
        blocking=True,
    )

    assert pbx.requests.paths() == ["/api/call/6001/6002"]


@pytest.mark.parametrize(
    ("destination", "translation_key"),
    [
        ("abc", "contact_not_found"),
        ("6001a", "contact_not_found"),
        ("6005/6001", "invalid_input_invalid_characters"),
        ("6005/../../active/6001", "invalid_input_invalid_characters"),
        ("..", "invalid_input_invalid_characters"),
        ("%", "invalid_input_invalid_characters"),
        ("6005%2F6001", "invalid_input_invalid_characters"),
        ("", "invalid_input_empty"),
        ("  ", "invalid_input_empty"),
        ("1" * 21, "invalid_input_too_long"),
        ("+1 212 555 0100", "invalid_input_international"),
    ],
)
async def test_call_refuses_destination(
    hass: HomeAssistant, pbx: SimulatorServer, destination: str, translation_key: str
) -> None:
    """A destination that cannot be dialled is refused before any request."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(
            hass, "call", {"extension": "6001", "destination": destination}
        )

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == translation_key
    assert pbx.requests == []


@pytest.mark.parametrize("extension", ["6009", "7001", "../6001", "6001/6002", ""])
async def test_call_refuses_unknown_extension(
    hass: HomeAssistant, pbx: SimulatorServer, extension: str
) -> None:
    """Only an extension configured in the entry can call."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(
            hass, "call", {"extension": extension, "destination": "6002"}
        )

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "unknown_extension"
    assert pbx.requests == []


async def test_call_without_loaded_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry, pbx: SimulatorServer
) -> None:
    """With no loaded entry there is no PBX to call from."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    with pytest.raises(ServiceValidationError) as err:
        await async_action(hass, "call", {"extension": "6001", "destination": "6002"})

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "no_loaded_entry"
    assert pbx.requests == []


async def test_call_finds_the_pbx_of_the_extension(
    hass: HomeAssistant, pbx: SimulatorServer, second_pbx: SimulatorServer
) -> None:
    """With two PBXs and none chosen, the one that has the extension calls."""
    await async_action(hass, "call", {"extension": "7001", "destination": "6002"})

    assert second_pbx.requests.paths() == ["/api/call/7001/6002"]
    assert pbx.requests == []


async def test_call_from_an_extension_in_no_pbx(
    hass: HomeAssistant, pbx: SimulatorServer, second_pbx: SimulatorServer
) -> None:
    """With two PBXs, an extension neither has is refused."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(hass, "call", {"extension": "6009", "destination": "6002"})

    assert err.value.translation_key == "unknown_extension"
    assert pbx.requests == []
    assert second_pbx.requests == []


async def test_call_from_the_extension_device(
    hass: HomeAssistant, pbx: SimulatorServer, extension_device_id: str
) -> None:
    """The action's picker gives the extension's device: its number calls."""
    await async_action(
        hass, "call", {"extension": extension_device_id, "destination": "6002"}
    )

    assert pbx.requests.paths() == ["/api/call/6001/6002"]


async def test_the_extension_device_is_read_without_deprecated_attributes(
    hass: HomeAssistant,
    pbx: SimulatorServer,
    extension_device_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Reading the device reports no deprecation (``DeviceEntry.config_entries``)."""
    await async_action(
        hass, "call", {"extension": extension_device_id, "destination": "6002"}
    )

    assert not [r for r in caplog.records if "deprecated" in r.getMessage()]


async def test_call_refuses_the_hub_device(
    hass: HomeAssistant, pbx: SimulatorServer, hub_device_id: str
) -> None:
    """A device that is not an extension is refused like an unknown extension."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(
            hass, "call", {"extension": hub_device_id, "destination": "6002"}
        )

    assert err.value.translation_key == "unknown_extension"
    assert pbx.requests == []


@pytest.mark.parametrize("second_pbx_extension", ["6001"])
async def test_call_with_the_extension_in_two_entries_and_none_chosen(
    hass: HomeAssistant, pbx: SimulatorServer, second_pbx: SimulatorServer
) -> None:
    """When both PBXs have the extension, the action must be told which one."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(hass, "call", {"extension": "6001", "destination": "6002"})

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "entry_required"
    assert pbx.requests == []
    assert second_pbx.requests == []


async def test_call_with_unknown_entry(
    hass: HomeAssistant, pbx: SimulatorServer
) -> None:
    """An entry id that does not exist is refused."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(
            hass,
            "call",
            {"config_entry_id": "nope", "extension": "6001", "destination": "6002"},
        )

    assert err.value.translation_key == "service_config_entry_not_found"
    assert pbx.requests == []


async def test_call_with_unloaded_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry, pbx: SimulatorServer
) -> None:
    """An entry that is not loaded is refused."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    with pytest.raises(ServiceValidationError) as err:
        await async_action(
            hass,
            "call",
            {
                "config_entry_id": init_integration.entry_id,
                "extension": "6001",
                "destination": "6002",
            },
        )

    assert err.value.translation_key == "service_config_entry_not_loaded"
    assert pbx.requests == []


@pytest.mark.parametrize(
    ("break_pbx", "translation_key"),
    [
        (fault(Endpoint.ALL, FaultKind.HTTP_ERROR, status=503), "api_error"),
        (fault(Endpoint.ALL, FaultKind.HTTP_ERROR, status=500), "api_error"),
        (
            fault(Endpoint.ALL, FaultKind.API_ERROR, message="Ramal inválido"),
            "api_error",
        ),
        (fault(Endpoint.ALL, FaultKind.HTML), "invalid_response"),
        (fault(Endpoint.ALL, FaultKind.BROKEN_JSON), "invalid_response"),
        (refuse_connections, "cannot_connect"),
    ],
    ids=["http_503", "http_500", "api_error", "html", "broken_json", "refused"],
)
async def test_call_api_failure(
    hass: HomeAssistant,
    pbx: SimulatorServer,
    break_pbx: BreakPbx,
    translation_key: str,
) -> None:
    """A PBX failure is a translated error, not a validation error."""
    await break_pbx(pbx)

    with pytest.raises(HomeAssistantError) as err:
        await async_action(hass, "call", {"extension": "6001", "destination": "6002"})

    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == translation_key


@pytest.mark.parametrize(
    ("break_pbx", "message"),
    [
        (fault(Endpoint.ALL, FaultKind.HTTP_ERROR, status=503), "HTTP 503"),
        (
            fault(Endpoint.ALL, FaultKind.API_ERROR, message="Ramal inválido"),
            "Ramal inválido",
        ),
    ],
    ids=["http_503", "api_error"],
)
async def test_call_api_failure_message(
    hass: HomeAssistant, pbx: SimulatorServer, break_pbx: BreakPbx, message: str
) -> None:
    """The user is told what the PBX said, or its HTTP status."""
    await break_pbx(pbx)

    with pytest.raises(HomeAssistantError) as err:
        await async_action(hass, "call", {"extension": "6001", "destination": "6002"})

    assert err.value.translation_placeholders == {"message": message}


async def test_call_status(hass: HomeAssistant, pbx: SimulatorServer) -> None:
    """The status of a call the action started, as the PBX tells it."""
    started = await async_action(
        hass, "call", {"extension": "6001", "destination": "6002"}
    )
    assert started is not None

    response = await async_action(hass, "call_status", {"call_id": started["call_id"]})

    assert response == {
        "call_id": started["call_id"],
        "api_status": "SUCCESS",
        "found": True,
        "data": {
            "key": started["call_id"],
            "status": "IN_PROGRESS",
            "created": "2026-11-27T12:00:00.000+0000",
            "from": "6001",
            "to": "6002",
            "error": None,
            "callId": started["call_id"],
            "serverMessage": "Chamando o destino",
            "disposition": None,
        },
    }


async def test_call_status_with_config_entry_id(
    hass: HomeAssistant, init_integration: MockConfigEntry, pbx: SimulatorServer
) -> None:
    """The entry can be named explicitly; an unknown call is not found, and has no data."""
    response = await async_action(
        hass,
        "call_status",
        {"config_entry_id": init_integration.entry_id, "call_id": "9cb60bfe8dfb200f"},
    )

    assert response == {
        "call_id": "9cb60bfe8dfb200f",
        "api_status": "SUCCESS",
        "found": False,
        "data": None,
    }
    assert pbx.requests.paths() == ["/api/status/9cb60bfe8dfb200f"]


@pytest.mark.parametrize("call_id", ["..", "../active/6001", "a/b", "", "%2F"])
async def test_call_status_refuses_invalid_call_id(
    hass: HomeAssistant, pbx: SimulatorServer, call_id: str
) -> None:
    """A call id that could escape its path segment is refused before any request."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(hass, "call_status", {"call_id": call_id})

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "invalid_input_invalid_call_id"
    assert pbx.requests == []


async def test_call_status_api_failure(
    hass: HomeAssistant, pbx: SimulatorServer
) -> None:
    """A PBX failure is a translated error."""
    pbx.faults.set(Endpoint.STATUS, FaultKind.HTTP_ERROR, status=503)

    with pytest.raises(HomeAssistantError) as err:
        await async_action(hass, "call_status", {"call_id": "9cb60bfe8dfb200f"})

    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "api_error"
