"""Caller names: what naming a number costs with 10 contacts and with 10,000.

Pure Python, in this process, about a second: no Home Assistant, no
simulator. Two contact indexes are built (10 and 10,000 contacts, one
mobile each) and both name the same numbers, written as the PBX writes them
(``0`` + DDD + number), in alternating rounds:

- **new numbers**: every lookup a number not seen before (the key cache
  emptied before each round): the cost of the first call from a number;
- **known numbers**: the same 100 numbers again and again, as an office's
  calls come: the cost of every later call.

The index is a dictionary from number keys to contacts, so the 10,000
index's cost is the 10-contact index's (the target: at most 1.5×). The
time to build the 10,000-contact index (once per change of the contacts,
in Home Assistant's executor) is reported next to it, without a target.

:func:`phonebook_vcard` gives the vCard file of N contacts for benchmarks
that import a phone book into a running Home Assistant (e.g. webhook
throughput with a 10,000-contact phone book).
"""

from collections.abc import Callable, Sequence
import time

from custom_components.bemmelhor.contacts import Contact, ContactIndex
from custom_components.bemmelhor.phone_numbers import number_key

from .report import Figure
from .stats import Summary

SMALL = 10
LARGE = 10_000
AREA_CODE = "11"
KNOWN_NUMBERS = 100
MAX_RATIO = 1.5
"""Naming a number with 10,000 contacts may cost at most this times 10 contacts."""


def mobile(number: int) -> str:
    """Return the ``number``-th mobile of area 11 as a contact writes it."""
    return f"+55 11 9{number // 10_000:04d}-{number % 10_000:04d}"


def dialled(number: int) -> str:
    """Return the ``number``-th mobile of area 11 as the PBX writes it."""
    return f"0119{number:08d}"


def contacts(count: int) -> list[Contact]:
    """Return ``count`` contacts with one mobile each."""
    return [Contact(f"Cliente {number}", (mobile(number),)) for number in range(count)]


def phonebook_vcard(count: int) -> bytes:
    """Return a vCard 3.0 file of ``count`` contacts, to upload as a phone book."""
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{contact.name}\r\n"
        f"TEL;TYPE=CELL:{contact.numbers[0]}\r\nEND:VCARD\r\n"
        for contact in contacts(count)
    ).encode()


def _per_lookup(
    index: ContactIndex, numbers: Sequence[str], before: Callable[[], None]
) -> float:
    """Return the microseconds one lookup takes, over ``numbers``."""
    before()
    started = time.perf_counter()
    for number in numbers:
        index.name_of(number)
    return (time.perf_counter() - started) / len(numbers) * 1e6


def _nothing() -> None:
    """Keep the key cache as it is."""


def _figure(
    key: str,
    title: str,
    samples: dict[int, list[float]],
) -> Figure:
    value, baseline = Summary.of(samples[LARGE]), Summary.of(samples[SMALL])
    return Figure(
        key=key,
        title=title,
        unit="µs",
        value=value,
        value_label=f"{LARGE:,} contacts",
        baseline=baseline,
        baseline_label=f"{SMALL} contacts",
        target=f"≤ {MAX_RATIO:.2f}×",
        met=value.median <= MAX_RATIO * baseline.median,
    )


def lookup_cost_figures(rounds: int = 5, lookups: int = 20_000) -> list[Figure]:
    """Measure naming numbers with 10 and with 10,000 contacts; return the figures.

    Each round names ``lookups`` new numbers (the first 10,000 are contacts
    of the large index; the key cache is emptied first) and ``lookups``
    known ones with each index, alternating which index goes first.
    """
    started = time.perf_counter()
    large = ContactIndex(contacts(LARGE), AREA_CODE)
    build = time.perf_counter() - started
    indexes = {SMALL: ContactIndex(contacts(SMALL), AREA_CODE), LARGE: large}
    new: dict[int, list[float]] = {SMALL: [], LARGE: []}
    known: dict[int, list[float]] = {SMALL: [], LARGE: []}
    repeated = [dialled(n) for n in range(KNOWN_NUMBERS)] * (lookups // KNOWN_NUMBERS)
    fresh = [dialled(n) for n in range(lookups)]
    for round_number in range(rounds):
        order = (SMALL, LARGE) if round_number % 2 == 0 else (LARGE, SMALL)
        for size in order:
            new[size].append(_per_lookup(indexes[size], fresh, number_key.cache_clear))
            known[size].append(_per_lookup(indexes[size], repeated, _nothing))
    return [
        _figure("lookup_new_number", "Caller-name lookup, new number", new),
        _figure("lookup_known_number", "Caller-name lookup, known number", known),
        Figure(
            key="contact_index_build",
            title=f"Contact index build, {LARGE:,} contacts",
            unit="ms",
            value=Summary.of([build * 1000]),
            comparison="none",
        ),
    ]
