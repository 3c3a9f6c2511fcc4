"""Backups: each entry's call-log database holds still while Home Assistant copies it.

Before a backup, every loaded entry's database is checkpointed (what the WAL
holds goes into the file) and its file held: no checkpoint writes into it
until the backup is done, so the backup copies the database as it was when
the backup began. Webhooks go on meanwhile: their calls are committed to the
WAL, never delayed (the recorder's way, holding writes, would keep the PBX
waiting for its answers as long as the backup takes). After the backup the
file may change again.
"""

import asyncio

from homeassistant.core import HomeAssistant

from .const import DOMAIN
from .coordinator import BemMelhorConfigEntry


def _loaded(hass: HomeAssistant) -> list[BemMelhorConfigEntry]:
    entries: list[BemMelhorConfigEntry] = hass.config_entries.async_loaded_entries(
        DOMAIN
    )
    return entries


async def async_pre_backup(hass: HomeAssistant) -> None:
    """Checkpoint every entry's call log and hold its file still."""
    await asyncio.gather(
        *(entry.runtime_data.coordinator.store.async_hold() for entry in _loaded(hass))
    )


async def async_post_backup(hass: HomeAssistant) -> None:
    """Let every entry's call log file change again."""
    await asyncio.gather(
        *(
            entry.runtime_data.coordinator.store.async_release()
            for entry in _loaded(hass)
        )
    )
