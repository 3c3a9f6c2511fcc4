"""Keeping today's figures: counted from the call log, started anew at midnight."""

from collections.abc import Callable, Iterable
from datetime import datetime

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_change
from homeassistant.util import dt as dt_util

from .model.calls import FinishedCall
from .model.figures import DailyFigures
from .model.log import CallLog


class TodayTracker:
    """Today's figures of a call log; ``publish`` shows a new day everywhere."""

    def __init__(
        self,
        hass: HomeAssistant,
        log: CallLog,
        publish: Callable[[Iterable[str]], None],
    ) -> None:
        """Count the log's finished calls of today from now on."""
        self._hass = hass
        self._log = log
        self._publish = publish
        self.figures = DailyFigures(log.extensions, dt_util.start_of_local_day())
        log.finished_listeners.append(self.figures.add)

    @callback
    def async_start(self, today: Iterable[FinishedCall]) -> CALLBACK_TYPE:
        """Count ``today``'s calls (from the database); start again every midnight."""
        self.figures.start_day(dt_util.start_of_local_day(), today)
        return async_track_time_change(
            self._hass, self._async_midnight, hour=0, minute=0, second=0
        )

    @callback
    def _async_midnight(self, now: datetime) -> None:
        self.figures.start_day(dt_util.start_of_local_day(now))
        self._publish(self._log.extensions)
