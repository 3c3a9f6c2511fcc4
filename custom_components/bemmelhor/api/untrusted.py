r"""Checks for text that comes from outside: webhook bodies and PBX answers.

JSON allows escapes such as ``"\\ud800"`` that decode to a lone surrogate: a
Python ``str`` that is not valid Unicode text. Such a string must never reach
a C parser or Home Assistant's state machine: ``ciso8601`` (behind Home
Assistant's ``dt_util.parse_datetime``) crashes the whole interpreter on one,
and ``orjson`` (behind the recorder and the websocket API) refuses to encode
it. Every string taken from outside passes :func:`is_text` first.
"""

from collections.abc import Mapping
import math
from typing import Any


def is_text(value: str) -> bool:
    """Return whether a string is valid text: UTF-8 encodable, without NUL."""
    if value.isascii():
        return "\x00" not in value
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def checked_text(value: object, max_length: int) -> str | None:
    """Return ``value`` as text, or None when it is not text or too long.

    A plain integer becomes its decimal text (PBXs send numbers either way);
    booleans, floats and containers are not text.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= 10**max_length:
            return None
        value = str(value)
    if not isinstance(value, str) or len(value) > max_length or not is_text(value):
        return None
    return value


def checked_json(value: object, depth: int = 0) -> Any:
    """Return a copy of decoded JSON with every string that is not text dropped.

    Strings that are not text become None (also as keys: the pair is left
    out); nesting deeper than 32 levels is cut off. What remains is safe to
    hand to Home Assistant's JSON encoder.
    """
    if isinstance(value, str):
        return value if is_text(value) else None
    if depth >= 32:
        return None
    if isinstance(value, Mapping):
        return {
            key: checked_json(item, depth + 1)
            for key, item in value.items()
            if isinstance(key, str) and is_text(key)
        }
    if isinstance(value, list):
        return [checked_json(item, depth + 1) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
