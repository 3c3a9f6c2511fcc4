"""Helpers of the contact tests: subentries, their flows and file uploads."""

from types import MappingProxyType
from typing import Any

from aiohttp import FormData

from custom_components.bemmelhor.contact_directory import (
    SUBENTRY_CONTACT,
    SUBENTRY_PHONEBOOK,
)
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntry,
    ConfigSubentry,
    ConfigSubentryData,
    SubentryFlowContext,
    SubentryFlowResult,
)
from homeassistant.core import HomeAssistant

from .helpers import WebhookClient

MARIA = "Maria Silva"
MARIA_MOBILE = "+55 11 98765-4321"


def contact_data(name: str = MARIA, *numbers: str) -> ConfigSubentryData:
    """Return a ``contact`` subentry for ``MockConfigEntry(subentries_data=...)``."""
    return ConfigSubentryData(
        data={"name": name, "numbers": list(numbers or (MARIA_MOBILE,))},
        subentry_type=SUBENTRY_CONTACT,
        title=name,
        unique_id=None,
    )


def contact_subentry(name: str = MARIA, *numbers: str) -> ConfigSubentry:
    """Return a ``contact`` subentry, to add to an entry."""
    data = contact_data(name, *numbers)
    return ConfigSubentry(
        data=MappingProxyType(data["data"]),
        subentry_type=data["subentry_type"],
        title=data["title"],
        unique_id=None,
    )


async def async_add_contact(
    hass: HomeAssistant, entry: ConfigEntry, name: str = MARIA, *numbers: str
) -> ConfigSubentry:
    """Add a contact to a loaded entry as the UI does, and wait for the new index."""
    subentry = contact_subentry(name, *numbers)
    hass.config_entries.async_add_subentry(entry, subentry)
    await hass.async_block_till_done()
    return subentry


async def async_upload(
    client: WebhookClient, content: bytes | str, file_name: str = "contatos.vcf"
) -> str:
    """Upload a file as the file selector does; return its id."""
    form = FormData()
    form.add_field("file", content, filename=file_name)
    response = await client.post("/api/file_upload", data=form)
    assert response.status == 200
    file_id: str = (await response.json())["file_id"]
    return file_id


async def async_subentry_flow(
    hass: HomeAssistant,
    entry: ConfigEntry,
    subentry_type: str,
    user_input: dict[str, Any] | None = None,
    subentry_id: str | None = None,
) -> SubentryFlowResult:
    """Start a subentry flow (reconfigure when given a subentry) and answer it once."""
    context = SubentryFlowContext(source=SOURCE_USER)
    if subentry_id is not None:
        context = SubentryFlowContext(
            source=SOURCE_RECONFIGURE, subentry_id=subentry_id
        )
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, subentry_type), context=context
    )
    if user_input is None:
        return result
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], user_input
    )
    await hass.async_block_till_done()
    return result


async def async_import_phonebook(
    hass: HomeAssistant,
    entry: ConfigEntry,
    client: WebhookClient,
    content: bytes | str,
    name: str = "Clientes",
    subentry_id: str | None = None,
) -> SubentryFlowResult:
    """Upload a file and import it as a phone book (or replace one)."""
    file_id = await async_upload(client, content)
    return await async_subentry_flow(
        hass,
        entry,
        SUBENTRY_PHONEBOOK,
        {"name": name, "file": file_id},
        subentry_id,
    )
