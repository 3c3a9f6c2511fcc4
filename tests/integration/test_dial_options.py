"""The options page of where the extensions may call (``dialing``, after ``init``)."""

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator import SimulatorServer
from custom_components.bemmelhor.const import (
    CONF_ALLOWED_DESTINATIONS,
    CONF_ALLOWED_PREFIXES,
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    CONF_REFUSED_PREFIXES,
    DOMAIN,
)
from custom_components.bemmelhor.destination_kinds import DestinationKind
from custom_components.bemmelhor.dial_policy import DEFAULT_ALLOWED_DESTINATIONS
from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.translation import async_get_translations

from .helpers import EXTENSIONS, async_action, shown_fields

INIT = {CONF_EXTENSIONS: EXTENSIONS, CONF_OUTSIDE_LINE_PREFIX: "0"}


async def async_dialing_step(
    hass: HomeAssistant, entry: MockConfigEntry
) -> ConfigFlowResult:
    """Open the entry's options and answer ``init``: the ``dialing`` page shows."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], INIT)
    assert result["step_id"] == "dialing"
    return result


async def async_answer(
    hass: HomeAssistant, result: ConfigFlowResult, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Answer the page and wait for the reload it causes."""
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], user_input
    )
    await hass.async_block_till_done()
    return result


async def test_dialing_page_shows_the_defaults(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An entry from before the page shows the Brazilian default, no prefixes."""
    fields = shown_fields(await async_dialing_step(hass, init_integration))

    assert {
        name: field.get("description", {}).get("suggested_value")
        for name, field in fields.items()
    } == {
        CONF_ALLOWED_DESTINATIONS: list(DEFAULT_ALLOWED_DESTINATIONS),
        CONF_ALLOWED_PREFIXES: "",
        CONF_REFUSED_PREFIXES: "",
    }


async def test_dialing_page_lists_every_kind(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The kinds are a list of checkboxes with translated labels."""
    fields = shown_fields(await async_dialing_step(hass, init_integration))

    assert fields[CONF_ALLOWED_DESTINATIONS]["selector"] == {
        "select": {
            "options": [kind.value for kind in DestinationKind],
            "multiple": True,
            "mode": "list",
            "translation_key": "allowed_destinations",
            "custom_value": False,
            "sort": False,
        }
    }


@pytest.mark.parametrize(
    "entry_options",
    [
        {
            **INIT,
            CONF_ALLOWED_DESTINATIONS: ["extensions", "mobile"],
            CONF_ALLOWED_PREFIXES: ["0021351"],
            CONF_REFUSED_PREFIXES: ["0300", "4004"],
        }
    ],
)
async def test_dialing_page_shows_saved_values(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Saved kinds are ticked; saved prefixes are one line each, comma-separated."""
    fields = shown_fields(await async_dialing_step(hass, init_integration))

    assert {
        name: field["description"]["suggested_value"] for name, field in fields.items()
    } == {
        CONF_ALLOWED_DESTINATIONS: ["extensions", "mobile"],
        CONF_ALLOWED_PREFIXES: "0021351",
        CONF_REFUSED_PREFIXES: "0300, 4004",
    }


async def test_dialing_page_saved_and_applied(
    hass: HomeAssistant, init_integration: MockConfigEntry, pbx: SimulatorServer
) -> None:
    """Allowing international calls to Portugal lets them through after the reload."""
    result = await async_answer(
        hass,
        await async_dialing_step(hass, init_integration),
        {
            CONF_ALLOWED_DESTINATIONS: ["international", "mobile", "extensions"],
            CONF_ALLOWED_PREFIXES: "",
            CONF_REFUSED_PREFIXES: "0021 1, 00 41 1",
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.state is ConfigEntryState.LOADED
    assert {
        key: init_integration.options[key]
        for key in (
            CONF_ALLOWED_DESTINATIONS,
            CONF_ALLOWED_PREFIXES,
            CONF_REFUSED_PREFIXES,
        )
    } == {
        CONF_ALLOWED_DESTINATIONS: ["extensions", "mobile", "international"],
        CONF_ALLOWED_PREFIXES: [],
        CONF_REFUSED_PREFIXES: ["00211", "00411"],
    }
    pbx.requests.clear()
    await async_action(
        hass, "call", {"extension": "6001", "destination": "0021 351 21 123 4567"}
    )
    assert pbx.requests.paths() == ["/api/call/6001/0021351211234567"]


async def test_dialing_page_left_empty(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Nothing ticked and no prefixes: nothing may be dialled (as shown)."""
    result = await async_answer(
        hass, await async_dialing_step(hass, init_integration), {}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_ALLOWED_DESTINATIONS] == []
    assert init_integration.options[CONF_REFUSED_PREFIXES] == []


@pytest.mark.parametrize("field", [CONF_ALLOWED_PREFIXES, CONF_REFUSED_PREFIXES])
async def test_dialing_page_refuses_prefixes(
    hass: HomeAssistant, init_integration: MockConfigEntry, field: str
) -> None:
    """A prefix that is not digits is refused on its field; fixed, it is saved."""
    result = await async_answer(
        hass,
        await async_dialing_step(hass, init_integration),
        {CONF_ALLOWED_DESTINATIONS: ["mobile"], field: "0900, zero"},
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "dialing"
    assert result["errors"] == {field: "invalid_prefixes"}

    result = await async_answer(
        hass, result, {CONF_ALLOWED_DESTINATIONS: ["mobile"], field: "0900"}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[field] == ["0900"]


@pytest.mark.parametrize("language", ["en", "pt-BR"])
async def test_dialing_page_translated(
    hass: HomeAssistant, init_integration: MockConfigEntry, language: str
) -> None:
    """The page, its fields, its error and every kind read in both languages."""
    fields = shown_fields(await async_dialing_step(hass, init_integration))
    options = await async_get_translations(hass, language, "options", [DOMAIN])
    selector = await async_get_translations(hass, language, "selector", [DOMAIN])
    step = f"component.{DOMAIN}.options.step.dialing"

    assert {
        f"{step}.title",
        f"{step}.description",
        f"component.{DOMAIN}.options.error.invalid_prefixes",
        *(
            f"{step}.{part}.{name}"
            for name in fields
            for part in ("data", "data_description")
        ),
    } <= options.keys()
    assert {
        f"component.{DOMAIN}.selector.allowed_destinations.options.{kind}"
        for kind in DestinationKind
    } <= selector.keys()


@pytest.mark.parametrize(
    ("language", "key", "text"),
    [
        ("pt-BR", "step.dialing.title", "Para onde os ramais podem ligar"),
        ("pt-BR", "step.dialing.data.allowed_destinations", "Destinos permitidos"),
        ("en", "step.dialing.data.refused_prefixes", "Always refused prefixes"),
    ],
)
async def test_dialing_page_words(
    hass: HomeAssistant, language: str, key: str, text: str
) -> None:
    """The page reads in the words of a Brazilian office."""
    options = await async_get_translations(hass, language, "options", [DOMAIN])

    assert options[f"component.{DOMAIN}.options.{key}"] == text
