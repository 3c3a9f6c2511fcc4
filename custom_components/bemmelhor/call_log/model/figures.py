"""Today's figures: calls, missed calls and talk time, per extension and in all.

Counted from the call log's finished calls that ended since local midnight:
counted from the database at start, then kept up to date one finished call
at a time, so a webhook never recounts the day. The day's calls are kept
(a day's worth, by id: a call counted twice counts once) so that a new day
starts with those that already belong to it, without asking the database.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from .calls import FinishedCall
from .rules import involved_extensions

PBX = None
"""The key of the whole PBX's figures."""


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one extension (or of the PBX) for one day."""

    calls: int = 0
    missed: int = 0
    talk_time: int = 0
    """Seconds answered."""

    @property
    def talk_minutes(self) -> float:
        """Return the talk time in minutes (one decimal)."""
        return round(self.talk_time / 60, 1)


NO_CALLS = Figures()
"""The figures of a day without calls."""


class DailyFigures:
    """The figures of every configured extension and of the PBX, for one day."""

    def __init__(self, extensions: Collection[str], day_start: datetime) -> None:
        """Start the day at ``day_start`` (local midnight, aware) with nothing."""
        self.extensions = frozenset(extensions)
        self.day_start = day_start
        self._figures: dict[str | None, Figures] = {}
        self._counted: dict[str, FinishedCall] = {}

    def of(self, extension: str | None) -> Figures:
        """Return the figures of an extension, or of the PBX for None."""
        return self._figures.get(extension, NO_CALLS)

    def start_day(
        self, day_start: datetime, calls: Iterable[FinishedCall] = ()
    ) -> None:
        """Begin a new day with the calls of it that are known (``calls`` and counted)."""
        known = [*self._counted.values(), *calls]
        self.day_start = day_start
        self._figures = {}
        self._counted = {}
        for call in known:
            self.add(call)

    def add(self, call: FinishedCall) -> set[str]:
        """Count a finished call of today; return the extensions it changed."""
        if call.ended < self.day_start or call.call_id in self._counted:
            return set()
        self._counted[call.call_id] = call
        involved = involved_extensions(self.extensions, call.from_, call.to)
        missed_by = {extension for extension in involved if call.missed_by(extension)}
        for extension in involved:
            self._count(extension, call, extension in missed_by)
        pbx_missed = bool(missed_by) or (not involved and call.missed_by(call.to))
        self._count(PBX, call, pbx_missed)
        return involved

    def _count(self, key: str | None, call: FinishedCall, missed: bool) -> None:
        figures = self.of(key)
        self._figures[key] = Figures(
            figures.calls + 1,
            figures.missed + missed,
            figures.talk_time + call.talk_time,
        )
