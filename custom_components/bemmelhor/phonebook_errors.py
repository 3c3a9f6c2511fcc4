"""Why a phone book file is refused: :class:`PhonebookFailure` and its error.

Each reason is a translation key of the phone book flow. Shared by
:mod:`.phonebook_import` (size, encoding, contacts) and
:mod:`.phonebook_csv` (a header it cannot read).

No Home Assistant import: this module is pure.
"""

from enum import StrEnum


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
