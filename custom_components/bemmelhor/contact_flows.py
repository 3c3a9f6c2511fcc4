"""Subentry flows: a contact (a name and its numbers) and a phone book (a file).

Both add, edit (reconfigure) and delete contacts on the integration's page
with Home Assistant's own UI. A phone book is uploaded with Home Assistant's
file upload selector and read by :mod:`.phonebook_import`; its contacts go
to a store of their own (:mod:`.contact_store`) and the flow says what was
imported. A file that cannot be read is refused on the form, and nothing of
it is kept: a re-upload that fails leaves the previous contacts as they were.
"""

from collections.abc import Mapping
import re
from typing import Any

import probatio

from homeassistant.components.file_upload import process_uploaded_file
from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    FileSelector,
    FileSelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .contact_directory import CONF_NAME, CONF_NUMBERS
from .contact_store import CONF_PHONEBOOK_ID, async_save_phonebook
from .contacts import MAX_NUMBERS_PER_CONTACT, clean_name
from .flow_fields import ExtensionListSelector
from .phonebook_errors import PhonebookError, PhonebookFailure
from .phonebook_import import (
    MAX_FILE_BYTES,
    PhonebookImport,
    read_phonebook,
    readable_number,
)

CONF_FILE = "file"
CONF_CONTACTS = "contacts"
CONF_SKIPPED = "skipped"
ACCEPTED_FILES = ".vcf,.vcard,.csv,text/vcard,text/x-vcard,text/csv"
SHOWN_SKIPPED = 5
"""Most skipped numbers the import report lists."""
NOTHING = "—"

_NUMBER_SEPARATORS = re.compile(r"[,;\n]")

NAME_SELECTOR = TextSelector(TextSelectorConfig(autocomplete="off"))
NUMBERS_SELECTOR = ExtensionListSelector(
    TextSelectorConfig(type=TextSelectorType.TEL, multiple=True, autocomplete="off")
)
"""A list of numbers; one text separated by commas or lines is accepted too."""
FILE_SELECTOR = FileSelector(FileSelectorConfig(accept=ACCEPTED_FILES))


def parse_numbers(value: str | list[str]) -> list[str]:
    """Return the numbers typed: a list, or one text separated by commas or lines.

    Raise :class:`ValueError` with the first number that is none.
    """
    items = [value] if isinstance(value, str) else value
    numbers: list[str] = []
    for item in items:
        for part in _NUMBER_SEPARATORS.split(item):
            if not (number := part.strip()):
                continue
            if readable_number(number) is None:
                raise ValueError(number)
            if number not in numbers:
                numbers.append(number)
    return numbers


