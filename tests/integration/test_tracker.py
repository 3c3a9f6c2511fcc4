"""The call tracker: pairing dialings with hangups, duplicates and memory bounds.

Pure unit tests: no Home Assistant, no simulator, every time given explicitly.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.bemmelhor.api import (
    EVENT_DIALING,
    EVENT_HANGUP,
    CallEvent,
    Disposition,
)
from custom_components.bemmelhor.models import FinishedCall, OpenCall
from custom_components.bemmelhor.tracker import (
    MAX_FINISHED_AGE,
    MAX_FINISHED_IDS,
    MAX_OPEN_CALL_AGE,
    MAX_OPEN_CALLS,
    CallTracker,
)

from .helpers import NUMBER

EXTENSIONS = ("6001", "6002", "6003")
T0 = datetime(2026, 3, 2, 14, 0, 0, tzinfo=UTC)


def dialing(
    call_id: str = "call-1",
    *,
    from_: str | None = "6001",
    to: str | None = NUMBER,
    created: datetime = T0,
) -> CallEvent:
    """Return a ``call.dialing`` event as the webhook handler builds it."""
    return CallEvent(
        event=EVENT_DIALING,
        client_id=None,
        call_id=call_id,
        from_=from_,
        to=to,
        created=created,
        disposition=None,
        server_message="Chamando o destino",
        error=None,
    )


def hangup(
    call_id: str = "call-1",
    *,
    from_: str | None = "6001",
    to: str | None = "h",
    created: datetime = T0 + timedelta(seconds=125),
    disposition: Disposition | None = Disposition.ANSWERED,
) -> CallEvent:
    """Return a ``call.hangup`` event as the webhook handler builds it."""
    return replace(
        dialing(call_id, from_=from_, to=to, created=created),
        event=EVENT_HANGUP,
        disposition=disposition,
        server_message="Ligação encerrada",
    )


@pytest.fixture
def tracker() -> CallTracker:
    """Return a tracker of a PBX with extensions 6001-6003."""
    return CallTracker(EXTENSIONS)


def test_dialing_opens_a_call(tracker: CallTracker) -> None:
    """A dialing opens a call that belongs to the calling extension."""
    call = tracker.dialing(dialing(), T0)

    assert call == OpenCall(
        call_id="call-1",
        from_="6001",
        to=NUMBER,
        extension="6001",
        started=T0,
        seen=T0,
    )
    assert len(tracker) == 1
    assert tracker.open_call("call-1") == call


@pytest.mark.parametrize(
    ("from_", "to", "extension"),
    [
        ("6001", NUMBER, "6001"),
        (NUMBER, "6002", "6002"),
        ("6001", "6002", "6001"),
        ("7777", NUMBER, None),
        (None, "6003", "6003"),
        (None, None, None),
    ],
)
def test_call_belongs_to_the_configured_extension(
    tracker: CallTracker, from_: str | None, to: str | None, extension: str | None
) -> None:
    """``from`` wins when it is configured, else ``to``, else no extension."""
    call = tracker.dialing(dialing(from_=from_, to=to), T0)

    assert call is not None
    assert call.extension == extension


def test_duplicate_dialing_is_ignored(tracker: CallTracker) -> None:
    """The same dialing delivered twice opens one call."""
    tracker.dialing(dialing(), T0)

    assert tracker.dialing(dialing(), T0 + timedelta(seconds=1)) is None
    assert len(tracker) == 1


def test_hangup_finishes_the_call(tracker: CallTracker) -> None:
    """A hangup closes the call with its outcome, destination and duration."""
    tracker.dialing(dialing(), T0)

    finished = tracker.hangup(hangup(), T0 + timedelta(seconds=125))

    assert finished == FinishedCall(
        call_id="call-1",
        from_="6001",
        to=NUMBER,
        extension="6001",
        disposition=Disposition.ANSWERED,
        ended=T0 + timedelta(seconds=125),
        duration=125,
    )
    assert len(tracker) == 0


@pytest.mark.parametrize("to", ["h", None, ""])
def test_hangup_destination_comes_from_the_dialing(
    tracker: CallTracker, to: str | None
) -> None:
    """``to: "h"`` (or no ``to``) is replaced by the dialing's destination."""
    tracker.dialing(dialing(), T0)

    finished = tracker.hangup(hangup(to=to), T0)

    assert finished is not None
    assert finished.to == NUMBER


