"""Reading an uploaded phone book: vCard 3.0/4.0, or Google's and Outlook's CSV.

:func:`read_phonebook` takes the file's bytes and returns its contacts and
what was left out, or raises :class:`PhonebookError` with a reason that is a
translation key of the phone book flow. Limits: 5 MiB, 25,000 contacts,
20 numbers per contact, names cut to 100 characters.

- Encodings: UTF-8 (with or without BOM), UTF-16 with BOM (Outlook's
  "Unicode" export) and Windows-1252 (Brazilian Outlook's default). A file
  that is damaged UTF-8 (valid multi-byte sequences next to invalid bytes)
  or that Windows-1252 cannot read either is refused, not guessed.
- vCard: 2.1's quoted-printable values too (Android exports them); ``FN``,
  else ``N``, else ``ORG`` names the contact; every ``TEL`` is a number.
- CSV: comma, semicolon or tab separated; the header row tells which columns
  hold names and numbers, in English or Portuguese. Google's ``:::``
  separated values are split. Cells are text: a formula such as
  ``=HYPERLINK(...)`` is kept as plain text in a name and is no number
  (Excel's ``="011…"`` is read as the number it quotes).

No Home Assistant import: this module is pure.
"""

import codecs
from collections.abc import Iterable, Iterator
import csv
from dataclasses import dataclass, field
from enum import StrEnum
import io
import quopri
import re

