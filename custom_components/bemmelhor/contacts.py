"""Contacts and the index that names numbers and finds contacts by name.

The index is built once per change of the contacts (or of the area code):
a dictionary from each number's key (:mod:`.phone_numbers`) to its contact,
so naming a number costs one key and one dictionary look-up, whether there
are 10 contacts or 10,000. Names are found with case and accents ignored:
an exact name first, else every contact whose name has words starting with
each word asked (found by bisection in the sorted words, not by a scan).
No Home Assistant import: this module is pure.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
import unicodedata

from .phone_numbers import number_key, uncached_number_key

MAX_NAME_LENGTH = 100
"""Longest contact name kept; longer names are cut."""
MAX_NUMBERS_PER_CONTACT = 20


@dataclass(frozen=True, slots=True)
class Contact:
    """A name and its numbers, as the user wrote them (the first is dialled)."""

    name: str
    numbers: tuple[str, ...]


def clean_name(raw: str) -> str:
    """Return a name on one line, without control characters, cut to 100 characters."""
    printable = "".join(
        " " if unicodedata.category(char)[0] in "CZ" else char for char in raw
    )
    return " ".join(printable.split())[:MAX_NAME_LENGTH].strip()


def fold_name(name: str) -> str:
    """Return a name with case and accents ignored: ``João`` → ``joao``."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join(
        "".join(char for char in decomposed if not unicodedata.combining(char)).split()
    )


class ContactIndex:
    """Every contact of an entry, indexed by number key and by name."""

    def __init__(self, contacts: Iterable[Contact], area_code: str = "") -> None:
        """Index ``contacts``; when two share a number, the first one names it."""
        self.area_code = area_code
        self.contacts: tuple[Contact, ...] = tuple(contacts)
        self._by_number: dict[str, Contact] = {}
        self._by_name: dict[str, list[int]] = {}
        words: set[tuple[str, int]] = set()
        for position, contact in enumerate(self.contacts):
            for number in contact.numbers:
                if (key := uncached_number_key(number, area_code)) is not None:
                    self._by_number.setdefault(key, contact)
            folded = fold_name(contact.name)
            self._by_name.setdefault(folded, []).append(position)
            words.update((word, position) for word in folded.split())
        self._words = sorted(words)

    @property
    def numbers(self) -> int:
        """Return how many distinct numbers have a name."""
        return len(self._by_number)

    def name_of(self, number: str) -> str | None:
        """Return the name of the contact with this number, if any."""
        key = number_key(number, self.area_code)
        contact = self._by_number.get(key) if key is not None else None
        return contact.name if contact is not None else None

    def find(self, name: str) -> list[Contact]:
        """Return the contacts a name means (case and accents ignored).

        A contact named exactly so wins; otherwise every contact with, for
        each word asked, a word of its name starting with it. Contacts with
        the same name and first number (the same person in two phone books)
        count once.
        """
        folded = fold_name(name)
        if not folded:
            return []
        positions = self._by_name.get(folded)
        if positions is None:
            found: set[int] | None = None
            for word in folded.split():
                found = (
                    self._starting_with(word)
                    if found is None
                    else found & self._starting_with(word)
                )
            positions = sorted(found or ())
        return self._distinct(self.contacts[position] for position in positions)

    def _starting_with(self, prefix: str) -> set[int]:
        """Return the contacts with a word starting with ``prefix``."""
        found: set[int] = set()
        start = bisect_left(self._words, (prefix, -1))
        for word, position in self._words[start:]:
            if not word.startswith(prefix):
                break
            found.add(position)
        return found

    def _distinct(self, contacts: Iterable[Contact]) -> list[Contact]:
        seen: set[tuple[str, str | None]] = set()
        distinct: list[Contact] = []
        for contact in contacts:
            first = contact.numbers[0] if contact.numbers else ""
            same = (fold_name(contact.name), number_key(first, self.area_code))
            if same not in seen:
                seen.add(same)
                distinct.append(contact)
        return distinct
