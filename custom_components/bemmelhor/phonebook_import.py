"""Reading an uploaded phone book: vCard 3.0/4.0, or Google's and Outlook's CSV.

:func:`read_phonebook` takes the file's bytes and returns its contacts and
what was left out, or raises :class:`.PhonebookError` with a reason that is a
translation key of the phone book flow. Limits: 5 MiB, 25,000 contacts,
20 numbers per contact, names cut to 100 characters.

This module reads the bytes as text, tells the format and keeps what can be
imported of each entry; :mod:`.phonebook_vcard` and :mod:`.phonebook_csv`
read the entries of each format, :mod:`.phonebook_errors` says why a file is
refused.

- Encodings: UTF-8 (with or without BOM), UTF-16 with BOM (Outlook's
  "Unicode" export) and Windows-1252 (Brazilian Outlook's default). A file
  that is damaged UTF-8 (valid multi-byte sequences next to invalid bytes)
  or that Windows-1252 cannot read either is refused, not guessed.
- Format: a file whose text starts with ``BEGIN:VCARD`` (blank space and
  case aside) is vCard, any other is CSV.

No Home Assistant import: this module is pure.
"""

import codecs
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
import re

from .contacts import MAX_NUMBERS_PER_CONTACT, Contact, clean_name
from .phone_numbers import clean_number, uncached_number_key
from .phonebook_csv import parse_csv
from .phonebook_errors import PhonebookError, PhonebookFailure
from .phonebook_vcard import parse_vcards

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest phone book read: 5 MiB (about 25,000 vCards with a few fields each)."""
MAX_CONTACTS = 25_000
MAX_NUMBER_LENGTH = 40
"""Longest number cell read, formatting included."""
MIN_DIGITS = 2
"""Shortest number kept: an extension."""


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
