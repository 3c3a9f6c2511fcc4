"""Where the extensions may call: Brazilian numbers against the default and a permissive policy.

Each number goes through ``bemmelhor.call`` against the PBX simulator: an
allowed one reaches the PBX, a refused one is a translated error naming the
rule and the simulator's request log stays empty. The entry's PBX is in São
Paulo (DDD 11).
"""

import logging
from typing import Any

import pytest

from bemmelhor_simulator import SimulatorServer
from custom_components.bemmelhor.const import (
    CONF_ALLOWED_DESTINATIONS,
    CONF_ALLOWED_PREFIXES,
    CONF_AREA_CODE,
    CONF_REFUSED_PREFIXES,
    DOMAIN,
)
from custom_components.bemmelhor.destination_kinds import DestinationKind
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .helpers import async_action, integration_records

type Outcome = str
"""The dial string the PBX received, or the key of the refusal."""

MATRIX: list[tuple[str, Outcome, Outcome]] = [
    # typed, with the default policy, with everything allowed
    ("3456-7890", "34567890", "34567890"),
    ("(11) 3456-7890", "01134567890", "01134567890"),
    ("(21) 3456-7890", "02134567890", "02134567890"),
    ("(11) 98765-4321", "011987654321", "011987654321"),
    ("+55 21 99999-0000", "021999990000", "021999990000"),
    ("0 15 21 99999 0000", "01521999990000", "01521999990000"),
    ("0800 123 4567", "08001234567", "08001234567"),
    ("0300 123 4567", "03001234567", "03001234567"),
    ("4004 1234", "40041234", "40041234"),
    (
        "0900 123 4567",
        "destination_refused_premium_rate",
        "09001234567",
    ),
    (
        "0500 123 4567",
        "destination_refused_premium_rate",
        "05001234567",
    ),
    (
        "00 21 1 212 555 0100",
        "destination_refused_international",
        "002112125550100",
    ),
    (
        "0021 351 21 123 4567",
        "destination_refused_international",
        "0021351211234567",
    ),
    ("+1 212 555 0100", "invalid_input_international", "invalid_input_international"),
    ("6002", "6002", "6002"),
    ("6009", "6009", "6009"),
    ("190", "190", "190"),
    ("102", "102", "102"),
    ("*72", "%2A72", "%2A72"),
    (
        "*72 0021 1 212 555 0100",
        "destination_refused_international",
        "%2A72002112125550100",
    ),
    ("(11) 1234-5678", "destination_refused_other", "01112345678"),
]
"""Local, DDD, mobile (with a carrier code too), 0800, shared-cost, premium-rate,
international (``00`` + carrier, and ``+``), extensions (configured or
not), short codes, service codes (one forwarding abroad), no known kind."""

EVERYTHING = {CONF_ALLOWED_DESTINATIONS: [kind.value for kind in DestinationKind]}


@pytest.fixture
def entry_options(
    entry_options: dict[str, Any], policy: dict[str, Any]
) -> dict[str, Any]:
    """Put the PBX in São Paulo, with the policy under test."""
    return entry_options | {CONF_AREA_CODE: "11"} | policy


@pytest.fixture
def policy() -> dict[str, Any]:
    """Return the options of where the extensions may call: the default."""
    return {}


async def async_outcome(hass: HomeAssistant, pbx: SimulatorServer, typed: str) -> str:
    """Call ``typed`` from 6001; return what the PBX dialled, or the refusal's key."""
    try:
        await async_action(hass, "call", {"extension": "6001", "destination": typed})
    except ServiceValidationError as err:
        refusal = err
    else:
        (path,) = pbx.requests.paths()
        return path.removeprefix("/api/call/6001/")
    assert refusal.translation_domain == DOMAIN
    assert pbx.requests == []
    return str(refusal.translation_key)


@pytest.mark.parametrize(("typed", "outcome", "permissive"), MATRIX)
async def test_default_policy(
    hass: HomeAssistant, pbx: SimulatorServer, typed: str, outcome: str, permissive: str
) -> None:
    """A Brazilian office calls landlines, mobiles, 0800 and 400x; not 0900 or abroad."""
    assert await async_outcome(hass, pbx, typed) == outcome


