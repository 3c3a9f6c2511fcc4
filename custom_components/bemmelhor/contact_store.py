"""Phone books on disk: one store per upload, outside the config entries file.

A phone book of 10,000 contacts is about a megabyte: kept in the subentry's
data, it would be rewritten with every change of any config entry. So its
contacts go to ``.storage/bemmelhor.<entry id>.phonebook.<id>`` and the
subentry keeps the id and counts. Each upload gets a new id: a store never
changes once written, a re-upload writes a new one and removes the old.
"""

from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import STORAGE_DIR, Store
from homeassistant.util.ulid import ulid_hex

from .call_log.model.calls import text_or_none
from .const import DOMAIN
from .contacts import Contact

STORAGE_VERSION = 1
CONF_PHONEBOOK_ID = "phonebook_id"
"""Subentry data key: the id of the phone book's store."""


def storage_key(entry_id: str, phonebook_id: str) -> str:
    """Return the storage key of one phone book of an entry."""
    return f"{DOMAIN}.{entry_id}.phonebook.{phonebook_id}"


def _store(hass: HomeAssistant, entry_id: str, phonebook_id: str) -> Store[Any]:
    return Store(
        hass,
        STORAGE_VERSION,
        storage_key(entry_id, phonebook_id),
        atomic_writes=True,
        serialize_in_event_loop=False,
    )


async def async_save_phonebook(
    hass: HomeAssistant, entry_id: str, contacts: list[Contact]
) -> str:
    """Write a phone book's contacts to a new store; return its id."""
    phonebook_id = ulid_hex()
    await _store(hass, entry_id, phonebook_id).async_save(
        {"contacts": [[contact.name, list(contact.numbers)] for contact in contacts]}
    )
    return phonebook_id


async def async_load_phonebook(
    hass: HomeAssistant, entry_id: str, phonebook_id: str
) -> list[Contact]:
    """Return a phone book's contacts; none if the store is missing or unreadable."""
    data = await _store(hass, entry_id, phonebook_id).async_load()
    rows = data.get("contacts") if isinstance(data, dict) else None
    return [
        Contact(name, numbers)
        for row in rows or ()
        if isinstance(row, list)
        and len(row) == 2
        and (name := text_or_none(row[0]))
        and isinstance(row[1], list)
        and (numbers := tuple(n for n in row[1] if text_or_none(n)))
    ]


async def async_remove_phonebook(
    hass: HomeAssistant, entry_id: str, phonebook_id: str
) -> None:
    """Delete a phone book's store."""
    await _store(hass, entry_id, phonebook_id).async_remove()


async def async_remove_phonebooks(
    hass: HomeAssistant, entry_id: str, keep: set[str] | frozenset[str] = frozenset()
) -> None:
    """Delete every phone book store of an entry but those in ``keep``.

    Run at set-up (a phone book deleted while its entry was not loaded) and
    when the entry is removed.
    """
    prefix = storage_key(entry_id, "")
    folder = Path(hass.config.path(STORAGE_DIR))

    def stored() -> list[str]:
        return [path.name for path in folder.glob(f"{prefix}*") if path.is_file()]

    for name in await hass.async_add_executor_job(stored):
        if (phonebook_id := name.removeprefix(prefix)) not in keep:
            await async_remove_phonebook(hass, entry_id, phonebook_id)
