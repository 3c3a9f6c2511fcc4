"""No masked sample keeps a phone number, a contact's name or the client id.

The bodies are the existing hostile ones: the Hypothesis bodies of
``test_webhook_fuzz``, the full-Unicode bodies of
``test_webhook_unicode_fuzz`` and the hand-made ones of
``test_hostile_input``. Each is also sent with this test's personal data
planted in it: in a field of any kind, as a key, as a caller id, inside a
message, as a number, in a form. What the diagnostics and the repair issues
show of them must hold none of it: no run of four digits of a phone number,
no contact name, no client id.
"""

from collections.abc import Iterator
from functools import cache
import json
import random
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bemmelhor.const import DOMAIN
from custom_components.bemmelhor.sample_masking import Secrets, mask_body
from custom_components.bemmelhor.webhook import async_handle_body
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from tests.integration import test_webhook_fuzz, test_webhook_unicode_fuzz
from tests.integration.contact_helpers import contact_data
from tests.integration.helpers import CLIENT_ID, NUMBER
from tests.integration.sample_helpers import page_body, pbx_answers, pbx_issues

SEED = 20261201
CONTACT = "Maria Silva"
CONTACT_NUMBER = "021988887777"
MOBILE = "+55 (11) 98765-4321"
NUMBERS = (NUMBER, CONTACT_NUMBER, MOBILE)
PLANTED: tuple[object, ...] = (
    CONTACT,
    CONTACT.upper(),
    NUMBER,
    CONTACT_NUMBER,
    MOBILE,
    f"SIP/{NUMBER}-00000002",
    CLIENT_ID,
    f"Chamando {CONTACT} ({CONTACT_NUMBER})",
    f"{CONTACT} <{CLIENT_ID}>",
    int(NUMBER),
    int(CONTACT_NUMBER) * 1000,
    {"name": CONTACT, "number": NUMBER},
    [CONTACT_NUMBER, CONTACT],
)
"""What is planted: names, numbers (as text, formatted, as integers), the id."""
SHOWN_OF_A_SAMPLE = ("body", "content_type", "noted")
"""What a sample shows of what was received (the rest: when, size, answer)."""
HOSTILE_BODIES = (
    b"x" * (64 * 1024 + 1),
    b"[" * 20000 + b"]" * 20000,
    b"\xff\xfe\x00garbage",
    b"event=call.dialing&clientId=x",
    b"",
    b"null",
    b"9" * 5000,
)


def digit_runs(number: str) -> set[str]:
    """Return every run of four digits of a number."""
    digits = re.sub(r"\D", "", number)
    return {digits[start : start + 4] for start in range(len(digits) - 3)}


LEAKS = re.compile(
    "|".join(
        [
            *sorted({run for number in NUMBERS for run in digit_runs(number)}),
            *(rf"\b{re.escape(word)}\b" for word in CONTACT.casefold().split()),
            re.escape(CLIENT_ID),
            *sorted(digit_runs(CLIENT_ID)),
        ]
    ),
    re.IGNORECASE,
)
"""Runs of a number's digits, words of the name, the client id and its digits."""


def leaks(shown: object) -> list[str]:
    """Return what of the planted personal data ``shown`` holds."""
    return LEAKS.findall(json.dumps(shown, ensure_ascii=False))


def planted(rng: random.Random, body: bytes) -> bytes:
    """Return a body with personal data planted in it, as JSON, text or form."""
    try:
        value: Any = json.loads(body)
    except ValueError, RecursionError:
        value = None
    secret = rng.choice(PLANTED)
    if not isinstance(value, dict):
        text = secret if isinstance(secret, str) else json.dumps(secret)
        return rng.choice(
            [text.encode(), urlencode({"payload": text, text: text}).encode()]
        )
    data = value.get("data")
    target = data if isinstance(data, dict) and rng.random() < 0.7 else value
    roll = rng.random()
    if roll < 0.5 and target:
        target[rng.choice(list(target))] = secret
    elif roll < 0.7:
        target[str(secret)[:40]] = rng.choice(PLANTED)
    elif roll < 0.85:
        target["callerId"] = {"name": CONTACT, "number": rng.choice(NUMBERS)}
    else:
        target[rng.choice(["serverMessage", "error", "disposition", "clientId"])] = (
            secret
        )
    encoded = json.dumps(value, ensure_ascii=rng.random() < 0.5).encode(
        "utf-8", "surrogatepass"
    )
    if rng.random() < 0.2:
        return urlencode({"payload": encoded.decode("utf-8", "replace")}).encode()
    return encoded


@cache
def bodies() -> tuple[bytes, ...]:
    """Return the hostile bodies, and each again with personal data planted."""
    rng = random.Random(SEED)
    hostile = (
        *test_webhook_fuzz.generated_bodies(),
        *test_webhook_unicode_fuzz.generated_bodies(),
        *HOSTILE_BODIES,
    )
    return (*hostile, *(planted(rng, body) for body in hostile))


def shown_of(samples: Iterator[dict[str, Any]]) -> list[object]:
    """Return what the samples show of the bodies received."""
    return [[sample[key] for key in SHOWN_OF_A_SAMPLE] for sample in samples]


def test_personal_data_is_planted() -> None:
    """The planted bodies carry every kind of personal data, many times over."""
    text = b"\n".join(bodies()).decode("utf-8", "replace")

    assert len(bodies()) > 20_000
    assert text.count(CONTACT) > 1000
    assert text.count(CONTACT_NUMBER) > 1000
    assert text.count(CLIENT_ID) > 1000
    assert text.count("%7B%22") > 500


def test_no_masked_body_keeps_personal_data() -> None:
    """Every body, masked as the diagnostics mask it, keeps none of it."""
    secrets = Secrets.of([CONTACT, CLIENT_ID])

    found = {
        index: leaked
        for index, body in enumerate(bodies())
        if (leaked := leaks(mask_body(body, secrets)))
    }

    assert found == {}


@pytest.fixture
def mock_config_entry(mock_config_entry: MockConfigEntry) -> MockConfigEntry:
    """Give the entry the contact whose name is planted."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data=mock_config_entry.data,
        options=mock_config_entry.options,
        subentries_data=[contact_data(CONTACT, CONTACT_NUMBER)],
        version=1,
        minor_version=1,
    )


async def test_diagnostics_and_issues_keep_no_personal_data(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Through the real handler: every sample shown and every issue, checked."""
    found: list[str] = []
    for number, body in enumerate((page_body(), *bodies())):
        response = async_handle_body(init_integration, body)
        assert response.status in {200, 400, 401, 413}
        if number % 100 == 0:
            answers = pbx_answers(init_integration)
            found += leaks(
                [
                    shown_of(samples for samples in answers["samples"]["webhook"]),
                    shown_of(found["sample"] for found in answers["unexpected"]),
                    [found["seen"] for found in answers["unexpected"]],
                ]
            )
    issues = pbx_issues(issue_registry).values()

    assert len(issues) >= 6
    assert leaks([issue.translation_placeholders for issue in issues]) == []
    assert found == []
