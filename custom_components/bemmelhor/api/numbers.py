"""Phone numbers as the PBX sends them, read into the form its page shows.

The page writes extensions as bare digits (``6001``) and outside numbers
nationally with the trunk ``0`` (``032999999999``). A PBX may also send
``+55 32 99999-9999``, ``032 99999 9999`` or an Asterisk channel such as
``SIP/6001`` (``SIP/6001-00000002``): each is read into the page's form, and
noted as another format. Anything that is no number (``h``, ``anonymous``)
is kept as sent.
"""

import re

from .oddities import NoteOddity, Oddity, OddityKind, ignore

_TECHNOLOGY = re.compile(
    r"(?:SIP|PJSIP|IAX2|DAHDI|LOCAL)/(?P<peer>[^-@/]+)(?:-[0-9A-Fa-f]{1,8})?",
    re.IGNORECASE,
)
_FORMATTING = re.compile(r"[\s\-.()]+")
_DIALABLE = re.compile(r"\+?[0-9*#]+")
_BRAZIL = "+55"
TRUNK_PREFIX = "0"
"""Brazil's national prefix, which the PBX writes before an area code."""


def read_number(value: str, where: str, note: NoteOddity = ignore) -> str:
    """Return a number in the page's form; note it when it was written otherwise."""
    if value.isdigit() and value.isascii():
        return value  # the page's form, as nearly every number comes
    number = value.strip()
    if (channel := _TECHNOLOGY.fullmatch(number)) is not None:
        number = channel["peer"]
    number = _FORMATTING.sub("", number)
    if not _DIALABLE.fullmatch(number):
        return value
    if number.startswith(_BRAZIL):
        number = TRUNK_PREFIX + number.removeprefix(_BRAZIL)
    if number != value:
        note(Oddity(OddityKind.OTHER_FORMAT, where, value))
    return number
