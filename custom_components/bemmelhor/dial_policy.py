"""Where Home Assistant may make an extension call: the toll-fraud guard.

The options hold the kinds of destinations allowed (:mod:`.destination_kinds`)
and two optional lists of prefixes. A destination is refused when

1. one of its forms starts with an always-refused prefix; else it is allowed when
2. one of its forms starts with an always-allowed prefix; else
3. its kind is allowed, and so is every number a service code carries.

A form is the number as the PBX dials it, without the outside-line prefix,
or its key (DDD + number, ``+`` and the country code abroad): ``0900``,
``900`` and ``+351`` all work as prefixes. The default suits a Brazilian
office: extensions, short codes (190, 192…), the PBX's service codes, local
and long-distance calls, mobiles, toll-free ``0800`` and shared-cost numbers
(``0300``, ``0303``, ``3003``, ``400x``: banks and customer services, paid
like a call to a landline) are allowed; premium-rate (``0900``, ``0500``),
international calls and numbers the library does not know are refused.

No Home Assistant import: this module is pure.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import re
from typing import Any, Final, Self

from .const import (
    CONF_ALLOWED_DESTINATIONS,
    CONF_ALLOWED_PREFIXES,
    CONF_REFUSED_PREFIXES,
)
from .destination_kinds import Destination, DestinationKind

DEFAULT_ALLOWED_DESTINATIONS: Final = (
    DestinationKind.EXTENSIONS,
    DestinationKind.SHORT_CODES,
    DestinationKind.SERVICE_CODES,
    DestinationKind.LOCAL,
    DestinationKind.NATIONAL,
    DestinationKind.MOBILE,
    DestinationKind.TOLL_FREE,
    DestinationKind.SHARED_COST,
)
MAX_PREFIXES = 50
MAX_PREFIX_LENGTH = 20

_PREFIX = re.compile(rf"\+?[0-9*#]{{1,{MAX_PREFIX_LENGTH}}}")
_FORMATTING = re.compile(r"[\s\-.()]")
_SEPARATORS = re.compile(r"[,;\n]+")
_KINDS = frozenset(DestinationKind)
_MASK_KEPT = 4
"""Characters of a number kept in the log: enough to tell 0800 from 0900."""


class InvalidPrefixError(ValueError):
    """A prefix that is not digits (a leading ``+``, ``*`` and ``#`` allowed)."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a destination is refused: its kind, or an always-refused prefix."""

    kind: DestinationKind | None = None
    prefix: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DialPolicy:
    """The destinations an entry lets Home Assistant dial."""

    allowed: frozenset[DestinationKind] = frozenset(DEFAULT_ALLOWED_DESTINATIONS)
    allowed_prefixes: tuple[str, ...] = ()
    refused_prefixes: tuple[str, ...] = ()

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Self:
        """Read an entry's options; missing ones are the defaults."""
        kinds = options.get(CONF_ALLOWED_DESTINATIONS, DEFAULT_ALLOWED_DESTINATIONS)
        if not isinstance(kinds, list | tuple):
            kinds = DEFAULT_ALLOWED_DESTINATIONS
        return cls(
            allowed=frozenset(
                DestinationKind(kind)
                for kind in kinds
                if isinstance(kind, str) and kind in _KINDS
            ),
            allowed_prefixes=tuple(_stored_prefixes(options, CONF_ALLOWED_PREFIXES)),
            refused_prefixes=tuple(_stored_prefixes(options, CONF_REFUSED_PREFIXES)),
        )

    def refusal(self, destination: Destination) -> Refusal | None:
        """Return why ``destination`` is refused; None when it may be dialled."""
        every = (destination, *destination.carried)
        for each in every:
            if prefix := _starting(each.forms, self.refused_prefixes):
                return Refusal(prefix=prefix)
        for each in every:
            if _starting(each.forms, self.allowed_prefixes):
                if each is destination:
                    return None
                continue
            if each.kind not in self.allowed:
                return Refusal(kind=each.kind)
        return None


def _starting(forms: Iterable[str], prefixes: Iterable[str]) -> str | None:
    """Return the first prefix one of the forms starts with."""
    for prefix in prefixes:
        if any(form.startswith(prefix) for form in forms):
            return prefix
    return None


def _stored_prefixes(options: Mapping[str, Any], key: str) -> list[str]:
    """Return the valid prefixes stored under ``key`` (stored data is untrusted)."""
    stored = options.get(key)
    if not isinstance(stored, list):
        return []
    return [
        prefix
        for prefix in stored
        if isinstance(prefix, str) and _PREFIX.fullmatch(prefix)
    ]


def parse_prefixes(text: str) -> list[str]:
    """Split prefixes typed separated by commas, semicolons or lines.

    Spaces, dashes, dots and parentheses are formatting. Raises
    :class:`InvalidPrefixError` for anything else, or too many of them.
    """
    prefixes: list[str] = []
    for part in _SEPARATORS.split(text):
        prefix = _FORMATTING.sub("", part)
        if not prefix:
            continue
        if not _PREFIX.fullmatch(prefix):
            raise InvalidPrefixError(part.strip())
        if prefix not in prefixes:
            prefixes.append(prefix)
    if len(prefixes) > MAX_PREFIXES:
        raise InvalidPrefixError(f"more than {MAX_PREFIXES}")
    return prefixes


def mask_number(number: str) -> str:
    """Return a number for the log: its first four characters, the rest masked."""
    kept = number[:_MASK_KEPT]
    return kept + re.sub(r"[0-9]", "x", number[_MASK_KEPT:])
