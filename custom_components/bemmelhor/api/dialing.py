"""Validation of what goes into a request path, and destination normalisation.

Everything that ends up in a URL path segment passes through one of these
functions first: a refused value raises before any URL is built, so tricks
like ``6005/../../active/6001`` never reach the network.
"""

import re

from .exceptions import BemMelhorInvalidInputError, InvalidInputReason

MAX_DESTINATION_LENGTH = 20
"""Longest dial string accepted, before the outside-line prefix."""

MAX_PREFIX_LENGTH = 4
"""Longest outside-line prefix."""

MAX_DIAL_STRING_LENGTH = MAX_DESTINATION_LENGTH + MAX_PREFIX_LENGTH
"""Longest dial string the client sends."""

NATIONAL_NUMBER_MIN_LENGTH = 9
"""Numbers at least this long are outside lines and get the prefix."""

_EXTENSION = re.compile(r"[0-9]{2,8}")
_CALL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_DIAL_STRING = re.compile(r"[0-9*#]+")
_DIGITS = re.compile(r"[0-9]+")
_FORMATTING = re.compile(r"[\s\-.()]")
_BRAZIL = "+55"


def validate_extension(value: str) -> str:
    """Return an extension (ramal) of 2 to 8 digits, or raise."""
    value = value.strip()
    if not _EXTENSION.fullmatch(value):
        raise BemMelhorInvalidInputError(InvalidInputReason.INVALID_EXTENSION, value)
    return value


def validate_call_id(value: str) -> str:
    """Return a call id safe to put in a path segment, or raise."""
    value = value.strip()
    if not _CALL_ID.fullmatch(value) or ".." in value:
        raise BemMelhorInvalidInputError(InvalidInputReason.INVALID_CALL_ID, value)
    return value


def validate_dial_string(value: str) -> str:
    """Return a dial string (digits, ``*``, ``#``) as the PBX receives it, or raise."""
    if not _DIAL_STRING.fullmatch(value) or len(value) > MAX_DIAL_STRING_LENGTH:
        raise BemMelhorInvalidInputError(InvalidInputReason.INVALID_CHARACTERS, value)
    return value


def normalize_destination(raw: str, outside_line_prefix: str = "0") -> str:
    """Turn what a person typed into the dial string the PBX expects.

    Formatting (spaces, dashes, dots, parentheses) is dropped; ``+55`` becomes
    a national number; a number of 9 or more digits that does not start with
    the outside-line prefix gets it; extensions, short codes and ``*``/``#``
    sequences are dialled as they are. Anything else raises
    :class:`BemMelhorInvalidInputError` with a reason code.
    """
    if ".." in raw:
        raise BemMelhorInvalidInputError(InvalidInputReason.INVALID_CHARACTERS, raw)
    number = _FORMATTING.sub("", raw)
    if not number:
        raise BemMelhorInvalidInputError(InvalidInputReason.EMPTY, raw)
    if number.startswith("+"):
        if not number.startswith(_BRAZIL):
            raise BemMelhorInvalidInputError(InvalidInputReason.INTERNATIONAL, raw)
        number = number.removeprefix(_BRAZIL)
        if not _DIGITS.fullmatch(number):
            raise BemMelhorInvalidInputError(InvalidInputReason.INVALID_CHARACTERS, raw)
    if not _DIAL_STRING.fullmatch(number):
        raise BemMelhorInvalidInputError(InvalidInputReason.INVALID_CHARACTERS, raw)
    if len(number) > MAX_DESTINATION_LENGTH:
        raise BemMelhorInvalidInputError(InvalidInputReason.TOO_LONG, raw)
    if (
        _DIGITS.fullmatch(number)
        and len(number) >= NATIONAL_NUMBER_MIN_LENGTH
        and not number.startswith(outside_line_prefix)
    ):
        number = outside_line_prefix + number
    return number
