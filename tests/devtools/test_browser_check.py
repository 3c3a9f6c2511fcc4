"""The pure parts of scripts/browser-check."""

import json

from devtools.browser_check import (
    TRANSLATIONS,
    build_parser,
    console_message,
    english_strings,
    flat_strings,
    is_integration_error,
    page_problems,
    press_button_script,
    type_destination_script,
)


def test_defaults() -> None:
    """A demo of its own on other ports, pt-BR, screenshots in a temp folder."""
    args = build_parser().parse_args([])
    assert args.url is None
    assert args.language == "pt-BR"
    assert not args.docs
    assert args.timeout < 180
    assert (args.port, args.sim_port) != (8123, 3030)


def test_english_strings_differ_from_pt_br() -> None:
    """Only English text that pt-BR does not share, cut at placeholders."""
    english = {"a": {"title": "Call {number} from an extension", "same": "Bem Melhor"}}
    portuguese = {
        "a": {"title": "Ligar para {number} de um ramal", "same": "Bem Melhor"}
    }
    assert english_strings(english, portuguese) == {"from an extension"}


def test_english_strings_of_the_integration() -> None:
    """The real translation files give strings, none of which pt-BR holds."""
    en = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))
    pt = json.loads((TRANSLATIONS / "pt-BR.json").read_text(encoding="utf-8"))
    found = english_strings(en, pt)
    portuguese_text = "\n".join(text for _, text in flat_strings(pt))
    assert found
    assert not any(piece in portuguese_text for piece in found)


def test_page_problems() -> None:
    """Raw keys and English strings are problems, device models included."""
    text = (
        "Extension\ncomponent.bemmelhor.entity.x\n[%key:common::y%]\nfrom an extension"
    )
    problems = page_problems(text, {"from an extension", "Extension"})
    assert problems == [
        "raw translation key 'component.bemmelhor.'",
        "raw translation key '[%key'",
        "English string 'Extension'",
        "English string 'from an extension'",
    ]


def test_device_models_are_english_strings() -> None:
    """The English device models are looked for on pt-BR pages (no exceptions)."""
    en = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))
    pt = json.loads((TRANSLATIONS / "pt-BR.json").read_text(encoding="utf-8"))

    assert {"Cloud PBX", "Extension", "Bem Melhor PBX"} <= english_strings(en, pt)


def test_console_messages() -> None:
    """Console errors, exceptions and log errors; the integration's are told apart."""
    pattern = {
        "method": "Log.entryAdded",
        "params": {"entry": {"level": "error", "text": "Pattern attribute value x"}},
    }
    assert is_integration_error(console_message(pattern) or "")
    thrown = {
        "method": "Runtime.exceptionThrown",
        "params": {
            "exceptionDetails": {"exception": {"description": "bemmelhor boom"}}
        },
    }
    assert console_message(thrown) == "bemmelhor boom"
    logged = {
        "method": "Runtime.consoleAPICalled",
        "params": {"type": "error", "args": [{"value": "404"}]},
    }
    assert console_message(logged) == "404"
    assert not is_integration_error("404")
    assert (
        console_message(
            {"method": "Runtime.consoleAPICalled", "params": {"type": "log"}}
        )
        is None
    )


def test_scripts_name_the_entities() -> None:
    """The page scripts look for the given entity's row."""
    assert '"text.extension_6003_destination"' in type_destination_script(
        "text.extension_6003_destination", "6002"
    )
    assert '"6002"' in type_destination_script("text.x", "6002")
    assert '"button.extension_6003_dial"' in press_button_script(
        "button.extension_6003_dial"
    )
