"""The user, reconfigure and options flows, against the PBX simulator."""

import re
from typing import Any
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator.const import Endpoint
from bemmelhor_simulator.faults import FaultKind
from bemmelhor_simulator.pytest_plugin import SimulatorFactory
from bemmelhor_simulator.server import SimulatorServer
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
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, ConfigFlowResult
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.translation import async_get_translations

from .helpers import (
    CLIENT_ID,
    DEFAULT_DIALING_OPTIONS,
    EXTENSIONS,
    HOST,
    WEBHOOK_ID,
    async_answer_options,
    async_user_step,
)

EXTENSION_ENTITY_KEYS = {
    "call_state",
    "on_call",
    "last_call",
    "last_disposition",
    "call",
    "destination",
    "dial",
    "calls_today",
    "missed_calls_today",
    "talk_time_today",
}

NOT_FOUND_PAGE = "<!DOCTYPE html><html><body><pre>Cannot GET /api</pre></body></html>"

INVALID_EXTENSIONS = ["6", "abc", "", "123456789"]

EXAMPLE_URL = "http://empresa.bemmelhor.com.br:3030/api/active/6001"

PLACEHOLDER = re.compile(r"{(\w+)}")


pytestmark = pytest.mark.usefixtures("system_resolver")


@pytest.fixture
def user_input(pbx_simulator: SimulatorServer) -> dict[str, Any]:
    """Return a valid answer to the user step, pointing at the simulator."""
    return {
        CONF_HOST: HOST,
        CONF_PORT: pbx_simulator.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: True,
        CONF_EXTENSIONS: EXTENSIONS,
    }


def address(port: int, host: str = HOST) -> dict[str, Any]:
    """Return the answer to the reconfigure step: where the PBX is."""
    return {CONF_HOST: host, CONF_PORT: port, CONF_SSL: False, CONF_VERIFY_SSL: True}


