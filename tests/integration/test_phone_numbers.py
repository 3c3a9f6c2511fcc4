"""Brazilian numbers: every way of writing the same number gives the same key.

Pure unit tests of :mod:`custom_components.bemmelhor.phone_numbers`.
"""

from hypothesis import given, strategies as st
import pytest

from custom_components.bemmelhor.phone_numbers import (
    format_number,
    library_national_number,
    number_key,
    plain_national_number,
    uncached_number_key,
)

MOBILE = "11987654321"
"""The key of (11) 98765-4321."""
LANDLINE = "1134567890"
"""The key of (11) 3456-7890."""


@pytest.mark.parametrize(
    ("written", "area_code"),
    [
        ("+55 11 98765-4321", ""),
        ("+5511987654321", ""),
        ("011987654321", ""),
        ("0 11 98765-4321", ""),
        ("(11) 98765-4321", ""),
        ("11 9 8765 4321", ""),
        ("0 15 11 98765 4321", ""),
        ("0 21 11 98765 4321", ""),
        ("0 17 11 98765 4321", ""),
        ("0xx11 98765-4321", ""),
        ("(11) 8765-4321", ""),
        ("011 8765-4321", ""),
        ("0 15 11 8765 4321", ""),
        ("+55 (11) 8765-4321", ""),
        ("+55 0 11 98765-4321", ""),
        ("00 15 55 11 98765 4321", ""),
        ("0055 11 98765 4321", ""),
        ("987654321", "11"),
        ("98765-4321", "11"),
        ("8765-4321", "11"),
    ],
)
def test_every_form_of_a_mobile_has_one_key(written: str, area_code: str) -> None:
    """Country code, trunk 0, carrier codes, old 8-digit form and a missing DDD."""
    assert number_key(written, area_code) == MOBILE


@pytest.mark.parametrize(
    ("written", "area_code"),
    [
        ("(11) 3456-7890", ""),
        ("+55 11 3456-7890", ""),
        ("011 3456-7890", ""),
        ("0 15 11 3456 7890", ""),
        ("3456-7890", "11"),
    ],
)
def test_every_form_of_a_landline_has_one_key(written: str, area_code: str) -> None:
    """A landline keeps its 8 digits: no ninth digit is added."""
    assert number_key(written, area_code) == LANDLINE


def test_landline_is_not_the_mobile_with_its_last_8_digits() -> None:
    """(11) 3456-7890 and (11) 93456-7890 are two numbers."""
    assert number_key("(11) 3456-7890") != number_key("(11) 93456-7890")


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("987654321", "987654321"),
        ("8765-4321", "987654321"),
        ("3456-7890", "34567890"),
    ],
)
def test_without_area_code_numbers_stay_without_ddd(written: str, key: str) -> None:
    """With no ``area_code``, a number without DDD is matched as it is."""
    assert number_key(written) == key


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("6001", "6001"),
        ("190", "190"),
        ("*72", "*72"),
        ("#31#", "#31#"),
        ("0800 123 4567", "8001234567"),
        ("+1 650 253 0000", "+16502530000"),
        ("0021 1 650 253 0000", "+16502530000"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_extensions_short_codes_and_other_countries(written: str, key: str) -> None:
    """Short numbers are taken as they are; foreign numbers keep their country."""
    assert number_key(written, "11") == key


@pytest.mark.parametrize(
    "written", ["", "  ", "Maria", "6001a", "=1+1", "1" * 21, "+", "tel:1234"]
)
def test_what_is_no_number(written: str) -> None:
    """Letters, formulas, nothing, or more than 20 digits: no key."""
    assert number_key(written) is None


@pytest.mark.parametrize(
    ("written", "formatted"),
    [
        ("011987654321", "(11) 98765-4321"),
        ("+55 11 8765-4321", "(11) 98765-4321"),
        ("987654321", "(11) 98765-4321"),
        ("1134567890", "(11) 3456-7890"),
        ("08001234567", "0800 123 4567"),
        ("+1 650 253 0000", "+1 650-253-0000"),
        ("6001", "6001"),
        ("1" * 20, "1" * 20),
        ("Maria", None),
    ],
)
def test_format_number(written: str, formatted: str | None) -> None:
    """Numbers are written the Brazilian way, with the area code filled in."""
    assert format_number(written, "11") == formatted


PLAIN_SHAPES = st.from_regex(
    r"\A0?[1-9]{2}(9[0-9]{8}|[2-9][0-9]{7})\Z|\A(9[0-9]{8}|[2-9][0-9]{7})\Z"
)


@given(PLAIN_SHAPES)
def test_plain_numbers_read_as_the_library_reads_them(digits: str) -> None:
    """The shortcut for usual numbers finds what ``phonenumbers`` finds."""
    assert plain_national_number(digits) == library_national_number(digits)


@given(st.from_regex(r"\A[1-9]{2}(9[0-9]{8}|[2-9][0-9]{7})\Z"))
def test_plain_numbers_after_country_code_read_as_the_library_reads_them(
    digits: str,
) -> None:
    """After ``+55`` too."""
    assert plain_national_number(digits) == library_national_number(f"+55{digits}")


@given(st.text(max_size=30))
def test_any_text_gives_a_key_or_none(text: str) -> None:
    """Nothing a contact or a PBX writes makes the key raise."""
    key = uncached_number_key(text, "11")

    assert key is None or 0 < len(key) <= 21
