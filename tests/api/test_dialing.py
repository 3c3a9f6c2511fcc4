"""Destination normalisation and path-segment validation, table-driven."""

import pytest

from custom_components.bemmelhor.api import (
    BemMelhorInvalidInputError,
    InvalidInputReason,
    normalize_destination,
    validate_call_id,
    validate_extension,
)

ACCEPTED = [
    # (typed, outside-line prefix, dial string)
    ("6005", "0", "6005"),
    ("60", "0", "60"),
    ("12345678", "0", "12345678"),
    ("190", "0", "190"),
    ("*72", "0", "*72"),
    ("#31#", "0", "#31#"),
    ("*123456789", "0", "*123456789"),
    ("32999999999", "0", "032999999999"),
    ("032999999999", "0", "032999999999"),
    ("(32) 99999-9999", "0", "032999999999"),
    ("32 99999 9999", "0", "032999999999"),
    ("32.9999.9999", "0", "03299999999"),
    ("+55 (32) 99999-9999", "0", "032999999999"),
    ("+5532999999999", "0", "032999999999"),
    ("+55 11 3333-4444", "0", "01133334444"),
    ("999999999", "0", "0999999999"),
    ("0800 123 4567", "0", "08001234567"),
    ("  6001  ", "0", "6001"),
    ("\t32999999999\n", "0", "032999999999"),
    ("32999999999", "", "32999999999"),
    ("32999999999", "9", "932999999999"),
    ("932999999999", "9", "932999999999"),
    ("+55 32 99999-9999", "00", "0032999999999"),
    ("0032999999999", "00", "0032999999999"),
    ("12345678901234567890", "0", "012345678901234567890"),
]

REFUSED = [
    ("", InvalidInputReason.EMPTY),
    ("   ", InvalidInputReason.EMPTY),
    ("()- .", InvalidInputReason.EMPTY),
    ("abc", InvalidInputReason.INVALID_CHARACTERS),
    ("6001a", InvalidInputReason.INVALID_CHARACTERS),
    ("6005/../../active/6001", InvalidInputReason.INVALID_CHARACTERS),
    ("..", InvalidInputReason.INVALID_CHARACTERS),
    ("6005/6001", InvalidInputReason.INVALID_CHARACTERS),
    ("6005%2F6001", InvalidInputReason.INVALID_CHARACTERS),
    ("%", InvalidInputReason.INVALID_CHARACTERS),
    ("6005?x=1", InvalidInputReason.INVALID_CHARACTERS),
    ("6005;6001", InvalidInputReason.INVALID_CHARACTERS),
    ("\\6005", InvalidInputReason.INVALID_CHARACTERS),
    ("٣٢٩٩٩٩٩٩٩٩٩", InvalidInputReason.INVALID_CHARACTERS),
    ("+55 *123", InvalidInputReason.INVALID_CHARACTERS),
    ("+55", InvalidInputReason.INVALID_CHARACTERS),
    ("55+32999999999", InvalidInputReason.INVALID_CHARACTERS),
    ("+1 212 555 0100", InvalidInputReason.INTERNATIONAL),
    ("+351 912 345 678", InvalidInputReason.INTERNATIONAL),
    ("123456789012345678901", InvalidInputReason.TOO_LONG),
]


@pytest.mark.parametrize(("typed", "prefix", "expected"), ACCEPTED)
def test_destination_is_normalised(typed: str, prefix: str, expected: str) -> None:
    """What a person types becomes what the PBX dials."""
    assert normalize_destination(typed, prefix) == expected


@pytest.mark.parametrize(("typed", "reason"), REFUSED)
def test_destination_is_refused(typed: str, reason: InvalidInputReason) -> None:
    """Anything that is not a dialable number is refused with a reason code."""
    with pytest.raises(BemMelhorInvalidInputError) as err:
        normalize_destination(typed)
    assert err.value.reason is reason
    assert err.value.value == typed


def test_default_outside_line_prefix_is_zero() -> None:
    """Without a prefix argument, long numbers get a leading 0."""
    assert normalize_destination("+55 (32) 99999-9999") == "032999999999"


@pytest.mark.parametrize("extension", ["60", "6001", "12345678", " 6001 "])
def test_extension_is_accepted(extension: str) -> None:
    """Extensions have 2 to 8 digits; surrounding spaces are dropped."""
    assert validate_extension(extension) == extension.strip()


@pytest.mark.parametrize(
    "extension", ["", "6", "123456789", "60a1", "../6001", "6001/", "٦٠٠١", "+6001"]
)
def test_extension_is_refused(extension: str) -> None:
    """Anything else is not an extension."""
    with pytest.raises(BemMelhorInvalidInputError) as err:
        validate_extension(extension)
    assert err.value.reason is InvalidInputReason.INVALID_EXTENSION


@pytest.mark.parametrize(
    "call_id", ["9cb60bfe8dfb200f", "1609957242.2", "abc-DEF_123", "x"]
)
def test_call_id_is_accepted(call_id: str) -> None:
    """Call ids are hex strings or Asterisk unique ids."""
    assert validate_call_id(call_id) == call_id


@pytest.mark.parametrize(
    "call_id", ["", "..", "a..b", "../active/6001", "a/b", "a b", "%2e%2e", "x" * 65]
)
def test_call_id_is_refused(call_id: str) -> None:
    """A call id can never reach another path."""
    with pytest.raises(BemMelhorInvalidInputError) as err:
        validate_call_id(call_id)
    assert err.value.reason is InvalidInputReason.INVALID_CALL_ID
