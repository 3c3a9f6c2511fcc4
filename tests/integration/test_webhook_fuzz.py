"""The webhook against a thousand generated bodies: it never breaks.

Hypothesis generates the bodies (random JSON values, envelopes with the right
keys and wrong types, missing keys, huge strings, random bytes) in a plain
function, deterministically; the async tests then POST them all through real
HTTP to a running Home Assistant. (``@given`` does not mix with
function-scoped async fixtures, hence the split.)
"""

from functools import cache
import json
import logging
from typing import Any
import warnings

from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.errors import HypothesisWarning
import pytest

from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import json_bytes

from .helpers import CLIENT_ID, NUMBER, WEBHOOK_PATH, WebhookClient

EXAMPLES = 1200
UNIQUE_BODIES = 1000
CALL_STATES = {"idle", "dialing", "ringing", "talking"}
ANSWERS = {200, 400, 401, 413}

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=8,
)
huge_strings = st.integers(min_value=60, max_value=70_000).map(lambda size: "9" * size)
"""Over every field's limit, up to over the 64 KiB body limit."""

numbers = st.sampled_from(["6001", "6002", "6003", "7777", NUMBER, "h", ""])
field = numbers | json_values | huge_strings
created = (
    st.integers(min_value=0, max_value=4_102_444_800_000)
    | st.datetimes().map(lambda moment: moment.isoformat())
    | st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59", "now"])
    | field
)
call_ids = st.sampled_from(["call-1", "call-2", "call-3", 4])
"""Few ids, so that dialings, hangups and duplicates of the same call meet."""
optional_call_fields: dict[str, st.SearchStrategy[Any]] = {
    "created": created,
    "from": numbers | field,
    "to": numbers | field,
    "error": st.none() | field,
    "serverMessage": st.none() | field,
    "disposition": st.sampled_from(["ANSWERED", "NO ANSWER", "BUSY", None]) | field,
}
plausible_envelopes = st.fixed_dictionaries(
    {
        "event": st.sampled_from(["call.dialing", "call.hangup"]),
        "clientId": st.just(CLIENT_ID),
        "data": st.fixed_dictionaries(
            {"callId": call_ids}, optional=optional_call_fields
        ),
    }
)
"""Envelopes that pass the client id check, with odd call data."""
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "event": st.sampled_from(["call.dialing", "call.hangup", "call.other"]) | field,
        "clientId": st.just(CLIENT_ID) | field,
        "data": st.fixed_dictionaries(
            {}, optional={"callId": call_ids | field, **optional_call_fields}
        )
        | json_values,
    },
)
"""Envelopes with any key missing and any field of any type."""


def as_json(value: object) -> bytes:
    """Encode like Python does, ``NaN``, ``Infinity`` and lone surrogates included."""
    return json.dumps(value).encode()


bodies = st.one_of(
    plausible_envelopes.map(as_json),
    plausible_envelopes.map(as_json),
    plausible_envelopes.map(as_json),
    envelopes.map(as_json),
    envelopes.map(as_json),
    json_values.map(as_json),
    st.binary(max_size=300),
    plausible_envelopes.map(as_json).map(lambda body: body[: len(body) // 2]),
)
"""Mostly envelopes (plausible or not, some cut in half), any JSON, random bytes."""


@cache
def generated_bodies() -> tuple[bytes, ...]:
    """Return the generated webhook bodies (the same ones on every run)."""
    collected: list[bytes] = []

    @settings(
        max_examples=EXAMPLES,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(bodies)
    def collect(body: bytes) -> None:
        collected.append(body)

    with warnings.catch_warnings():
        # Hypothesis warns about its own global random under Python 3.14.
        warnings.simplefilter("ignore", HypothesisWarning)
        collect()
    return tuple(collected)


async def post_every_body(client: WebhookClient) -> list[int]:
    """POST every generated body to the webhook; return the answers' statuses."""
    statuses: list[int] = []
    for body in generated_bodies():
        response = await client.post(
            WEBHOOK_PATH, data=body, headers={"Content-Type": "application/json"}
        )
        await response.read()
        statuses.append(response.status)
    return statuses


def test_enough_bodies_are_generated() -> None:
    """At least a thousand different bodies are generated."""
    assert len(set(generated_bodies())) >= UNIQUE_BODIES


async def test_webhook_survives_every_body(
    webhook_client: WebhookClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Every body gets one of the webhook's answers (never a 500) and no error is logged."""
    statuses = await post_every_body(webhook_client)

    assert set(statuses) == ANSWERS
    assert [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno >= logging.ERROR
    ] == []


async def test_entities_stay_valid(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """Afterwards every call state is one of the four, and every state serialises."""
    await post_every_body(webhook_client)

    call_states = {
        state.entity_id: state.state
        for state in hass.states.async_all("sensor")
        if state.entity_id.endswith("_call_state")
    }
    assert call_states.keys() == {
        "sensor.extension_6001_call_state",
        "sensor.extension_6002_call_state",
        "sensor.extension_6003_call_state",
    }
    assert set(call_states.values()) <= CALL_STATES
    assert all(json_bytes(state.as_dict()) for state in hass.states.async_all())
