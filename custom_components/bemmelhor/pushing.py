"""Pushing new states to some extensions' entities, between two polls.

A poll tells every entity (Home Assistant's coordinator listeners). A
webhook changes one or two extensions; telling every entity of a PBX with
many extensions would cost more than the webhook itself, so listeners are
also kept by context: what changes them (:class:`PushedBy`) and whose they
are (an extension, or None for the hub). A push tells only the contexts it
changed: a dialing its extensions' live entities, a hangup also the
figures and lists that count finished calls. Unchanged extension states are
reused as the same objects, so an entity can skip a write with one identity
check.

A push happens at the end of the event loop iteration it was asked in:
the webhooks a busy PBX sends together are handled in one iteration, and
their entities write once, with the newest state. Then each call is
announced (bus event, event entity) in the order it came: an automation
that an announcement triggers reads states at least as new as its call.
"""

import asyncio
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, override

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .call_log.model.extension_state import ExtensionState
from .call_log.model.log import CallLog

type PbxData = dict[str, ExtensionState]


class PushedBy(StrEnum):
    """What shows an entity something new between two polls."""

    CALLS = "calls"
    """Every call that starts or ends (the hub's: every webhook)."""
    FINISHED_CALLS = "finished calls"
    """Calls that end: figures and lists of calls."""
    POLLS = "polls"
    """Nothing a webhook changes: only polls tell them."""


type ListenerContext = tuple[PushedBy, str | None]
"""What changes a listener, and its extension (None: the hub's)."""


class PushingCoordinator(DataUpdateCoordinator[PbxData]):
    """A coordinator whose data can also be pushed to some extensions."""

    log: CallLog

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Set up the coordinator, with no listener yet."""
        super().__init__(*args, **kwargs)
        self._pushed_to: dict[ListenerContext, list[CALLBACK_TYPE]] = {}
        """Listeners by context, told of pushed changes."""
        self._due: set[str] = set()
        """Extensions whose entities the next push tells."""
        self._finished: set[str] | None = None
        """Extensions with a call that ended since the last push (None: no call)."""
        self._announcements: list[CALLBACK_TYPE] = []
        """What the next push announces after writing the states, in order."""
        self._push: asyncio.Handle | None = None

    @callback
    @override
    def async_add_listener(
        self, update_callback: CALLBACK_TYPE, context: Any = None
    ) -> Callable[[], None]:
        """Listen for updates; ``context`` is a :data:`ListenerContext`.

        A poll tells every listener; a push only those of the contexts it
        changed (with many extensions, asking every entity would cost more
        than the webhook itself).
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
    def _publish(
        self,
        extensions: Iterable[str],
        announce: CALLBACK_TYPE | None = None,
        *,
        finished: bool = False,
    ) -> None:
        """Push new states of some extensions (and the hub's), then ``announce``.

        ``finished``: a call of theirs ended (or today's figures changed), so
        figures and lists are told too. Everything happens at the end of this
        event loop iteration, together with whatever else was published in it.
        """
        extensions = set(extensions)
        self._due |= extensions
        if finished:
            self._finished = (self._finished or set()) | extensions
        if announce is not None:
            self._announcements.append(announce)
        if self._push is None:
            self._push = self.hass.loop.call_soon(self._async_push)

    @callback
    def _async_push(self) -> None:
        """Write what was published since the last push, then announce it.

        ``async_set_updated_data`` would reset the poll timer (and mark the API
        as reachable); a busy PBX must still be polled, so set the data here.
        """
        self._push = None
        states = self._states(self._due)
        finished, announcements = self._finished, self._announcements
        self._due, self._finished, self._announcements = set(), None, []
        self.data = {**self.data, **states}
        contexts: list[ListenerContext] = [(PushedBy.CALLS, None)]
        contexts.extend((PushedBy.CALLS, extension) for extension in states)
        if finished is not None:
            contexts.append((PushedBy.FINISHED_CALLS, None))
            contexts.extend(
                (PushedBy.FINISHED_CALLS, extension) for extension in finished
            )
        for context in contexts:
            for update_callback in list(self._pushed_to.get(context, ())):
                self._run_safely(update_callback)
        for announcement in announcements:
            self._run_safely(announcement)

    def _run_safely(self, job: CALLBACK_TYPE) -> None:
        """Run a listener or an announcement; its failure stops no other."""
        try:
            job()
        except Exception:
            # The job's name only: its arguments hold phone numbers.
            target = getattr(job, "func", job)
            name = getattr(target, "__qualname__", type(target).__name__)
            self.logger.exception("Unexpected error while pushing to %s", name)

    def _extension_state(self, extension: str) -> ExtensionState:
        """Return what the entities of an extension show now."""
        return self.log.state(extension)

    def _states(self, extensions: Iterable[str]) -> PbxData:
        """Fresh states of the given extensions, reusing unchanged ones."""
        states: PbxData = {}
        for extension in extensions:
            state = self._extension_state(extension)
            old = self.data.get(extension)
            states[extension] = old if old == state else state
        return states
