"""What the PBX sent that its one page of documentation does not show.

The provider documents four example answers and two webhook bodies; anything
else a real PBX sends is read as well as it can be (see the parsers) and
*noted*: each parser takes a ``note`` callable and hands it an
:class:`Oddity` for every reading it had to guess. A receiver that wants to
learn what its PBX really says (the integration's diagnostics) collects
them; by default they are dropped. An oddity holds the value as sent, which
may be personal data: mask it before showing it anywhere.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class OddityKind(StrEnum):
    """What kind of difference from the provider's page was seen."""

    UNREADABLE = "unreadable"
    """A body or answer no reading explains (refused)."""
    UNKNOWN_EVENT = "unknown_event"
    UNKNOWN_DISPOSITION = "unknown_disposition"
    UNKNOWN_CHANNEL_STATE = "unknown_channel_state"
    UNKNOWN_API_STATUS = "unknown_api_status"
    EXTRA_FIELD = "extra_field"
    MISSING_FIELD = "missing_field"
    WRONG_TYPE = "wrong_type"
    """A field of another JSON type than the page shows (still read)."""
    OTHER_FORMAT = "other_format"
    """A value written another way than the page shows (still read)."""


@dataclass(frozen=True, slots=True)
class Oddity:
    """One difference: its kind, where (a field path such as ``data.to``), what."""

    kind: OddityKind
    where: str
    value: object = field(default=None, compare=False)
    """What was there, as sent (None for a missing field)."""


type NoteOddity = Callable[[Oddity], object]
"""Takes the oddities a parser finds."""


def ignore(_oddity: Oddity) -> None:
    """Drop an oddity: the default of every parser."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Received:
    """One raw exchange with the PBX, for whoever keeps samples of them.

    ``source`` is ``webhook`` or the endpoint (``call``, ``status``,
    ``active``); ``status`` the HTTP status the PBX answered (for a webhook:
    the one the receiver answered); ``body`` the raw bytes as received.
    """

    source: str
    status: int | None
    content_type: str | None
    body: bytes
    oddities: tuple[Oddity, ...] = ()


type ObserveReceived = Callable[[Received], object]
"""Takes every raw exchange the client has with the PBX."""

MAX_NOTED_FIELDS = 8
"""At most this many extra or missing fields are noted per object."""


def note_fields(
    note: NoteOddity,
    prefix: str,
    present: Mapping[str, object],
    expected: frozenset[str],
    *,
    required: frozenset[str] = frozenset(),
    not_null: bool = False,
) -> None:
    """Note the keys of an object the page does not show, and those it lacks.

    ``required`` are the keys whose absence (with ``not_null``: or null
    value) is noted, a subset of ``expected``; ``prefix`` names the object
    (``data.``, or empty).
    """
    extra = [key for key in present if key not in expected]
    for key in extra[:MAX_NOTED_FIELDS]:
        note(Oddity(OddityKind.EXTRA_FIELD, f"{prefix}{key}", present[key]))
    for key in sorted(required):
        if key not in present or (not_null and present[key] is None):
            note(Oddity(OddityKind.MISSING_FIELD, f"{prefix}{key}"))