def test_hangup_keeps_the_dialing_destination_over_its_own(
    tracker: CallTracker,
) -> None:
    """The dialing knows the number dialled; a hangup's ``to`` does not override it."""
    tracker.dialing(dialing(), T0)

    finished = tracker.hangup(hangup(to="0800123456"), T0)

    assert finished is not None
    assert finished.to == NUMBER


def test_hangup_takes_from_of_the_dialing_when_missing(tracker: CallTracker) -> None:
    """A hangup without ``from`` still names the caller seen in the dialing."""
    tracker.dialing(dialing(), T0)

    finished = tracker.hangup(hangup(from_=None), T0)

    assert finished is not None
    assert finished.from_ == "6001"
    assert finished.extension == "6001"


@pytest.mark.parametrize(
    ("hangup_after", "duration"),
    [
        (timedelta(0), 0),
        (timedelta(seconds=125), 125),
        (timedelta(seconds=3725), 3725),
        (timedelta(seconds=9, milliseconds=600), 10),
        (timedelta(seconds=9, milliseconds=400), 9),
        (timedelta(seconds=-5), 0),
    ],
)
def test_duration_is_hangup_created_minus_dialing_created(
    tracker: CallTracker, hangup_after: timedelta, duration: int
) -> None:
    """Whole seconds between the two ``created``; never negative (clock skew)."""
    tracker.dialing(dialing(), T0)

    finished = tracker.hangup(hangup(created=T0 + hangup_after), T0)

    assert finished is not None
    assert finished.duration == duration


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        (Disposition.NO_ANSWER, Disposition.NO_ANSWER),
        (Disposition.BUSY, Disposition.BUSY),
        (None, Disposition.UNKNOWN),
    ],
)
def test_hangup_disposition(
    tracker: CallTracker, disposition: Disposition | None, expected: Disposition
) -> None:
    """The hangup's disposition is the call's outcome; none means unknown."""
    tracker.dialing(dialing(), T0)

    finished = tracker.hangup(hangup(disposition=disposition), T0)

    assert finished is not None
    assert finished.disposition is expected


def test_duplicate_hangup_is_ignored(tracker: CallTracker) -> None:
    """The same hangup delivered twice finishes the call once."""
    tracker.dialing(dialing(), T0)
    tracker.hangup(hangup(), T0)

    assert tracker.hangup(hangup(), T0 + timedelta(seconds=1)) is None
    assert tracker.finished_ids == 1


def test_hangup_before_dialing_still_finishes_the_call(tracker: CallTracker) -> None:
    """A hangup that overtook its dialing ends the call without duration or ``to``."""
    finished = tracker.hangup(hangup(), T0)

    assert finished == FinishedCall(
        call_id="call-1",
        from_="6001",
        to=None,
        extension="6001",
        disposition=Disposition.ANSWERED,
        ended=T0 + timedelta(seconds=125),
        duration=None,
    )


def test_dialing_after_its_hangup_is_ignored(tracker: CallTracker) -> None:
    """The late dialing of a finished call opens nothing."""
    tracker.hangup(hangup(), T0)

    assert tracker.dialing(dialing(), T0 + timedelta(seconds=1)) is None
    assert len(tracker) == 0


def test_hangup_of_an_unknown_call_keeps_a_real_destination(
    tracker: CallTracker,
) -> None:
    """Without its dialing, a hangup's own ``to`` is used unless it is ``h``."""
    finished = tracker.hangup(hangup(from_=NUMBER, to="6002"), T0)

    assert finished is not None
    assert finished.to == "6002"
    assert finished.extension == "6002"


def test_open_calls_are_capped(tracker: CallTracker) -> None:
    """Past ``MAX_OPEN_CALLS`` the oldest open call is forgotten."""
    for number in range(MAX_OPEN_CALLS + 1):
        tracker.dialing(dialing(f"call-{number}"), T0)

    assert len(tracker) == MAX_OPEN_CALLS
    assert tracker.open_call("call-0") is None
    assert tracker.open_call("call-1") is not None
    assert tracker.open_call(f"call-{MAX_OPEN_CALLS}") is not None


def test_finished_ids_are_capped(tracker: CallTracker) -> None:
    """Past ``MAX_FINISHED_IDS`` the oldest finished id is forgotten."""
    for number in range(MAX_FINISHED_IDS + 5):
        tracker.hangup(hangup(f"call-{number}"), T0)

    assert tracker.finished_ids == MAX_FINISHED_IDS
    assert tracker.hangup(hangup("call-0"), T0) is not None