async def async_reconfigure(
    hass: HomeAssistant, entry: MockConfigEntry, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Start the entry's reconfigure flow and answer its step."""
    result = await entry.start_reconfigure_flow(hass)
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


async def async_options_step(
    hass: HomeAssistant, entry: MockConfigEntry, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Open the entry's options, answer them and wait for the reload."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    return await async_answer_options(hass, result, user_input)


def registry_snapshot(
    hass: HomeAssistant, entry: MockConfigEntry
) -> tuple[dict[str, set[tuple[str, str]]], dict[str, str]]:
    """Return the entry's device ids with their identifiers, and entity ids."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    return (
        {device.id: set(device.identifiers) for device in devices},
        {entity.entity_id: entity.unique_id for entity in entities},
    )


# The user step


async def test_user_flow_creates_entry(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    user_input: dict[str, Any],
) -> None:
    """A reachable PBX gives an entry keyed by its host, with a fresh webhook."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Bem Melhor PBX"
    entry = result["result"]
    assert entry.unique_id == HOST
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    assert entry.data == {
        CONF_HOST: HOST,
        CONF_PORT: pbx_simulator.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: True,
        CONF_WEBHOOK_ID: webhook_id,
    }
    assert webhook_id
    assert entry.options == {
        CONF_EXTENSIONS: EXTENSIONS,
        CONF_OUTSIDE_LINE_PREFIX: "0",
        CONF_CLIENT_ID: "",
    }
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["webhook_url"].endswith(
        f"/api/webhook/{webhook_id}"
    )
    assert entry.state is ConfigEntryState.LOADED


async def test_user_form_shows_example_url(hass: HomeAssistant) -> None:
    """The host field's help gets its example URL through a placeholder."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["description_placeholders"] == {"example_url": EXAMPLE_URL}


async def test_user_form_with_errors_keeps_example_url(
    hass: HomeAssistant, user_input: dict[str, Any]
) -> None:
    """The form shown again with an error still fills the example URL."""
    result = await async_user_step(hass, {**user_input, CONF_HOST: "not a host"})

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    assert result["description_placeholders"] == {"example_url": EXAMPLE_URL}


@pytest.mark.parametrize("language", ["en", "pt-BR"])
async def test_user_form_fills_every_placeholder_of_its_texts(
    hass: HomeAssistant, language: str
) -> None:
    """Each {placeholder} in the user step's texts gets a value: no raw braces."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    translations = await async_get_translations(hass, language, "config", [DOMAIN])
    prefix = f"component.{DOMAIN}.config.step.user."
    used = {
        name
        for key, text in translations.items()
        if key.startswith(prefix)
        for name in PLACEHOLDER.findall(text)
    }

    assert result["description_placeholders"] is not None
    assert used == set(result["description_placeholders"])


async def test_user_flow_checks_first_extension_only(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    user_input: dict[str, Any],
) -> None:
    """The connection check is one GET of the first extension's active call.

    The entry's set-up then polls every extension.
    """
    result = await async_user_step(hass, user_input)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    requests = [(request.method, request.path) for request in pbx_simulator.requests]
    assert requests[0] == ("GET", f"/api/active/{EXTENSIONS[0]}")
    assert sorted(requests[1:]) == [
        ("GET", f"/api/active/{extension}") for extension in EXTENSIONS
    ]


async def test_user_flow_stores_client_id_stripped(
    hass: HomeAssistant, user_input: dict[str, Any]
) -> None:
    """The optional client id is stored without surrounding spaces."""
    result = await async_user_step(
        hass, {**user_input, CONF_CLIENT_ID: f"  {CLIENT_ID} "}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"][CONF_CLIENT_ID] == CLIENT_ID


async def test_user_flow_pasted_url(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    user_input: dict[str, Any],
) -> None:
    """Host, port and scheme come from a pasted URL; the port field is ignored."""
    result = await async_user_step(
        hass,
        {
            **user_input,
            CONF_HOST: f"http://{HOST}:{pbx_simulator.port}/api/active/6001",
            CONF_PORT: 1,
            CONF_SSL: True,
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Bem Melhor PBX"
    assert result["result"].unique_id == HOST
    assert result["data"][CONF_HOST] == HOST
    assert result["data"][CONF_PORT] == pbx_simulator.port
    assert result["data"][CONF_SSL] is False


@pytest.mark.parametrize(
    "host",
    [
        "LOCALHOST",
        " LocalHost. ",
        "HTTP://LocalHost",
    ],
)
async def test_user_flow_lowers_host(
    hass: HomeAssistant, user_input: dict[str, Any], host: str
) -> None:
    """The host is stored and keyed in lower case, without decoration."""
    result = await async_user_step(hass, {**user_input, CONF_HOST: host})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "localhost"
    assert result["data"][CONF_HOST] == "localhost"


@pytest.mark.parametrize(
    ("extensions", "expected"),
    [
        (["6001", "6002", "6003"], ["6001", "6002", "6003"]),
        ("6001, 6002 6003", ["6001", "6002", "6003"]),
        ("6003,6001;6002", ["6003", "6001", "6002"]),
        (["6002", "6001", "6002"], ["6002", "6001"]),
        ("6001 6001, 6003 6001", ["6001", "6003"]),
        (["6001, 6002", "6003"], ["6001", "6002", "6003"]),
    ],
)
async def test_user_flow_extensions(
    hass: HomeAssistant,
    user_input: dict[str, Any],
    extensions: str | list[str],
    expected: list[str],
) -> None:
    """Extensions come as a list or one separated string; duplicates go, order stays."""
    result = await async_user_step(hass, {**user_input, CONF_EXTENSIONS: extensions})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"][CONF_EXTENSIONS] == expected


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"kind": FaultKind.HTTP_ERROR, "status": 503}, "cannot_connect"),
        ({"kind": FaultKind.HTTP_ERROR, "status": 500}, "cannot_connect"),
        (
            {
                "kind": FaultKind.HTTP_ERROR,
                "status": 404,
                "body": NOT_FOUND_PAGE,
                "content_type": "text/html",
            },
            "invalid_response",
        ),
        ({"kind": FaultKind.HTML}, "invalid_response"),
        ({"kind": FaultKind.BROKEN_JSON}, "invalid_response"),
        ({"kind": FaultKind.API_ERROR}, "invalid_response"),
    ],
)
async def test_user_flow_pbx_errors(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    user_input: dict[str, Any],
    fault: dict[str, Any],
    error: str,
) -> None:
    """A failing PBX gives an error on the host field; once it is fixed, an entry."""
    pbx_simulator.faults.set(Endpoint.ACTIVE, **fault)
    result = await async_user_step(hass, user_input)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {CONF_HOST: error}
    assert pbx_simulator.requests.paths() == [f"/api/active/{EXTENSIONS[0]}"]

    pbx_simulator.faults.clear()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].state is ConfigEntryState.LOADED


