"""Two PBXs can be told apart: entry titles and hub names carry the customer part.

``empresa`` of ``empresa.bemmelhor.com.br`` names the entry and the hub; the
host and the port never go into a name (Home Assistant logs entry titles).
"""

from collections.abc import AsyncGenerator
import logging
import socket
from typing import Any
from unittest.mock import patch

from aiohttp.abc import ResolveResult
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator.pytest_plugin import SimulatorFactory
from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.const import (
    CONF_CLIENT_ID,
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    DOMAIN,
)
from custom_components.bemmelhor.naming import async_entry_title, pbx_name
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr

from .helpers import EXTENSIONS, WEBHOOK_ID, SystemResolver, async_user_step

EMPRESA = "empresa.bemmelhor.com.br"
FILIAL = "filial.bemmelhor.com.br"


class LoopbackResolver(SystemResolver):
    """Resolve every host name to 127.0.0.1, where the PBX simulators listen."""

    async def resolve(
        self,
        host: str,
        port: int = 0,
        family: socket.AddressFamily = socket.AF_INET,
    ) -> list[ResolveResult]:
        """Return the loopback address for ``host``."""
        return await super().resolve("127.0.0.1", port, family)


@pytest.fixture(autouse=True)
async def _pbx_hosts_on_loopback() -> AsyncGenerator[None]:
    """Let the integration reach ``*.bemmelhor.com.br`` on the simulators."""
    with patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver",
        return_value=LoopbackResolver(),
    ):
        yield


def answer(host: str, port: int) -> dict[str, Any]:
    """Return the user step's answer for a PBX at ``host``."""
    return {CONF_HOST: host, CONF_PORT: port, CONF_EXTENSIONS: EXTENSIONS}


def hub_of(device_registry: dr.DeviceRegistry, host: str) -> dr.DeviceEntry:
    """Return the hub device of the PBX at ``host``."""
    [hub] = device_registry.async_get_devices(identifiers={(DOMAIN, host)})
    return hub


@pytest.mark.parametrize(
    ("host", "name"),
    [
        (EMPRESA, "empresa"),
        ("pabx.minhaempresa.com.br", "pabx"),
        ("127.0.0.1", None),
        ("::1", None),
        ("localhost", None),
    ],
)
def test_pbx_name_is_the_customer_part(host: str, name: str | None) -> None:
    """The first label names a PBX; an IP address or a one-label host gives none."""
    assert pbx_name(host) == name


@pytest.mark.parametrize(
    ("host", "language", "title"),
    [
        (EMPRESA, "en", "Bem Melhor PBX (empresa)"),
        ("127.0.0.1", "en", "Bem Melhor PBX"),
        (EMPRESA, "pt-BR", "PABX Bem Melhor (empresa)"),
        ("127.0.0.1", "pt-BR", "PABX Bem Melhor"),
    ],
)
async def test_entry_title(
    hass: HomeAssistant, host: str, language: str, title: str
) -> None:
    """The title is the hub's name in the system language, never the host."""
    hass.config.language = language

    assert await async_entry_title(hass, host) == title


@pytest.mark.parametrize(
    ("title", "followed"),
    [
        ("Bem Melhor PBX (empresa)", "PABX Bem Melhor (empresa)"),
        ("Reception PBX", "Reception PBX"),
    ],
)
async def test_default_title_follows_the_system_language(
    hass: HomeAssistant, pbx_simulator: SimulatorServer, title: str, followed: str
) -> None:
    """An English default title turns Portuguese with the system; a user's stays."""
    await async_user_step(hass, answer(EMPRESA, pbx_simulator.port))
    [entry] = hass.config_entries.async_entries(DOMAIN)
    hass.config_entries.async_update_entry(entry, title=title)
    hass.config.language = "pt-BR"

    await hass.config_entries.async_reload(entry.entry_id)

    assert entry.title == followed


