"""How a call is decided: whose it is, which way it goes, how it ended.

A call belongs to the configured extension at its ``from`` end, else at its
``to`` end; between two configured extensions it is internal. A call that
ends is finished with its start (if seen), its talk time and its outcome.
"""

from datetime import datetime, timedelta
import re

from custom_components.bemmelhor.api import Disposition

from .calls import CallSource, Direction, FinishedCall, OpenCall

_EXTENSION_LIKE = re.compile(r"[0-9]{2,8}")


def involved_extensions(extensions: frozenset[str], *numbers: str | None) -> set[str]:
    """Return every configured extension among the given numbers."""
    return {number for number in numbers if number in extensions}


def call_owner(
    extensions: frozenset[str], from_: str | None, to: str | None
) -> tuple[str | None, Direction]:
    """Return the extension a call belongs to (``from`` first) and its direction."""
    if from_ in extensions:
        internal = to in extensions and to != from_
        return from_, Direction.INTERNAL if internal else Direction.OUTBOUND
    if to in extensions:
        return to, Direction.INBOUND
    outbound = from_ is not None and _EXTENSION_LIKE.fullmatch(from_) is not None
    return None, Direction.OUTBOUND if outbound else Direction.INBOUND


def finish_call(
    opened: OpenCall | None,
    *,
    call_id: str,
    owner: tuple[str | None, Direction],
    from_: str | None,
    to: str | None,
    names: tuple[str | None, str | None],
    ended: datetime,
    disposition: Disposition,
    raw_disposition: str | None = None,
) -> FinishedCall:
    """Return the finished form of a call that ended (``opened``: its start, if seen).

    Talk time runs from when the PBX was seen talking; an answered call never
    seen talking counts its whole duration.
    """
    started, answered, duration = ended, None, None
    source, placed_by = CallSource.WEBHOOK, None
    if opened is not None:
        owner = opened.extension, opened.direction
        started, answered = opened.started, opened.answered
        placed_by = opened.placed_by
        duration = seconds(ended - started)
        if opened.call_id == call_id:
            source = opened.source
    if disposition is not Disposition.ANSWERED:
        talk_time = 0
    elif answered is not None:
        talk_time = seconds(ended - answered)
    else:
        talk_time = duration or 0
    return FinishedCall(
        call_id=call_id,
        extension=owner[0],
        direction=owner[1],
        from_=from_,
        to=to,
        from_name=names[0],
        to_name=names[1],
        started=started,
        answered=answered,
        ended=ended,
        duration=duration,
        talk_time=talk_time,
        disposition=disposition,
        source=source,
        raw_disposition=raw_disposition,
        placed_by=placed_by,
    )


def seconds(delta: timedelta) -> int:
    """Return whole seconds, never negative."""
    return max(0, round(delta.total_seconds()))
