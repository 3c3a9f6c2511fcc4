"""The first start after 0.1.0: its sensors' restore data taken over.

0.1.0 kept each extension's last call and open call in its sensors' restore
data. Home Assistant 2026.10 keeps restore data by entity id; 2026.11 by
entity registry id, under other attribute names. The integration reads it
only through ``RestoreEntity``'s public methods, so both shapes work; the
2026.11 shape is played here by a restore-state helper laid out as that
release lays it out (reading 2026.10's ``last_states`` from it fails, as it
failed on 2026.11).
"""

from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.const import DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er, restore_state as rs
from homeassistant.util import dt as dt_util

from .helpers import HOST, NUMBER, WEBHOOK_PATH, WebhookClient, get_state, hangup_body

LAST_OUTCOME = "sensor.extension_6001_last_call_outcome"
CALL_STATE = "sensor.extension_6001_call_state"
LAST_CALL = "sensor.extension_6001_last_call"

RESTORED: Sequence[tuple[State, Mapping[str, Any]]] = (
    (
        State(
            LAST_CALL,
            "2026-11-27T11:00:00+00:00",
            {"call_id": "old", "from": "6001", "to": NUMBER, "disposition": "busy", "duration": 12},
        ),
        {"native_value": None, "native_unit_of_measurement": None},
    ),
    (
        State(CALL_STATE, "dialing"),
        {
            "open_call": {
                "call_id": "abc123",
                "from": "6001",
                "to": NUMBER,
                "extension": "6001",
                "started": "2026-11-27T12:00:00+00:00",
            }
        },
    ),
)  # fmt: skip
"""What 0.1.0 left: a last call, and an open call in extra restore data."""


class RestoreDataByRegistryId(rs.RestoreStateData):
    """The restore-state helper as Home Assistant 2026.11 lays it out.

    States are kept by entity registry id (``last_states_by_entity_registry_id``)
    and looked up with ``async_get_stored_state``; ``last_states`` is gone.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Start empty, without 2026.10's ``last_states``."""
        super().__init__(hass)
        del self.last_states
        self.last_states_by_entity_id: dict[str, rs.StoredState] = {}
        self.last_states_by_entity_registry_id: dict[str, rs.StoredState] = {}

    @callback
    def async_get_stored_state(self, entity_id: str) -> rs.StoredState | None:
        """Return the stored state of an entity (2026.11's lookup)."""
        entry = er.async_get(self.hass).async_get(entity_id)
        if entry is None:
            return self.last_states_by_entity_id.get(entity_id)
        return self.last_states_by_entity_registry_id.get(entry.id)


@callback
def restored_data_of_2026_11(entity: rs.RestoreEntity) -> rs.StoredState | None:
    """Look an entity's restore data up as ``RestoreEntity`` does in 2026.11."""
    data = rs.async_get(entity.hass)
    assert isinstance(data, RestoreDataByRegistryId)
    return data.async_get_stored_state(entity.entity_id)


def restore_by_registry_id(hass: HomeAssistant) -> None:
    """Lay 0.1.0's restore data out as Home Assistant 2026.11 keeps it."""
    registry = er.async_get(hass)
    data = RestoreDataByRegistryId(hass)
    for state, extra in RESTORED:
        entry = registry.async_get(state.entity_id)
        assert entry is not None
        data.last_states_by_entity_registry_id[entry.id] = rs.StoredState.from_dict(
            {
                "state": state.as_dict(),
                "extra_data": extra,
                "last_seen": dt_util.utcnow(),
            }
        )
    rs.async_get.cache_clear()  # type: ignore[attr-defined]
    hass.data[rs.DATA_RESTORE_STATE] = data


@pytest.fixture(params=["2026.10", "2026.11"])
def restore_data_shape(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> str:
    """Return each shape Home Assistant keeps restore data in (2026.10 and 2026.11)."""
    if request.param == "2026.11":
        monkeypatch.setattr(
            rs.RestoreEntity,
            "_async_get_restored_data",
            restored_data_of_2026_11,
        )
    shape: str = request.param
    return shape


@pytest.fixture
def registered_0_1_0_sensors(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    restore_data_shape: str,
) -> MockConfigEntry:
    """Return an entry whose 0.1.0 sensors are registered and left restore data."""
    mock_config_entry.add_to_hass(hass)
    for key in ("last_call", "call_state"):
        entity_registry.async_get_or_create(
            "sensor",
            DOMAIN,
            f"{HOST}_6001_{key}",
            config_entry=mock_config_entry,
            suggested_object_id=f"extension_6001_{key}",
        )
    if restore_data_shape == "2026.11":
        restore_by_registry_id(hass)
    else:
        mock_restore_cache_with_extra_data(hass, RESTORED)
    return mock_config_entry


def test_2026_11_restore_data_has_no_last_states(hass: HomeAssistant) -> None:
    """What failed on 2026.11: the helper's ``last_states`` is gone there."""
    with pytest.raises(AttributeError, match="last_states"):
        _ = RestoreDataByRegistryId(hass).last_states


async def test_takes_over_the_last_call_and_open_call_of_0_1_0(
    hass: HomeAssistant,
    registered_0_1_0_sensors: MockConfigEntry,
    hass_client_no_auth: Any,
    pbx_simulator: SimulatorServer,
) -> None:
    """On the first start, 0.1.0's last call and open call are taken over."""
    entry = registered_0_1_0_sensors

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert get_state(hass, LAST_CALL).state == "2026-11-27T11:00:00+00:00"
    assert get_state(hass, LAST_OUTCOME).state == "busy"
    assert get_state(hass, CALL_STATE).attributes["call_id"] == "abc123"
    client: WebhookClient = await hass_client_no_auth()
    response = await client.post(
        WEBHOOK_PATH, json=hangup_body("abc123", created=1795780925000)
    )
    assert response.status == 200
    assert get_state(hass, LAST_CALL).attributes["duration"] == 125


async def test_a_failing_takeover_warns_and_the_entry_starts(
    hass: HomeAssistant,
    registered_0_1_0_sensors: MockConfigEntry,
    pbx_simulator: SimulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Restore data that cannot be read is a warning, never a failed entry."""

    async def broken(_entity: rs.RestoreEntity) -> State | None:
        raise AttributeError("'RestoreStateData' object has no attribute 'x'")

    monkeypatch.setattr(rs.RestoreEntity, "async_get_last_state", broken)
    monkeypatch.setattr(rs.RestoreEntity, "async_get_last_extra_data", broken)
    entry = registered_0_1_0_sensors

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert get_state(hass, LAST_CALL).state == "unknown"
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert any("0.1.0" in record.getMessage() for record in warnings)
