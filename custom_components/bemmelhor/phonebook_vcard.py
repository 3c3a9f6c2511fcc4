"""Reading a vCard phone book's text (2.1, 3.0 or 4.0) into its entries.

:func:`parse_vcards` yields (name, numbers) of each vCard; what is kept of
them is :mod:`.phonebook_import`'s job. 2.1's quoted-printable values are
read too (Android exports them); ``FN``, else ``N``, else ``ORG`` names the
contact; every ``TEL`` is a number. Nested vCards are ignored.

No Home Assistant import: this module is pure.
"""

from collections.abc import Iterator
import quopri
import re

_VCARD_ESCAPES = re.compile(r"\\(.)")
_VCARD_ESCAPED = {"n": " ", "N": " "}


def parse_vcards(text: str) -> Iterator[tuple[str, list[str]]]:
    """Yield (name, numbers) of each vCard of a file (nested ones are ignored)."""
    depth = 0
    names: dict[str, str] = {}
    numbers: list[str] = []
    for property_name, parameters, value in _vcard_lines(text):
        if property_name == "BEGIN" and value.strip().upper() == "VCARD":
            depth += 1
            if depth == 1:
                names, numbers = {}, []
        elif property_name == "END" and value.strip().upper() == "VCARD":
            depth -= 1
            if depth == 0:
                yield _vcard_name(names), numbers
            depth = max(depth, 0)
        elif depth == 1 and property_name in ("FN", "N", "ORG"):
            names.setdefault(property_name, _vcard_value(parameters, value))
        elif depth == 1 and property_name == "TEL":
            numbers.append(_vcard_number(_vcard_value(parameters, value)))


def _vcard_lines(text: str) -> Iterator[tuple[str, list[str], str]]:
    """Yield (property, parameters, raw value) of each unfolded content line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        while index < len(lines) and lines[index][:1] in (" ", "\t"):
            line += lines[index][1:]
            index += 1
        head, colon, value = line.partition(":")
        if not colon:
            continue
        name, *parameters = head.split(";")
        parameters = [parameter.upper() for parameter in parameters]
        if (
            "ENCODING=QUOTED-PRINTABLE" in parameters
            or "QUOTED-PRINTABLE" in parameters
        ):
            while value.endswith("=") and index < len(lines):
                value = value[:-1] + lines[index]
                index += 1
        yield name.rpartition(".")[2].strip().upper(), parameters, value


def _vcard_value(parameters: list[str], value: str) -> str:
    """Return a value decoded (quoted-printable) and unescaped."""
    if "ENCODING=QUOTED-PRINTABLE" in parameters or "QUOTED-PRINTABLE" in parameters:
        charset = next(
            (p.partition("=")[2] for p in parameters if p.startswith("CHARSET=")),
            "UTF-8",
        )
        raw = quopri.decodestring(value.encode("ascii", "replace"))
        try:
            value = raw.decode(charset)
        except UnicodeDecodeError, LookupError:
            value = raw.decode("cp1252", "replace")
    return value


def _unescape(value: str) -> str:
    return _VCARD_ESCAPES.sub(
        lambda match: _VCARD_ESCAPED.get(match[1], match[1]), value
    )


def _components(value: str) -> list[str]:
    """Split a structured value (``N``, ``ORG``) at its unescaped semicolons."""
    return [_unescape(part) for part in re.split(r"(?<!\\);", value)]


def _vcard_name(names: dict[str, str]) -> str:
    if full_name := _unescape(names.get("FN", "")).strip():
        return full_name
    family, given, additional, prefix, suffix = (
        _components(names.get("N", "")) + [""] * 5
    )[:5]
    if name := " ".join(
        part for part in (prefix, given, additional, family, suffix) if part.strip()
    ):
        return name
    return _components(names.get("ORG", ""))[0]


def _vcard_number(value: str) -> str:
    """Return the number of a ``TEL`` value (4.0 writes ``tel:+55-11-…;ext=2``)."""
    value = _unescape(value).strip()
    if value.lower().startswith("tel:"):
        value = value[4:].partition(";")[0]
    return value
