"""The voice part of the demo: sentence files, the demo user's person, forms."""

from pathlib import Path
from typing import Any

import annotatedyaml

from devtools.demo import REPO, SENTENCES
from devtools.demo_voice import (
    VOICE_EXTENSION,
    install_custom_sentences,
    person_of_user,
    suggested_input,
)


def test_the_sentences_of_every_language_are_copied(tmp_path: Path) -> None:
    """Each language's file lands where Home Assistant reads custom sentences."""
    copied = install_custom_sentences(tmp_path, SENTENCES)

    assert copied == [
        tmp_path / "custom_sentences" / "en" / "bemmelhor.yaml",
        tmp_path / "custom_sentences" / "pt-BR" / "bemmelhor.yaml",
    ]
    assert (
        copied[1].read_bytes() == (SENTENCES / "pt-BR" / "bemmelhor.yaml").read_bytes()
    )


def test_the_sentences_are_copied_again_at_every_start(tmp_path: Path) -> None:
    """An older copy is replaced by the working tree's file."""
    old = tmp_path / "custom_sentences" / "en" / "bemmelhor.yaml"
    old.parent.mkdir(parents=True)
    old.write_text("language: en\n", encoding="utf-8")

    install_custom_sentences(tmp_path, SENTENCES)

    assert old.read_bytes() == (SENTENCES / "en" / "bemmelhor.yaml").read_bytes()


def test_a_forms_suggested_values_are_its_input() -> None:
    """Suggested values are submitted as they are; empty ones are left out."""
    step: dict[str, Any] = {
        "data_schema": [
            {"name": "extensions", "description": {"suggested_value": ["6001"]}},
            {"name": "history_days", "description": {"suggested_value": 90}},
            {"name": "area_code", "description": {"suggested_value": ""}},
            {"name": "client_id"},
            {"name": VOICE_EXTENSION, "description": None},
        ]
    }

    assert suggested_input(step) == {"extensions": ["6001"], "history_days": 90}


def test_a_form_without_fields_has_no_input() -> None:
    """A step without a schema (a result) suggests nothing."""
    assert suggested_input({"type": "create_entry"}) == {}


def test_the_person_of_a_user_is_found_in_the_states() -> None:
    """Only a person whose user is the one asked for."""
    states: list[dict[str, Any]] = [
        {"entity_id": "sensor.user_id", "attributes": {"user_id": "u1"}},
        {"entity_id": "person.other", "attributes": {"user_id": "u2"}},
        {"entity_id": "person.demo", "attributes": {"user_id": "u1"}},
    ]

    assert person_of_user(states, "u1") == "person.demo"
    assert person_of_user(states, "u3") is None


def test_the_demo_configures_assist_and_people() -> None:
    """configuration.yaml loads the voice assistant and people explicitly."""
    config = annotatedyaml.load_yaml(str(REPO / "config" / "configuration.yaml"))

    assert isinstance(config, dict)
    assert {"conversation", "assist_pipeline", "person"} <= config.keys()
