"""Contacts on the integration's page: the ``contact`` and ``phonebook`` subentry flows.

Real flows through Home Assistant's subentry flow manager; phone books are
uploaded through Home Assistant's file upload view, as the file selector
does. The entry stays loaded: the contact index follows every change.
"""

import json
from pathlib import Path
import re
import tempfile
import time
from types import MappingProxyType
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bemmelhor.const import DOMAIN
from custom_components.bemmelhor.contact_directory import (
    SUBENTRY_CONTACT,
    SUBENTRY_PHONEBOOK,
    ContactDirectory,
)
from custom_components.bemmelhor.contact_flows import left_out
from custom_components.bemmelhor.contact_store import storage_key
from custom_components.bemmelhor.phonebook_import import FileFormat, PhonebookImport
from homeassistant.config_entries import ConfigSubentry, SubentryFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .contact_helpers import (
    MARIA,
    MARIA_MOBILE,
    async_add_contact,
    async_import_phonebook,
    async_subentry_flow,
    async_upload,
    contact_subentry,
)
from .helpers import WebhookClient
from .phonebooks import GOOGLE_CSV, VCARD_30, vcards

TRANSLATIONS = Path(__file__).parents[2] / "custom_components" / DOMAIN / "translations"
MARIA_CALLS = "011987654321"
"""Maria Silva's mobile, as the PBX writes it."""


