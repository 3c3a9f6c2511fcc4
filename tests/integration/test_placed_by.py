"""Who asked: a call placed through Home Assistant carries ``placed_by``.

The PBX's answer to click-to-call carries the call id; the dialing webhook
of that call then carries the user who placed it, in the bus event, the call
log and the logbook ("Ana ligou para Maria Silva do ramal 6001").
Diagnostics redact it, and the options' prefixes.
"""

from collections.abc import Callable
from typing import Any, cast

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from bemmelhor_simulator import SimulatorServer
from custom_components.bemmelhor.call_log.model.calls import Direction, OpenCall
from custom_components.bemmelhor.call_texts import async_call_texts
from custom_components.bemmelhor.const import (
    CONF_ALLOWED_PREFIXES,
    CONF_EXTENSIONS,
    CONF_REFUSED_PREFIXES,
    DOMAIN,
    EVENT_CALL_DIALING,
)
from custom_components.bemmelhor.logbook import async_describe_events
from homeassistant.components.diagnostics import DOMAIN as DIAGNOSTICS_DOMAIN
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .contact_helpers import async_add_contact
from .helpers import EXTENSIONS, NOW, NUMBER, async_action

type Describe = Callable[[Event[Any]], dict[str, str]]

pytestmark = pytest.mark.freeze_time(NOW)


@pytest.fixture
async def ana(hass: HomeAssistant, hass_admin_user: MockUser) -> str:
    """Give the administrator the person Ana; return the user's id."""
    assert await async_setup_component(
        hass,
        "person",
        {"person": [{"id": "ana", "name": "Ana", "user_id": hass_admin_user.id}]},
    )
    await hass.async_block_till_done()
    return hass_admin_user.id


async def async_place(
    hass: HomeAssistant, simulator: SimulatorServer, user_id: str | None
) -> str:
    """Make 6001 call the outside number as ``user_id``; return the call id.

    Waits for the dialing webhook the PBX sends back.
    """
    response = await hass.services.async_call(
        DOMAIN,
        "call",
        {"extension": "6001", "destination": NUMBER},
        blocking=True,
        return_response=True,
        context=Context(user_id=user_id),
    )
    await simulator.webhooks.join()
    await hass.async_block_till_done()
    assert response is not None
    return str(response["call_id"])


async def describer(hass: HomeAssistant) -> Describe:
    """Return the integration's logbook description of dialings."""
    described: dict[str, Describe] = {}
    await async_call_texts(hass)
    async_describe_events(
        hass,
        lambda _domain, event_type, describe: described.update({event_type: describe}),
    )
    return described[EVENT_CALL_DIALING]


async def test_bus_event_carries_the_user(
    hass: HomeAssistant,
    ana: str,
    wired_simulator: SimulatorServer,
    dialing_events: list[Event],
) -> None:
    """The dialing of a call a user placed names the user."""
    call_id = await async_place(hass, wired_simulator, ana)

    assert [(e.data["call_id"], e.data["placed_by"]) for e in dialing_events] == [
        (call_id, ana)
    ]


async def test_automation_places_anonymously(
    hass: HomeAssistant, wired_simulator: SimulatorServer, dialing_events: list[Event]
) -> None:
    """A call an automation placed (no user) has no ``placed_by``."""
    await async_place(hass, wired_simulator, None)

    assert [event.data["placed_by"] for event in dialing_events] == [None]


async def test_call_log_keeps_the_user(
    hass: HomeAssistant, ana: str, wired_simulator: SimulatorServer
) -> None:
    """The finished call in the log, and ``get_calls``, say who placed it."""
    call_id = await async_place(hass, wired_simulator, ana)
    await wired_simulator.pbx.hangup(call_id, "ANSWERED")
    await hass.async_block_till_done()

    response = await async_action(hass, "get_calls", {})

    assert response is not None
    assert [(c["call_id"], c["placed_by"]) for c in response["calls"]] == [
        (call_id, ana)
    ]


async def test_stored_open_call_keeps_the_user() -> None:
    """An open call read back after a restart still names who placed it."""
    now = dt_util.utcnow()
    call = OpenCall(
        call_id="call-1",
        extension="6001",
        direction=Direction.OUTBOUND,
        from_="6001",
        to=NUMBER,
        started=now,
        seen=now,
        placed_by="user-1",
    )

    restored = OpenCall.from_dict(call.as_dict(), now)

    assert restored is not None
    assert restored.placed_by == "user-1"


@pytest.mark.parametrize(
    ("language", "name", "message"),
    [
        ("pt-BR", "Ana", "ligou para Maria Silva do ramal 6001"),
        ("en", "Ana", "called Maria Silva from extension 6001"),
    ],
)
async def test_logbook_names_the_person(
    hass: HomeAssistant,
    ana: str,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    dialing_events: list[Event],
    language: str,
    name: str,
    message: str,
) -> None:
    """The logbook line is the person's: "Ana ligou para Maria Silva do ramal 6001".

    It belongs to the person's entity: the frontend names a line after its entity.
    """
    hass.config.language = language
    await async_add_contact(hass, init_integration, "Maria Silva", NUMBER)
    await async_place(hass, wired_simulator, ana)

    described = (await describer(hass))(dialing_events[0])

    assert (described["name"], described["message"]) == (name, message)
    assert described["entity_id"] == "person.ana"


async def test_logbook_without_a_person(
    hass: HomeAssistant,
    hass_admin_user: MockUser,
    wired_simulator: SimulatorServer,
    dialing_events: list[Event],
) -> None:
    """A user without a person: the line is the extension's, as for any call."""
    await async_place(hass, wired_simulator, hass_admin_user.id)

    described = (await describer(hass))(dialing_events[0])

    assert (described["name"], described["message"]) == (
        "Extension 6001",
        "called (32) 99999-9999",
    )


@pytest.fixture
async def diagnostics(hass: HomeAssistant) -> None:
    """Set up diagnostics before Home Assistant's HTTP server starts serving."""
    assert await async_setup_component(hass, DIAGNOSTICS_DOMAIN, {})


async def test_diagnostics_redact_the_user(
    hass: HomeAssistant,
    diagnostics: None,
    hass_client: ClientSessionGenerator,
    ana: str,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
) -> None:
    """Who placed an open call is redacted in the diagnostics."""
    await async_place(hass, wired_simulator, ana)

    data = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    call_log = cast("dict[str, list[dict[str, Any]]]", data["call_log"])
    (open_call,) = call_log["open_calls"]
    assert open_call["placed_by"] == "**REDACTED**"
    assert ana not in str(data)


@pytest.mark.parametrize(
    "entry_options",
    [
        {
            CONF_EXTENSIONS: EXTENSIONS,
            CONF_ALLOWED_PREFIXES: ["011987654321"],
            CONF_REFUSED_PREFIXES: ["0300"],
        }
    ],
)
async def test_diagnostics_redact_the_prefixes(
    hass: HomeAssistant,
    diagnostics: None,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
) -> None:
    """Prefixes may be whole phone numbers: redacted in the diagnostics."""
    data = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    options = cast("dict[str, dict[str, Any]]", data["entry"])["options"]
    assert options[CONF_ALLOWED_PREFIXES] == "**REDACTED**"
    assert options[CONF_REFUSED_PREFIXES] == "**REDACTED**"
