"""Masking what the PBX sent, so that its shape survives and no personal data does.

Numbers keep their length, their separators and a leading ``0`` or ``+``;
every digit becomes ``#``. Caller names and client ids keep only their
shape (letters become ``a``/``A``). Call ids keep their last three
characters. Other text keeps its words, except digits and any word of a
contact's name, the client id or the host. Dates keep their format and time
zone (``####-##-##T##:##:##.###+0000``), numbers of four digits or more
their length (``int:#############``, an epoch in milliseconds). Nothing here
imports Home Assistant.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import json
import math
import re
from typing import Any
from urllib.parse import parse_qsl

from .api import is_text, parse_datetime

MAX_TEXT = 200
"""Longer strings are cut (their length is told)."""
MAX_BODY_TEXT = 500
"""Of a body that is no JSON, at most this much is shown."""
MAX_ITEMS = 30
MAX_DEPTH = 6
CALL_ID_TAIL = 3
SMALL_NUMBER = 1000
"""Integers below this are kept (and floats with no four digits in a row)."""

NUMBER_KEYS = frozenset({"from", "to", "number"})
SHAPE_KEYS = frozenset({"clientId", "client_id"})
CALL_ID_KEYS = frozenset({"callId", "key", "id"})
DATE_KEYS = frozenset({"created", "dateOfCreation"})
CALLER_ID = "callerId"

_WORD = re.compile(r"\w+")
_WORD_OR_NOT = re.compile(r"\w+|\W+")
_ZONE = re.compile(r"(?:Z|[+-][0-9]{2}:?[0-9]{2})\s*$")
_DIGIT_RUN = re.compile(r"[0-9]{3}")
_FOUR_DIGITS = re.compile(r"[0-9]{4}")
_CONTENT_TYPE = re.compile(
    r"[a-z]{1,20}/[a-z0-9.+-]{1,40}(?:; ?[a-z-]{1,20}=[a-z0-9.-]{1,20}){0,2}",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Secrets:
    """Words that are personal wherever they appear (case-insensitive)."""

    words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, texts: Iterable[str | None]) -> Secrets:
        """Take the words (three letters or more) of names, client ids, hosts."""
        return cls(
            frozenset(
                word
                for text in texts
                if text
                for word in _WORD.findall(text.casefold())
                if len(word) >= 3
            )
        )


def _valid(text: str) -> str:
    """Cut text short; replace what is no text (lone surrogates, NUL) with U+FFFD."""
    length = len(text)
    if length > MAX_TEXT:
        text = text[:MAX_TEXT]
    if not is_text(text):
        text = "".join(
            char if char != "\x00" and not 0xD800 <= ord(char) <= 0xDFFF else "\ufffd"
            for char in text
        )
    return f"{text}… ({length} characters)" if length > MAX_TEXT else text


def _shape(text: str) -> str:
    """Keep only the shape: letters become ``a``/``A``, digits ``#``."""
    return "".join(
        ("A" if char.isupper() else "a")
        if char.isalpha()
        else "#"
        if char.isdigit()
        else char
        for char in text
    )


def mask_text(text: str, secrets: Secrets) -> str:
    """Keep words; mask digits, and words of ``secrets`` entirely."""
    return "".join(
        _shape(part) if part.casefold() in secrets.words else _shape_digits(part)
        for part in _WORD_OR_NOT.findall(_valid(text))
    )


def _shape_digits(text: str) -> str:
    return "".join("#" if char.isdigit() else char for char in text)


def mask_number(text: str, secrets: Secrets) -> str:
    """Mask a number: digits become ``#``; a leading ``0`` or ``+`` stays."""
    text = _valid(text)
    if text[:1] in ("0", "+"):
        return text[0] + mask_text(text[1:], secrets)
    return mask_text(text, secrets)


