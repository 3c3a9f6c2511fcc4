"""The parts behind voice calls: spoken numbers, answer languages, texts, periods."""

from datetime import datetime
from pathlib import Path

import pytest

from custom_components.bemmelhor.call_listing import Period, parse_moment, period_span
from custom_components.bemmelhor.spoken_numbers import spoken_digits
from custom_components.bemmelhor.voice_calls import CallRequest, async_choose_line
from custom_components.bemmelhor.voice_texts import (
    CallRefused,
    VoiceError,
    answer_language,
    async_voice_texts,
)
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
from homeassistant.util import dt as dt_util

NOON_IN_SAO_PAULO = "2026-11-27 15:00:00+00:00"
REQUIREMENTS_TEST = Path(__file__).parents[2] / "requirements_test.txt"


@pytest.mark.parametrize(
    ("said", "language", "digits"),
    [
        ("11 98765 4321", "pt-BR", "11987654321"),
        ("(11) 98765-4321", "en", "11987654321"),
        ("+55 11 98765-4321", "pt-BR", "+5511987654321"),
        ("seis zero zero um", "pt-BR", "6001"),
        ("Meia, três, dois", "pt", "632"),
        ("oh six one", "en-US", "061"),
        ("Maria", "pt-BR", None),
        ("seis zero zero um", "en", None),
        ("11 +55", "en", None),
        ("*72", "en", None),
        (" ", "en", None),
    ],
)
def test_spoken_digits(said: str, language: str, digits: str | None) -> None:
    """Digits and digit words of the language are a number; any other word is not."""
    assert spoken_digits(said, language) == digits


@pytest.mark.parametrize(
    ("language", "answered_in"),
    [
        ("pt-BR", "pt-BR"),
        ("pt", "pt-BR"),
        ("pt-PT", "pt-BR"),
        ("en-US", "en"),
        ("de", "en"),
        (None, "en"),
    ],
)
def test_answer_language(language: str | None, answered_in: str) -> None:
    """Portuguese of any country is answered in pt-BR; what is not spoken, in English."""
    assert answer_language(language) == answered_in


async def test_texts_fill_in_what_they_can(hass: HomeAssistant) -> None:
    """A missing placeholder or key never raises: the text is said as written."""
    texts = await async_voice_texts(hass, "pt")

    assert texts.either(["6001"]) == "6001"
    assert texts.either(["6001", "6002"]) == "6001 ou 6002"
    assert texts.text("calling", callee="Maria") == (
        "Ligando para {callee} do ramal {extension}"
    )
    assert texts.text("no_such_text") == "no_such_text"


async def test_an_unknown_refusal_is_still_answered(hass: HomeAssistant) -> None:
    """A refusal without a translation says the PBX refused."""
    texts = await async_voice_texts(hass, "en")

    assert texts.error(CallRefused("no_such_reason", {})) == (
        "The call was not placed. The Bem Melhor PBX refused it."
    )


async def test_no_pbx_without_loaded_entries(hass: HomeAssistant) -> None:
    """Choosing an extension without any PBX says there is none."""
    with pytest.raises(VoiceError) as refused:
        async_choose_line(hass, CallRequest(name="Maria"))

    assert refused.value.key == "no_pbx"


@pytest.mark.freeze_time(NOON_IN_SAO_PAULO)
@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period.RECENT, None, None),
        (Period.TODAY, "2026-11-27T00:00:00-03:00", None),
        (
            Period.THIS_MORNING,
            "2026-11-27T00:00:00-03:00",
            "2026-11-27T12:00:00-03:00",
        ),
        (
            Period.THIS_AFTERNOON,
            "2026-11-27T12:00:00-03:00",
            "2026-11-27T18:00:00-03:00",
        ),
        (Period.YESTERDAY, "2026-11-26T00:00:00-03:00", "2026-11-27T00:00:00-03:00"),
        (Period.LAST_7_DAYS, "2026-11-20T12:00:00-03:00", None),
        (Period.LAST_30_DAYS, "2026-10-28T12:00:00-03:00", None),
    ],
)
async def test_periods(
    hass: HomeAssistant, period: Period, start: str | None, end: str | None
) -> None:
    """Periods are read in Home Assistant's time zone."""
    await hass.config.async_set_time_zone("America/Sao_Paulo")

    assert period_span(period).as_dict() == {"start": start, "end": end}


async def test_moments(hass: HomeAssistant) -> None:
    """Dates, local and zoned date-times; anything else is no moment."""
    await hass.config.async_set_time_zone("America/Sao_Paulo")
    local = dt_util.get_default_time_zone()

    assert parse_moment("2026-11-27") == datetime(2026, 11, 27, tzinfo=local)
    assert parse_moment("2026-11-27", end=True) == datetime(2026, 11, 28, tzinfo=local)
    assert parse_moment("2026-11-27 08:30") == datetime(
        2026, 11, 27, 8, 30, tzinfo=local
    )
    assert parse_moment("2026-11-27T08:30:00+00:00") == datetime(
        2026, 11, 27, 8, 30, tzinfo=dt_util.UTC
    )
    assert parse_moment("amanhã") is None


async def test_voice_requirements_match_home_assistant(hass: HomeAssistant) -> None:
    """The voice tests install what Home Assistant's conversation pins.

    Updating Home Assistant updates these too (``requirements_test.txt``).
    """
    conversation = await async_get_integration(hass, "conversation")
    pinned = REQUIREMENTS_TEST.read_text(encoding="utf-8").splitlines()

    assert set(conversation.requirements) <= set(pinned)
