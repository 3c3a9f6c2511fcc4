"""The options that other features read: area code, history, default extension, people.

The options flow's first step (``init``) holds every option; the second
(``dialing``, ``test_dial_options.py``) where the extensions may call; a
third (``persons``), shown when Home Assistant has people, pairs extensions
with them. Here the second is submitted as it is shown.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bemmelhor.const import (
    CONF_AREA_CODE,
    CONF_CLIENT_ID,
    CONF_DEFAULT_EXTENSION,
    CONF_EXTENSIONS,
    CONF_HISTORY_DAYS,
    CONF_OUTSIDE_LINE_PREFIX,
    CONF_PERSONS,
    DOMAIN,
)
from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component

from .helpers import (
    CLIENT_ID,
    DEFAULT_DIALING_OPTIONS,
    EXTENSIONS,
    async_answer_options,
    shown_fields,
)

TRANSLATIONS = Path(__file__).parents[2] / "custom_components" / DOMAIN / "translations"

MARIA = "person.maria"
JOAO = "person.joao"

ANSWER = {CONF_EXTENSIONS: EXTENSIONS, CONF_OUTSIDE_LINE_PREFIX: "0"}
"""The least the ``init`` step needs: the options every test entry has."""

NEW_ERRORS = ["invalid_area_code", "invalid_default_extension"]


@pytest.fixture
async def people(hass: HomeAssistant) -> list[str]:
    """Give Home Assistant two people, Maria and João; return their entity ids."""
    assert await async_setup_component(
        hass,
        "person",
        {"person": [{"id": "maria", "name": "Maria"}, {"id": "joao", "name": "João"}]},
    )
    await hass.async_block_till_done()
    return [MARIA, JOAO]


async def async_open_options(
    hass: HomeAssistant, entry: MockConfigEntry
) -> ConfigFlowResult:
    """Open the entry's options: the ``init`` form."""
    return await hass.config_entries.options.async_init(entry.entry_id)


async_answer = async_answer_options