async def test_new_entry_is_named_after_its_customer(
    hass: HomeAssistant, pbx_simulator: SimulatorServer
) -> None:
    """A PBX at empresa.bemmelhor.com.br becomes "Bem Melhor PBX (empresa)"."""
    result = await async_user_step(hass, answer(EMPRESA, pbx_simulator.port))

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Bem Melhor PBX (empresa)"


async def test_hub_is_named_after_its_customer(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    device_registry: dr.DeviceRegistry,
) -> None:
    """The hub device carries the same name; the user may rename it."""
    await async_user_step(hass, answer(EMPRESA, pbx_simulator.port))

    assert hub_of(device_registry, EMPRESA).name == "Bem Melhor PBX (empresa)"


async def test_two_pbxs_can_be_told_apart(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    pbx_simulator_factory: SimulatorFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Two PBXs of one company get different titles and hub names."""
    second = await pbx_simulator_factory(extensions=EXTENSIONS)
    await async_user_step(hass, answer(EMPRESA, pbx_simulator.port))
    await async_user_step(hass, answer(FILIAL, second.port))

    assert sorted(
        entry.title for entry in hass.config_entries.async_entries(DOMAIN)
    ) == ["Bem Melhor PBX (empresa)", "Bem Melhor PBX (filial)"]
    assert {
        hub_of(device_registry, EMPRESA).name,
        hub_of(device_registry, FILIAL).name,
    } == {"Bem Melhor PBX (empresa)", "Bem Melhor PBX (filial)"}


async def test_existing_entry_keeps_its_title(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    device_registry: dr.DeviceRegistry,
) -> None:
    """An entry made before names existed keeps its title; its hub gets the name.

    Titles are the user's (and may have been renamed); the hub's name is
    Home Assistant's translation, so it follows at the next set-up.
    """
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Bem Melhor PBX",
        unique_id=EMPRESA,
        data={
            CONF_HOST: EMPRESA,
            CONF_PORT: pbx_simulator.port,
            CONF_SSL: False,
            CONF_VERIFY_SSL: True,
            CONF_WEBHOOK_ID: WEBHOOK_ID,
        },
        options={
            CONF_EXTENSIONS: EXTENSIONS,
            CONF_OUTSIDE_LINE_PREFIX: "0",
            CONF_CLIENT_ID: "",
        },
    )
    entry.add_to_hass(hass)

    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.title == "Bem Melhor PBX"
    assert hub_of(device_registry, EMPRESA).name == "Bem Melhor PBX (empresa)"


async def test_names_keep_the_host_out_of_the_log(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Home Assistant logs the title of an entry waiting for its PBX: no host in it."""
    result = await async_user_step(hass, answer(EMPRESA, pbx_simulator.port))
    await pbx_simulator.refuse_connections()
    caplog.set_level(logging.DEBUG)

    await hass.config_entries.async_reload(result["result"].entry_id)
    await hass.async_block_till_done()

    logged = [
        record.getMessage()
        for record in caplog.records
        if record.levelno > logging.DEBUG
    ]
    assert any("'Bem Melhor PBX (empresa)'" in line for line in logged)
    assert [line for line in logged if "bemmelhor.com.br" in line] == []


async def test_devices_speak_the_system_language(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    device_registry: dr.DeviceRegistry,
) -> None:
    """On a Portuguese system, models and names are Portuguese: no *Cloud PBX*."""
    hass.config.language = "pt-BR"
    await async_user_step(hass, answer(EMPRESA, pbx_simulator.port))

    hub = hub_of(device_registry, EMPRESA)
    [extension] = device_registry.async_get_devices(
        identifiers={(DOMAIN, f"{EMPRESA}_6001")}
    )
    assert (hub.name, hub.model) == ("PABX Bem Melhor (empresa)", "PABX em nuvem")
    assert (extension.name, extension.model) == ("Ramal 6001", "Ramal")
    assert extension.via_device_id == hub.id