async def test_user_flow_connection_refused(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    user_input: dict[str, Any],
) -> None:
    """A PBX refusing connections gives cannot_connect; once it is back, an entry."""
    await pbx_simulator.refuse_connections()
    result = await async_user_step(hass, user_input)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "cannot_connect"}

    await pbx_simulator.accept_connections()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_timeout(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    user_input: dict[str, Any],
) -> None:
    """A PBX too slow to answer gives timeout; once it answers, an entry."""
    pbx_simulator.faults.set(Endpoint.ACTIVE, FaultKind.LATENCY, delay=5, count=1)
    with patch("custom_components.bemmelhor.pbx_requests.REQUEST_TIMEOUT", 0.05):
        result = await async_user_step(hass, user_input)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "timeout"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_unexpected_error(
    hass: HomeAssistant, user_input: dict[str, Any]
) -> None:
    """An unexpected exception shows unknown instead of a stack trace."""
    with patch(
        "custom_components.bemmelhor.api.BemMelhorClient.active_call",
        side_effect=RuntimeError("boom"),
    ):
        result = await async_user_step(hass, user_input)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "unknown"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        *(
            (CONF_HOST, host, "invalid_host")
            for host in [
                "",
                "   ",
                "not a host",
                "ftp://127.0.0.1",
                "http://user:secret@127.0.0.1",
                "-bad-.example.com",
                "empresa_bemmelhor.com.br",
            ]
        ),
        *(
            (CONF_EXTENSIONS, extensions, "invalid_extension")
            for extensions in [*INVALID_EXTENSIONS, [], ["6001", "60a1"]]
        ),
    ],
)
async def test_user_flow_invalid_input(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    user_input: dict[str, Any],
    field: str,
    value: str | list[str],
    error: str,
) -> None:
    """A host that is no host name, IP or URL is refused before any request.

    So are extensions that are not 2 to 8 digits, or none at all.
    """
    result = await async_user_step(hass, {**user_input, field: value})

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}
    assert pbx_simulator.requests == []

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    "host", [HOST, f" {HOST} ", f"http://{HOST}:3030/api/active/6001"]
)
async def test_user_flow_already_configured(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    user_input: dict[str, Any],
    host: str,
) -> None:
    """A second entry for the same PBX host is refused."""
    mock_config_entry.add_to_hass(hass)
    result = await async_user_step(hass, {**user_input, CONF_HOST: host})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert pbx_simulator.requests == []


# Reconfigure


async def test_reconfigure_new_port(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator_factory: SimulatorFactory,
) -> None:
    """Moving to another port keeps devices, entities and the webhook id."""
    moved = await pbx_simulator_factory(extensions=EXTENSIONS)
    before = registry_snapshot(hass, init_integration)

    result = await init_integration.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        address(moved.port),
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert "translation_domain" not in result  # the integration's own text
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.data == {
        CONF_HOST: HOST,
        CONF_PORT: moved.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: True,
        CONF_WEBHOOK_ID: WEBHOOK_ID,
    }
    assert init_integration.unique_id == HOST
    assert init_integration.title == "Bem Melhor PBX"
    assert registry_snapshot(hass, init_integration) == before
    # The check, then the reloaded entry's first poll of every extension.
    assert len(moved.requests) == 1 + len(EXTENSIONS)