async def async_options(
    hass: HomeAssistant, entry: MockConfigEntry, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Open the entry's options and answer the ``init`` step (``dialing`` as shown)."""
    return await async_answer(hass, await async_open_options(hass, entry), user_input)


def key_paths(tree: dict[str, Any], prefix: str = "") -> set[str]:
    """Return every key path of a translation file, ``a.b.c``."""
    return {
        path
        for key, value in tree.items()
        for path in (
            key_paths(value, f"{prefix}{key}.")
            if isinstance(value, dict)
            else {f"{prefix}{key}"}
        )
    }


# The form


async def test_options_form_shows_defaults(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An entry without the new options shows their defaults."""
    fields = shown_fields(await async_open_options(hass, init_integration))

    assert fields[CONF_AREA_CODE]["description"] == {"suggested_value": ""}
    assert fields[CONF_HISTORY_DAYS]["default"] == 90
    assert fields[CONF_HISTORY_DAYS]["description"] == {"suggested_value": 90}
    assert "description" not in fields[CONF_DEFAULT_EXTENSION]
    assert not fields[CONF_DEFAULT_EXTENSION]["required"]


async def test_options_form_selectors(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """History is a box of days, 0 to 3650; the default extension a dropdown of them."""
    fields = shown_fields(await async_open_options(hass, init_integration))

    assert fields[CONF_HISTORY_DAYS]["selector"] == {
        "number": {
            "min": 0,
            "max": 3650,
            "step": 1,
            "mode": "box",
            "unit_of_measurement": "days",
            "translation_key": "history_days",
        }
    }
    assert fields[CONF_DEFAULT_EXTENSION]["selector"] == {
        "select": {
            "options": EXTENSIONS,
            "mode": "dropdown",
            "multiple": False,
            "custom_value": False,
            "sort": False,
        }
    }
    assert "text" in fields[CONF_AREA_CODE]["selector"]


@pytest.mark.parametrize(
    "entry_options",
    [
        {
            **ANSWER,
            CONF_CLIENT_ID: CLIENT_ID,
            CONF_AREA_CODE: "21",
            CONF_HISTORY_DAYS: 7,
            CONF_DEFAULT_EXTENSION: "6002",
            CONF_PERSONS: {},
        }
    ],
)
async def test_options_form_shows_saved_values(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Saved options are what the form shows next time."""
    fields = shown_fields(await async_open_options(hass, init_integration))

    assert {
        name: field["description"]["suggested_value"] for name, field in fields.items()
    } == {
        CONF_EXTENSIONS: EXTENSIONS,
        CONF_OUTSIDE_LINE_PREFIX: "0",
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_AREA_CODE: "21",
        CONF_HISTORY_DAYS: 7,
        CONF_DEFAULT_EXTENSION: "6002",
    }


# Saving


async def test_options_defaults_saved(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Left out, the new options are stored with their defaults."""
    result = await async_options(hass, init_integration, ANSWER)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        CONF_EXTENSIONS: EXTENSIONS,
        CONF_OUTSIDE_LINE_PREFIX: "0",
        CONF_CLIENT_ID: "",
        CONF_AREA_CODE: "",
        CONF_HISTORY_DAYS: 90,
        CONF_DEFAULT_EXTENSION: "",
        **DEFAULT_DIALING_OPTIONS,
        CONF_PERSONS: {},
    }


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        (CONF_AREA_CODE, "11", "11"),
        (CONF_AREA_CODE, " 99 ", "99"),
        (CONF_AREA_CODE, "", ""),
        (CONF_HISTORY_DAYS, 0, 0),
        (CONF_HISTORY_DAYS, 3650, 3650),
        (CONF_HISTORY_DAYS, 30.0, 30),
        (CONF_DEFAULT_EXTENSION, "6003", "6003"),
    ],
)
async def test_options_saved(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    field: str,
    value: str | float,
    stored: str | int,
) -> None:
    """Each new option is stored, cleaned up; the entry reloads."""
    result = await async_options(hass, init_integration, ANSWER | {field: value})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[field] == stored
    assert init_integration.state is ConfigEntryState.LOADED


@pytest.mark.parametrize("days", [-1, 3651, "many"])
async def test_options_history_days_out_of_range(
    hass: HomeAssistant, init_integration: MockConfigEntry, days: int | str
) -> None:
    """The history keeps 0 to 3650 days: anything else is refused, nothing saved."""
    result = await async_open_options(hass, init_integration)

    with pytest.raises(InvalidData):
        await async_answer(hass, result, ANSWER | {CONF_HISTORY_DAYS: days})

    assert CONF_HISTORY_DAYS not in init_integration.options


# Refused values, then a saved entry


@pytest.mark.parametrize(
    "area_code", ["1", "123", "01", "10", "20", "a1", "1 1", "+55", "(11)", "011"]
)
async def test_options_invalid_area_code(
    hass: HomeAssistant, init_integration: MockConfigEntry, area_code: str
) -> None:
    """An area code must be 2 digits, none of them 0; once it is, it is saved."""
    result = await async_options(
        hass, init_integration, ANSWER | {CONF_AREA_CODE: area_code}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert result["errors"] == {CONF_AREA_CODE: "invalid_area_code"}
    assert CONF_AREA_CODE not in init_integration.options

    result = await async_answer(hass, result, ANSWER | {CONF_AREA_CODE: "11"})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_AREA_CODE] == "11"


@pytest.mark.parametrize(
    ("extensions", "default_extension", "offered"),
    [
        (["6001", "6002"], "6003", ["6001", "6002"]),
        ("6001", "6002", ["6001"]),
        ("6002, 6001", "6003", ["6002", "6001"]),
    ],
)
async def test_options_default_extension_not_among_extensions(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    extensions: str | list[str],
    default_extension: str,
    offered: list[str],
) -> None:
    """A default extension removed in the same step is refused.

    The form then offers the new extensions; one of them is saved.
    """
    answer = ANSWER | {CONF_EXTENSIONS: extensions}
    result = await async_options(
        hass, init_integration, answer | {CONF_DEFAULT_EXTENSION: default_extension}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_DEFAULT_EXTENSION: "invalid_default_extension"}
    assert init_integration.options[CONF_EXTENSIONS] == EXTENSIONS
    select = shown_fields(result)[CONF_DEFAULT_EXTENSION]["selector"]["select"]
    assert select["options"] == offered

    result = await async_answer(hass, result, answer | {CONF_DEFAULT_EXTENSION: "6001"})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_DEFAULT_EXTENSION] == "6001"


async def test_options_default_extension_must_be_offered(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A default extension that is no configured extension never gets through."""
    result = await async_open_options(hass, init_integration)

    with pytest.raises(InvalidData):
        await async_answer(hass, result, ANSWER | {CONF_DEFAULT_EXTENSION: "6009"})

    assert CONF_DEFAULT_EXTENSION not in init_integration.options


# People


async def test_options_no_persons_step_without_people(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Without people in Home Assistant the options are saved in one step."""
    result = await async_options(hass, init_integration, ANSWER)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_PERSONS] == {}


@pytest.mark.usefixtures("people")
async def test_options_persons_step_asks_per_extension(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """With people, a second step offers one optional person field per extension.

    Its fields follow the extensions just chosen, an added one included; each
    lists the people by name (a *person*, not an *entity*).
    """
    result = await async_options(
        hass, init_integration, ANSWER | {CONF_EXTENSIONS: [*EXTENSIONS, "6009"]}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "persons"
    fields = shown_fields(result)
    assert list(fields) == [*EXTENSIONS, "6009"]
    assert {
        name: (field["required"], field["selector"]["select"]["options"])
        for name, field in fields.items()
    } == dict.fromkeys(
        fields,
        (
            False,
            [{"value": JOAO, "label": "João"}, {"value": MARIA, "label": "Maria"}],
        ),
    )


@pytest.mark.usefixtures("people")
async def test_options_persons_saved_per_extension(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Each extension with a person is stored with it; the others are left out."""
    result = await async_options(hass, init_integration, ANSWER)
    result = await async_answer(hass, result, {"6001": MARIA, "6003": JOAO})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_PERSONS] == {"6001": MARIA, "6003": JOAO}
    assert init_integration.state is ConfigEntryState.LOADED


@pytest.mark.usefixtures("people")
async def test_options_persons_only_people(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A person field takes only one of the people; then a person is saved."""
    result = await async_options(hass, init_integration, ANSWER)

    with pytest.raises(InvalidData):
        await async_answer(hass, result, {"6001": "light.kitchen"})

    result = await async_answer(hass, result, {"6001": MARIA})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_PERSONS] == {"6001": MARIA}


@pytest.mark.parametrize(
    "entry_options", [{**ANSWER, CONF_PERSONS: {"6001": MARIA, "6003": JOAO}}]
)
@pytest.mark.usefixtures("people")
async def test_options_persons_shown_as_saved(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The persons step shows the people saved before."""
    result = await async_options(hass, init_integration, ANSWER)

    assert {
        name: field["description"]["suggested_value"]
        for name, field in shown_fields(result).items()
        if "description" in field
    } == {"6001": MARIA, "6003": JOAO}


@pytest.mark.parametrize(
    "entry_options", [{**ANSWER, CONF_PERSONS: {"6001": MARIA, "6003": JOAO}}]
)
@pytest.mark.usefixtures("people")
async def test_options_persons_of_removed_extensions_dropped(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A removed extension's person is no longer asked for, nor kept."""
    result = await async_options(
        hass, init_integration, ANSWER | {CONF_EXTENSIONS: ["6001", "6002"]}
    )

    assert list(shown_fields(result)) == ["6001", "6002"]

    result = await async_answer(hass, result, {"6001": MARIA})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_PERSONS] == {"6001": MARIA}


@pytest.mark.parametrize(
    "entry_options", [{**ANSWER, CONF_PERSONS: {"6001": MARIA, "6003": JOAO}}]
)
async def test_options_persons_step_kept_for_saved_people(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """People saved before can be cleared, even once Home Assistant has none."""
    result = await async_options(hass, init_integration, ANSWER)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "persons"

    result = await async_answer(hass, result, {})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_PERSONS] == {}


# Translations


@pytest.mark.parametrize("language", ["en", "pt-BR"])
async def test_options_fields_translated(
    hass: HomeAssistant, init_integration: MockConfigEntry, language: str
) -> None:
    """Every field of the options form has a label and a description."""
    result = await async_open_options(hass, init_integration)
    translations = await async_get_translations(hass, language, "options", [DOMAIN])
    step = f"component.{DOMAIN}.options.step.init"

    assert {
        f"{step}.{part}.{name}"
        for name in shown_fields(result)
        for part in ("data", "data_description")
    } <= translations.keys()


@pytest.mark.parametrize("language", ["en", "pt-BR"])
async def test_options_persons_step_and_errors_translated(
    hass: HomeAssistant, language: str
) -> None:
    """The persons step has a title and a description; the new errors, a text."""
    translations = await async_get_translations(hass, language, "options", [DOMAIN])
    options = f"component.{DOMAIN}.options"

    assert {
        f"{options}.step.persons.title",
        f"{options}.step.persons.description",
        *(f"{options}.error.{error}" for error in NEW_ERRORS),
    } <= translations.keys()


@pytest.mark.parametrize(("language", "days"), [("en", "days"), ("pt-BR", "dias")])
async def test_history_days_unit_translated(
    hass: HomeAssistant, language: str, days: str
) -> None:
    """The history's unit reads "days" in each language."""
    translations = await async_get_translations(hass, language, "selector", [DOMAIN])

    assert (
        translations[
            f"component.{DOMAIN}.selector.history_days.unit_of_measurement.days"
        ]
        == days
    )


def test_translation_files_have_equal_keys() -> None:
    """English and Brazilian Portuguese translate the same keys."""
    english = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))
    portuguese = json.loads((TRANSLATIONS / "pt-BR.json").read_text(encoding="utf-8"))

    assert key_paths(portuguese) == key_paths(english)