@pytest.mark.parametrize("policy", [EVERYTHING])
@pytest.mark.parametrize(("typed", "outcome", "permissive"), MATRIX)
async def test_permissive_policy(
    hass: HomeAssistant, pbx: SimulatorServer, typed: str, outcome: str, permissive: str
) -> None:
    """With every kind allowed, only what cannot be dialled is refused."""
    assert await async_outcome(hass, pbx, typed) == permissive


@pytest.mark.parametrize(
    ("policy", "typed", "outcome"),
    [
        pytest.param(
            {CONF_ALLOWED_DESTINATIONS: ["extensions", "mobile"]},
            "(21) 3456-7890",
            "destination_refused_national",
            id="only-mobiles",
        ),
        pytest.param(
            {CONF_ALLOWED_DESTINATIONS: []},
            "6002",
            "destination_refused_extensions",
            id="nothing",
        ),
        pytest.param(
            {CONF_ALLOWED_PREFIXES: ["0021351"]},
            "0021 351 21 123 4567",
            "0021351211234567",
            id="allowed-prefix-as-dialled",
        ),
        pytest.param(
            {CONF_ALLOWED_PREFIXES: ["+351"]},
            "0021 351 21 123 4567",
            "0021351211234567",
            id="allowed-country-code",
        ),
        pytest.param(
            {CONF_REFUSED_PREFIXES: ["0300"]},
            "0300 123 4567",
            "destination_refused_prefix",
            id="refused-prefix-as-dialled",
        ),
        pytest.param(
            {CONF_REFUSED_PREFIXES: ["4004"]},
            "4004 1234",
            "destination_refused_prefix",
            id="refused-without-ddd",
        ),
        pytest.param(
            {CONF_REFUSED_PREFIXES: ["1198"]},
            "(11) 98765-4321",
            "destination_refused_prefix",
            id="refused-national-number",
        ),
        pytest.param(
            {CONF_ALLOWED_PREFIXES: ["0900"], CONF_REFUSED_PREFIXES: ["09001"]},
            "0900 123 4567",
            "destination_refused_prefix",
            id="refused-wins",
        ),
        pytest.param(
            {CONF_REFUSED_PREFIXES: ["00"]},
            "*72 0021 1 212 555 0100",
            "destination_refused_prefix",
            id="refused-in-a-service-code",
        ),
        pytest.param(
            {CONF_ALLOWED_PREFIXES: ["*72"]},
            "*72 0021 1 212 555 0100",
            "%2A72002112125550100",
            id="allowed-service-code",
        ),
    ],
)
async def test_prefixes_and_kinds(
    hass: HomeAssistant, pbx: SimulatorServer, typed: str, outcome: str
) -> None:
    """The options' kinds and prefixes decide; an always-refused prefix wins."""
    assert await async_outcome(hass, pbx, typed) == outcome


@pytest.mark.parametrize(
    ("policy", "typed", "placeholders"),
    [
        pytest.param({}, "0900 123 4567", {"number": "09001234567"}, id="kind"),
        pytest.param(
            {CONF_REFUSED_PREFIXES: ["0300"]},
            "0300 123 4567",
            {"number": "03001234567", "prefix": "0300"},
            id="prefix",
        ),
    ],
)
async def test_refusal_names_number_and_prefix(
    hass: HomeAssistant, pbx: SimulatorServer, typed: str, placeholders: dict[str, str]
) -> None:
    """The refusal names the number as dialled and the prefix that refused it."""
    with pytest.raises(ServiceValidationError) as err:
        await async_action(hass, "call", {"extension": "6001", "destination": typed})

    assert err.value.translation_placeholders == placeholders


async def test_refusal_logged_once_masked(
    hass: HomeAssistant, pbx: SimulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    """One info line tells the rule, with the number masked."""
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ServiceValidationError):
        await async_action(
            hass,
            "call",
            {"extension": "6001", "destination": "00 21 1 212 555 0100"},
        )

    assert integration_records(caplog, logging.INFO) == [
        "Refused a call to 0021xxxxxxxxxxx through Bem Melhor PBX:"
        " kind international is not allowed by the options"
    ]
    assert "2125550100" not in caplog.text