class ContactSubentryFlow(ConfigSubentryFlow):
    """Add or edit one contact: a name and one or more numbers."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Ask for the name and the numbers."""
        return await self._async_step("user", user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change the name or the numbers."""
        return await self._async_step("reconfigure", user_input)

    async def _async_step(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> SubentryFlowResult:
        errors: dict[str, str] = {}
        placeholders = {"number": ""}
        if user_input is not None:
            name = clean_name(user_input.get(CONF_NAME, ""))
            numbers: list[str] = []
            if not name:
                errors[CONF_NAME] = "invalid_name"
            try:
                numbers = parse_numbers(user_input.get(CONF_NUMBERS, []))
            except ValueError as err:
                errors[CONF_NUMBERS] = "invalid_number"
                placeholders["number"] = str(err)
            else:
                if not numbers:
                    errors[CONF_NUMBERS] = "no_numbers"
                elif len(numbers) > MAX_NUMBERS_PER_CONTACT:
                    errors[CONF_NUMBERS] = "too_many_numbers"
            if not errors:
                data = {CONF_NAME: name, CONF_NUMBERS: numbers}
                if step_id == "user":
                    return self.async_create_entry(title=name, data=data)
                return self.async_update_and_abort(
                    self._get_entry(),
                    self._get_reconfigure_subentry(),
                    title=name,
                    data=data,
                    reason="contact_saved",
                )
        suggested: Mapping[str, Any] = user_input or (
            self._get_reconfigure_subentry().data if step_id == "reconfigure" else {}
        )
        schema = probatio.Schema(
            {
                probatio.Required(CONF_NAME): NAME_SELECTOR,
                probatio.Required(CONF_NUMBERS): NUMBERS_SELECTOR,
            }
        )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
            description_placeholders=placeholders,
        )


def _read_upload(hass: HomeAssistant, file_id: str) -> PhonebookImport:
    """Read an uploaded file (in the executor); the upload is deleted after."""
    try:
        with process_uploaded_file(hass, file_id) as path:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise PhonebookError(PhonebookFailure.TOO_LARGE)
            return read_phonebook(path.read_bytes())
    except ValueError:
        raise PhonebookError(PhonebookFailure.MISSING) from None


def left_out(result: PhonebookImport) -> str | None:
    """Return which report says what an import left out; None: the full one.

    A report only lists what was left out: *Números deixados de fora (0): —*
    tells nothing.
    """
    numbers, contacts = bool(result.skipped_numbers), bool(result.skipped_contacts)
    if numbers and contacts:
        return None
    if numbers:
        return "numbers_left_out"
    return "contacts_left_out" if contacts else "nothing_left_out"


def import_report(name: str, result: PhonebookImport) -> dict[str, str]:
    """Return the placeholders that say what an import took and left out."""
    skipped = [
        f"{contact}: {number}" if contact else number
        for contact, number in result.skipped_numbers[:SHOWN_SKIPPED]
    ]
    if len(result.skipped_numbers) > SHOWN_SKIPPED:
        skipped.append("…")
    return {
        CONF_NAME: name,
        CONF_CONTACTS: str(len(result.contacts)),
        CONF_NUMBERS: str(result.numbers),
        CONF_SKIPPED: str(len(result.skipped_numbers)),
        "skipped_numbers": "; ".join(skipped) or NOTHING,
        "skipped_contacts": str(result.skipped_contacts),
    }


class PhonebookSubentryFlow(ConfigSubentryFlow):
    """Add a phone book from a file, or replace its contacts with a new file."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Ask for a name and the file; import it."""
        errors: dict[str, str] = {}
        if user_input is not None:
            name = clean_name(user_input.get(CONF_NAME, ""))
            if not name:
                errors[CONF_NAME] = "invalid_name"
            else:
                result = await self._async_import(user_input[CONF_FILE], errors)
                if result is not None:
                    return self.async_create_entry(
                        title=name,
                        data=await self._async_data(name, result),
                        description=left_out(result),
                        description_placeholders=import_report(name, result),
                    )
        schema = probatio.Schema(
            {
                probatio.Required(CONF_NAME): NAME_SELECTOR,
                probatio.Required(CONF_FILE): FILE_SELECTOR,
            }
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Rename the phone book, or replace its contacts with a new file."""
        subentry = self._get_reconfigure_subentry()
        errors: dict[str, str] = {}
        if user_input is not None:
            name = clean_name(user_input.get(CONF_NAME, ""))
            if not name:
                errors[CONF_NAME] = "invalid_name"
            elif CONF_FILE not in user_input:
                return self.async_update_and_abort(
                    self._get_entry(),
                    subentry,
                    title=name,
                    data_updates={CONF_NAME: name},
                    reason="phonebook_renamed",
                )
            elif (
                result := await self._async_import(user_input[CONF_FILE], errors)
            ) is not None:
                self.hass.config_entries.async_update_subentry(
                    self._get_entry(),
                    subentry,
                    title=name,
                    data=await self._async_data(name, result),
                )
                report = left_out(result)
                return self.async_abort(
                    reason=f"phonebook_replaced_{report}"
                    if report
                    else "phonebook_replaced",
                    description_placeholders=import_report(name, result),
                )
        schema = probatio.Schema(
            {
                probatio.Required(CONF_NAME): NAME_SELECTOR,
                probatio.Optional(CONF_FILE): FILE_SELECTOR,
            }
        )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                schema, {CONF_NAME: subentry.data[CONF_NAME]}
            ),
            errors=errors,
        )

    async def _async_import(
        self, file_id: str, errors: dict[str, str]
    ) -> PhonebookImport | None:
        """Read the uploaded file; on failure, put the reason in ``errors``."""
        try:
            return await self.hass.async_add_executor_job(
                _read_upload, self.hass, file_id
            )
        except PhonebookError as err:
            errors[CONF_FILE] = err.reason
            return None

    async def _async_data(self, name: str, result: PhonebookImport) -> dict[str, Any]:
        """Store the contacts; return the subentry's data (their store and counts)."""
        phonebook_id = await async_save_phonebook(
            self.hass, self._get_entry().entry_id, result.contacts
        )
        return {
            CONF_NAME: name,
            CONF_PHONEBOOK_ID: phonebook_id,
            CONF_CONTACTS: len(result.contacts),
            CONF_NUMBERS: result.numbers,
            CONF_SKIPPED: len(result.skipped_numbers),
        }
