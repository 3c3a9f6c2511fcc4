"""Reading a CSV phone book's text (Google's or Outlook's export) into its entries.

:func:`parse_csv` yields (name, numbers) of each row; what is kept of them
is :mod:`.phonebook_import`'s job. Comma, semicolon or tab separated; the
header row tells which columns hold names and numbers, in English or
Portuguese, and a file without such a header is refused. Google's ``:::``
separated values are split. Cells are text: a formula such as
``=HYPERLINK(...)`` is kept as plain text in a name and is no number
(Excel's ``="011…"`` is read as the number it quotes).

No Home Assistant import: this module is pure.
"""

from collections.abc import Iterator
import csv
from dataclasses import dataclass
import io
import re

from .contacts import fold_name
from .phonebook_errors import PhonebookError, PhonebookFailure

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
