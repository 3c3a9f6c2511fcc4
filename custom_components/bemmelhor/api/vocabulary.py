"""The PBX's words: channel states, dispositions, ``apiStatus``, dates.

Each is read in any case and spelling the PBX might use; a word read another
way than the provider's page (or the Asterisk documentation it follows)
writes it is noted as another format, a word not known at all as unknown.
"""

from datetime import UTC, datetime
from enum import StrEnum

from .oddities import NoteOddity, Oddity, OddityKind, ignore
from .untrusted import is_text

MAX_DATE_LENGTH = 64
"""Longer than any ISO-8601 date; longer strings are not parsed at all."""

EPOCH_SECONDS_BELOW = 10**11
"""Epoch numbers below this are seconds (until the year 5138), others milliseconds."""


def _word(value: str) -> str:
    """Return a word as the page writes words: upper case, ``_`` between parts."""
    return value.strip().upper().replace(" ", "_").replace("-", "_")


class ChannelState(StrEnum):
    """Asterisk channel states, as ``/api/active`` reports them."""

    DOWN = "DOWN"
    RSRVD = "RSRVD"
    OFFHOOK = "OFFHOOK"
    DIALING = "DIALING"
    RING = "RING"
    RINGING = "RINGING"
    UP = "UP"
    BUSY = "BUSY"
    DIALING_OFFHOOK = "DIALING_OFFHOOK"
    PRERING = "PRERING"
    UNKNOWN = "UNKNOWN"

    @classmethod
    def parse(cls, value: object, note: NoteOddity = ignore) -> ChannelState:
        """Map the server's spelling (any case, spaces, Asterisk's ``Pre-ring``)."""
        if not isinstance(value, str):
            note(Oddity(OddityKind.UNKNOWN_CHANNEL_STATE, "data.state", value))
            return cls.UNKNOWN
        word = _word(value)
        try:
            state = cls({"PRE_RING": "PRERING"}.get(word, word))
        except ValueError:
            state = cls.UNKNOWN
        if state is cls.UNKNOWN:
            note(Oddity(OddityKind.UNKNOWN_CHANNEL_STATE, "data.state", value))
        elif value != state.value:
            note(Oddity(OddityKind.OTHER_FORMAT, "data.state", value))
        return state


class Disposition(StrEnum):
    """How a call ended (Asterisk CDR dispositions, normalised)."""

    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"
    CONGESTION = "congestion"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: str | None, note: NoteOddity = ignore) -> Disposition | None:
        """Map ``ANSWERED``, ``NO ANSWER``… to a member; None stays None."""
        if value is None:
            return None
        if (written := PAGE_DISPOSITIONS.get(value)) is not None:
            return written
        try:
            disposition = cls(_word(value).lower())
        except ValueError:
            disposition = cls.UNKNOWN
        kind = (
            OddityKind.UNKNOWN_DISPOSITION
            if disposition is cls.UNKNOWN
            else OddityKind.OTHER_FORMAT
        )
        note(Oddity(kind, "data.disposition", value))
        return disposition


PAGE_DISPOSITIONS = {
    disposition.value.upper().replace("_", " "): disposition
    for disposition in Disposition
    if disposition is not Disposition.UNKNOWN
}
"""Dispositions as Asterisk (and the page) write them: ``NO ANSWER``."""


PAGE_API_STATUSES = frozenset({"SUCCESS", "CONECTION_OK"})
"""``apiStatus`` as the page writes it (the server spells one ``CONECTION``)."""
ERROR_API_STATUS = "ERROR"
"""What the integration takes a refusal to look like (the page shows none)."""
SUCCESS_STATUSES = frozenset({"SUCCESS", "CONECTION_OK", "CONNECTION_OK"})
"""``apiStatus`` values that mean success, in any case and spelling."""


def api_status_ok(value: str, note: NoteOddity = ignore) -> bool:
    """Return whether an ``apiStatus`` means success; note other words."""
    word = _word(value)
    if value not in PAGE_API_STATUSES and value != ERROR_API_STATUS:
        kind = (
            OddityKind.OTHER_FORMAT
            if word in SUCCESS_STATUSES or word == ERROR_API_STATUS
            else OddityKind.UNKNOWN_API_STATUS
        )
        note(Oddity(kind, "apiStatus", value))
    return word in SUCCESS_STATUSES


def parse_datetime(value: object) -> datetime | None:
    """Parse an ISO date (``+0000`` offsets too) or an epoch number, in UTC.

    Epoch numbers are milliseconds (the webhook's format) or, when too
    small for that, seconds. The one date parser of the client: it reads only
    checked text (see :mod:`.untrusted`) with the standard library, never a
    C parser that has not been shown safe on arbitrary strings. None when it
    is no date.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            seconds = value if abs(value) < EPOCH_SECONDS_BELOW else value / 1000
            return datetime.fromtimestamp(seconds, tz=UTC)
        except OverflowError, OSError, ValueError:
            return None
    if not isinstance(value, str) or len(value) > MAX_DATE_LENGTH or not is_text(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except OverflowError, ValueError:
        return None


def note_date_format(
    value: object, where: str, epoch: bool, note: NoteOddity = ignore
) -> None:
    """Note a date written otherwise than the page's (epoch ms, or ISO text)."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        if not epoch or abs(value) < EPOCH_SECONDS_BELOW:
            note(Oddity(OddityKind.OTHER_FORMAT, where, value))
    elif isinstance(value, str) and epoch:
        note(Oddity(OddityKind.OTHER_FORMAT, where, value))