def mask_content_type(text: str, secrets: Secrets) -> str:
    """Keep a media type as it is (``text/plain; charset=utf-8``), else mask it."""
    if _CONTENT_TYPE.fullmatch(text) and not _DIGIT_RUN.search(text):
        return text
    return mask_text(text, secrets)


def mask_call_id(text: str) -> str:
    """Keep a call id's tail, enough to find it among a few."""
    return f"…{_valid(text)[-CALL_ID_TAIL:]}"


def _mask_scalar(key: str, value: object, parent: str, secrets: Secrets) -> object:
    """Mask a string or number by the field it is in."""
    if isinstance(value, str):
        if key in NUMBER_KEYS:
            return mask_number(value, secrets)
        if key in SHAPE_KEYS or (parent == CALLER_ID and key == "name"):
            return _shape(_valid(value))
        if key in CALL_ID_KEYS:
            return mask_call_id(value)
        if key in DATE_KEYS and parse_datetime(value) is not None:
            return _mask_date(value)
        return mask_text(value, secrets)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value  # null, true or false: decoded JSON holds nothing else
    if isinstance(value, float) and not math.isfinite(value):
        return f"float:{value!r}"
    if isinstance(value, int) and abs(value) < SMALL_NUMBER:
        return value
    if isinstance(value, float) and not _FOUR_DIGITS.search(repr(value)):
        return value
    return f"{type(value).__name__}:{_valid(_shape(repr(value)))}"


def _mask_date(text: str) -> str:
    """Keep a date's format and time zone; mask its digits."""
    zone = _ZONE.search(text)
    if zone is None:
        return _shape_digits(text)
    return _shape_digits(text[: zone.start()]) + zone.group()


def mask_json(
    value: object, secrets: Secrets, key: str = "", parent: str = "", depth: int = 0
) -> object:
    """Mask decoded JSON by field (see the module), keys included; cut it short."""
    if depth > MAX_DEPTH:
        return "…"
    if isinstance(value, Mapping):
        masked: dict[str, object] = {}
        for number, (item_key, item) in enumerate(value.items()):
            if number == MAX_ITEMS:
                masked["…"] = f"{len(value) - MAX_ITEMS} more"
                break
            name = str(item_key)
            masked[mask_text(name, secrets)] = mask_json(
                item, secrets, name, key, depth + 1
            )
        return masked
    if isinstance(value, list):
        items = [
            mask_json(item, secrets, key, parent, depth + 1)
            for item in value[:MAX_ITEMS]
        ]
        if len(value) > MAX_ITEMS:
            items.append(f"… {len(value) - MAX_ITEMS} more")
        return items
    return _mask_scalar(key, value, parent, secrets)


def mask_body(body: bytes, secrets: Secrets) -> object:
    """Mask a raw body: JSON by field, a form by field, anything else as text."""
    text = body.decode("utf-8", "replace")
    try:
        return mask_json(json.loads(text), secrets)
    except ValueError, RecursionError:
        pass
    if "=" in text:
        fields = parse_qsl(text, keep_blank_values=True)[:MAX_ITEMS]
        return {
            "form": {
                mask_text(name, secrets): _form_value(value, secrets)
                for name, value in fields
            }
        }
    return mask_text(text[:MAX_BODY_TEXT], secrets)


def _form_value(value: str, secrets: Secrets) -> object:
    try:
        decoded: Any = json.loads(value)
    except ValueError, RecursionError:
        return mask_text(value, secrets)
    return mask_json(decoded, secrets)


def mask_seen(where: str, value: object, secrets: Secrets, *, missing: bool) -> str:
    """Say where and what was seen, masked: ``data.to = "0###########"``."""
    path = mask_text(where, secrets)
    if missing:
        return path
    key = where.rsplit(".", 1)[-1]
    parent = where.rsplit(".", 2)[-2] if where.count(".") >= 1 else ""
    masked = mask_json(value, secrets, key, parent)
    return f"{path} = {json.dumps(masked, ensure_ascii=False)}"