from .contacts import MAX_NUMBERS_PER_CONTACT, Contact, clean_name, fold_name
from .phone_numbers import clean_number, uncached_number_key

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest phone book read: 5 MiB (about 25,000 vCards with a few fields each)."""
MAX_CONTACTS = 25_000
MAX_NUMBER_LENGTH = 40
"""Longest number cell read, formatting included."""
MIN_DIGITS = 2
"""Shortest number kept: an extension."""


class PhonebookFailure(StrEnum):
    """Why a file was refused; each is an error of the phone book flow."""

    TOO_LARGE = "file_too_large"
    ENCODING = "invalid_encoding"
    UNSUPPORTED = "unsupported_file"
    NO_CONTACTS = "no_contacts"
    TOO_MANY = "too_many_contacts"
    MISSING = "file_missing"
    """The upload is gone (Home Assistant restarted, or it was read already)."""


class PhonebookError(Exception):
    """A phone book that cannot be imported."""

    def __init__(self, reason: PhonebookFailure) -> None:
        """Keep the reason (a translation key)."""
        super().__init__(reason.value)
        self.reason = reason


class FileFormat(StrEnum):
    """The formats read."""

    VCARD = "vcard"
    CSV = "csv"


@dataclass(kw_only=True)
class PhonebookImport:
    """What a file held: its contacts and what was left out."""

    file_format: FileFormat
    contacts: list[Contact] = field(default_factory=list)
    skipped_numbers: list[tuple[str, str]] = field(default_factory=list)
    """(contact name, number as written) of numbers that could not be read."""
    skipped_contacts: int = 0
    """Entries without a name or without a number that could be read."""

    @property
    def numbers(self) -> int:
        """Return how many numbers were imported."""
        return sum(len(contact.numbers) for contact in self.contacts)

    def add(self, name: str, numbers: Iterable[str]) -> None:
        """Add one entry of the file: a contact, or what is skipped of it."""
        name = clean_name(name)
        kept: list[str] = []
        seen: set[str] = set()
        for raw in numbers:
            number = raw.strip()
            if not number:
                continue
            if readable_number(number) is None:
                self.skipped_numbers.append((name, clean_name(number)))
                continue
            key = uncached_number_key(number) or number
            if key not in seen and len(kept) < MAX_NUMBERS_PER_CONTACT:
                seen.add(key)
                kept.append(number)
        if not name or not kept:
            self.skipped_contacts += 1
            return
        if len(self.contacts) >= MAX_CONTACTS:
            raise PhonebookError(PhonebookFailure.TOO_MANY)
        self.contacts.append(Contact(name, tuple(kept)))


def readable_number(number: str) -> str | None:
    """Return the number without formatting if it can be dialled and matched."""
    if len(number) > MAX_NUMBER_LENGTH:
        return None
    cleaned = clean_number(number)
    if cleaned is None or sum(char.isdigit() for char in cleaned) < MIN_DIGITS:
        return None
    return cleaned


def read_phonebook(data: bytes) -> PhonebookImport:
    """Read a vCard or CSV file; raise :class:`PhonebookError` if it cannot be."""
    if len(data) > MAX_FILE_BYTES:
        raise PhonebookError(PhonebookFailure.TOO_LARGE)
    text = decode(data)
    if "\x00" in text:
        raise PhonebookError(PhonebookFailure.UNSUPPORTED)
    if text.lstrip()[:11].upper() == "BEGIN:VCARD":
        result = PhonebookImport(file_format=FileFormat.VCARD)
        for name, numbers in parse_vcards(text):
            result.add(name, numbers)
    else:
        result = PhonebookImport(file_format=FileFormat.CSV)
        for name, numbers in parse_csv(text):
            result.add(name, numbers)
    if not result.contacts:
        raise PhonebookError(PhonebookFailure.NO_CONTACTS)
    return result


# Encodings

_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def decode(data: bytes) -> str:
    """Return the text of a file in UTF-8, UTF-16 (with BOM) or Windows-1252.

    Other bytes with a NUL are no text file at all.
    """
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        if b"\x00" in data:
            raise PhonebookError(PhonebookFailure.UNSUPPORTED)
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(data):
        # Written as UTF-8 and damaged: Windows-1252 would read it as "JoÃ£o".
        raise PhonebookError(PhonebookFailure.ENCODING)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise PhonebookError(PhonebookFailure.ENCODING) from None


# vCard

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


# CSV

_FULL_NAME = ("name", "full name", "display name", "nome completo", "nome de exibicao")
_FIRST_NAME = ("first name", "given name", "nome", "primeiro nome")
_MIDDLE_NAME = ("middle name", "additional name", "nome do meio", "segundo nome")
_LAST_NAME = ("last name", "family name", "sobrenome", "ultimo nome")
_COMPANY = ("company", "organization 1 - name", "organization name", "empresa")
_PHONE_WORDS = (
    "phone",
    "fone",
    "celular",
    "mobile",
    "fax",
    "pager",
    "isdn",
    "callback",
    "retorno de chamada",
)
_LABEL_WORDS = ("type", "label", "tipo", "rotulo")
_GOOGLE_SEPARATOR = ":::"
_EXCEL_TEXT = re.compile(r'="(.*)"')
_DELIMITERS = ",;\t"


@dataclass(frozen=True, slots=True)
class _Columns:
    """Which columns of a CSV file hold what."""

    full: tuple[int, ...]
    first: tuple[int, ...]
    middle: tuple[int, ...]
    last: tuple[int, ...]
    company: tuple[int, ...]
    phones: tuple[int, ...]

    @classmethod
    def of(cls, header: list[str]) -> _Columns | None:
        """Return the columns of a header row; None if it has no name or no phone."""
        folded = [fold_name(cell) for cell in header]

        def named(names: tuple[str, ...]) -> tuple[int, ...]:
            return tuple(i for i, cell in enumerate(folded) if cell in names)

        columns = cls(
            full=named(_FULL_NAME),
            first=named(_FIRST_NAME),
            middle=named(_MIDDLE_NAME),
            last=named(_LAST_NAME),
            company=named(_COMPANY),
            phones=tuple(
                i
                for i, cell in enumerate(folded)
                if any(word in cell for word in _PHONE_WORDS)
                and not any(word in cell for word in _LABEL_WORDS)
            ),
        )
        has_name = columns.full or columns.first or columns.last or columns.company
        return columns if has_name and columns.phones else None

    def name(self, row: list[str]) -> str:
        """Return the name of a row: the full name, else its parts, else the company."""
        for index in self.full:
            if index < len(row) and row[index].strip():
                return row[index]
        if parts := [
            row[index].strip()
            for index in (*self.first, *self.middle, *self.last)
            if index < len(row) and row[index].strip()
        ]:
            return " ".join(parts)
        return next(
            (row[i] for i in self.company if i < len(row) and row[i].strip()), ""
        )

    def numbers(self, row: list[str]) -> list[str]:
        """Return every number of a row."""
        return [
            _csv_number(part)
            for index in self.phones
            if index < len(row)
            for part in row[index].split(_GOOGLE_SEPARATOR)
        ]


def _csv_number(cell: str) -> str:
    cell = cell.strip()
    if match := _EXCEL_TEXT.fullmatch(cell):
        return match[1]
    return cell


def parse_csv(text: str) -> Iterator[tuple[str, list[str]]]:
    """Yield (name, numbers) of each row of a CSV file under a known header."""
    first_line = text.lstrip("\r\n").partition("\n")[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next((row for row in rows if any(cell.strip() for cell in row)), None)
        columns = _Columns.of(header) if header else None
        if columns is None:
            raise PhonebookError(PhonebookFailure.UNSUPPORTED)
        for row in rows:
            if any(cell.strip() for cell in row):
                yield columns.name(row), columns.numbers(row)
    except csv.Error:
        raise PhonebookError(PhonebookFailure.UNSUPPORTED) from None
