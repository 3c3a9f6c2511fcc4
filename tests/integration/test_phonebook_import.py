"""Reading phone book files: vCard and CSV, their encodings, and what is refused.

Pure unit tests of :mod:`custom_components.bemmelhor.phonebook_import` (and
through it the vCard and CSV readers).
"""

import codecs
from collections.abc import Callable

import pytest

from custom_components.bemmelhor.contacts import Contact
from custom_components.bemmelhor.phonebook_errors import (
    PhonebookError,
    PhonebookFailure,
)
from custom_components.bemmelhor.phonebook_import import (
    MAX_CONTACTS,
    MAX_FILE_BYTES,
    FileFormat,
    read_phonebook,
)

from .phonebooks import (
    GOOGLE_CSV,
    GOOGLE_CSV_OLD,
    OUTLOOK_CSV,
    OUTLOOK_CSV_PT,
    VCARD_21,
    VCARD_30,
    VCARD_40,
    csv_rows,
    vcards,
)

JOAO = "João Conceição"


@pytest.mark.parametrize(
    ("text", "file_format", "contacts"),
    [
        (
            VCARD_30,
            FileFormat.VCARD,
            [
                Contact("Maria Silva", ("+55 (11) 98765-4321", "(11) 3456-7890")),
                Contact(JOAO, ("021 2222-3333",)),
                Contact("Padaria Pão Quente", ("(11) 4004-1234",)),
            ],
        ),
        (
            VCARD_40,
            FileFormat.VCARD,
            [Contact("Ana Beatriz", ("+55-11-98888-7777", "+55-11-3333-4444"))],
        ),
        (
            VCARD_21,
            FileFormat.VCARD,
            [Contact("João Silva", ("011987651234",))],
        ),
        (
            GOOGLE_CSV,
            FileFormat.CSV,
            [
                Contact("Maria Silva", ("+55 11 98765-4321", "(11) 3456-7890")),
                Contact("Pedro Henrique Souza", ("(21) 99999-0000",)),
            ],
        ),
        (
            GOOGLE_CSV_OLD,
            FileFormat.CSV,
            [Contact("Carla Dias", ("011 97777-6666",))],
        ),
        (
            OUTLOOK_CSV,
            FileFormat.CSV,
            [
                Contact("Maria Silva", ("(11) 3456-7890", "(11) 98765-4321")),
                Contact("Fornecedora XYZ", ("0800 123 4567",)),
            ],
        ),
        (
            OUTLOOK_CSV_PT,
            FileFormat.CSV,
            [
                Contact(JOAO, ("(21) 2222-3333", "(21) 98888-1111")),
                Contact("Lúcia Araújo", ("011 3456-0000",)),
            ],
        ),
    ],
    ids=[
        "vcard-3.0",
        "vcard-4.0",
        "vcard-2.1",
        "google",
        "google-old",
        "outlook",
        "outlook-pt",
    ],
)
def test_reads_phone_book(
    text: str, file_format: FileFormat, contacts: list[Contact]
) -> None:
    """Each export gives its contacts, names and numbers as written."""
    result = read_phonebook(text.encode())

    assert (result.file_format, result.contacts) == (file_format, contacts)


