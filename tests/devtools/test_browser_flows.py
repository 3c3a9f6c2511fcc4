"""The pure parts of scripts/browser-check's dialogs."""

import json

from devtools.browser_check import TRANSLATIONS
from devtools.browser_flows import (
    DIALOG_PRIMARY,
    DIALOG_STEP,
    NOT_A_NUMBER,
    menu_item_script,
    refused_text,
    subentry_button_script,
)


def test_scripts_find_through_shadow_roots() -> None:
    """Every script brings deepFind and the flow dialog's lookup."""
    for script in (DIALOG_STEP, DIALOG_PRIMARY, menu_item_script("reconfigure")):
        assert "var deepFind" in script
        assert "DIALOG-DATA-ENTRY-FLOW" in script


def test_menu_item_and_subentry_row_are_quoted() -> None:
    """Values go into the scripts as JavaScript strings."""
    assert 'el.value === "reconfigure"' in menu_item_script("reconfigure")
    assert 'subentry_type === "contact"' in subentry_button_script("contact")


def test_refused_text_is_the_translated_error() -> None:
    """The Destination's refusal, as the integration words it in Portuguese."""
    pt = json.loads((TRANSLATIONS / "pt-BR.json").read_text(encoding="utf-8"))

    assert refused_text(pt, NOT_A_NUMBER).startswith('"abc" não é um número')