async def test_reconfigure_entry_waiting_for_pbx(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    pbx_simulator: SimulatorServer,
    pbx_simulator_factory: SimulatorFactory,
) -> None:
    """An entry retrying set-up at an old address loads at the new one."""
    await pbx_simulator.refuse_connections()
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    moved = await pbx_simulator_factory(extensions=EXTENSIONS)

    result = await async_reconfigure(hass, mock_config_entry, address(moved.port))
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert mock_config_entry.data[CONF_PORT] == moved.port


async def test_reconfigure_new_host(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A new host re-keys the entry, its devices and entities; their ids stay."""
    devices_before, entities_before = registry_snapshot(hass, init_integration)

    result = await async_reconfigure(
        hass, init_integration, address(pbx_simulator.port, "LocalHost")
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.unique_id == "localhost"
    assert init_integration.title == "Bem Melhor PBX"
    assert init_integration.data[CONF_HOST] == "localhost"
    assert init_integration.data[CONF_WEBHOOK_ID] == WEBHOOK_ID
    devices_after, entities_after = registry_snapshot(hass, init_integration)
    assert devices_after == {
        device_id: {(DOMAIN, value.replace(HOST, "localhost", 1))}
        for device_id, [(_, value)] in devices_before.items()
    }
    assert entities_after == {
        entity_id: unique_id.replace(HOST, "localhost", 1)
        for entity_id, unique_id in entities_before.items()
    }
    hub = device_registry.async_get_device_by_identifier(
        (DOMAIN, "localhost"), init_integration.entry_id
    )
    assert hub is not None
    assert hub.name == "Bem Melhor PBX"


async def test_reconfigure_keeps_custom_title(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A title the user chose survives a host change."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, title="Escritório")
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    result = await async_reconfigure(
        hass, mock_config_entry, address(pbx_simulator.port, "localhost")
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.unique_id == "localhost"
    assert mock_config_entry.title == "Escritório"


async def test_reconfigure_host_of_another_entry(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
) -> None:
    """A host another entry already uses is refused; nothing changes."""
    MockConfigEntry(
        domain=DOMAIN, title="localhost", unique_id="localhost"
    ).add_to_hass(hass)
    data_before = dict(init_integration.data)

    result = await async_reconfigure(
        hass, init_integration, address(pbx_simulator.port, "localhost")
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert init_integration.unique_id == HOST
    assert init_integration.data == data_before


async def test_reconfigure_connection_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator_factory: SimulatorFactory,
) -> None:
    """An unreachable new address gives cannot_connect; a reachable one succeeds."""
    moved = await pbx_simulator_factory(extensions=EXTENSIONS)
    await moved.refuse_connections()
    new_address = address(moved.port)

    result = await async_reconfigure(hass, init_integration, new_address)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {CONF_HOST: "cannot_connect"}

    await moved.accept_connections()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], new_address
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.data[CONF_PORT] == moved.port


async def test_reconfigure_invalid_host(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
) -> None:
    """An invalid host is refused before any request; a valid one succeeds."""
    requests_before = len(pbx_simulator.requests)
    valid_address = address(pbx_simulator.port)

    result = await async_reconfigure(
        hass, init_integration, {**valid_address, CONF_HOST: "not a host"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    assert len(pbx_simulator.requests) == requests_before

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], valid_address
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


# Options


async def test_options_form_shows_webhook_url(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The options dialog shows the webhook URL to paste in the PBX panel."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["webhook_url"].endswith(
        f"/api/webhook/{WEBHOOK_ID}"
    )


async def test_options_add_extension(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """An added extension gets its device and entities after the automatic reload."""
    result = await async_options_step(
        hass,
        init_integration,
        {CONF_EXTENSIONS: [*EXTENSIONS, "6009"], CONF_OUTSIDE_LINE_PREFIX: "0"},
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_EXTENSIONS] == [*EXTENSIONS, "6009"]
    assert init_integration.state is ConfigEntryState.LOADED
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{HOST}_6009"), init_integration.entry_id
    )
    assert device is not None
    assert device.name == "Extension 6009"
    entities = er.async_entries_for_device(entity_registry, device.id)
    assert {entity.translation_key for entity in entities} == EXTENSION_ENTITY_KEYS
    assert all(hass.states.get(entity.entity_id) for entity in entities)


async def test_options_remove_extension(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A removed extension's device and entities leave the registries."""
    removed = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{HOST}_6003"), init_integration.entry_id
    )
    assert removed is not None
    removed_entities = [
        entity.entity_id
        for entity in er.async_entries_for_device(entity_registry, removed.id)
    ]
    assert len(removed_entities) == len(EXTENSION_ENTITY_KEYS)

    result = await async_options_step(
        hass,
        init_integration,
        {CONF_EXTENSIONS: ["6001", "6002"], CONF_OUTSIDE_LINE_PREFIX: "0"},
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.state is ConfigEntryState.LOADED
    assert device_registry.async_get(removed.id) is None
    assert [
        entity_id
        for entity_id in removed_entities
        if entity_registry.async_get(entity_id) or hass.states.get(entity_id)
    ] == []
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, f"{HOST}_6002"), init_integration.entry_id
        )
        is not None
    )