@pytest.mark.parametrize(
    "data",
    [
        OUTLOOK_CSV_PT.encode("utf-8"),
        codecs.BOM_UTF8 + OUTLOOK_CSV_PT.encode("utf-8"),
        OUTLOOK_CSV_PT.encode("cp1252"),
        OUTLOOK_CSV_PT.encode("utf-16"),
        VCARD_30.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252", "utf-16", "vcard-windows-1252"],
)
def test_encodings(data: bytes) -> None:
    """UTF-8 (with or without BOM), UTF-16 and Windows-1252 read the same names."""
    assert JOAO in [contact.name for contact in read_phonebook(data).contacts]


def test_vcard_odd_but_readable() -> None:
    """Nested vCards and stray ENDs are ignored; N names a card without FN."""
    data = (
        b"BEGIN:VCARD\nVERSION:3.0\nN:Silva;Maria;de;Dra.;\n"
        b"AGENT:BEGIN:VCARD\nBEGIN:VCARD\nFN:Assistente\nTEL:1111\nEND:VCARD\n"
        b"TEL:(11) 98765-4321\nEND:VCARD\n"
        b"END:VCARD\n"
        b"no colon on this line\n"
        b"BEGIN:VCARD\nVERSION:2.1\n"
        b"FN;CHARSET=X-UNKNOWN;QUOTED-PRINTABLE:Jos=E9\nTEL:(11) 3456-7890\nEND:VCARD\n"
    )

    assert read_phonebook(data).contacts == [
        Contact("Dra. Maria de Silva", ("(11) 98765-4321",)),
        Contact("José", ("(11) 3456-7890",)),
    ]


def test_csv_rows_fall_back_to_name_parts() -> None:
    """A row without a full name takes its parts; blank rows are skipped."""
    data = (
        b"Name,Given Name,Family Name,Phone 1 - Value\n"
        b",Carla,Dias,011 97777-6666\n"
        b",,,\n"
        b"\n"
        b"Pedro,,,(21) 99999-0000\n"
    )

    assert read_phonebook(data).contacts == [
        Contact("Carla Dias", ("011 97777-6666",)),
        Contact("Pedro", ("(21) 99999-0000",)),
    ]


def test_overlong_number_cell_is_skipped() -> None:
    """A number cell of more than 40 characters is no number."""
    data = b"Name,Mobile Phone,Home Phone\nMaria,011987654321," + b"1 " * 21 + b"\n"

    assert read_phonebook(data).skipped_numbers == [("Maria", ("1 " * 21).strip())]


def test_formula_cells_stay_plain_text() -> None:
    """A formula is a name as written, and no number; Excel's ="…" is its text."""
    data = (
        b"Name,Phone 1 - Value,Phone 2 - Value\n"
        b'"=HYPERLINK(""http://evil.example"",""Maria"")",="011987654321",=1+1\n'
        b"@SUM(A1),+55 11 3456-7890,\n"
    )

    result = read_phonebook(data)

    assert result.contacts == [
        Contact('=HYPERLINK("http://evil.example","Maria")', ("011987654321",)),
        Contact("@SUM(A1)", ("+55 11 3456-7890",)),
    ]
    assert result.skipped_numbers == [
        ('=HYPERLINK("http://evil.example","Maria")', "=1+1")
    ]


def test_reports_what_is_left_out() -> None:
    """Unreadable numbers are listed; entries without name or number counted."""
    data = (
        b"First Name,Last Name,Mobile Phone,Home Phone\n"
        b"Maria,Silva,(11) 98765-4321,ramal 23\n"
        b",,(11) 3456-7890,\n"
        b"Pedro,,,\n"
        b"Ana,,9,\n"
    )

    result = read_phonebook(data)

    assert result.contacts == [Contact("Maria Silva", ("(11) 98765-4321",))]
    assert result.skipped_numbers == [("Maria Silva", "ramal 23"), ("Ana", "9")]
    assert (result.skipped_contacts, result.numbers) == (3, 1)


def test_repeated_numbers_of_a_contact_count_once() -> None:
    """The same number twice in one contact is kept once, as first written."""
    data = b"Name,Mobile Phone,Home Phone\nMaria,011 98765-4321,(11) 8765-4321\n"

    assert read_phonebook(data).contacts == [Contact("Maria", ("011 98765-4321",))]


@pytest.mark.parametrize(
    ("make", "count"),
    [(vcards, 10_000), (csv_rows, 10_000)],
    ids=["vcard", "csv"],
)
def test_ten_thousand_contacts(make: Callable[[int], bytes], count: int) -> None:
    """A large phone book is read whole."""
    result = read_phonebook(make(count))

    assert (len(result.contacts), result.numbers) == (count, count)


@pytest.mark.parametrize(
    ("data", "failure"),
    [
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unsupported_file", id="png"
        ),
        pytest.param(b"Hello,\nthis is a letter.\n", "unsupported_file", id="text"),
        pytest.param(b'{"contacts": []}', "unsupported_file", id="json"),
        pytest.param(
            b"Name,Email\nMaria,m@example.com\n",
            "unsupported_file",
            id="no-phone-column",
        ),
        pytest.param(b"", "unsupported_file", id="empty"),
        pytest.param(
            b"Name,Phone\n" + b"x" * 200_000 + b",1\n",
            "unsupported_file",
            id="huge-cell",
        ),
        pytest.param(
            "Nome,Telefone\nJoão,011987654321\n".encode() + b"Jos\xe9,0113456\n",
            "invalid_encoding",
            id="damaged-utf-8",
        ),
        pytest.param(
            b"Nome,Telefone\nJ\x81\x8d,011987654321\n",
            "invalid_encoding",
            id="not-windows-1252",
        ),
        pytest.param(b"\xff\xfeN\x00o", "unsupported_file", id="broken-utf-16"),
        pytest.param(
            b"Name,Phone\nMaria,\nPedro,abc\n", "no_contacts", id="no-numbers"
        ),
        pytest.param(
            b"BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD\n",
            "no_contacts",
            id="vcard-no-tel",
        ),
        pytest.param(b"x" * (MAX_FILE_BYTES + 1), "file_too_large", id="too-large"),
        pytest.param(csv_rows(MAX_CONTACTS + 1), "too_many_contacts", id="too-many"),
    ],
)
def test_refused_files(data: bytes, failure: str) -> None:
    """A file that cannot be read raises with the flow error to show."""
    with pytest.raises(PhonebookError) as err:
        read_phonebook(data)

    assert err.value.reason is PhonebookFailure(failure)
