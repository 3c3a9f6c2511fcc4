"""An entry's contacts at run time: names for numbers, numbers for names.

The contacts are the entry's config subentries (``contact``: a name and its
numbers; ``phonebook``: an uploaded file, stored by :mod:`.contact_store`).
The directory keeps one :class:`.contacts.ContactIndex` of them all and
rebuilds it (in the executor when it is large) whenever Home Assistant
reports that the entry's subentries changed (added, edited or deleted on
the integration's page): no reload, calls in progress keep going. Changing
the area code reloads the entry (options flow), which builds a new index.

A number that is a configured extension is named after its device (the
name the user gave it, else its own); other numbers after the contact that
has them (single contacts before phone books, each in the order added).
"""

import asyncio
from collections.abc import Mapping
from typing import Any, Final

from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .const import CONF_AREA_CODE, CONF_EXTENSIONS, DEFAULT_AREA_CODE, DOMAIN, LOGGER
from .contact_store import (
    CONF_PHONEBOOK_ID,
    async_load_phonebook,
    async_remove_phonebook,
    async_remove_phonebooks,
)
from .contacts import Contact, ContactIndex
from .identifiers import async_extension_device

SUBENTRY_CONTACT: Final = "contact"
SUBENTRY_PHONEBOOK: Final = "phonebook"
CONF_NAME: Final = "name"
CONF_NUMBERS: Final = "numbers"

_NEVER_IN_NAMES = ("/", "\\", "%", "..", "?", "#", "*", "+", ":", ";", "<", ">", "|")
"""What marks a destination as a (refused) dial string rather than a name."""
MAX_CANDIDATES = 10
"""Most contact names an ambiguous call by name lists."""
INLINE_INDEX = 200
"""Up to this many contacts, the index is built in the event loop (under 2 ms)."""

type Signature = dict[str, tuple[str, Mapping[str, Any]]]


def subentry_contact(data: Mapping[str, Any]) -> Contact:
    """Return the contact a ``contact`` subentry holds."""
    return Contact(data[CONF_NAME], tuple(data[CONF_NUMBERS]))


class ContactDirectory:
    """Names of numbers and numbers of names, for one entry."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Start empty; :meth:`async_start` loads the contacts."""
        self.hass = hass
        self.entry = entry
        self.area_code: str = entry.options.get(CONF_AREA_CODE, DEFAULT_AREA_CODE)
        self.extensions = frozenset(entry.options[CONF_EXTENSIONS])
        self.index = ContactIndex((), self.area_code)
        self.phonebooks = 0
        self._phonebooks: dict[str, list[Contact]] = {}
        self._signature: Signature | None = None
        self._stale = False
        self._rebuilding: asyncio.Task[None] | None = None

    async def async_start(self) -> None:
        """Follow changes of the entry's subentries; load the contacts.

        Stores of phone books that are no longer subentries (deleted while
        the entry was not loaded) are deleted.
        """
        self.entry.async_on_unload(
            async_dispatcher_connect(
                self.hass, SIGNAL_CONFIG_ENTRY_CHANGED, self._async_entry_changed
            )
        )
        await self._async_request_rebuild()
        await async_remove_phonebooks(
            self.hass,
            self.entry.entry_id,
            keep={
                subentry.data[CONF_PHONEBOOK_ID]
                for subentry in self.entry.get_subentries_of_type(SUBENTRY_PHONEBOOK)
            },
        )

    # Names

    @callback
    def name_of(self, number: str | None) -> str | None:
        """Return the name of a number: its extension's device, or its contact."""
        if not number:
            return None
        if number in self.extensions:
            device = async_extension_device(self.hass, self.entry, number)
            return (device.name_by_user or device.name) if device else None
        return self.index.name_of(number)

    def number_for(self, destination: str) -> str:
        """Return what to dial: a number as it is, or the number of a contact's name.

        A destination with a letter is a name (case and accents ignored); one
        that matches no contact, or several, raises a translated error. One
        with characters no name has (``/``, ``%``, ``..``…) is left for the
        dialler to refuse.
        """
        if not any(char.isalpha() for char in destination) or any(
            part in destination for part in _NEVER_IN_NAMES
        ):
            return destination
        found = self.index.find(destination)
        if len(found) == 1:
            return found[0].numbers[0]
        if not found:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="contact_not_found",
                translation_placeholders={"name": destination},
            )
        names = [contact.name for contact in found[:MAX_CANDIDATES]]
        if len(found) > MAX_CANDIDATES:
            names.append("…")
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="contact_ambiguous",
            translation_placeholders={
                "name": destination,
                "candidates": ", ".join(names),
            },
        )

    def counts(self) -> dict[str, int]:
        """Return how many contacts, numbers and phone books there are (diagnostics)."""
        return {
            "contacts": len(self.index.contacts),
            "numbers": self.index.numbers,
            "phonebooks": self.phonebooks,
        }

    # Building the index

    def _current_signature(self) -> Signature:
        return {
            subentry_id: (subentry.subentry_type, subentry.data)
            for subentry_id, subentry in self.entry.subentries.items()
        }

    @callback
    def _async_entry_changed(
        self, change: ConfigEntryChange, entry: ConfigEntry
    ) -> None:
        """Rebuild the index when the entry's contacts changed."""
        if (
            entry.entry_id == self.entry.entry_id
            and change is ConfigEntryChange.UPDATED
            and self._current_signature() != self._signature
        ):
            self._async_request_rebuild()

    @callback
    def _async_request_rebuild(self) -> asyncio.Task[None]:
        """Rebuild the index, again after the running rebuild if one runs."""
        self._stale = True
        if self._rebuilding is None or self._rebuilding.done():
            self._rebuilding = self.entry.async_create_task(
                self.hass, self._async_rebuild_while_stale(), "bemmelhor contacts"
            )
        return self._rebuilding

    async def _async_rebuild_while_stale(self) -> None:
        """Rebuild until the index is of the latest subentries (one at a time)."""
        while self._stale:
            self._stale = False
            await self._async_rebuild()

    async def _async_rebuild(self) -> None:
        """Build a new index of the subentries and use it."""
        signature = self._current_signature()
        self._signature = signature
        contacts: list[Contact] = []
        phonebooks: list[str] = []
        for subentry_type, data in signature.values():
            if subentry_type == SUBENTRY_CONTACT:
                contacts.append(subentry_contact(data))
            elif subentry_type == SUBENTRY_PHONEBOOK:
                phonebooks.append(data[CONF_PHONEBOOK_ID])
        loaded = {
            phonebook_id: self._phonebooks.get(phonebook_id)
            or await async_load_phonebook(self.hass, self.entry.entry_id, phonebook_id)
            for phonebook_id in phonebooks
        }
        for phonebook_id in phonebooks:
            contacts.extend(loaded[phonebook_id])
        if len(contacts) <= INLINE_INDEX:
            index = ContactIndex(contacts, self.area_code)
        else:
            index = await self.hass.async_add_executor_job(
                ContactIndex, contacts, self.area_code
            )
        for gone in self._phonebooks.keys() - loaded.keys():
            await async_remove_phonebook(self.hass, self.entry.entry_id, gone)
        self._phonebooks = loaded
        self.index = index
        self.phonebooks = len(loaded)
        LOGGER.debug(
            "Contacts indexed: %s contacts, %s numbers, %s phone books",
            len(index.contacts),
            index.numbers,
            len(loaded),
        )
