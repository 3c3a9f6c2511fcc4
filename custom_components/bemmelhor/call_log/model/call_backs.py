"""The call-back list: whom the office still owes a call.

A missed call (inbound, ended unanswered) adds an item for its remote number,
or updates the open item of that number (how many times, when last, which
extension). A later answered call with that number, in either direction,
completes the item; the user may complete, reopen or delete items. Numbers
are compared by a key (``key_of``), so ``011987654321`` dialled back matches
``11987654321`` that called.

The list in memory holds the open items and the newest completed ones; the
database holds every item (``take_changes`` says what to write).
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Self

from custom_components.bemmelhor.api import Disposition, parse_datetime
from custom_components.bemmelhor.phone_numbers import number_key

from .calls import FinishedCall, text_or_none

MAX_OPEN_ITEMS = 1000
"""Open items kept at most; the oldest are deleted."""
MAX_COMPLETED_SHOWN = 100
"""Completed items kept in memory (the newest); the database keeps the others."""


def same_number_key(number: str) -> str:
    """Compare numbers as contacts do (:func:`.phone_numbers.number_key`).

    Prefixes, carrier codes and formatting do not count; what is no number
    compares as written.
    """
    return number_key(number) or number


@dataclass(frozen=True, slots=True, kw_only=True)
class CallBack:
    """One number to call back."""

    uid: str
    number: str
    name: str | None
    extension: str | None
    """The extension that missed it last."""
    missed: int
    last_missed: datetime
    completed: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the item as stored (JSON-safe)."""
        return {
            "uid": self.uid,
            "number": self.number,
            "name": self.name,
            "extension": self.extension,
            "missed": self.missed,
            "last_missed": self.last_missed.isoformat(),
            "completed": self.completed.isoformat() if self.completed else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self | None:
        """Rebuild a stored item; None if unusable."""
        uid, number = text_or_none(data.get("uid")), text_or_none(data.get("number"))
        last_missed = parse_datetime(data.get("last_missed"))
        missed = data.get("missed")
        if uid is None or number is None or last_missed is None:
            return None
        return cls(
            uid=uid,
            number=number,
            name=text_or_none(data.get("name")),
            extension=text_or_none(data.get("extension")),
            missed=missed if isinstance(missed, int) and missed > 0 else 1,
            last_missed=last_missed,
            completed=parse_datetime(data.get("completed")),
        )


class CallBacks:
    """The items of the call-back list, oldest first."""

    def __init__(
        self,
        extensions: Iterable[str],
        key_of: Callable[[str], str] = same_number_key,
    ) -> None:
        """Start an empty list for the configured ``extensions``."""
        self.extensions = frozenset(extensions)
        self.key_of = key_of
        self._items: dict[str, CallBack] = {}
        self._open: dict[str, str] = {}
        """Key of a number → uid of its open item (at most one per number)."""
        self.revision = 0
        """Grows with every change: whoever shows the list can tell it changed."""
        self._changed: dict[str, CallBack] = {}
        self._deleted: set[str] = set()

    @property
    def open_count(self) -> int:
        """Return how many items are still to do."""
        return len(self._open)

    def take_changes(self) -> tuple[list[CallBack], set[str]]:
        """Return the items changed and the uids deleted since the last call."""
        changed, deleted = list(self._changed.values()), self._deleted
        self._changed, self._deleted = {}, set()
        return changed, deleted

    def _put(self, item: CallBack, *, loaded: bool = False) -> None:
        """Add or replace an item, keeping the index of open items."""
        key = self.key_of(item.number)
        if self._open.get(key) == item.uid and item.completed is not None:
            del self._open[key]
        elif item.completed is None:
            self._open[key] = item.uid
        self._items[item.uid] = item
        self.revision += 1
        if not loaded:
            self._changed[item.uid] = item
            self._deleted.discard(item.uid)
        self._trim()

    def _remove(self, uid: str, *, forget_only: bool = False) -> None:
        """Delete an item (or only forget it here), keeping the index of open items."""
        if (item := self._items.pop(uid, None)) is None:
            return
        key = self.key_of(item.number)
        if self._open.get(key) == uid:
            del self._open[key]
        self.revision += 1
        if not forget_only:
            self._changed.pop(uid, None)
            self._deleted.add(uid)

    def __iter__(self) -> Iterator[CallBack]:
        """Iterate over the items, oldest first."""
        return iter(list(self._items.values()))

    def apply(self, call: FinishedCall) -> bool:
        """Take a finished call into account; return whether the list changed."""
        changed = False
        for extension in (call.to, call.from_):
            if extension in self.extensions and call.missed_by(extension):
                remote = call.from_ if extension == call.to else call.to
                if remote:
                    name = call.from_name if remote == call.from_ else call.to_name
                    self._missed(remote, name, extension, call.ended)
                    changed = True
        if call.disposition is Disposition.ANSWERED:
            for number in self._remote_numbers(call):
                changed |= self._answered(number, call)
        return changed

    def _remote_numbers(self, call: FinishedCall) -> set[str]:
        """Return the numbers at the far end, seen from each configured end."""
        ends = {call.from_: call.to, call.to: call.from_}
        remotes = {
            remote for end, remote in ends.items() if end in self.extensions and remote
        }
        if not remotes:
            remotes = {number for number in (call.from_, call.to) if number}
        return {number for number in remotes if number is not None}

    def set_completed(self, uid: str, completed: datetime | None) -> bool:
        """Complete (or reopen, with None) an item; False if there is none."""
        item = self._items.get(uid)
        if item is None:
            return False
        if completed is None and item.completed is None:
            return True  # open already
        if completed is None and self._open_item(self.key_of(item.number)):
            return False  # the number has another open item already
        self._put(replace(item, completed=completed))
        return True

    def delete(self, uids: Iterable[str]) -> None:
        """Delete items."""
        for uid in uids:
            self._remove(uid)

    def as_list(self) -> list[dict[str, Any]]:
        """Return the items as stored."""
        return [item.as_dict() for item in self._items.values()]

    def load(self, items: Iterable[CallBack]) -> None:
        """Take back stored items, oldest first (a second open item of a number closes)."""
        for item in items:
            if item.completed is None and self._open_item(self.key_of(item.number)):
                self._put(replace(item, completed=item.last_missed))
            else:
                self._put(item, loaded=True)

    def _open_item(self, key: str) -> CallBack | None:
        uid = self._open.get(key)
        return self._items[uid] if uid is not None else None

    def _missed(
        self, number: str, name: str | None, extension: str, when: datetime
    ) -> None:
        item = self._open_item(self.key_of(number))
        if item is None:
            uid = f"{self.key_of(number)}-{int(when.timestamp())}"
            self._put(
                CallBack(
                    uid=uid,
                    number=number,
                    name=name,
                    extension=extension,
                    missed=1,
                    last_missed=when,
                )
            )
            return
        self._put(
            replace(
                item,
                name=name or item.name,
                extension=extension,
                missed=item.missed + 1,
                last_missed=max(when, item.last_missed),
            )
        )

    def _answered(self, number: str, call: FinishedCall) -> bool:
        if not self._open:  # nothing to call back: no number to compare
            return False
        item = self._open_item(self.key_of(number))
        if item is None or call.started < item.last_missed:
            return False
        self._put(replace(item, completed=call.ended))
        return True

    def _trim(self) -> None:
        """Keep the newest completed items and at most ``MAX_OPEN_ITEMS`` open."""
        completed = len(self._items) - len(self._open)
        if completed > MAX_COMPLETED_SHOWN:
            oldest = min(
                (item for item in self._items.values() if item.completed),
                key=lambda item: item.completed or item.last_missed,
            )
            self._remove(oldest.uid, forget_only=True)
        if len(self._open) > MAX_OPEN_ITEMS:
            self._remove(next(iter(self._open.values())))
