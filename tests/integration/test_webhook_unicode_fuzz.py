"""Ten thousand webhook bodies, every string drawn from all of Unicode.

The generated bodies go straight into the real handler of a loaded entry
(in process, no HTTP, so that ten thousand stay fast). Every string field of
the envelope and of ``data`` is drawn from full Unicode: lone surrogates,
NUL, right-to-left marks, byte-order marks, astral planes, 64 KiB strings,
numbers as strings and strings as numbers. Each body must get one of the
webhook's answers (never an exception), and every state and bus event it
produces must encode as Home Assistant's recorder encodes it. A crash of the
interpreter (the way a lone surrogate once killed Home Assistant) takes the
test run down with it, and so fails the suite.
"""

from collections import Counter
from collections.abc import Callable
from functools import cache
import json
import logging
import random
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bemmelhor.const import EVENT_CALL_DIALING, EVENT_CALL_HANGUP
from custom_components.bemmelhor.webhook import async_handle_body
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.json import json_bytes

from .helpers import integration_records

BODIES = 10_000
SEED = 20261130
ANSWERS = {200, 400, 401, 413}
BIG = 64 * 1024

ODD_TEXT = (
    "\ud800",
    "\udfff",
    "\udbff\udbff",
    "60\ud83d01",
    "\x00",
    "60\x0001",
    "\u200f6001",
    "\u202e1006",
    "\u2066\u2069",
    "\ufeff",
    "\uffff",
    "\U0010ffff",
    "\U0001f4de",
    "٦٠٠١",
    "６００１",
    "e\u0301",
    "\n\t\r",
    "",
    " ",
    "h",
    "null",
    "NaN",
    "-0",
    "1e309",
    "2021-01-06T18:07:10.888+0000",
    "2021-02-30T10:00:00Z",
    "9999-12-31T23:59:59-01:00",
)
"""Strings that broke, or could break, a parser somewhere."""

NUMBERS_AS_STRINGS = ("6001", "6002", "6003", "032999999999", "1613584017387", "0")
STRINGS_AS_NUMBERS: tuple[object, ...] = (
    6001,
    1613584017387,
    -1,
    2**63,
    10**30,
    1.5,
    1e308,
    float("nan"),
    float("inf"),
    True,
    False,
    None,
    [],
    {},
    ["6001"],
    {"number": "6001"},
)


def unicode_text(rng: random.Random, max_length: int) -> str:
    """Return a string of code points from anywhere in Unicode, surrogates too."""
    pick: list[Callable[[], int]] = [
        lambda: rng.randint(0x20, 0x7E),
        lambda: rng.randint(0, 0x1F),
        lambda: rng.randint(0xD800, 0xDFFF),
        lambda: rng.randint(0x80, 0xFFFF),
        lambda: rng.randint(0x10000, 0x10FFFF),
        lambda: rng.choice((0x200E, 0x200F, 0x202A, 0x202E, 0x2066, 0xFEFF)),
    ]
    length = rng.randint(0, max_length)
    return "".join(chr(rng.choice(pick)()) for _ in range(length))


def field_value(rng: random.Random) -> object:
    """Return what one field of a body holds: text of any kind, or no text."""
    roll = rng.random()
    if roll < 0.30:
        return rng.choice(NUMBERS_AS_STRINGS)
    if roll < 0.55:
        return rng.choice(ODD_TEXT)
    if roll < 0.80:
        return unicode_text(rng, 24)
    if roll < 0.95:
        return rng.choice(STRINGS_AS_NUMBERS)
    if roll < 0.98:
        return unicode_text(rng, 2000)
    return rng.choice("9\ud800\u202e") * rng.choice((BIG - 200, BIG))


PLAUSIBLE: dict[str, object] = {
    "created": 1613584017387,
    "from": "6001",
    "to": "032999999999",
    "error": None,
    "serverMessage": "Chamando o destino",
    "disposition": "ANSWERED",
}


