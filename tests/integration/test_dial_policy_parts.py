"""The pure parts of who may dial where: kinds, options read back, prefixes, who placed a call."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from custom_components.bemmelhor.const import (
    CONF_ALLOWED_DESTINATIONS,
    CONF_ALLOWED_PREFIXES,
    CONF_REFUSED_PREFIXES,
)
from custom_components.bemmelhor.destination_kinds import (
    DestinationKind,
    read_destination,
)
from custom_components.bemmelhor.dial_policy import (
    DEFAULT_ALLOWED_DESTINATIONS,
    MAX_PREFIXES,
    DialPolicy,
    InvalidPrefixError,
    Refusal,
    mask_number,
    parse_prefixes,
)
from custom_components.bemmelhor.placed_calls import (
    MAX_PLACED_CALLS,
    PLACED_CALL_KEPT,
    PlacedCalls,
)

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
USER = "0123456789abcdef0123456789abcdef"


# Kinds


@pytest.mark.parametrize(
    ("dial_string", "kind"),
    [
        ("911987654321", DestinationKind.MOBILE),
        ("908001234567", DestinationKind.TOLL_FREE),
        ("909001234567", DestinationKind.PREMIUM_RATE),
        ("9002112125550100", DestinationKind.INTERNATIONAL),
        ("934567890", DestinationKind.LOCAL),
        ("9190", DestinationKind.EXTENSIONS),
    ],
)
def test_other_outside_line_prefix_is_taken_off(
    dial_string: str, kind: DestinationKind
) -> None:
    """With a ``9`` prefix, the number after it is read; short numbers keep theirs."""
    assert read_destination(dial_string, outside_line_prefix="9").kind is kind


@pytest.mark.parametrize(
    ("dial_string", "area_code", "kind"),
    [
        ("34567890", "", DestinationKind.LOCAL),
        ("01134567890", "", DestinationKind.NATIONAL),
        ("01134567890", "11", DestinationKind.LOCAL),
        ("02134567890", "11", DestinationKind.NATIONAL),
        ("987654321", "", DestinationKind.MOBILE),
    ],
)
def test_local_needs_the_area_code(
    dial_string: str, area_code: str, kind: DestinationKind
) -> None:
    """Without the PBX's DDD, a landline with a DDD is long distance."""
    assert read_destination(dial_string, area_code=area_code).kind is kind


@pytest.mark.parametrize("dial_string", ["0", "1" * 20, "0" + "1" * 20, "0" * 12])
def test_no_number_is_of_no_known_kind(dial_string: str) -> None:
    """What the library cannot read as a number (too short, too long) is no kind."""
    assert read_destination(dial_string).kind is DestinationKind.OTHER


def test_configured_extension_of_eight_digits() -> None:
    """An 8-digit configured extension is an extension, not a landline."""
    destination = read_destination("34567890", extensions=["34567890"])

    assert destination.kind is DestinationKind.EXTENSIONS


# The options read back


@pytest.mark.parametrize(
    ("options", "policy"),
    [
        pytest.param({}, DialPolicy(), id="defaults"),
        pytest.param(
            {CONF_ALLOWED_DESTINATIONS: "mobile"}, DialPolicy(), id="not-a-list"
        ),
        pytest.param(
            {CONF_ALLOWED_DESTINATIONS: ["mobile", "satellite", 3, None]},
            DialPolicy(allowed=frozenset({DestinationKind.MOBILE})),
            id="unknown-kinds",
        ),
        pytest.param(
            {
                CONF_ALLOWED_PREFIXES: ["0021351", 21, "abc", ""],
                CONF_REFUSED_PREFIXES: "0900",
            },
            DialPolicy(allowed_prefixes=("0021351",)),
            id="prefixes",
        ),
    ],
)
def test_policy_from_stored_options(
    options: dict[str, Any], policy: DialPolicy
) -> None:
    """Stored options are untrusted: what is not a kind or a prefix is left out."""
    assert DialPolicy.from_options(options) == policy