@pytest.mark.parametrize(
    ("age", "still_open"),
    [
        (MAX_OPEN_CALL_AGE - timedelta(seconds=1), True),
        (MAX_OPEN_CALL_AGE, True),
        (MAX_OPEN_CALL_AGE + timedelta(seconds=1), False),
    ],
)
def test_open_calls_expire(
    tracker: CallTracker, age: timedelta, still_open: bool
) -> None:
    """An open call older than ``MAX_OPEN_CALL_AGE`` is dropped on the next event."""
    tracker.dialing(dialing("old"), T0)

    tracker.dialing(dialing("new"), T0 + age)

    assert (tracker.open_call("old") is not None) is still_open


@pytest.mark.parametrize(
    ("delay", "duplicate"),
    [
        (MAX_FINISHED_AGE - timedelta(seconds=1), True),
        (MAX_FINISHED_AGE, True),
        (MAX_FINISHED_AGE + timedelta(seconds=1), False),
    ],
)
def test_finished_ids_expire(
    tracker: CallTracker, delay: timedelta, duplicate: bool
) -> None:
    """A finished id is remembered for ``MAX_FINISHED_AGE``, then forgotten."""
    tracker.hangup(hangup(), T0)

    assert (tracker.hangup(hangup(), T0 + delay) is None) is duplicate


def test_length_is_back_to_zero(tracker: CallTracker) -> None:
    """Every opened call that hangs up leaves the tracker empty."""
    for number in range(3):
        tracker.dialing(dialing(f"call-{number}"), T0)
    for number in range(3):
        tracker.hangup(hangup(f"call-{number}"), T0)

    assert len(tracker) == 0
    assert list(tracker) == []


def test_end_stale_removes_the_call(tracker: CallTracker) -> None:
    """The watchdog's ``end_stale`` returns and forgets the open call."""
    call = tracker.dialing(dialing(), T0)

    assert tracker.end_stale("call-1") == call
    assert len(tracker) == 0
    assert tracker.end_stale("call-1") is None


def test_hangup_after_end_stale_is_still_accepted(tracker: CallTracker) -> None:
    """A late hangup of a call the watchdog ended is still welcome (not a duplicate)."""
    tracker.dialing(dialing(), T0)
    tracker.end_stale("call-1")

    finished = tracker.hangup(hangup(), T0 + timedelta(minutes=1))

    assert finished is not None
    assert finished.duration is None


def test_iteration_is_over_a_copy(tracker: CallTracker) -> None:
    """Ending calls while iterating, as the watchdog does, is safe."""
    for number in range(3):
        tracker.dialing(dialing(f"call-{number}"), T0)

    ended = [tracker.end_stale(call.call_id) for call in tracker]

    assert [call.call_id for call in ended if call] == ["call-0", "call-1", "call-2"]
    assert len(tracker) == 0


@pytest.mark.parametrize(
    ("numbers", "involved"),
    [
        (("6001", NUMBER), {"6001"}),
        (("6001", "6002", None), {"6001", "6002"}),
        (("7777", NUMBER, None), set()),
    ],
)
def test_involved_extensions(
    tracker: CallTracker, numbers: tuple[str | None, ...], involved: set[str]
) -> None:
    """Only configured extensions are involved in a call."""
    assert tracker.involved_extensions(*numbers) == involved


def test_restore_reopens_a_call(tracker: CallTracker) -> None:
    """A call open before a restart is open again, and its hangup finds its start."""
    call = OpenCall(
        call_id="call-1",
        from_="6001",
        to=NUMBER,
        extension="6001",
        started=T0,
        seen=T0 + timedelta(hours=1),
    )

    assert tracker.restore(call) is True
    finished = tracker.hangup(hangup(), T0 + timedelta(hours=1))
    assert finished is not None
    assert (finished.to, finished.duration) == (NUMBER, 125)


def test_restore_leaves_an_open_call_alone(tracker: CallTracker) -> None:
    """A restored call that is already open is not taken twice."""
    call = tracker.dialing(dialing(), T0)
    assert call is not None

    assert tracker.restore(call) is False
    assert len(tracker) == 1


def test_restore_leaves_a_finished_call_finished(tracker: CallTracker) -> None:
    """A restored call whose hangup already arrived stays finished."""
    call = tracker.dialing(dialing(), T0)
    assert call is not None
    tracker.hangup(hangup(), T0)

    assert tracker.restore(call) is False
    assert len(tracker) == 0