def payload(rng: random.Random) -> dict[str, Any]:
    """Return a body's JSON value: an envelope with one odd field, or all odd."""
    all_odd = rng.random() < 0.5
    odd_key = rng.choice((*PLAUSIBLE, "callId", "event", "clientId", "data", "extra"))

    def value(key: str, plausible: object) -> object:
        return field_value(rng) if all_odd or key == odd_key else plausible

    data: dict[str, Any] = {"callId": value("callId", f"call-{rng.randrange(3000)}")}
    for key, plausible in PLAUSIBLE.items():
        if rng.random() < 0.9:
            data[key] = value(key, plausible)
    if odd_key == "extra":
        data[unicode_text(rng, 4)] = field_value(rng)
    body: dict[str, Any] = {
        "event": value("event", rng.choice(("call.dialing", "call.hangup"))),
        "data": value("data", data) if odd_key == "data" else data,
    }
    if all_odd or odd_key == "clientId":
        body["clientId"] = field_value(rng)
    return body


def encode(rng: random.Random, value: dict[str, Any]) -> bytes:
    """Encode as JSON: escaped, raw UTF-8 (surrogates as invalid bytes) or cut."""
    roll = rng.random()
    if roll < 0.6:
        return json.dumps(value).encode()
    text = json.dumps(value, ensure_ascii=False)
    raw = text.encode("utf-8", "surrogatepass")
    return raw if roll < 0.95 else raw[: rng.randint(0, len(raw))]


@cache
def generated_bodies() -> tuple[bytes, ...]:
    """Return the bodies, the same on every run."""
    rng = random.Random(SEED)
    return tuple(encode(rng, payload(rng)) for _ in range(BODIES))


@pytest.fixture
def entry_options(entry_options: dict[str, Any]) -> dict[str, Any]:
    """Configure no client id (the default): bodies reach the call data."""
    return entry_options | {"client_id": ""}


@pytest.fixture
def unencodable(hass: HomeAssistant) -> list[str]:
    """Return what the bodies produced that the recorder could not encode."""
    found: list[str] = []

    def encode(what: str, value: object) -> None:
        try:
            json_bytes(value)
        except TypeError as err:
            found.append(f"{what}: {err}")

    @callback
    def check_state(event: Event[EventStateChangedData]) -> None:
        if (new_state := event.data["new_state"]) is not None:
            encode(new_state.entity_id, new_state.as_dict())

    @callback
    def check_event(event: Event) -> None:
        encode(str(event.event_type), event.data)

    hass.bus.async_listen(EVENT_STATE_CHANGED, check_state)
    for event_type in (EVENT_CALL_DIALING, EVENT_CALL_HANGUP):
        hass.bus.async_listen(event_type, check_event)
    return found


def test_bodies_cover_every_odd_kind() -> None:
    """The bodies hold lone surrogates, NUL, RTL marks and 64 KiB strings."""
    bodies = generated_bodies()

    assert len(bodies) >= 10_000
    assert sum(b"\\ud8" in body or b"\xed\xa0" in body for body in bodies) > 1000
    assert sum(b"\\u0000" in body or b"\x00" in body for body in bodies) > 100
    assert sum(b"\\u202e" in body or "\u202e".encode() in body for body in bodies) > 100
    assert sum(len(body) > BIG for body in bodies) > 10


async def test_every_body_gets_an_answer_and_every_state_encodes(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    unencodable: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No body raises, none gets a 5xx, and nothing unencodable reaches a state."""
    answers: Counter[tuple[int, str]] = Counter()
    for number, body in enumerate(generated_bodies()):
        response = async_handle_body(init_integration, body)
        assert isinstance(response.body, bytes)
        answers[response.status, json.loads(response.body)["result"]] += 1
        if number % 500 == 0:
            await hass.async_block_till_done()
    await hass.async_block_till_done()

    assert {status for status, _ in answers} <= ANSWERS
    assert answers[200, "accepted"] > 1000
    assert answers[400, "body is not JSON"] > 100
    assert answers[413, "body too large"] > 10
    assert unencodable == []
    assert integration_records(caplog, logging.WARNING) == []
