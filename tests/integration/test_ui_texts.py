"""What the dialogs and attributes read, in English and Brazilian Portuguese.

The webhook URL is copyable text in a note, not a link (Home Assistant renders
these texts as Markdown: a bare URL becomes a link, inline code does not, and
a note's text wraps where a fenced block would scroll). Labels, attribute
values and the reconfigure result are the integration's own, in both languages.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.bemmelhor.api import Disposition
from custom_components.bemmelhor.call_log.model.calls import Direction
from custom_components.bemmelhor.const import DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations

TRANSLATIONS = Path(__file__).parents[2] / "custom_components" / DOMAIN / "translations"

WEBHOOK_URL_AS_CODE = "> [!NOTE]\n> `{webhook_url}`"

WEBHOOK_URL_TEXTS = [
    ("config", "config.create_entry.default"),
    ("options", "options.step.init.description"),
    ("issues", "issues.webhook_missing.description"),
]
"""Where the webhook URL is shown: set-up success, options, repair."""


def labels(tree: dict[str, Any]) -> dict[str, str]:
    """Return every field label of the config, reconfigure and options forms."""
    found: dict[str, str] = {}
    for flow in ("config", "options"):
        for step_id, step in tree[flow]["step"].items():
            parts = [("", step), *(step.get("sections") or {}).items()]
            for section_id, part in parts:
                for field, label in (part.get("data") or {}).items():
                    found[f"{flow}.{step_id}.{section_id}.{field}"] = label
    return found


def read(language: str) -> dict[str, Any]:
    """Return a translation file."""
    tree: dict[str, Any] = json.loads(
        (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    )
    return tree


@pytest.mark.parametrize("language", ["en", "pt-BR"])
@pytest.mark.parametrize(("category", "key"), WEBHOOK_URL_TEXTS)
async def test_webhook_url_is_copyable_text(
    hass: HomeAssistant, language: str, category: str, key: str
) -> None:
    """The URL stands alone as inline code in a note: no link, and it wraps."""
    translations = await async_get_translations(hass, language, category, [DOMAIN])
    text = translations[f"component.{DOMAIN}.{key}"]

    assert WEBHOOK_URL_AS_CODE in text
    assert text.count("{webhook_url}") == 1


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("config.step.user.data.host", "Endereço (host)"),
        ("config.step.reconfigure.data.host", "Endereço (host)"),
        ("config.step.user.data.client_id", "ID do cliente"),
        ("options.step.init.data.client_id", "ID do cliente"),
    ],
)
async def test_portuguese_labels(hass: HomeAssistant, key: str, label: str) -> None:
    """Host and client id read in Portuguese on a pt-BR system."""
    category = key.split(".", 1)[0]
    translations = await async_get_translations(hass, "pt-BR", category, [DOMAIN])

    assert translations[f"component.{DOMAIN}.{key}"] == label


def test_no_portuguese_label_left_in_english() -> None:
    """No field of the config, reconfigure and options forms keeps its English label."""
    english = labels(read("en"))
    portuguese = labels(read("pt-BR"))

    assert [key for key, label in portuguese.items() if english[key] == label] == []


@pytest.mark.parametrize("language", ["en", "pt-BR"])
@pytest.mark.parametrize("sensor", ["call_state", "last_call"])
async def test_direction_values_translated(
    hass: HomeAssistant, language: str, sensor: str
) -> None:
    """The ``direction`` attribute has a name and reads outbound/inbound/internal."""
    translations = await async_get_translations(hass, language, "entity", [DOMAIN])
    attribute = f"component.{DOMAIN}.entity.sensor.{sensor}.state_attributes.direction"

    assert {
        f"{attribute}.name",
        *(f"{attribute}.state.{direction.value}" for direction in Direction),
    } <= translations.keys()


@pytest.mark.parametrize("language", ["en", "pt-BR"])
async def test_disposition_values_translated(
    hass: HomeAssistant, language: str
) -> None:
    """The last call's ``disposition`` attribute reads like the outcome sensor."""
    translations = await async_get_translations(hass, language, "entity", [DOMAIN])
    sensors = f"component.{DOMAIN}.entity.sensor"

    assert {
        disposition.value: translations[
            f"{sensors}.last_call.state_attributes.disposition.state.{disposition.value}"
        ]
        for disposition in Disposition
    } == {
        disposition.value: translations[
            f"{sensors}.last_disposition.state.{disposition.value}"
        ]
        for disposition in Disposition
    }


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("binary_sensor.on_call.state.on", "Sim"),
        ("binary_sensor.on_call.state.off", "Não"),
        ("calendar.call_history.state.off", "Registrando ligações"),
    ],
)
async def test_states_read_right_for_a_phone(
    hass: HomeAssistant, key: str, text: str
) -> None:
    """*On call* reads yes or no, and the history never says *Desligado* (hung up)."""
    translations = await async_get_translations(hass, "pt-BR", "entity", [DOMAIN])

    assert translations[f"component.{DOMAIN}.entity.{key}"] == text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The PBX address was changed."),
        ("pt-BR", "O endereço do PABX foi alterado."),
    ],
)
async def test_reconfigure_success_is_the_integrations_own(
    hass: HomeAssistant, language: str, text: str
) -> None:
    """A successful reconfigure ends with the integration's text, not the generic one."""
    translations = await async_get_translations(hass, language, "config", [DOMAIN])

    assert (
        translations[f"component.{DOMAIN}.config.abort.reconfigure_successful"] == text
    )


@pytest.mark.parametrize("language", ["en", "pt-BR"])
async def test_example_url_is_not_a_link(hass: HomeAssistant, language: str) -> None:
    """The host field's example URL is inline code: clicking it goes nowhere."""
    translations = await async_get_translations(hass, language, "config", [DOMAIN])

    assert (
        "`{example_url}`"
        in translations[f"component.{DOMAIN}.config.step.user.data_description.host"]
    )