@pytest.fixture
async def upload_client(
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> WebhookClient:
    """Return a logged-in client of Home Assistant, to upload files with.

    Uploads go to a folder of the test's own: Home Assistant's upload folder
    in the system's temporary folder is emptied by every Home Assistant that
    starts (other test workers, a demo).
    """
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return await hass_client()


def suggested(result: SubentryFlowResult, field: str) -> Any:
    """Return the value a form suggests for a field."""
    schema = result["data_schema"]
    assert schema is not None
    (key,) = [key for key in schema.schema if key == field]
    return key.description["suggested_value"]


def contacts_of(entry: MockConfigEntry) -> ContactDirectory:
    """Return the contact directory of a loaded entry."""
    directory: ContactDirectory = entry.runtime_data.coordinator.contacts
    return directory


def only_subentry(entry: MockConfigEntry) -> ConfigSubentry:
    """Return the entry's one subentry."""
    (subentry,) = entry.subentries.values()
    return subentry


def translation(language: str) -> dict[str, Any]:
    """Return a translation file of the integration."""
    loaded: dict[str, Any] = json.loads(
        (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    )
    return loaded


# One contact


async def test_add_contact(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A contact added on the page names its numbers at once, without a reload."""
    result = await async_subentry_flow(
        hass,
        init_integration,
        SUBENTRY_CONTACT,
        {
            "name": "  Maria   Silva ",
            "numbers": ["+55 11 98765-4321", "(11) 3456-7890"],
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert only_subentry(init_integration).title == MARIA
    assert only_subentry(init_integration).data == {
        "name": MARIA,
        "numbers": ["+55 11 98765-4321", "(11) 3456-7890"],
    }
    assert contacts_of(init_integration).name_of(MARIA_CALLS) == MARIA
    assert contacts_of(init_integration).name_of("01134567890") == MARIA


async def test_numbers_may_be_one_text(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Numbers typed in one field, separated by commas or lines, are split."""
    await async_subentry_flow(
        hass,
        init_integration,
        SUBENTRY_CONTACT,
        {"name": MARIA, "numbers": "+55 11 98765-4321, (11) 3456-7890\n6005"},
    )

    assert only_subentry(init_integration).data["numbers"] == [
        "+55 11 98765-4321",
        "(11) 3456-7890",
        "6005",
    ]


@pytest.mark.parametrize(
    ("user_input", "errors", "number"),
    [
        ({"name": " ", "numbers": ["011987654321"]}, {"name": "invalid_name"}, ""),
        ({"name": MARIA, "numbers": []}, {"numbers": "no_numbers"}, ""),
        ({"name": MARIA, "numbers": ["", " "]}, {"numbers": "no_numbers"}, ""),
        (
            {"name": MARIA, "numbers": ["011987654321", "ramal 23"]},
            {"numbers": "invalid_number"},
            "ramal 23",
        ),
        (
            {"name": MARIA, "numbers": [f"1198765{n:04d}" for n in range(21)]},
            {"numbers": "too_many_numbers"},
            "",
        ),
    ],
)
async def test_contact_form_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    user_input: dict[str, Any],
    errors: dict[str, str],
    number: str,
) -> None:
    """A contact without a name or a readable number is refused, then fixed."""
    result = await async_subentry_flow(
        hass, init_integration, SUBENTRY_CONTACT, user_input
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert result["description_placeholders"] == {"number": number}
    assert init_integration.subentries == {}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": MARIA, "numbers": ["011987654321"]}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_edit_contact(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An edited contact names its new number, no longer its old one."""
    subentry = await async_add_contact(hass, init_integration)
    form = await async_subentry_flow(
        hass, init_integration, SUBENTRY_CONTACT, subentry_id=subentry.subentry_id
    )

    result = await hass.config_entries.subentries.async_configure(
        form["flow_id"], {"name": "Maria S.", "numbers": ["(21) 99999-0000"]}
    )
    await hass.async_block_till_done()

    assert suggested(form, "name") == MARIA
    assert suggested(form, "numbers") == [MARIA_MOBILE]
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "contact_saved"
    assert "translation_domain" not in result
    assert only_subentry(init_integration).title == "Maria S."
    assert contacts_of(init_integration).name_of("021999990000") == "Maria S."
    assert contacts_of(init_integration).name_of(MARIA_CALLS) is None


async def test_delete_contact(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A deleted contact no longer names its number."""
    subentry = await async_add_contact(hass, init_integration)

    hass.config_entries.async_remove_subentry(init_integration, subentry.subentry_id)
    await hass.async_block_till_done()

    assert contacts_of(init_integration).name_of(MARIA_CALLS) is None


# Phone books


async def test_import_phonebook(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    upload_client: WebhookClient,
    hass_storage: dict[str, Any],
) -> None:
    """A vCard file becomes a phone book; the flow says what it imported."""
    result = await async_import_phonebook(
        hass, init_integration, upload_client, VCARD_30
    )
    subentry = only_subentry(init_integration)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["description"] == "nothing_left_out"  # no "left out (0): —"
    assert result["description_placeholders"] == {
        "name": "Clientes",
        "contacts": "3",
        "numbers": "4",
        "skipped": "0",
        "skipped_numbers": "—",
        "skipped_contacts": "0",
    }
    assert subentry.title == "Clientes"
    assert subentry.data == {
        "name": "Clientes",
        "phonebook_id": subentry.data["phonebook_id"],
        "contacts": 3,
        "numbers": 4,
        "skipped": 0,
    }
    key = storage_key(init_integration.entry_id, subentry.data["phonebook_id"])
    assert hass_storage[key]["data"]["contacts"][0] == [
        MARIA,
        ["+55 (11) 98765-4321", "(11) 3456-7890"],
    ]
    assert contacts_of(init_integration).name_of(MARIA_CALLS) == MARIA
    assert contacts_of(init_integration).name_of("02122223333") == "João Conceição"


async def test_import_lists_skipped_numbers(
    hass: HomeAssistant, init_integration: MockConfigEntry, upload_client: WebhookClient
) -> None:
    """Numbers that cannot be read are listed, five at most; the rest imported."""
    rows = "".join(f"Pessoa {n},ramal {n}\n" for n in range(7))
    content = f"Name,Mobile Phone\nMaria Silva,011987654321\n{rows}".encode()

    result = await async_import_phonebook(
        hass, init_integration, upload_client, content
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["description"] is None  # the full report
    assert result["description_placeholders"] == {
        "name": "Clientes",
        "contacts": "1",
        "numbers": "1",
        "skipped": "7",
        "skipped_numbers": "Pessoa 0: ramal 0; Pessoa 1: ramal 1; Pessoa 2: ramal 2;"
        " Pessoa 3: ramal 3; Pessoa 4: ramal 4; …",
        "skipped_contacts": "7",
    }


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unsupported_file", id="png"
        ),
        pytest.param(
            b"Name,Email\nMaria,m@example.com\n", "unsupported_file", id="csv"
        ),
        pytest.param(
            b"Nome,Telefone\nJ\x81\x8d,1\n", "invalid_encoding", id="encoding"
        ),
        pytest.param(b"Name,Phone\nMaria,abc\n", "no_contacts", id="no-contacts"),
        pytest.param(b"x" * (5 * 1024 * 1024 + 1), "file_too_large", id="too-large"),
    ],
)
async def test_refused_file(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    upload_client: WebhookClient,
    hass_storage: dict[str, Any],
    content: bytes,
    error: str,
) -> None:
    """A file that cannot be read is refused on the form; nothing of it is kept."""
    stores_before = set(hass_storage)

    result = await async_import_phonebook(
        hass, init_integration, upload_client, content
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"file": error}
    assert init_integration.subentries == {}
    assert set(hass_storage) == stores_before


async def test_upload_gone(
    hass: HomeAssistant, init_integration: MockConfigEntry, upload_client: WebhookClient
) -> None:
    """A file id whose upload is gone asks for the file again."""
    result = await async_subentry_flow(
        hass,
        init_integration,
        SUBENTRY_PHONEBOOK,
        {"name": "Clientes", "file": "01234567-89ab-cdef-0123-456789abcdef"},
    )

    assert result["errors"] == {"file": "file_missing"}


async def test_phonebook_needs_a_name(
    hass: HomeAssistant, init_integration: MockConfigEntry, upload_client: WebhookClient
) -> None:
    """A phone book without a name is refused before its file is read."""
    result = await async_import_phonebook(
        hass, init_integration, upload_client, VCARD_30, name="  "
    )

    assert result["errors"] == {"name": "invalid_name"}


async def test_new_file_replaces_the_contacts(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    upload_client: WebhookClient,
    hass_storage: dict[str, Any],
) -> None:
    """A reconfigured phone book holds only the new file's contacts."""
    await async_import_phonebook(hass, init_integration, upload_client, VCARD_30)
    old_id = only_subentry(init_integration).data["phonebook_id"]

    result = await async_import_phonebook(
        hass,
        init_integration,
        upload_client,
        GOOGLE_CSV,
        name="Google",
        subentry_id=only_subentry(init_integration).subentry_id,
    )
    subentry = only_subentry(init_integration)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "phonebook_replaced_nothing_left_out"
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["contacts"] == "2"
    assert (subentry.title, subentry.data["contacts"]) == ("Google", 2)
    assert storage_key(init_integration.entry_id, old_id) not in hass_storage
    assert contacts_of(init_integration).name_of("02122223333") is None
    assert contacts_of(init_integration).name_of("021999990000") == (
        "Pedro Henrique Souza"
    )


async def test_failed_upload_keeps_the_contacts(
    hass: HomeAssistant, init_integration: MockConfigEntry, upload_client: WebhookClient
) -> None:
    """A new file that cannot be read changes nothing."""
    await async_import_phonebook(hass, init_integration, upload_client, VCARD_30)
    before = only_subentry(init_integration).data

    result = await async_import_phonebook(
        hass,
        init_integration,
        upload_client,
        b"\x00\x01",
        subentry_id=only_subentry(init_integration).subentry_id,
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"file": "unsupported_file"}
    assert only_subentry(init_integration).data == before
    assert contacts_of(init_integration).name_of(MARIA_CALLS) == MARIA


async def test_rename_phonebook_keeps_its_contacts(
    hass: HomeAssistant, init_integration: MockConfigEntry, upload_client: WebhookClient
) -> None:
    """Reconfigured without a file, a phone book only changes its name."""
    await async_import_phonebook(hass, init_integration, upload_client, VCARD_30)
    subentry = only_subentry(init_integration)

    result = await async_subentry_flow(
        hass,
        init_integration,
        SUBENTRY_PHONEBOOK,
        {"name": "Clientes 2026"},
        subentry.subentry_id,
    )

    assert result["reason"] == "phonebook_renamed"
    assert "translation_domain" not in result
    assert only_subentry(init_integration).title == "Clientes 2026"
    assert (
        only_subentry(init_integration).data["phonebook_id"]
        == (subentry.data["phonebook_id"])
    )
    assert contacts_of(init_integration).name_of(MARIA_CALLS) == MARIA


async def test_reconfigure_form_errors(
    hass: HomeAssistant, init_integration: MockConfigEntry, upload_client: WebhookClient
) -> None:
    """The reconfigure form shows the name, and refuses an empty one."""
    await async_import_phonebook(hass, init_integration, upload_client, VCARD_30)
    subentry_id = only_subentry(init_integration).subentry_id
    form = await async_subentry_flow(
        hass, init_integration, SUBENTRY_PHONEBOOK, subentry_id=subentry_id
    )

    result = await hass.config_entries.subentries.async_configure(
        form["flow_id"], {"name": ""}
    )

    assert suggested(form, "name") == "Clientes"
    assert result["errors"] == {"name": "invalid_name"}


async def test_delete_phonebook_deletes_its_store(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    upload_client: WebhookClient,
    hass_storage: dict[str, Any],
) -> None:
    """A deleted phone book's contacts and store are gone."""
    await async_import_phonebook(hass, init_integration, upload_client, VCARD_30)
    subentry = only_subentry(init_integration)

    hass.config_entries.async_remove_subentry(init_integration, subentry.subentry_id)
    await hass.async_block_till_done()

    key = storage_key(init_integration.entry_id, subentry.data["phonebook_id"])
    assert key not in hass_storage
    assert contacts_of(init_integration).name_of(MARIA_CALLS) is None


async def test_ten_thousand_contacts(
    hass: HomeAssistant, init_integration: MockConfigEntry, upload_client: WebhookClient
) -> None:
    """10,000 contacts import in well under a few seconds, into a store of their own."""
    content = vcards(10_000)
    started = time.perf_counter()

    result = await async_import_phonebook(
        hass, init_integration, upload_client, content
    )

    elapsed = time.perf_counter() - started
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert elapsed < 5
    assert len(json.dumps(dict(only_subentry(init_integration).data))) < 200
    assert contacts_of(init_integration).counts() == {
        "contacts": 10_000,
        "numbers": 10_000,
        "phonebooks": 1,
    }
    assert contacts_of(init_integration).name_of("011 90000-9999") == "Cliente 9999"


async def test_changes_in_a_row_end_with_the_last(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """A change while the index of the one before is being built: both count.

    A phone book of more than 200 contacts is indexed in the executor, so
    the second change comes while the first one's index is being built.
    """
    key = storage_key(init_integration.entry_id, "01QUICK")
    shops = [[f"Loja {n}", [f"(11) 2000-{n:04d}"]] for n in range(300)]
    hass_storage[key] = {
        "version": 1,
        "data": {"contacts": [["Padaria", ["(11) 4004-1234"]], *shops]},
    }
    phonebook = ConfigSubentry(
        data=MappingProxyType({"name": "Lojas", "phonebook_id": "01QUICK"}),
        subentry_type=SUBENTRY_PHONEBOOK,
        title="Lojas",
        unique_id=None,
    )

    hass.config_entries.async_add_subentry(init_integration, phonebook)
    hass.config_entries.async_add_subentry(init_integration, contact_subentry())
    await hass.async_block_till_done()

    assert contacts_of(init_integration).name_of("011 4004-1234") == "Padaria"
    assert contacts_of(init_integration).name_of(MARIA_CALLS) == MARIA


# Keeping storage tidy


async def test_setup_removes_stores_of_deleted_phonebooks(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    tmp_path: Path,
) -> None:
    """A phone book deleted while its entry was not loaded loses its store at set-up."""
    hass.config.config_dir = str(tmp_path)
    (tmp_path / ".storage").mkdir(exist_ok=True)
    key = storage_key(mock_config_entry.entry_id, "01JORPHANED")
    hass_storage[key] = {"version": 1, "data": {"contacts": []}}
    (tmp_path / ".storage" / key).write_text("{}")

    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert not [key for key in hass_storage if ".phonebook." in key]


async def test_removing_entry_removes_its_phonebooks(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    upload_client: WebhookClient,
    hass_storage: dict[str, Any],
    tmp_path: Path,
) -> None:
    """Deleting the integration entry deletes its phone books."""
    await async_import_phonebook(hass, init_integration, upload_client, VCARD_30)
    key = storage_key(
        init_integration.entry_id, only_subentry(init_integration).data["phonebook_id"]
    )
    hass.config.config_dir = str(tmp_path)
    (tmp_path / ".storage").mkdir(exist_ok=True)
    (tmp_path / ".storage" / key).write_text("{}")

    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()

    assert key not in hass_storage


async def test_missing_store_is_an_empty_phonebook(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    upload_client: WebhookClient,
    hass_storage: dict[str, Any],
) -> None:
    """A phone book whose store is gone or damaged names nothing, and breaks nothing."""
    await async_import_phonebook(hass, init_integration, upload_client, VCARD_30)
    subentry = only_subentry(init_integration)
    key = storage_key(init_integration.entry_id, subentry.data["phonebook_id"])
    hass_storage[key] = {
        "version": 1,
        "data": {"contacts": [[MARIA, ["011987654321"]], ["\ud800", []], "x", [1, 2]]},
    }

    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert contacts_of(init_integration).counts()["contacts"] == 1


# Texts


@pytest.mark.parametrize("language", ["en", "pt-BR"])
@pytest.mark.parametrize("subentry_type", [SUBENTRY_CONTACT, SUBENTRY_PHONEBOOK])
def test_every_flow_text_is_translated(language: str, subentry_type: str) -> None:
    """Both flows have their steps, errors and reports in English and Portuguese."""
    texts = translation(language)["config_subentries"][subentry_type]

    assert set(texts["step"]) == {"user", "reconfigure"}
    assert set(texts["initiate_flow"]) == {"user", "reconfigure"}
    assert all(
        set(step["data_description"]) == set(step["data"])
        for step in texts["step"].values()
    )


@pytest.mark.parametrize("language", ["en", "pt-BR"])
def test_errors_of_the_phonebook_flow_are_translated(language: str) -> None:
    """Every reason a file is refused has a text."""
    texts = translation(language)["config_subentries"]["phonebook"]["error"]

    assert set(texts) == {
        "invalid_name",
        "file_too_large",
        "invalid_encoding",
        "unsupported_file",
        "no_contacts",
        "too_many_contacts",
        "file_missing",
    }


@pytest.mark.parametrize(
    ("skipped_numbers", "skipped_contacts", "report"),
    [
        ([], 0, "nothing_left_out"),
        ([("Maria", "ramal 23")], 0, "numbers_left_out"),
        ([], 2, "contacts_left_out"),
        ([("Maria", "ramal 23")], 2, None),
    ],
)
def test_import_report_lists_only_what_was_left_out(
    skipped_numbers: list[tuple[str, str]], skipped_contacts: int, report: str | None
) -> None:
    """Each report says only what it left out; the full one (None) both."""
    result = PhonebookImport(
        file_format=FileFormat.VCARD,
        skipped_numbers=skipped_numbers,
        skipped_contacts=skipped_contacts,
    )

    assert left_out(result) == report


@pytest.mark.parametrize("language", ["en", "pt-BR"])
@pytest.mark.parametrize(
    ("section", "key"),
    [
        *(
            ("create_entry", key)
            for key in (
                "default",
                "nothing_left_out",
                "numbers_left_out",
                "contacts_left_out",
            )
        ),
        *(
            ("abort", f"phonebook_replaced{suffix}")
            for suffix in (
                "",
                "_nothing_left_out",
                "_numbers_left_out",
                "_contacts_left_out",
            )
        ),
    ],
)
async def test_import_report_fills_every_placeholder(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    upload_client: WebhookClient,
    language: str,
    section: str,
    key: str,
) -> None:
    """The report's texts use only the placeholders the flow gives."""
    result = await async_import_phonebook(
        hass, init_integration, upload_client, VCARD_30
    )
    text = translation(language)["config_subentries"]["phonebook"][section][key]

    assert result["description_placeholders"] is not None
    assert set(re.findall(r"{(\w+)}", text)) <= set(result["description_placeholders"])


async def test_upload_helper_returns_an_id(upload_client: WebhookClient) -> None:
    """The upload view answers with a file id (the file selector's value)."""
    assert len(await async_upload(upload_client, VCARD_30.encode())) == 32