def test_default_policy_kinds() -> None:
    """Premium-rate, international and unknown numbers are refused by default."""
    assert set(DestinationKind) - set(DEFAULT_ALLOWED_DESTINATIONS) == {
        DestinationKind.PREMIUM_RATE,
        DestinationKind.INTERNATIONAL,
        DestinationKind.OTHER,
    }


def test_carried_number_refused() -> None:
    """A service code is refused for the number it carries."""
    destination = read_destination("*720900123456")

    assert DialPolicy().refusal(destination) == Refusal(
        kind=DestinationKind.PREMIUM_RATE
    )


def test_carried_number_allowed_by_prefix() -> None:
    """A number a service code carries may be allowed by its prefix."""
    destination = read_destination("*720021351211234567")
    policy = DialPolicy(allowed_prefixes=("0021351",))

    assert policy.refusal(destination) is None


# Prefixes as typed


@pytest.mark.parametrize(
    ("text", "prefixes"),
    [
        ("", []),
        ("0900, 0500", ["0900", "0500"]),
        ("+351; *72\n(0300) 1", ["+351", "*72", "03001"]),
        ("00, 00,, ", ["00"]),
        ("0 800-12.3", ["0800123"]),
    ],
)
def test_parse_prefixes(text: str, prefixes: list[str]) -> None:
    """Prefixes are separated by commas, semicolons or lines; formatting goes."""
    assert parse_prefixes(text) == prefixes


@pytest.mark.parametrize(
    "text",
    ["abc", "09a0", "0900, +", "1" * 21, "++1", ", ".join(str(n) for n in range(51))],
)
def test_parse_prefixes_refuses(text: str) -> None:
    """Letters, a lone ``+``, too long a prefix or too many are refused."""
    assert MAX_PREFIXES == 50
    with pytest.raises(InvalidPrefixError):
        parse_prefixes(text)


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("09001234567", "0900xxxxxxx"),
        ("*72002112125550100", "*720xxxxxxxxxxxxxx"),
        ("190", "190"),
    ],
)
def test_mask_number(number: str, masked: str) -> None:
    """The log keeps the first four characters of a number."""
    assert mask_number(number) == masked


# Who placed a call


def test_claimed_by_call_id() -> None:
    """A dialing that arrives after the PBX answered is claimed by its call id."""
    placed = PlacedCalls()
    placed.expect("6001", USER, NOW)
    placed.answered("6001", "call-1", NOW)

    assert placed.claim("call-1", "6001", NOW) == USER
    assert placed.claim("call-1", "6001", NOW) is None


def test_claimed_while_in_flight() -> None:
    """A dialing that arrives before the PBX answered is its extension's call."""
    placed = PlacedCalls()
    placed.expect("6001", USER, NOW)

    assert placed.claim("call-1", "6001", NOW) == USER
    assert placed.claim("call-2", "6002", NOW) is None


def test_refused_call_forgotten() -> None:
    """A call the PBX did not start is no longer expected."""
    placed = PlacedCalls()
    placed.expect("6001", USER, NOW)
    placed.answered("6001", None, NOW)

    assert placed.claim("call-1", "6001", NOW) is None


def test_old_calls_forgotten() -> None:
    """A dialing that never arrived is forgotten after a few minutes."""
    placed = PlacedCalls()
    placed.expect("6001", USER, NOW)
    placed.answered("6001", "call-1", NOW)
    placed.expect("6002", USER, NOW)
    later = NOW + PLACED_CALL_KEPT + timedelta(seconds=1)

    assert placed.claim("call-1", "6001", later) is None
    assert placed.claim("call-2", "6002", later) is None


def test_placed_calls_bounded() -> None:
    """Only the latest calls are remembered."""
    placed = PlacedCalls()
    for number in range(MAX_PLACED_CALLS + 1):
        placed.expect("6001", USER, NOW)
        placed.answered("6001", f"call-{number}", NOW)

    assert placed.claim("call-0", None, NOW) is None
    assert placed.claim(f"call-{MAX_PLACED_CALLS}", None, NOW) == USER
