"""What a dialled number is: an extension, a local call, a mobile, 0800, abroad.

Who may dial where (:mod:`.dial_policy`) is decided by these kinds. They come
from the ``phonenumbers`` library's reading of Brazilian numbers (number
types, short-number costs) through :mod:`.phone_numbers`' keys, not from
prefix lists: ``0800`` is toll-free; ``0300``, ``0303``, ``3003`` and
``400x`` are shared-cost; ``0900`` and ``0500`` are premium-rate, because
the library's metadata says so. What the library cannot know is decided here:

- a configured extension, or a number of 2 to 7 digits that is no Brazilian
  short number (190, 192, 102…), is one of the PBX's own numbers;
- a code with ``*`` or ``#`` is a service code of the PBX; the numbers it
  carries are read as well (``*72`` + a number forwards calls there): each
  run of 8 or more digits, also without its first one to three digits (the
  feature code may run into the number), and every reading the library
  recognises counts;
- a number without an area code (DDD) is in the PBX's area;
- the outside-line prefix is taken off first; a ``0`` prefix stays, as it
  is the trunk ``0`` of a Brazilian number (``00`` is then abroad).

No Home Assistant import: this module is pure.
"""

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
import re

import phonenumbers
from phonenumbers import PhoneNumberType, shortnumberinfo

from .phone_numbers import REGION, SHORTEST_SUBSCRIBER, SUBSCRIBER_LENGTHS, number_key

_ANY_AREA_CODE = "11"
"""Asked with a number that has no DDD: a number's type is the same in every area."""
_CARRIED_NUMBER = re.compile(rf"[0-9]{{{SHORTEST_SUBSCRIBER},}}")
_FEATURE_CODE_DIGITS = 3
"""Digits of a feature code that may run into the number it carries."""
_TRUNK_PREFIX = "0"


class DestinationKind(StrEnum):
    """The kinds of destinations the options allow or refuse."""

    EXTENSIONS = "extensions"
    SHORT_CODES = "short_codes"
    SERVICE_CODES = "service_codes"
    LOCAL = "local"
    NATIONAL = "national"
    MOBILE = "mobile"
    TOLL_FREE = "toll_free"
    SHARED_COST = "shared_cost"
    PREMIUM_RATE = "premium_rate"
    INTERNATIONAL = "international"
    OTHER = "other"
    """A number the library does not know (or knows as pager, VoIP…)."""


_LIBRARY_KINDS = {
    PhoneNumberType.MOBILE: DestinationKind.MOBILE,
    PhoneNumberType.TOLL_FREE: DestinationKind.TOLL_FREE,
    PhoneNumberType.SHARED_COST: DestinationKind.SHARED_COST,
    PhoneNumberType.PREMIUM_RATE: DestinationKind.PREMIUM_RATE,
}
_SHORT_COSTS = {
    shortnumberinfo.ShortNumberCost.PREMIUM_RATE: DestinationKind.PREMIUM_RATE
}
"""Short numbers are short codes, unless the library knows them as paid lines."""
_FIXED_LINES = frozenset(
    {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


@dataclass(frozen=True, slots=True)
class Destination:
    """A dial string read: its kind and the ways it can be written."""

    kind: DestinationKind
    forms: tuple[str, ...]
    """The dial string, the number without the outside-line prefix and its
    key (DDD + number, or ``+`` and the country code abroad): what the
    options' prefixes are compared with."""
    carried: tuple[Destination, ...] = ()
    """The numbers a service code carries."""


def read_destination(
    dial_string: str,
    *,
    outside_line_prefix: str = _TRUNK_PREFIX,
    area_code: str = "",
    extensions: Collection[str] = (),
) -> Destination:
    """Read a dial string (digits, ``*``, ``#``) as the PBX receives it."""
    if dial_string in extensions:
        return Destination(DestinationKind.EXTENSIONS, (dial_string,))
    if not (dial_string.isascii() and dial_string.isdigit()):
        carried = tuple(
            reading
            for digits in _CARRIED_NUMBER.findall(dial_string)
            for reading in _readings(digits, outside_line_prefix, area_code)
        )
        return Destination(DestinationKind.SERVICE_CODES, (dial_string,), carried)
    number = _without_prefix(dial_string, outside_line_prefix)
    if len(number) < SHORTEST_SUBSCRIBER:
        return Destination(_short_kind(number), (dial_string,))
    key = number_key(number, area_code) or number
    forms = tuple(dict.fromkeys((dial_string, number, key)))
    return Destination(_kind(number, area_code), forms)


def _readings(digits: str, prefix: str, area_code: str) -> list[Destination]:
    """Return the readings of a service code's run of digits the library recognises.

    None recognised: the run is a number of no known kind.
    """
    readings = [
        read_destination(digits[skip:], outside_line_prefix=prefix, area_code=area_code)
        for skip in range(_FEATURE_CODE_DIGITS + 1)
        if len(digits) - skip >= SHORTEST_SUBSCRIBER
    ]
    known = [each for each in readings if each.kind is not DestinationKind.OTHER]
    return known or readings[:1]


def _without_prefix(dial_string: str, prefix: str) -> str:
    """Take the outside-line prefix off (not the trunk ``0``)."""
    if (
        prefix
        and prefix != _TRUNK_PREFIX
        and dial_string.startswith(prefix)
        and len(dial_string) - len(prefix) >= SHORTEST_SUBSCRIBER
    ):
        return dial_string.removeprefix(prefix)
    return dial_string


def _short_kind(number: str) -> DestinationKind:
    """Return the kind of a number shorter than a subscriber number."""
    try:
        parsed = phonenumbers.parse(number, REGION)
    except phonenumbers.NumberParseException:
        return DestinationKind.OTHER
    if not shortnumberinfo.is_valid_short_number_for_region(parsed, REGION):
        return DestinationKind.EXTENSIONS
    cost = shortnumberinfo.expected_cost_for_region(parsed, REGION)
    return _SHORT_COSTS.get(cost, DestinationKind.SHORT_CODES)


def _kind(number: str, area_code: str) -> DestinationKind:
    """Return the kind of a number of subscriber length or longer.

    The number is read without the area code first: ``4004 1234`` is a
    shared-cost number everywhere, not a line of the PBX's area.
    """
    key = number_key(number)
    if key is None:
        return DestinationKind.OTHER
    if key.startswith("+"):
        return DestinationKind.INTERNATIONAL
    number_type = _library_type(key)
    in_area = bool(area_code) and key.startswith(area_code)
    if number_type is None and len(key) in SUBSCRIBER_LENGTHS:
        number_type = _library_type((area_code or _ANY_AREA_CODE) + key)
        in_area = True
    if number_type is None:
        return DestinationKind.OTHER
    if number_type in _FIXED_LINES:
        return DestinationKind.LOCAL if in_area else DestinationKind.NATIONAL
    return _LIBRARY_KINDS.get(number_type, DestinationKind.OTHER)


def _library_type(key: str) -> int | None:
    """Return the library's type of a Brazilian national number; None if invalid."""
    try:
        parsed = phonenumbers.parse(key, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    number_type: int = phonenumbers.number_type(parsed)
    return number_type