async def test_options_empty_prefix(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The outside-line prefix may be left out; it is stored empty."""
    result = await async_options_step(
        hass, init_integration, {CONF_EXTENSIONS: EXTENSIONS}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        CONF_EXTENSIONS: EXTENSIONS,
        CONF_OUTSIDE_LINE_PREFIX: "",
        CONF_CLIENT_ID: "",
        CONF_AREA_CODE: "",
        CONF_HISTORY_DAYS: 90,
        CONF_DEFAULT_EXTENSION: "",
        **DEFAULT_DIALING_OPTIONS,
        CONF_PERSONS: {},
    }


async def test_options_stores_client_id_stripped(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The client id is stored without surrounding spaces."""
    result = await async_options_step(
        hass,
        init_integration,
        {
            CONF_EXTENSIONS: "6001, 6002",
            CONF_OUTSIDE_LINE_PREFIX: " 00 ",
            CONF_CLIENT_ID: f"  {CLIENT_ID}\t",
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        CONF_EXTENSIONS: ["6001", "6002"],
        CONF_OUTSIDE_LINE_PREFIX: "00",
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_AREA_CODE: "",
        CONF_HISTORY_DAYS: 90,
        CONF_DEFAULT_EXTENSION: "",
        **DEFAULT_DIALING_OPTIONS,
        CONF_PERSONS: {},
    }


@pytest.mark.parametrize(
    ("field", "invalid", "error", "valid"),
    [
        *(
            (CONF_OUTSIDE_LINE_PREFIX, prefix, "invalid_prefix", "9")
            for prefix in ["abc", "12345", "0-1", "+55"]
        ),
        *(
            (CONF_EXTENSIONS, extensions, "invalid_extension", ["6001"])
            for extensions in [*INVALID_EXTENSIONS, []]
        ),
    ],
)
async def test_options_invalid_input(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    field: str,
    invalid: str | list[str],
    error: str,
    valid: str | list[str],
) -> None:
    """A prefix must be up to 4 digits, extensions 2 to 8 digits, at least one.

    Once valid, the value is stored.
    """
    options = {CONF_EXTENSIONS: EXTENSIONS, CONF_OUTSIDE_LINE_PREFIX: "0"}
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options | {field: invalid}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}

    result = await async_answer_options(hass, result, options | {field: valid})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[field] == valid
