"""The Companion app's "Call back" button: handled by the integration, under the rules.

A tapped button fires ``mobile_app_notification_action`` under the phone
user's context. The integration listens for its own actions from set-up on
(no automation waits for the tap) and makes the named extension call the
number, if the user may and the number is allowed. Forged actions (another
entry, an extension that does not exist, a refused number, a user bound to
another extension, anything that is not one of its actions) place no call.
"""

import logging
import random
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator import SimulatorServer
from custom_components.bemmelhor.call_back_actions import (
    EVENT_NOTIFICATION_ACTION,
    MAX_ACTION_LENGTH,
    CallBackAction,
    async_call_back,
    call_back_action_id,
    parse_call_back_action,
)
from custom_components.bemmelhor.const import CONF_PERSONS
from homeassistant.core import Context, Event, HomeAssistant

from .helpers import NUMBER, integration_records
from .voice_helpers import async_non_admin_with_person

ANA = "person.ana"
FUZZED = 2_000
SEED = 20261205


@pytest.fixture
def persons() -> dict[str, str]:
    """Return the ``persons`` option: Ana uses extension 6001."""
    return {"6001": ANA}


@pytest.fixture
def entry_options(
    entry_options: dict[str, Any], persons: dict[str, str]
) -> dict[str, Any]:
    """Pair the people with their extensions."""
    return entry_options | {CONF_PERSONS: persons}


@pytest.fixture
async def ana(hass: HomeAssistant) -> str:
    """Create Ana, a user who is not an administrator, and her person; return her id."""
    return await async_non_admin_with_person(hass, "Ana")


async def async_tap(hass: HomeAssistant, data: dict[str, Any], user_id: str) -> None:
    """Fire the event the Companion app fires when a button is tapped."""
    hass.bus.async_fire(
        EVENT_NOTIFICATION_ACTION, data, context=Context(user_id=user_id)
    )
    await hass.async_block_till_done()


def action(
    entry: MockConfigEntry, extension: str = "6001", number: str = NUMBER
) -> str:
    """Return the call-back action of a missed call."""
    return call_back_action_id(entry.entry_id, extension, number)


# Parsing


def test_action_round_trip() -> None:
    """An action built by the integration reads back as it was."""
    built = call_back_action_id("01JD0000000000000000000000", "6001", "011987654321")

    assert built == "BEMMELHOR_CALL_BACK:01JD0000000000000000000000:6001:011987654321"
    assert parse_call_back_action(built) == CallBackAction(
        "01JD0000000000000000000000", "6001", "011987654321"
    )


@pytest.mark.parametrize(
    "forged",
    [
        None,
        6001,
        ["BEMMELHOR_CALL_BACK"],
        "",
        "BEMMELHOR_CALL_BACK",
        "BEMMELHOR_CALL_BACK:entry:6001",
        "BEMMELHOR_CALL_BACK:entry:6001:011987654321:extra",
        "bemmelhor_call_back:entry:6001:011987654321",
        "BEMMELHOR_CALL_BACK:../entry:6001:011987654321",
        "BEMMELHOR_CALL_BACK:entry:60a1:011987654321",
        "BEMMELHOR_CALL_BACK:entry:6001:Maria Silva",
        "BEMMELHOR_CALL_BACK:entry:6001:0119/../876",
        "BEMMELHOR_CALL_BACK:entry:6001:",
        "BEMMELHOR_CALL_BACK:entry:６００１:011987654321",
        "BEMMELHOR_CALL_BACK:entry:6001:01198765\ud8004321",
        "BEMMELHOR_CALL_BACK:entry:6001:" + "1" * MAX_ACTION_LENGTH,
    ],
)
def test_forged_action_is_no_call_back(forged: object) -> None:
    """Anything but prefix, entry id, extension and digits is not a call-back."""
    assert parse_call_back_action(forged) is None


def test_fuzzed_actions_never_raise() -> None:
    """Two thousand actions drawn from all of Unicode are read without an error."""
    rng = random.Random(SEED)
    for _ in range(FUZZED):
        parts = [
            "BEMMELHOR_CALL_BACK",
            *(_unicode(rng) for _ in range(rng.randint(0, 4))),
        ]
        parse_call_back_action(":".join(parts))


def _unicode(rng: random.Random) -> str:
    """Return a short string of code points from anywhere (lone surrogates too)."""
    return "".join(
        chr(rng.choice((rng.randint(0x30, 0x39), rng.randint(0, 0x10FFFF))))
        for _ in range(rng.randint(0, 12))
    )


# Tapping


