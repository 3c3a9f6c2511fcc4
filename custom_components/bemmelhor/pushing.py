"""Pushing new states to some extensions' entities, between two polls.

A poll tells every entity (Home Assistant's coordinator listeners). A
webhook changes one or two extensions; telling every entity of a PBX with
many extensions would cost more than the webhook itself, so listeners are
also kept by context (an extension, or None for the hub) and a push tells
only the contexts it changed. Unchanged extension states are reused as the
same objects, so an entity can skip a write with one identity check.
"""

from collections.abc import Callable, Iterable
from typing import Any, override

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .call_log import CallLog
from .models import ExtensionState

type PbxData = dict[str, ExtensionState]

POLLS_ONLY = "polls only"
"""Listener context of entities no webhook changes: only polls tell them."""


class PushingCoordinator(DataUpdateCoordinator[PbxData]):
    """A coordinator whose data can also be pushed to some extensions."""

    log: CallLog

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Set up the coordinator, with no listener yet."""
        super().__init__(*args, **kwargs)
        self._pushed_to: dict[str | None, list[CALLBACK_TYPE]] = {}
        """Listeners by extension (None: the hub's), told of pushed changes."""

    @callback
    @override
    def async_add_listener(
        self, update_callback: CALLBACK_TYPE, context: Any = None
    ) -> Callable[[], None]:
        """Listen for updates; ``context`` is an entity's extension (None: the hub).

        A poll tells every listener; a webhook only those of the extensions it
        changed and the hub's (with many extensions, asking every entity
        would cost more than the webhook itself).
        """
        remove = super().async_add_listener(update_callback, context)
        listeners = self._pushed_to.setdefault(context, [])
        listeners.append(update_callback)

        @callback
        def remove_listener() -> None:
            remove()
            listeners.remove(update_callback)

        return remove_listener

    @callback
    def _publish(self, extensions: Iterable[str]) -> None:
        """Push new states of some extensions to their entities and the hub's.

        ``async_set_updated_data`` would reset the poll timer (and mark the API
        as reachable); a busy PBX must still be polled, so set the data here.
        """
        states = self._states(extensions)
        self.data = {**self.data, **states}
        for context in (None, *states):
            for update_callback in list(self._pushed_to.get(context, ())):
                try:
                    update_callback()
                except Exception:
                    self.logger.exception(
                        "Unexpected error updating listener %s for %s",
                        id(update_callback),
                        context,
                    )

    def _extension_state(self, extension: str) -> ExtensionState:
        """Return what the entities of an extension show now."""
        return self.log.state(extension)

    def _states(self, extensions: Iterable[str]) -> PbxData:
        """Fresh states of the given extensions, reusing unchanged ones."""
        states: PbxData = {}
        for extension in set(extensions):
            state = self._extension_state(extension)
            old = self.data.get(extension)
            states[extension] = old if old == state else state
        return states
