"""Calling a contact by name, and ``bemmelhor.lookup_number``.

An entry in area 11 with three contacts: Maria Silva, Maria Souza and João
Conceição. Requests reach the PBX simulator.
"""

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.const import (
    CONF_AREA_CODE,
    CONF_EXTENSIONS,
    CONF_HISTORY_DAYS,
    CONF_OUTSIDE_LINE_PREFIX,
    DOMAIN,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr

from .contact_helpers import MARIA, contact_data, contact_subentry
from .helpers import EXTENSIONS, async_action, async_answer_options

CONTACTS = [
    contact_data(MARIA, "+55 11 98765-4321", "(11) 3456-7890"),
    contact_data("Maria Souza", "(21) 99999-0000"),
    contact_data("João Conceição", "2222-3333"),
]


@pytest.fixture
def entry_options(entry_options: dict[str, Any]) -> dict[str, Any]:
    """Put the PBX in area 11 (São Paulo)."""
    return entry_options | {CONF_AREA_CODE: "11"}


@pytest.fixture
def mock_config_entry(mock_config_entry: MockConfigEntry) -> MockConfigEntry:
    """Give the entry three contacts."""
    return MockConfigEntry(
        domain=mock_config_entry.domain,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data=mock_config_entry.data,
        options=mock_config_entry.options,
        subentries_data=CONTACTS,
        version=1,
        minor_version=1,
    )


# Call by name


@pytest.mark.parametrize(
    ("destination", "path"),
    [
        ("Maria Silva", "/api/call/6001/011987654321"),
        ("maria silva", "/api/call/6001/011987654321"),
        ("  MARIA  SILVA ", "/api/call/6001/011987654321"),
        ("maria si", "/api/call/6001/011987654321"),
        ("joao conceicao", "/api/call/6001/22223333"),
        ("João", "/api/call/6001/22223333"),
        ("souza", "/api/call/6001/021999990000"),
    ],
)
async def test_call_by_name(
    hass: HomeAssistant, pbx: SimulatorServer, destination: str, path: str
) -> None:
    """A contact's name (case and accents ignored) dials its first number."""
    response = await async_action(
        hass, "call", {"extension": "6001", "destination": destination}
    )

    assert pbx.requests.paths() == [path]
    assert response is not None
    assert response["to"] == path.rpartition("/")[2]


async def test_call_answers_with_names(
    hass: HomeAssistant, pbx: SimulatorServer
) -> None:
    """The action's response names both ends of the call it started."""
    response = await async_action(
        hass, "call", {"extension": "6001", "destination": "maria silva"}
    )

    assert response is not None
    assert (response["from_name"], response["to_name"]) == ("Extension 6001", MARIA)


@pytest.mark.parametrize(
    ("destination", "translation_key", "placeholders"),
    [
        (
            "Maria",
            "contact_ambiguous",
            {"name": "Maria", "candidates": "Maria Silva, Maria Souza"},
        ),
        ("Pedro", "contact_not_found", {"name": "Pedro"}),
        ("Maria Santos", "contact_not_found", {"name": "Maria Santos"}),
    ],
)
async def test_call_by_name_refused(
    hass: HomeAssistant,
    pbx: SimulatorServer,
    destination: str,
    translation_key: str,
    placeholders: dict[str, str],
) -> None:
    """No contact, or several: a translated error naming them, and no request."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(
            hass, "call", {"extension": "6001", "destination": destination}
        )

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == translation_key
    assert err.value.translation_placeholders == placeholders
    assert pbx.requests == []


async def test_many_candidates_are_cut(
    hass: HomeAssistant, init_integration: MockConfigEntry, pbx: SimulatorServer
) -> None:
    """More than ten matches: ten names, then an ellipsis."""
    for number in range(11):
        hass.config_entries.async_add_subentry(
            init_integration,
            contact_subentry(f"Cliente {number:02d}", f"11 9876{number:05d}"),
        )
    await hass.async_block_till_done()

    with pytest.raises(ServiceValidationError) as err:
        await async_action(hass, "call", {"extension": "6001", "destination": "cli"})

    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["candidates"] == ", ".join(
        [*(f"Cliente {number:02d}" for number in range(10)), "…"]
    )


# Looking numbers up


@pytest.mark.parametrize(
    ("number", "name", "formatted"),
    [
        ("+55 11 98765-4321", MARIA, "(11) 98765-4321"),
        ("011987654321", MARIA, "(11) 98765-4321"),
        ("0 15 11 98765 4321", MARIA, "(11) 98765-4321"),
        ("(11) 8765-4321", MARIA, "(11) 98765-4321"),
        ("987654321", MARIA, "(11) 98765-4321"),
        ("34567890", MARIA, "(11) 3456-7890"),
        ("021 99999-0000", "Maria Souza", "(21) 99999-0000"),
        ("(11) 2222-3333", "João Conceição", "(11) 2222-3333"),
        ("(11) 92222-3333", None, "(11) 92222-3333"),
        ("6002", "Extension 6002", "6002"),
        ("+1 650 253 0000", None, "+1 650-253-0000"),
    ],
)
async def test_lookup_number(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    number: str,
    name: str | None,
    formatted: str,
) -> None:
    """The number's contact (or extension) and its usual written form."""
    response = await async_action(
        hass,
        "lookup_number",
        {"config_entry_id": init_integration.entry_id, "number": f" {number} "},
    )

    assert response == {"number": number, "name": name, "formatted": formatted}


async def test_lookup_extension_named_by_the_user(
    hass: HomeAssistant,
    extension_device_id: str,
    device_registry: dr.DeviceRegistry,
) -> None:
    """An extension is named after its device, as the user renamed it."""
    device_registry.async_update_device(extension_device_id, name_by_user="Recepção")

    response = await async_action(hass, "lookup_number", {"number": "6001"})

    assert response is not None
    assert response["name"] == "Recepção"


@pytest.mark.parametrize("number", ["Maria", "", "1" * 21, "6001/6002"])
async def test_lookup_refuses_what_is_no_number(
    hass: HomeAssistant, init_integration: MockConfigEntry, number: str
) -> None:
    """Text that is no number is refused with a translated error."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(hass, "lookup_number", {"number": number})

    assert err.value.translation_key == "invalid_number"
    assert err.value.translation_placeholders == {"number": number}


async def test_new_area_code_applies_to_numbers_without_ddd(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """After the area code changes to 21 (the entry reloads), 99999-0000 is in Rio."""
    form = await hass.config_entries.options.async_init(init_integration.entry_id)
    await async_answer_options(
        hass,
        form,
        {
            CONF_EXTENSIONS: EXTENSIONS,
            CONF_OUTSIDE_LINE_PREFIX: "0",
            CONF_AREA_CODE: "21",
            CONF_HISTORY_DAYS: 90,
        },
    )

    response = await async_action(hass, "lookup_number", {"number": "99999-0000"})

    assert response == {
        "number": "99999-0000",
        "name": "Maria Souza",
        "formatted": "(21) 99999-0000",
    }
