"""How the demo reads the entity registry and state_changed events."""

from typing import Any

import pytest

from devtools.demo import Transition, call_state_transition, entry_entities

WATCHED = {"sensor.extension_6001_call_state"}


def _registry_item(
    entity_id: str, unique_id: str, key: str, entry: str = "E"
) -> dict[str, Any]:
    return {
        "entity_id": entity_id,
        "unique_id": unique_id,
        "translation_key": key,
        "config_entry_id": entry,
    }


def test_entities_are_sorted_into_hub_and_extensions() -> None:
    """Unique ids {base}_{key} are the hub's, {base}_{extension}_{key} an extension's."""
    registry = [
        _registry_item(
            "sensor.extension_6001_call_state",
            "127.0.0.1_6001_call_state",
            "call_state",
        ),
        _registry_item("event.extension_6001_call", "127.0.0.1_6001_call", "call"),
        _registry_item(
            "sensor.extension_6001_last_call", "127.0.0.1_6001_last_call", "last_call"
        ),
        _registry_item(
            "sensor.extension_6002_call_state",
            "127.0.0.1_6002_call_state",
            "call_state",
        ),
        _registry_item(
            "sensor.bem_melhor_pbx_last_webhook",
            "127.0.0.1_last_webhook",
            "last_webhook",
        ),
        _registry_item(
            "sensor.other", "127.0.0.1_6003_call_state", "call_state", entry="F"
        ),
        _registry_item("light.untranslated", "x_6004", ""),
    ]

    entities = entry_entities(registry, "E")

    assert entities.hub == {"last_webhook": "sensor.bem_melhor_pbx_last_webhook"}
    assert entities.extensions == {
        "6001": {
            "call_state": "sensor.extension_6001_call_state",
            "call": "event.extension_6001_call",
            "last_call": "sensor.extension_6001_last_call",
        },
        "6002": {"call_state": "sensor.extension_6002_call_state"},
    }
    assert entities.of_key("call_state") == {
        "sensor.extension_6001_call_state",
        "sensor.extension_6002_call_state",
    }


def _event(
    entity_id: str, old: str | None, new: str | None, **attributes: Any
) -> dict[str, Any]:
    return {
        "event_type": "state_changed",
        "data": {
            "entity_id": entity_id,
            "old_state": None if old is None else {"state": old},
            "new_state": None
            if new is None
            else {"state": new, "attributes": attributes},
        },
    }


def test_a_call_state_change_is_a_transition() -> None:
    """A change from idle to dialing on a watched entity, with the call's parties."""
    event = _event(
        "sensor.extension_6001_call_state",
        "idle",
        "dialing",
        to="6002",
        **{"from": "6001"},
    )

    transition = call_state_transition(event, WATCHED)

    assert transition == Transition(
        "sensor.extension_6001_call_state",
        "idle",
        "dialing",
        {"from": "6001", "to": "6002"},
    )
    assert (
        transition.describe()
        == "sensor.extension_6001_call_state: idle → dialing (call 6001 → 6002)"
    )


def test_a_transition_without_parties_is_described_plainly() -> None:
    """Back to idle, the attributes of the call are gone."""
    transition = call_state_transition(
        _event("sensor.extension_6001_call_state", "talking", "idle"), WATCHED
    )

    assert transition is not None
    assert transition.describe() == "sensor.extension_6001_call_state: talking → idle"


@pytest.mark.parametrize(
    "event",
    [
        _event("sensor.extension_6002_call_state", "idle", "dialing"),
        _event("sensor.extension_6001_call_state", None, "idle"),
        _event("sensor.extension_6001_call_state", "unavailable", "idle"),
        _event("sensor.extension_6001_call_state", "unknown", "idle"),
        _event("sensor.extension_6001_call_state", "idle", "unavailable"),
        _event("sensor.extension_6001_call_state", "dialing", "dialing", to="6002"),
        _event("sensor.extension_6001_call_state", "idle", None),
        {"event_type": "state_changed", "data": {}},
    ],
    ids=[
        "not watched",
        "added",
        "back from unavailable",
        "first value",
        "becomes unavailable",
        "attributes only",
        "removed",
        "no data",
    ],
)
def test_other_changes_are_not_transitions(event: dict[str, Any]) -> None:
    """Only a change between two call states of a watched entity counts."""
    assert call_state_transition(event, WATCHED) is None
