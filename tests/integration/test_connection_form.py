"""HTTPS settings in a collapsed section of the user and reconfigure forms.

Bem Melhor's API is plain HTTP, so "Use HTTPS" and "Verify the SSL
certificate" sit in a section, ``security``, collapsed unless HTTPS is on.
The entry keeps ``ssl`` and ``verify_ssl`` flat in its data, and the forms
still take them flat.
"""

from typing import Any

import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.connection_form import (
    ConnectionFormSchema,
    connection_fields,
)
from custom_components.bemmelhor.const import CONF_EXTENSIONS, DOMAIN
from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.translation import async_get_translations

from .helpers import EXTENSIONS, HOST, WEBHOOK_ID, async_user_step

pytestmark = pytest.mark.usefixtures("system_resolver")


def fields(result: ConfigFlowResult) -> list[dict[str, Any]]:
    """Return the form's fields as the frontend receives them."""
    schema = result["data_schema"]
    assert schema is not None
    field_list = probatio.to_field_list(schema, custom_serializer=cv.custom_serializer)
    assert isinstance(field_list, list)
    return field_list


def security_section(result: ConfigFlowResult) -> dict[str, Any]:
    """Return the form's ``security`` section as the frontend receives it."""
    [security] = [field for field in fields(result) if field["name"] == "security"]
    return security


@pytest.fixture
def answer(pbx_simulator: SimulatorServer) -> dict[str, Any]:
    """Return an answer to the user step, with HTTPS settings in their section."""
    return {
        CONF_HOST: HOST,
        CONF_PORT: pbx_simulator.port,
        "security": {CONF_SSL: False, CONF_VERIFY_SSL: False},
        CONF_EXTENSIONS: EXTENSIONS,
    }


@pytest.fixture
def https_entry(hass: HomeAssistant) -> MockConfigEntry:
    """Return an entry (not set up) of a PBX reached over HTTPS."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Bem Melhor PBX",
        unique_id=HOST,
        data={
            CONF_HOST: HOST,
            CONF_PORT: 3443,
            CONF_SSL: True,
            CONF_VERIFY_SSL: False,
            CONF_WEBHOOK_ID: WEBHOOK_ID,
        },
        options={CONF_EXTENSIONS: EXTENSIONS},
    )
    entry.add_to_hass(hass)
    return entry


async def test_user_form_has_https_in_a_collapsed_section(hass: HomeAssistant) -> None:
    """Host and port come first; HTTPS settings wait, collapsed, in their section."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert [field["name"] for field in fields(result)] == [
        "host",
        "port",
        "security",
        "extensions",
        "client_id",
    ]
    security = security_section(result)
    assert security["type"] == "expandable"
    assert security["expanded"] is False
    assert [(field["name"], field["default"]) for field in security["schema"]] == [
        (CONF_SSL, False),
        (CONF_VERIFY_SSL, True),
    ]


async def test_section_answer_is_stored_flat(
    hass: HomeAssistant, pbx_simulator: SimulatorServer, answer: dict[str, Any]
) -> None:
    """The entry's data keeps ``ssl`` and ``verify_ssl`` at the top level."""
    result = await async_user_step(hass, answer)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        CONF_HOST: HOST,
        CONF_PORT: pbx_simulator.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: False,
        CONF_WEBHOOK_ID: result["data"][CONF_WEBHOOK_ID],
    }


async def test_flat_answer_is_still_taken(
    hass: HomeAssistant, answer: dict[str, Any]
) -> None:
    """An answer with ``ssl``/``verify_ssl`` at the top level works as before."""
    flat = {
        **{key: value for key, value in answer.items() if key != "security"},
        CONF_SSL: False,
        CONF_VERIFY_SSL: False,
    }

    result = await async_user_step(hass, flat)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_VERIFY_SSL] is False


async def test_answer_without_https_settings_takes_the_defaults(
    hass: HomeAssistant, answer: dict[str, Any]
) -> None:
    """Leaving the section out means plain HTTP with certificate checking on."""
    result = await async_user_step(
        hass, {key: value for key, value in answer.items() if key != "security"}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert (result["data"][CONF_SSL], result["data"][CONF_VERIFY_SSL]) == (False, True)


async def test_form_shown_again_keeps_the_section_answer(
    hass: HomeAssistant, answer: dict[str, Any]
) -> None:
    """After an error, the section shows what was chosen."""
    result = await async_user_step(hass, {**answer, CONF_HOST: "not a host"})

    assert result["type"] is FlowResultType.FORM
    assert [
        (field["name"], field["description"]["suggested_value"])
        for field in security_section(result)["schema"]
    ] == [(CONF_SSL, False), (CONF_VERIFY_SSL, False)]


async def test_reconfigure_section_collapsed_for_http(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Reconfiguring a plain HTTP PBX shows the section collapsed."""
    result = await init_integration.start_reconfigure_flow(hass)

    assert security_section(result)["expanded"] is False


async def test_reconfigure_section_open_for_https(
    hass: HomeAssistant, https_entry: MockConfigEntry
) -> None:
    """Reconfiguring a PBX reached over HTTPS shows its settings at once."""
    result = await https_entry.start_reconfigure_flow(hass)

    security = security_section(result)
    assert security["expanded"] is True
    assert [(field["name"], field["default"]) for field in security["schema"]] == [
        (CONF_SSL, True),
        (CONF_VERIFY_SSL, False),
    ]


async def test_reconfigure_section_answer_is_stored_flat(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
) -> None:
    """A reconfigure answered through the section keeps the data flat."""
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: HOST,
            CONF_PORT: pbx_simulator.port,
            "security": {CONF_SSL: False, CONF_VERIFY_SSL: False},
        },
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.data[CONF_VERIFY_SSL] is False
    assert "security" not in init_integration.data


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(["not", "a", "form"], id="not-a-mapping"),
        pytest.param(
            {CONF_HOST: HOST, "security": "open", CONF_SSL: True}, id="broken-section"
        ),
    ],
)
def test_broken_answer_is_refused(answer: object) -> None:
    """An answer that is no form, or a section that is no mapping, is invalid."""
    schema = ConnectionFormSchema(connection_fields({}))

    with pytest.raises(probatio.Invalid):
        schema(answer)


@pytest.mark.parametrize("language", ["en", "pt-BR"])
@pytest.mark.parametrize("step", ["user", "reconfigure"])
async def test_section_translated(
    hass: HomeAssistant, language: str, step: str
) -> None:
    """The section has a name and a description; its fields, labels and help."""
    translations = await async_get_translations(hass, language, "config", [DOMAIN])
    section = f"component.{DOMAIN}.config.step.{step}.sections.security"

    assert {
        f"{section}.name",
        f"{section}.description",
        *(
            f"{section}.{part}.{field}"
            for part in ("data", "data_description")
            for field in (CONF_SSL, CONF_VERIFY_SSL)
        ),
    } <= translations.keys()