async def test_tap_calls_back_from_the_users_extension(
    hass: HomeAssistant,
    ana: str,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    dialing_events: list[Event],
) -> None:
    """Ana taps "Call back": 6001 calls the number, and the call is hers."""
    wired_simulator.requests.clear()

    await async_tap(hass, {"action": action(init_integration)}, ana)
    await wired_simulator.webhooks.join()
    await hass.async_block_till_done()

    assert wired_simulator.requests.paths() == [f"/api/call/6001/{NUMBER}"]
    assert [event.data["placed_by"] for event in dialing_events] == [ana]


async def test_tap_works_after_a_reload(
    hass: HomeAssistant,
    ana: str,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
) -> None:
    """The integration listens on its own, whatever the entry went through."""
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    pbx.requests.clear()

    await async_tap(hass, {"action": action(init_integration)}, ana)

    assert pbx.requests.paths() == [f"/api/call/6001/{NUMBER}"]


async def test_android_data_fields_are_ignored(
    hass: HomeAssistant,
    ana: str,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
) -> None:
    """Android sends the notification's other fields along; only the action counts."""
    await async_tap(
        hass,
        {"action": action(init_integration), "tag": "bemmelhor", "message": "6001"},
        ana,
    )

    assert pbx.requests.paths() == [f"/api/call/6001/{NUMBER}"]


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(
            lambda entry: call_back_action_id("nope", "6001", NUMBER), id="no-entry"
        ),
        pytest.param(lambda entry: action(entry, extension="6009"), id="no-extension"),
        pytest.param(
            lambda entry: action(entry, number="09001234567"), id="refused-number"
        ),
        pytest.param(
            lambda entry: action(entry, number="0021112125550100"), id="abroad"
        ),
        pytest.param(
            lambda entry: action(entry, extension="6002"), id="another-extension"
        ),
        pytest.param(lambda entry: f"{action(entry)}:6002", id="malformed"),
    ],
)
async def test_forged_tap_places_no_call(
    hass: HomeAssistant,
    ana: str,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    forge: Any,
) -> None:
    """A forged action reaches nothing: Ana is bound to 6001, numbers are checked."""
    await async_tap(hass, {"action": forge(init_integration)}, ana)

    assert pbx.requests == []


async def test_tap_for_another_integrations_entry(
    hass: HomeAssistant,
    ana: str,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
) -> None:
    """An entry id of another integration is no PBX."""
    other = MockConfigEntry(domain="other")
    other.add_to_hass(hass)

    await async_tap(
        hass, {"action": call_back_action_id(other.entry_id, "6001", NUMBER)}, ana
    )

    assert pbx.requests == []


async def test_tap_for_an_unloaded_entry(
    hass: HomeAssistant,
    ana: str,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
) -> None:
    """An entry that is not loaded places no call."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    pbx.requests.clear()

    await async_tap(hass, {"action": action(init_integration)}, ana)

    assert pbx.requests == []


async def test_refused_tap_logged_once(
    hass: HomeAssistant,
    ana: str,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A refused number is logged once at info, masked; a forged action too."""
    caplog.set_level(logging.DEBUG)
    await async_tap(
        hass, {"action": action(init_integration, number="09001234567")}, ana
    )
    await async_tap(hass, {"action": "BEMMELHOR_CALL_BACK:x:6001:Maria"}, ana)

    assert integration_records(caplog, logging.INFO) == [
        "Refused a call to 0900xxxxxxx through Bem Melhor PBX:"
        " kind premium_rate is not allowed by the options",
        "Ignored a call-back notification action that is not valid",
    ]


async def test_other_actions_are_not_ours(
    hass: HomeAssistant,
    ana: str,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Other notifications' buttons are left to their automations, unlogged."""
    caplog.set_level(logging.DEBUG)
    for data in ({"action": "ALARM"}, {"action": 6001}, {}):
        await async_tap(hass, data, ana)

    assert pbx.requests == []
    assert integration_records(caplog, logging.DEBUG) == []


async def test_pbx_down_is_a_warning(
    hass: HomeAssistant,
    ana: str,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A call-back the PBX cannot place is a warning in the log, not an error."""
    await pbx.refuse_connections()

    await async_call_back(hass, action(init_integration), ana)

    assert integration_records(caplog, logging.WARNING) == [
        "A call-back from a notification could not be placed: cannot_connect"
    ]


async def test_fuzzed_taps_place_no_call(
    hass: HomeAssistant,
    ana: str,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Actions with the right entry and fuzzed parts never call or raise."""
    rng = random.Random(SEED)
    for _ in range(200):
        extension, number = _unicode(rng), _unicode(rng)
        if extension.isascii() and number.isascii() and (extension + number).isdigit():
            continue
        await async_call_back(
            hass, call_back_action_id(init_integration.entry_id, extension, number), ana
        )

    assert pbx.requests == []
    assert integration_records(caplog, logging.WARNING) == []
