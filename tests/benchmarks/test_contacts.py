"""The caller-name lookup benchmark: its figures and its phone book file."""

from benchmarks.contacts import lookup_cost_figures, phonebook_vcard
from custom_components.bemmelhor.phonebook_import import read_phonebook


def test_lookup_cost_figures() -> None:
    """A short run gives the two lookup figures against 10 contacts, and the build."""
    figures = lookup_cost_figures(rounds=2, lookups=200)

    assert [(figure.key, figure.unit) for figure in figures] == [
        ("lookup_new_number", "µs"),
        ("lookup_known_number", "µs"),
        ("contact_index_build", "ms"),
    ]
    assert [figure.value.n for figure in figures] == [2, 2, 1]
    assert figures[0].baseline_label == "10 contacts"


def test_phonebook_vcard_is_a_phone_book() -> None:
    """The benchmark's vCard file imports as that many contacts."""
    result = read_phonebook(phonebook_vcard(50))

    assert (len(result.contacts), result.numbers) == (50, 50)
