"""The spoken answers to questions about calls, in the language of the question.

"3 ligações hoje: Maria Silva 2 vezes (a última às 10:15) e (32) 99999-9999
às 9:02 (perdida)." The wording lives in the translation files
(``selector.voice_text``); this module only puts the pieces together: the
period, who called (newest first, at most :data:`MAX_SAID` of them), how
often, when, and whether their last call was missed.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from homeassistant.util import dt as dt_util

from .call_listing import Period
from .call_questions import Caller, Callers
from .voice_texts import VoiceTexts

MAX_SAID: Final = 5
"""Callers said by name; the others are counted."""


def spoken_time(moment: datetime) -> str:
    """Return a moment's local time as people say it: ``9:05``, ``14:30``."""
    local = dt_util.as_local(moment)
    return f"{local.hour}:{local.minute:02d}"


def all_of(texts: VoiceTexts, parts: Sequence[str]) -> str:
    """Return ``A, B and C`` in the language of ``texts``."""
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {texts.text('and')} {parts[-1]}"


def _caller(texts: VoiceTexts, caller: Caller, mark_missed: bool) -> str:
    """Return one caller: ``Maria Silva at 9:15`` or ``… 2 times (last at 10:15)``."""
    key = "caller_once" if caller.count == 1 else "caller_times"
    if mark_missed and caller.last_missed:
        key += "_missed"
    return texts.text(
        key, caller=caller.name, count=str(caller.count), time=spoken_time(caller.last)
    )


def who_called(
    texts: VoiceTexts, period: Period, found: Callers, *, missed: bool
) -> str:
    """Return the answer to "who called me today?" or "which calls did I miss?"."""
    when = texts.text(f"period_{period.value}")
    kind = "missed" if missed else "calls"
    if not found.callers:
        return texts.text(f"{kind}_none", period=when)
    parts = [_caller(texts, caller, not missed) for caller in found.callers[:MAX_SAID]]
    if (others := len(found.callers) - MAX_SAID) > 0:
        parts.append(texts.text("more_callers", count=str(others)))
    return texts.text(
        f"{kind}_one" if found.calls == 1 else f"{kind}_many",
        count=str(found.calls),
        period=when,
        callers=all_of(texts, parts),
    )


def did_call(texts: VoiceTexts, period: Period, name: str, found: Callers) -> str:
    """Return the answer to "did Maria call today?"."""
    when = texts.text(f"period_{period.value}")
    if not found.callers:
        return texts.text("did_not_call", caller=name, period=when)
    last = found.callers[0]
    key = "did_call_once" if found.calls == 1 else "did_call_times"
    if last.last_missed:
        key += "_missed"
    return texts.text(
        key,
        caller=name,
        count=str(found.calls),
        period=when,
        time=spoken_time(last.last),
    )
