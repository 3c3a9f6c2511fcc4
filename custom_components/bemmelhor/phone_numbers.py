"""Brazilian phone numbers: one key for every way the same number is written.

The ``phonenumbers`` library (region BR) reads ``+55``, the trunk ``0``, the
carrier selection codes it knows and formatting. On top of it, this module
adds what Brazilian phone books and PBXs need and the library does not do:

- carrier selection codes the library does not know (``0 17 11 …``: any
  two digits between the trunk ``0`` and the DDD);
- international calls dialled the Brazilian way (``00`` + carrier + country);
- the PBX's area code (DDD) for numbers written without one;
- old 8-digit mobile numbers (first digit 6-9), which are their 9-digit
  form with a leading ``9`` since 2016.

Two numbers are the same when their keys are equal. A key is the national
number (DDD + subscriber) for Brazilian numbers, ``+`` and the full number
for other countries, and the number itself for extensions and short codes.
No Home Assistant import: this module is pure.
"""

from functools import lru_cache
import re

import phonenumbers

REGION = "BR"
COUNTRY_CODE = 55

MAX_DIGITS = 20
"""Longest number read, as the dialler (``normalize_destination``) accepts."""

SUBSCRIBER_LENGTHS = (8, 9)
"""A number of this many digits has no DDD."""
SHORTEST_SUBSCRIBER = 8
"""Shorter numbers (extensions, short codes such as 190) are taken as they are."""
_OLD_MOBILE_FIRST_DIGITS = frozenset("6789")
"""First digits of 8-digit mobile numbers before the ninth digit (2012-2016)."""

_FORMATTING = re.compile(r"[\s\-.()\[\]]")
_OLD_TRUNK = re.compile(r"^0\s*xx\s*", re.IGNORECASE)
"""``0xx11``: how area codes were once written, before the carrier code."""
_NUMBER = re.compile(r"\+?[0-9]+")
_DIAL_CODE = re.compile(r"[0-9]*[*#][0-9*#]*")
_CARRIER_AND_DDD_LENGTHS = (13, 14)
"""``0`` + carrier (2) + DDD (2) + subscriber (8 or 9)."""
_INTERNATIONAL_ACCESS = "00"
_BRAZIL = f"+{COUNTRY_CODE}"
_PLAIN = re.compile(
    r"0?([1-9]{2}(?:9[0-9]{8}|[2-9][0-9]{7}))|(9[0-9]{8}|[2-9][0-9]{7})"
)
"""[0] DDD (no 0 digit) + mobile (9 + 8 digits) or landline/old mobile; or those alone."""
_CACHE_SIZE = 4096


def clean_number(raw: str) -> str | None:
    """Return a number without formatting (``+`` kept); None when it is no number.

    Spaces, dashes, dots, brackets and parentheses are formatting;
    ``*`` and ``#`` are kept for short codes. Letters, or more than 20 digits,
    make it no number.
    """
    cleaned = _FORMATTING.sub("", _OLD_TRUNK.sub("0", raw.strip()))
    if not cleaned or len(cleaned.lstrip("+")) > MAX_DIGITS:
        return None
    if _NUMBER.fullmatch(cleaned) or _DIAL_CODE.fullmatch(cleaned):
        return cleaned
    return None


@lru_cache(maxsize=_CACHE_SIZE)
def number_key(raw: str, area_code: str = "") -> str | None:
    """Return the key of a number (see the module), remembering recent ones.

    For lookups of numbers as calls bring them: the same few numbers come
    again and again. Building an index uses :func:`uncached_number_key`.
    """
    return uncached_number_key(raw, area_code)


def uncached_number_key(raw: str, area_code: str = "") -> str | None:
    """Return the key of a number; None when it is no number.

    ``area_code`` (two digits, or empty) is the DDD of numbers written
    without one; empty leaves them as they are.
    """
    cleaned = clean_number(raw)
    if cleaned is None or not _NUMBER.fullmatch(cleaned):
        return cleaned  # None, or a short code with * or #
    if not cleaned.startswith("+") and len(cleaned) < SHORTEST_SUBSCRIBER:
        return cleaned  # an extension or a short code
    national = _national(cleaned)
    if national.startswith("+"):
        return national
    if len(national) in SUBSCRIBER_LENGTHS and area_code:
        national = area_code + national
    return _ninth_digit(national)


def _national(number: str) -> str:
    """Return the national number of a number of digits (``+`` first allowed)."""
    if number.startswith(_BRAZIL):
        brazilian = number.removeprefix(_BRAZIL)
        if not brazilian.startswith("0") and (
            plain := plain_national_number(brazilian)
        ):
            return plain
        return library_national_number(number)
    if number.startswith("+"):
        return library_national_number(number)
    if number.startswith(_INTERNATIONAL_ACCESS):
        return library_national_number(f"+{_international(number)}")
    if number.startswith("0") and len(number) in _CARRIER_AND_DDD_LENGTHS:
        number = number[3:]  # 0 + a carrier code the library may not know
    return plain_national_number(number) or library_national_number(number)


def _international(digits: str) -> str:
    """Return country code and number of a call dialled ``00`` + carrier + country.

    ``0055`` followed by a national number is Brazil written without a
    carrier (as other countries dial it).
    """
    rest = digits.removeprefix(_INTERNATIONAL_ACCESS)
    if rest.startswith(str(COUNTRY_CODE)) and len(rest) - 2 in (10, 11):
        return rest
    return rest[2:]


def plain_national_number(digits: str) -> str | None:
    """Return the national number of a number of the usual shapes, without the library.

    The shapes (a DDD, or the trunk 0 and a DDD, before a mobile or landline
    number, or such a number alone) are the numbers calls bring; for them
    the library finds the same national number (a test holds it to that),
    only 20 times slower. None for any other shape.
    """
    if match := _PLAIN.fullmatch(digits):
        return match[1] or match[2]
    return None


def library_national_number(number: str) -> str:
    """Return the national number of a Brazilian number, ``+…`` of a foreign one.

    What the library cannot read stays as it was written (digits only).
    """
    try:
        parsed = phonenumbers.parse(number, REGION)
    except phonenumbers.NumberParseException:
        return number.lstrip("+")
    if parsed.country_code != COUNTRY_CODE:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return str(parsed.national_number)


def _ninth_digit(national: str) -> str:
    """Return a mobile number in its 9-digit form (``11 8765-4321`` → ``11 98765-4321``)."""
    if len(national) == 10 and national[2] in _OLD_MOBILE_FIRST_DIGITS:
        return f"{national[:2]}9{national[2:]}"
    if len(national) == 8 and national[0] in _OLD_MOBILE_FIRST_DIGITS:
        return f"9{national}"
    return national


def format_number(raw: str, area_code: str = "") -> str | None:
    """Return a number as Brazilians write it: ``(11) 98765-4321``.

    Foreign numbers are written internationally (``+44 20 7946 0958``);
    extensions and short codes as they are. None when it is no number.
    """
    key = number_key(raw, area_code)
    if key is None or len(key) < SHORTEST_SUBSCRIBER or not _NUMBER.fullmatch(key):
        return key
    try:
        parsed = phonenumbers.parse(key, REGION)
    except phonenumbers.NumberParseException:
        return key
    if parsed.country_code != COUNTRY_CODE:
        return phonenumbers.format_number(
            parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
