"""The contact index: names for numbers, contacts for names.

Pure unit tests of :mod:`custom_components.bemmelhor.contacts`.
"""

import pytest

from custom_components.bemmelhor.contacts import (
    Contact,
    ContactIndex,
    clean_name,
    fold_name,
)

MARIA = Contact("Maria Silva", ("+55 11 98765-4321", "(11) 3456-7890"))
MARIA_SOUZA = Contact("Maria Souza", ("(21) 99999-0000",))
JOAO = Contact("João Conceição", ("(11) 2222-3333",))
JOSE = Contact("José", ("(11) 91111-2222",))
CONTACTS = (MARIA, MARIA_SOUZA, JOAO, JOSE)


@pytest.fixture
def index() -> ContactIndex:
    """Return an index of four contacts, with area code 11."""
    return ContactIndex(CONTACTS, "11")


@pytest.mark.parametrize(
    ("number", "name"),
    [
        ("011987654321", "Maria Silva"),
        ("(11) 8765-4321", "Maria Silva"),
        ("987654321", "Maria Silva"),
        ("34567890", "Maria Silva"),
        ("0 15 21 99999 0000", "Maria Souza"),
        ("22223333", "João Conceição"),
        ("(11) 92222-3333", None),
        ("6001", None),
        ("Maria", None),
    ],
)
def test_name_of_a_number(index: ContactIndex, number: str, name: str | None) -> None:
    """A number is named after the contact with the same number, however written."""
    assert index.name_of(number) == name


def test_first_contact_names_a_shared_number() -> None:
    """Two contacts with one number: the first one added names it."""
    index = ContactIndex([MARIA, Contact("Recepção", ("11987654321",))])

    assert index.name_of("011987654321") == "Maria Silva"


def test_counts(index: ContactIndex) -> None:
    """The index counts its contacts and their distinct numbers."""
    assert (len(index.contacts), index.numbers) == (4, 5)


@pytest.mark.parametrize(
    ("asked", "found"),
    [
        ("Maria Silva", [MARIA]),
        ("maria silva", [MARIA]),
        ("  MARIA   SILVA ", [MARIA]),
        ("joao conceicao", [JOAO]),
        ("JOÃO", [JOAO]),
        ("jose", [JOSE]),
        ("Maria", [MARIA, MARIA_SOUZA]),
        ("mar s", [MARIA, MARIA_SOUZA]),
        ("maria si", [MARIA]),
        ("Conceição", [JOAO]),
        ("Pedro", []),
        ("", []),
    ],
)
def test_find_by_name(index: ContactIndex, asked: str, found: list[Contact]) -> None:
    """Case and accents are ignored; each word asked starts a word of the name."""
    assert index.find(asked) == found


def test_exact_name_wins_over_longer_names() -> None:
    """Asked for Maria Silva, Maria Silva Santos is not a candidate."""
    santos = Contact("Maria Silva Santos", ("(11) 97777-6666",))
    index = ContactIndex([santos, MARIA])

    assert index.find("maria silva") == [MARIA]


def test_same_person_in_two_phone_books_counts_once() -> None:
    """Same name and same first number: one contact to call."""
    again = Contact("MARIA SILVA", ("011 98765-4321",))
    index = ContactIndex([MARIA, again])

    assert index.find("Maria Silva") == [MARIA]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Maria\tSilva \n", "Maria Silva"),
        ("Maria\x00\x1bSilva", "Maria Silva"),
        ("Ana\u200bBeatriz", "Ana Beatriz"),
        ("x" * 150, "x" * 100),
        ('=HYPERLINK("http://x")', '=HYPERLINK("http://x")'),
        ("\ud800", ""),
    ],
)
def test_clean_name(raw: str, clean: str) -> None:
    """Names are one line of text, no control characters, at most 100 characters."""
    assert clean_name(raw) == clean


def test_fold_name() -> None:
    """Case and accents fold away."""
    assert fold_name("  João  CONCEIÇÃO ") == "joao conceicao"
