"""Numbers as speech-to-text writes them: ``11 98765 4321``, ``seis zero zero um``.

A voice assistant hears a phone number or an extension as digits in groups,
with the formatting people type (``(11) 98765-4321``), or as digit words,
one per digit (Brazilians say ``meia`` for six). This module turns either
into digits, and says no to anything else: a name stays a name. No Home
Assistant import: this module is pure.
"""

import re
from typing import Final

_DIGIT_WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "zero": "0",
        "oh": "0",
        "o": "0",
        "one": "1",
        "two": "2",
        "three": "3",
        "four": "4",
        "five": "5",
        "six": "6",
        "seven": "7",
        "eight": "8",
        "nine": "9",
    },
    "pt": {
        "zero": "0",
        "um": "1",
        "uma": "1",
        "dois": "2",
        "duas": "2",
        "três": "3",
        "tres": "3",
        "quatro": "4",
        "cinco": "5",
        "seis": "6",
        "meia": "6",
        "sete": "7",
        "oito": "8",
        "nove": "9",
    },
}
_SEPARATORS = re.compile(r"[\s,;.\-()/]+")
_GROUP = re.compile(r"\+?[0-9]+")


def spoken_digits(text: str, language: str) -> str | None:
    """Return the digits ``text`` says (a leading ``+`` kept), or None.

    Every part must be a group of digits or a digit word of ``language``
    (English or Portuguese); a single other word makes it no number.
    """
    words = _DIGIT_WORDS.get(language.partition("-")[0].casefold(), {})
    digits: list[str] = []
    for part in _SEPARATORS.split(text.strip().casefold()):
        if not part:
            continue
        if _GROUP.fullmatch(part) and (not part.startswith("+") or not digits):
            digits.append(part)
        elif part in words:
            digits.append(words[part])
        else:
            return None
    return "".join(digits) or None


def has_letters(text: str) -> bool:
    """Return whether ``text`` holds a letter (a name, not a dial string)."""
    return any(char.isalpha() for char in text)
