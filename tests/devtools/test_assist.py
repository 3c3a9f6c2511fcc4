"""Assist in the demo: the pipeline's language, and answers told by their templates."""

from typing import Any

import pytest

from devtools.assist import answer_key, pipeline_update, voice_templates
from devtools.browser_assist import EXPECTED
from devtools.demo_voice import ASKED_IN_THE_BROWSER, VOICE_CHECKS

ENGLISH_PIPELINE: dict[str, Any] = {
    "conversation_engine": "conversation.home_assistant",
    "conversation_language": "en",
    "language": "en",
    "name": "Home Assistant",
    "stt_engine": None,
    "stt_language": None,
    "tts_engine": None,
    "tts_language": None,
    "tts_voice": None,
    "wake_word_entity": None,
    "wake_word_id": None,
    "prefer_local_intents": False,
    "id": "01m93wdg0pv0kamv18nmj0hads",
}
CALLS_TODAY = ("calls_none", "calls_one", "calls_many")


def test_an_english_pipeline_is_set_to_portuguese() -> None:
    """Its language and its agent's language change; the rest is sent as it is."""
    settings = pipeline_update(ENGLISH_PIPELINE, "pt-BR")

    assert settings is not None
    assert settings["language"] == settings["conversation_language"] == "pt-BR"
    assert "id" not in settings
    assert settings["name"] == "Home Assistant"
    assert settings["tts_engine"] is None


def test_a_pipeline_in_the_language_is_left_alone() -> None:
    """Nothing to send when the pipeline speaks the language already."""
    assert pipeline_update(ENGLISH_PIPELINE, "en") is None


@pytest.mark.parametrize(
    ("language", "answer", "keys", "found"),
    [
        ("pt-BR", "Ligando para Maria Silva do ramal 6001", ("calling",), "calling"),
        ("pt-BR", "Ligando para Maria Silva do ramal 6002", ("calling",), None),
        ("pt-BR", "Calling Maria Silva from extension 6001", ("calling",), None),
        ("pt-BR", "Desculpe, não consegui entender", ("calling",), None),
        ("pt-BR", "Ninguém ligou hoje.", CALLS_TODAY, "calls_none"),
        (
            "pt-BR",
            "3 ligações hoje: Maria Silva 2 vezes (a última às 13:05) "
            "e (32) 99999-9999 às 10:30.",
            CALLS_TODAY,
            "calls_many",
        ),
        ("pt-BR", "Nobody called today.", CALLS_TODAY, None),
        ("en", "One call today: Extension 6002 at 14:00.", CALLS_TODAY, "calls_one"),
    ],
)
def test_answers_are_told_by_their_templates(
    language: str, answer: str, keys: tuple[str, ...], found: str | None
) -> None:
    """An answer is the integration's in the language, with the extension expected."""
    templates = voice_templates(language)

    assert answer_key(answer, templates, keys, extension="6001") == found


@pytest.mark.parametrize("language", ["pt-BR", "en"])
def test_every_language_of_the_demo_has_its_phrases(language: str) -> None:
    """The demo asks Assist in each of its languages, with templates to check."""
    templates = voice_templates(language)

    assert language in VOICE_CHECKS
    assert len(ASKED_IN_THE_BROWSER[language]) == len(EXPECTED)
    assert all(key in templates for keys in EXPECTED for key in keys)
