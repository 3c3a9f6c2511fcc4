"""The call log: webhooks and polls made into calls, kept within bounds.

Pure unit tests: no simulator, no Home Assistant objects, every time given
explicitly. A dialing and its hangup are paired; a call the PBX only shows
through ``/api/active`` (a poll) becomes a call too; a call between two
configured extensions is one call seen from both ends.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.bemmelhor.api import (
    EVENT_DIALING,
    EVENT_HANGUP,
    ActiveCall,
    CallerId,
    CallEvent,
    ChannelState,
    Disposition,
)
from custom_components.bemmelhor.call_log.model.calls import (
    CallSource,
    Direction,
    FinishedCall,
    OpenCall,
)
from custom_components.bemmelhor.call_log.model.log import (
    MAX_FINISHED_ID_AGE,
    MAX_FINISHED_IDS,
    MAX_OPEN_CALL_AGE,
    MAX_OPEN_CALLS,
    CallLog,
)

from .helpers import NUMBER

EXTENSIONS = ("6001", "6002", "6003")
T0 = datetime(2026, 3, 2, 14, 0, 0, tzinfo=UTC)
GRACE = timedelta(seconds=60)
NAMES = {"6001": "Recepção", "6002": "Financeiro", NUMBER: "Maria Silva"}


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


def channel(
    caller: str | None = NUMBER,
    *,
    state: ChannelState = ChannelState.RINGING,
    created: datetime | None = T0,
    channel_id: str = "1772460000.7",
) -> ActiveCall:
    """Return an extension's channel as ``/api/active`` shows it."""
    return ActiveCall(
        id=channel_id,
        name=f"PJSIP/{caller}-00000007",
        channel=f"PJSIP/{caller}-00000007",
        caller_id=CallerId(name=None, number=caller),
        state=state,
        account=None,
        created=created,
        linked_channel=None,
    )


BOTH_ENDS = {
    "6001": channel("6001", channel_id="1772460000.7"),
    "6002": channel("6001", channel_id="1772460000.8"),
}
"""The channels of 6001 calling 6002, as a poll finds them on both extensions."""


def finished(
    call_id: str,
    ended: datetime,
    *,
    from_: str = "6001",
    to: str = NUMBER,
) -> FinishedCall:
    """Return a one-minute outbound call that ended at ``ended``, as stored."""
    return FinishedCall(
        call_id=call_id,
        extension=from_,
        direction=Direction.OUTBOUND,
        from_=from_,
        to=to,
        started=ended - timedelta(minutes=1),
        ended=ended,
        duration=60,
        talk_time=60,
        disposition=Disposition.ANSWERED,
    )


def name_of(number: str | None) -> str | None:
    """Return the name ``NAMES`` gives a number, as contacts would."""
    return NAMES.get(number or "")


def ids(calls: list[OpenCall] | list[FinishedCall]) -> list[str]:
    """Return the call ids of some calls, in their order."""
    return [call.call_id for call in calls]


def open_call_ids(log: CallLog) -> dict[str, str | None]:
    """Return the id of the open call each extension shows (None: no call)."""
    return {
        extension: state.call.call_id if state.call else None
        for extension, state in log.states(EXTENSIONS).items()
    }


@pytest.fixture
def log() -> CallLog:
    """Return an empty log of a PBX with extensions 6001-6003."""
    return CallLog(EXTENSIONS)


@pytest.fixture
def named_log() -> CallLog:
    """Return an empty log that knows the names of 6001, 6002 and ``NUMBER``."""
    return CallLog(EXTENSIONS, name_of=name_of)


@pytest.fixture
def ended_calls(log: CallLog) -> list[FinishedCall]:
    """Return the calls the log hands its listeners as they end, in that order."""
    calls: list[FinishedCall] = []
    log.finished_listeners.append(calls.append)
    return calls


@pytest.fixture
def internal_call(log: CallLog) -> FinishedCall:
    """Return a call from 6001 to 6002 that nobody answered, ended in ``log``."""
    log.dialing(dialing(to="6002"), T0)
    ended = log.hangup(hangup(disposition=Disposition.NO_ANSWER), T0)
    assert ended is not None
    return ended


@pytest.fixture
def inbound_poll_call(log: CallLog) -> OpenCall:
    """Return the call ``log`` made of ``NUMBER`` ringing 6002 (no webhook)."""
    changes = log.poll({"6002": channel()}, T0 + timedelta(seconds=2))
    return changes.started[0]


# Dialing and hangup


def test_dialing_opens_a_call(log: CallLog) -> None:
    """A dialing opens an outbound call of the calling extension."""
    call = log.dialing(dialing(), T0)

    assert call == OpenCall(
        call_id="call-1",
        extension="6001",
        direction=Direction.OUTBOUND,
        from_="6001",
        to=NUMBER,
        started=T0,
        seen=T0,
    )
    assert log.open_calls == [call]


@pytest.mark.parametrize(
    ("from_", "to", "extension", "direction"),
    [
        ("6001", NUMBER, "6001", Direction.OUTBOUND),
        (NUMBER, "6002", "6002", Direction.INBOUND),
        (None, "6003", "6003", Direction.INBOUND),
        ("6001", "6002", "6001", Direction.INTERNAL),
        ("6001", "6001", "6001", Direction.OUTBOUND),
        ("7777", NUMBER, None, Direction.OUTBOUND),
        (NUMBER, "0800123456", None, Direction.INBOUND),
        (None, None, None, Direction.INBOUND),
    ],
)
def test_call_owner_and_direction(
    log: CallLog,
    from_: str | None,
    to: str | None,
    extension: str | None,
    direction: Direction,
) -> None:
    """``from`` owns an outbound call, a configured ``to`` alone an inbound one.

    Both configured make an internal call; with neither, an extension-like
    ``from`` still means outbound.
    """
    call = log.dialing(dialing(from_=from_, to=to), T0)

    assert call is not None
    assert (call.extension, call.direction) == (extension, direction)


def test_dialing_names_both_ends(named_log: CallLog) -> None:
    """The names of both numbers are looked up when the call opens."""
    call = named_log.dialing(dialing(), T0)

    assert call is not None
    assert (call.from_name, call.to_name) == ("Recepção", "Maria Silva")


def test_duplicate_dialing_is_ignored(log: CallLog) -> None:
    """The same dialing delivered twice opens one call."""
    log.dialing(dialing(), T0)

    assert log.dialing(dialing(), T0 + timedelta(seconds=1)) is None
    assert ids(log.open_calls) == ["call-1"]


def test_hangup_finishes_the_call(log: CallLog) -> None:
    """A hangup closes the call with its outcome, destination and times."""
    log.dialing(dialing(), T0)

    ended = log.hangup(hangup(), T0 + timedelta(seconds=125))

    assert ended == FinishedCall(
        call_id="call-1",
        extension="6001",
        direction=Direction.OUTBOUND,
        from_="6001",
        to=NUMBER,
        started=T0,
        answered=None,
        ended=T0 + timedelta(seconds=125),
        duration=125,
        talk_time=125,
        disposition=Disposition.ANSWERED,
        source=CallSource.WEBHOOK,
    )
    assert log.open_calls == []


def test_finished_call_is_logged_and_last(
    log: CallLog, ended_calls: list[FinishedCall]
) -> None:
    """The finished call is in the log and is its extension's last call."""
    log.dialing(dialing(), T0)

    ended = log.hangup(hangup(), T0)

    assert ended_calls == [ended]
    assert log.last_calls == {"6001": ended}


@pytest.mark.parametrize("to", ["h", None, ""])
def test_hangup_destination_comes_from_the_dialing(
    log: CallLog, to: str | None
) -> None:
    """``to: "h"`` (or no ``to``) is replaced by the dialing's destination."""
    log.dialing(dialing(), T0)

    ended = log.hangup(hangup(to=to), T0)

    assert ended is not None
    assert ended.to == NUMBER


def test_hangup_keeps_the_dialing_destination_over_its_own(log: CallLog) -> None:
    """The dialing knows the number dialled; a hangup's ``to`` does not override it."""
    log.dialing(dialing(), T0)

    ended = log.hangup(hangup(to="0800123456"), T0)

    assert ended is not None
    assert ended.to == NUMBER


def test_hangup_takes_from_of_the_dialing_when_missing(log: CallLog) -> None:
    """A hangup without ``from`` still names the caller seen in the dialing."""
    log.dialing(dialing(), T0)

    ended = log.hangup(hangup(from_=None), T0)

    assert ended is not None
    assert (ended.from_, ended.extension) == ("6001", "6001")


def test_hangup_keeps_the_names_of_the_dialing(named_log: CallLog) -> None:
    """The names looked up at the dialing are the finished call's."""
    named_log.dialing(dialing(), T0)

    ended = named_log.hangup(hangup(), T0)

    assert ended is not None
    assert (ended.from_name, ended.to_name) == ("Recepção", "Maria Silva")
    assert (ended.remote_number, ended.remote_name) == (NUMBER, "Maria Silva")


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
    log: CallLog, hangup_after: timedelta, duration: int
) -> None:
    """Whole seconds between the two ``created``; never negative (clock skew)."""
    log.dialing(dialing(), T0)

    ended = log.hangup(hangup(created=T0 + hangup_after), T0)

    assert ended is not None
    assert ended.duration == duration


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        (Disposition.NO_ANSWER, Disposition.NO_ANSWER),
        (Disposition.BUSY, Disposition.BUSY),
        (None, Disposition.UNKNOWN),
    ],
)
def test_hangup_disposition(
    log: CallLog, disposition: Disposition | None, expected: Disposition
) -> None:
    """The hangup's disposition is the call's outcome; none means unknown."""
    log.dialing(dialing(), T0)

    ended = log.hangup(hangup(disposition=disposition), T0)

    assert ended is not None
    assert ended.disposition is expected


def test_duplicate_hangup_is_ignored(
    log: CallLog, ended_calls: list[FinishedCall]
) -> None:
    """The same hangup delivered twice finishes the call once."""
    log.dialing(dialing(), T0)
    log.hangup(hangup(), T0)

    assert log.hangup(hangup(), T0 + timedelta(seconds=1)) is None
    assert log.finished_ids == 1
    assert len(ended_calls) == 1


def test_hangup_before_dialing_still_finishes_the_call(log: CallLog) -> None:
    """A hangup that overtook its dialing ends the call without start, duration or ``to``."""
    ended = log.hangup(hangup(), T0)

    assert ended == FinishedCall(
        call_id="call-1",
        extension="6001",
        direction=Direction.OUTBOUND,
        from_="6001",
        to=None,
        started=T0 + timedelta(seconds=125),
        ended=T0 + timedelta(seconds=125),
        duration=None,
        talk_time=0,
        disposition=Disposition.ANSWERED,
    )


def test_dialing_after_its_hangup_is_ignored(log: CallLog) -> None:
    """The late dialing of a finished call opens nothing."""
    log.hangup(hangup(), T0)

    assert log.dialing(dialing(), T0 + timedelta(seconds=1)) is None
    assert log.open_calls == []


def test_hangup_of_an_unknown_call_keeps_a_real_destination(log: CallLog) -> None:
    """Without its dialing, a hangup's own ``to`` is used unless it is ``h``."""
    ended = log.hangup(hangup(from_=NUMBER, to="6002"), T0)

    assert ended is not None
    assert (ended.to, ended.extension, ended.direction) == (
        "6002",
        "6002",
        Direction.INBOUND,
    )


def test_every_hangup_leaves_no_open_call(
    log: CallLog, ended_calls: list[FinishedCall]
) -> None:
    """Every opened call that hangs up leaves no open call behind."""
    for number in range(3):
        log.dialing(dialing(f"call-{number}"), T0)
    for number in range(3):
        log.hangup(hangup(f"call-{number}"), T0)

    assert log.open_calls == []
    assert len(ended_calls) == 3


def test_open_calls_are_oldest_first(log: CallLog) -> None:
    """``open_calls`` lists the calls in the order they opened."""
    for number in range(3):
        log.dialing(dialing(f"call-{number}"), T0)

    assert ids(log.open_calls) == ["call-0", "call-1", "call-2"]


def test_hangup_counts_for_each_extension_involved(log: CallLog) -> None:
    """Both ends of an internal call count a hangup (a poll asked before is outdated)."""
    log.dialing(dialing(to="6002"), T0)

    log.hangup(hangup(), T0)

    assert log.hangups == {"6001": 1, "6002": 1}


def test_hangup_clears_the_extension_channel(log: CallLog) -> None:
    """After a hangup the extension shows no channel until the next poll."""
    log.dialing(dialing(), T0)
    log.poll({"6001": channel("6001", state=ChannelState.UP)}, T0)

    log.hangup(hangup(), T0)

    assert log.state("6001").channel is None


@pytest.mark.parametrize(
    ("numbers", "involved"),
    [
        (("6001", NUMBER), {"6001"}),
        (("6001", "6002", None), {"6001", "6002"}),
        (("7777", NUMBER, None), set()),
    ],
)
def test_involved_extensions(
    log: CallLog, numbers: tuple[str | None, ...], involved: set[str]
) -> None:
    """Only configured extensions are involved in a call."""
    assert log.involved(*numbers) == involved


# Talk time and answer


def test_talk_time_without_a_poll_is_the_duration(log: CallLog) -> None:
    """An answered call no poll saw talking counts its whole duration as talk."""
    log.dialing(dialing(), T0)

    ended = log.hangup(hangup(created=T0 + timedelta(seconds=90)), T0)

    assert ended is not None
    assert (ended.answered, ended.talk_time) == (None, 90)


def test_talk_time_starts_when_a_poll_saw_the_call_up(log: CallLog) -> None:
    """Talk time counts from the poll that first saw the channel ``UP``."""
    log.dialing(dialing(), T0)
    log.poll(
        {"6001": channel("6001", state=ChannelState.UP)}, T0 + timedelta(seconds=20)
    )

    ended = log.hangup(hangup(created=T0 + timedelta(seconds=90)), T0)

    assert ended is not None
    assert (ended.answered, ended.talk_time) == (T0 + timedelta(seconds=20), 70)


@pytest.mark.parametrize(
    "disposition", [Disposition.NO_ANSWER, Disposition.BUSY, Disposition.FAILED]
)
def test_unanswered_call_has_no_talk_time(
    log: CallLog, disposition: Disposition
) -> None:
    """A call that ended other than answered talked for 0 s."""
    log.dialing(dialing(), T0)

    ended = log.hangup(hangup(disposition=disposition), T0)

    assert ended is not None
    assert ended.talk_time == 0


def test_poll_seeing_the_channel_up_answers_the_call(log: CallLog) -> None:
    """The open call is answered at the first poll that sees it ``UP``."""
    log.dialing(dialing(), T0)
    log.poll(
        {"6001": channel("6001", state=ChannelState.UP)}, T0 + timedelta(seconds=20)
    )

    log.poll(
        {"6001": channel("6001", state=ChannelState.UP)}, T0 + timedelta(seconds=50)
    )

    call = log.state("6001").call
    assert call is not None
    assert call.answered == T0 + timedelta(seconds=20)


def test_poll_seeing_the_channel_ring_does_not_answer(log: CallLog) -> None:
    """A ringing channel leaves the call unanswered."""
    log.dialing(dialing(), T0)

    log.poll({"6001": channel("6001")}, T0 + timedelta(seconds=5))

    call = log.state("6001").call
    assert call is not None
    assert call.answered is None


# A call between two configured extensions


def test_internal_call_is_the_last_call_of_both_ends(
    log: CallLog, internal_call: FinishedCall
) -> None:
    """Both extensions show the same call as their last call."""
    assert log.last_calls == {"6001": internal_call, "6002": internal_call}


def test_internal_call_is_inbound_for_the_called_end(
    internal_call: FinishedCall,
) -> None:
    """Seen from 6002 an internal call is inbound; from 6001, outbound."""
    assert internal_call.direction is Direction.INTERNAL
    assert internal_call.direction_for("6002") is Direction.INBOUND
    assert internal_call.direction_for("6001") is Direction.OUTBOUND


def test_unanswered_internal_call_is_missed_by_the_called_end_only(
    internal_call: FinishedCall,
) -> None:
    """Nobody answered 6002: 6002 missed it; 6001, who called, did not."""
    assert internal_call.missed_by("6002") is True
    assert internal_call.missed_by("6001") is False


def test_answered_internal_call_is_missed_by_nobody(log: CallLog) -> None:
    """An internal call that was answered is nobody's missed call."""
    log.dialing(dialing(to="6002"), T0)

    ended = log.hangup(hangup(), T0)

    assert ended is not None
    assert (ended.missed_by("6001"), ended.missed_by("6002")) == (False, False)


def test_internal_call_is_open_for_both_ends(log: CallLog) -> None:
    """While it lasts, both extensions show the one internal call."""
    call = log.dialing(dialing(to="6002"), T0)

    assert (log.state("6001").call, log.state("6002").call) == (call, call)


# The newest open call of each extension


def test_newest_open_call_of_an_extension_is_shown(log: CallLog) -> None:
    """Of several open calls of one extension (lost hangups), the newest counts."""
    for number, caller in enumerate(("6001", "6002", "6001", NUMBER)):
        log.dialing(dialing(f"call-{number}", from_=caller), T0)

    assert open_call_ids(log) == {"6001": "call-2", "6002": "call-1", "6003": None}


def test_newest_open_call_is_found_among_many(log: CallLog) -> None:
    """With many open calls of other extensions, each one's newest is still found."""
    log.dialing(dialing("first-of-6002", from_="6002"), T0)
    for number in range(MAX_OPEN_CALLS - 2):
        log.dialing(dialing(f"call-{number}"), T0)
    log.dialing(dialing("call-of-6003", from_=NUMBER, to="6003"), T0)

    assert open_call_ids(log) == {
        "6001": f"call-{MAX_OPEN_CALLS - 3}",
        "6002": "first-of-6002",
        "6003": "call-of-6003",
    }


# Memory bounds


def test_open_calls_are_capped(log: CallLog) -> None:
    """Past ``MAX_OPEN_CALLS`` the oldest open call is forgotten."""
    for number in range(MAX_OPEN_CALLS + 1):
        log.dialing(dialing(f"call-{number}"), T0)

    open_ids = ids(log.open_calls)
    assert len(open_ids) == MAX_OPEN_CALLS
    assert (open_ids[0], open_ids[-1]) == ("call-1", f"call-{MAX_OPEN_CALLS}")


def test_finished_ids_are_capped(log: CallLog) -> None:
    """Past ``MAX_FINISHED_IDS`` the oldest finished id is forgotten."""
    for number in range(MAX_FINISHED_IDS + 5):
        log.hangup(hangup(f"call-{number}"), T0)

    assert log.finished_ids == MAX_FINISHED_IDS
    assert log.hangup(hangup("call-0"), T0) is not None


@pytest.mark.parametrize(
    ("age", "still_open"),
    [
        (MAX_OPEN_CALL_AGE - timedelta(seconds=1), True),
        (MAX_OPEN_CALL_AGE, True),
        (MAX_OPEN_CALL_AGE + timedelta(seconds=1), False),
    ],
)
def test_open_calls_expire(log: CallLog, age: timedelta, still_open: bool) -> None:
    """An open call older than ``MAX_OPEN_CALL_AGE`` is dropped on the next webhook."""
    log.dialing(dialing("old"), T0)

    log.dialing(dialing("new"), T0 + age)

    assert ("old" in ids(log.open_calls)) is still_open


@pytest.mark.parametrize(
    ("delay", "duplicate"),
    [
        (MAX_FINISHED_ID_AGE - timedelta(seconds=1), True),
        (MAX_FINISHED_ID_AGE, True),
        (MAX_FINISHED_ID_AGE + timedelta(seconds=1), False),
    ],
)
def test_finished_ids_expire(log: CallLog, delay: timedelta, duplicate: bool) -> None:
    """A finished id is remembered for ``MAX_FINISHED_ID_AGE``, then forgotten."""
    log.hangup(hangup(), T0)

    assert (log.hangup(hangup(), T0 + delay) is None) is duplicate


# Calls only a poll shows


def test_poll_channel_starts_an_inbound_call(inbound_poll_call: OpenCall) -> None:
    """Another number on an extension's channel is an inbound call from it."""
    call = inbound_poll_call
    assert (call.extension, call.direction, call.from_, call.to) == (
        "6002",
        Direction.INBOUND,
        NUMBER,
        "6002",
    )
    assert (call.started, call.seen, call.answered, call.source) == (
        T0,
        T0 + timedelta(seconds=2),
        None,
        CallSource.POLL,
    )


def test_poll_call_is_open(log: CallLog, inbound_poll_call: OpenCall) -> None:
    """The call a poll started is the extension's open call."""
    assert log.open_calls == [inbound_poll_call]
    assert log.state("6002").call == inbound_poll_call


def test_poll_call_names_the_caller(named_log: CallLog) -> None:
    """A poll call looks up the names of both ends."""
    changes = named_log.poll({"6002": channel()}, T0)

    call = changes.started[0]
    assert (call.from_name, call.to_name) == ("Maria Silva", "Financeiro")


@pytest.mark.parametrize("caller", ["6001", None])
def test_poll_channel_of_the_extension_itself_is_outbound(
    log: CallLog, caller: str | None
) -> None:
    """A channel whose caller id is the extension (or unknown) is the extension calling."""
    changes = log.poll({"6001": channel(caller)}, T0)

    call = changes.started[0]
    assert (call.extension, call.direction, call.from_, call.to) == (
        "6001",
        Direction.OUTBOUND,
        "6001",
        None,
    )


def test_poll_channel_without_creation_time_starts_now(log: CallLog) -> None:
    """A channel that does not say when it was created starts at the poll."""
    changes = log.poll({"6002": channel(created=None)}, T0 + timedelta(seconds=3))

    assert changes.started[0].started == T0 + timedelta(seconds=3)


def test_poll_call_first_seen_up_is_answered(log: CallLog) -> None:
    """A channel already ``UP`` when first seen starts an answered call."""
    changes = log.poll(
        {"6002": channel(state=ChannelState.UP)}, T0 + timedelta(seconds=30)
    )

    assert changes.started[0].answered == T0 + timedelta(seconds=30)


def test_poll_call_is_answered_once_seen_up(
    log: CallLog, inbound_poll_call: OpenCall
) -> None:
    """The poll that sees the channel ``UP`` answers the call."""
    log.poll({"6002": channel(state=ChannelState.UP)}, T0 + timedelta(seconds=10))

    call = log.state("6002").call
    assert call is not None
    assert call.answered == T0 + timedelta(seconds=10)


def test_poll_call_ends_answered_when_its_channel_is_gone(
    log: CallLog, inbound_poll_call: OpenCall
) -> None:
    """Seen ``UP`` then gone: the call ended answered, talk time from the answer."""
    log.poll({"6002": channel(state=ChannelState.UP)}, T0 + timedelta(seconds=10))

    changes = log.poll({"6002": None}, T0 + timedelta(seconds=70))

    assert changes.finished == [
        FinishedCall(
            call_id=inbound_poll_call.call_id,
            extension="6002",
            direction=Direction.INBOUND,
            from_=NUMBER,
            to="6002",
            started=T0,
            answered=T0 + timedelta(seconds=10),
            ended=T0 + timedelta(seconds=70),
            duration=70,
            talk_time=60,
            disposition=Disposition.ANSWERED,
            source=CallSource.POLL,
        )
    ]
    assert log.open_calls == []


def test_poll_call_never_up_ends_unanswered(
    log: CallLog, inbound_poll_call: OpenCall
) -> None:
    """Gone without being seen ``UP``: no answer, no talk, missed by the extension."""
    changes = log.poll({"6002": None}, T0 + timedelta(seconds=30))

    ended = changes.finished[0]
    assert (ended.disposition, ended.talk_time) == (Disposition.NO_ANSWER, 0)
    assert ended.missed_by("6002") is True


def test_poll_call_that_ended_is_logged_and_last(
    log: CallLog, ended_calls: list[FinishedCall], inbound_poll_call: OpenCall
) -> None:
    """A poll call that ended is in the log and is its extension's last call."""
    changes = log.poll({"6002": None}, T0 + timedelta(seconds=30))

    assert ended_calls == changes.finished
    assert log.last_calls == {"6002": changes.finished[0]}


def test_poll_reports_the_extensions_it_changed(log: CallLog) -> None:
    """A new channel changes its extension's state; an idle one left idle does not."""
    changes = log.poll({"6001": None, "6002": channel()}, T0)

    assert changes.extensions == {"6002"}


def test_poll_that_finds_nothing_new_changes_nothing(
    log: CallLog, inbound_poll_call: OpenCall
) -> None:
    """The same channel seen again is no change."""
    changes = log.poll({"6002": channel()}, T0 + timedelta(seconds=5))

    assert not changes


def test_poll_does_not_end_a_webhook_call(log: CallLog) -> None:
    """A pushed call whose channel is gone waits for its hangup (or the watchdog)."""
    call = log.dialing(dialing(), T0)

    changes = log.poll({"6001": None}, T0 + timedelta(seconds=5))

    assert changes.finished == []
    assert log.open_calls == [call]


def test_poll_does_not_start_a_second_call_over_a_webhook_call(log: CallLog) -> None:
    """An extension whose call a dialing announced shows that call's channel."""
    call = log.dialing(dialing(), T0)

    changes = log.poll({"6001": channel("6001")}, T0 + timedelta(seconds=1))

    assert changes.started == []
    assert log.open_calls == [call]


@pytest.mark.parametrize(
    "order", [("6001", "6002"), ("6002", "6001")], ids=["caller first", "called first"]
)
def test_both_ends_of_a_poll_call_are_one_internal_call(
    log: CallLog, order: tuple[str, str]
) -> None:
    """6001 calling 6002 shows on both channels; it is one call, internal."""
    polled = {extension: BOTH_ENDS[extension] for extension in order}

    log.poll(polled, T0 + timedelta(seconds=2))

    calls = log.open_calls
    assert [(call.direction, call.from_, call.to) for call in calls] == [
        (Direction.INTERNAL, "6001", "6002")
    ]


@pytest.mark.parametrize(
    "order", [("6001", "6002"), ("6002", "6001")], ids=["caller first", "called first"]
)
def test_poll_reports_an_internal_call_as_internal(
    log: CallLog, order: tuple[str, str]
) -> None:
    """A poll that saw both ends reports the one internal call it started."""
    polled = {extension: BOTH_ENDS[extension] for extension in order}

    changes = log.poll(polled, T0 + timedelta(seconds=2))

    assert changes.started == log.open_calls
    assert changes.extensions == {"6001", "6002"}


def test_called_end_seen_later_joins_the_caller_call(log: CallLog) -> None:
    """6002 ringing in a later poll makes 6001's poll call internal, not a new one."""
    log.poll({"6001": channel("6001")}, T0)

    changes = log.poll(
        {"6001": channel("6001"), "6002": channel("6001", channel_id="1772460000.8")},
        T0 + timedelta(seconds=5),
    )

    assert changes.started == []
    assert [(call.direction, call.to) for call in log.open_calls] == [
        (Direction.INTERNAL, "6002")
    ]


def test_internal_poll_call_ends_for_both_ends(log: CallLog) -> None:
    """When the call's channels are gone, both ends have it as last call."""
    log.poll(
        {
            "6001": channel("6001", state=ChannelState.UP),
            "6002": channel("6001", state=ChannelState.UP, channel_id="1772460000.8"),
        },
        T0,
    )

    changes = log.poll({"6001": None, "6002": None}, T0 + timedelta(seconds=40))

    ended = changes.finished[0]
    assert log.last_calls == {"6001": ended, "6002": ended}
    assert ended.disposition is Disposition.ANSWERED


def test_inbound_poll_call_starts_while_the_caller_is_in_another_call(
    log: CallLog,
) -> None:
    """An outside caller already on a call with 6001 still rings 6002 as a new call."""
    log.dialing(dialing(), T0)

    changes = log.poll({"6002": channel()}, T0 + timedelta(seconds=5))

    assert [(call.from_, call.to) for call in changes.started] == [(NUMBER, "6002")]


def test_called_end_of_a_pushed_call_starts_no_call(log: CallLog) -> None:
    """6002 ringing for 6001, whose dialing was pushed (to a group), is that call."""
    call = log.dialing(dialing(to="600"), T0)

    changes = log.poll({"6002": channel("6001")}, T0 + timedelta(seconds=2))

    assert changes.started == []
    assert log.open_calls == [call]


def test_dialing_adopts_the_open_poll_call(log: CallLog) -> None:
    """A dialing for an extension with a poll call replaces it: still one call."""
    log.poll({"6001": channel("6001")}, T0)

    call = log.dialing(dialing(created=T0 + timedelta(seconds=1)), T0)

    assert log.open_calls == [call]
    assert call is not None
    assert call.source is CallSource.WEBHOOK


def test_dialing_keeps_the_answer_of_the_adopted_poll_call(log: CallLog) -> None:
    """A poll call already seen ``UP`` stays answered when its dialing arrives."""
    log.poll(
        {"6001": channel("6001", state=ChannelState.UP)}, T0 + timedelta(seconds=5)
    )

    call = log.dialing(dialing(), T0 + timedelta(seconds=6))

    assert call is not None
    assert call.answered == T0 + timedelta(seconds=5)


def test_hangup_of_an_unknown_call_ends_the_poll_call(log: CallLog) -> None:
    """A hangup whose dialing never came ends its extension's open poll call."""
    log.poll({"6001": channel("6001")}, T0)

    ended = log.hangup(hangup("pbx-42"), T0 + timedelta(seconds=125))

    assert log.open_calls == []
    assert ended is not None
    assert (ended.call_id, ended.started, ended.duration, ended.source) == (
        "pbx-42",
        T0,
        125,
        CallSource.WEBHOOK,
    )


def test_channel_older_than_the_last_hangup_starts_no_call(log: CallLog) -> None:
    """A poll answer showing the channel of a call already hung up starts nothing."""
    log.dialing(dialing(), T0)
    log.hangup(hangup(), T0 + timedelta(seconds=125))

    changes = log.poll(
        {"6001": channel("6001", created=T0 + timedelta(seconds=1))},
        T0 + timedelta(seconds=126),
    )

    assert changes.started == []
    assert log.open_calls == []


def test_channel_newer_than_the_last_hangup_starts_a_call(log: CallLog) -> None:
    """A channel created after the extension's last hangup is a new call."""
    log.dialing(dialing(), T0)
    log.hangup(hangup(), T0 + timedelta(seconds=125))

    changes = log.poll(
        {"6001": channel("6001", created=T0 + timedelta(seconds=130))},
        T0 + timedelta(seconds=131),
    )

    assert len(changes.started) == 1


# The watchdog


def test_end_stale_ends_a_webhook_call_without_channel(log: CallLog) -> None:
    """After the grace, a pushed call the PBX no longer shows is ended."""
    call = log.dialing(dialing(), T0)

    stale = log.end_stale(GRACE, T0 + GRACE)

    assert stale == [call]
    assert log.open_calls == []


def test_end_stale_waits_for_the_grace(log: CallLog) -> None:
    """A call younger than the grace is left open."""
    call = log.dialing(dialing(), T0)

    stale = log.end_stale(GRACE, T0 + GRACE - timedelta(seconds=1))

    assert stale == []
    assert log.open_calls == [call]


def test_end_stale_leaves_a_call_whose_extension_has_a_channel(log: CallLog) -> None:
    """A call its extension still shows a channel for is not stale."""
    log.dialing(dialing(), T0)
    log.poll({"6001": channel("6001", state=ChannelState.UP)}, T0)

    stale = log.end_stale(GRACE, T0 + timedelta(hours=1))

    assert stale == []
    assert ids(log.open_calls) == ["call-1"]


def test_end_stale_leaves_poll_calls(log: CallLog) -> None:
    """A poll call ends when a poll no longer sees it, never by the watchdog."""
    call = OpenCall(
        call_id="poll-1",
        extension="6002",
        direction=Direction.INBOUND,
        from_=NUMBER,
        to="6002",
        started=T0,
        seen=T0,
        source=CallSource.POLL,
    )
    log.restore_open_call(call)

    stale = log.end_stale(GRACE, T0 + timedelta(hours=1))

    assert stale == []
    assert log.open_calls == [call]


def test_end_stale_does_not_log_the_call(
    log: CallLog, ended_calls: list[FinishedCall]
) -> None:
    """A call the watchdog ended has no outcome: it is not a finished call."""
    log.dialing(dialing(), T0)

    log.end_stale(GRACE, T0 + GRACE)

    assert len(ended_calls) == 0
    assert log.last_calls == {}


def test_hangup_after_end_stale_is_still_accepted(log: CallLog) -> None:
    """A late hangup of a call the watchdog ended is still welcome (not a duplicate)."""
    log.dialing(dialing(), T0)
    log.end_stale(GRACE, T0 + GRACE)

    ended = log.hangup(hangup(), T0 + timedelta(minutes=2))

    assert ended is not None
    assert ended.duration is None


# Which extensions to follow


def test_no_extension_to_follow_without_calls(log: CallLog) -> None:
    """Without open calls there is nothing to follow."""
    assert log.extensions_to_follow() == []


def test_extensions_of_an_open_call_are_followed(log: CallLog) -> None:
    """Both configured ends of an open call are followed; outside numbers are not."""
    log.dialing(dialing("call-1", to="6002"), T0)
    log.dialing(dialing("call-2", from_=NUMBER, to="6003"), T0)

    assert log.extensions_to_follow() == ["6001", "6002", "6003"]


def test_extension_seen_talking_is_not_followed(log: CallLog) -> None:
    """Once a poll shows an extension ``UP`` it needs no follow-up."""
    log.dialing(dialing(to="6002"), T0)

    log.poll({"6001": channel("6001", state=ChannelState.UP)}, T0)

    assert log.extensions_to_follow() == ["6002"]


# Each extension's last call


def test_call_ending_with_the_last_call_becomes_the_last_call(log: CallLog) -> None:
    """Two calls that ended in the same second: the one hung up later is the last."""
    log.hangup(hangup("call-1"), T0)

    second = log.hangup(hangup("call-2"), T0)

    assert log.last_calls == {"6001": second}


def test_late_hangup_of_an_older_call_is_not_the_last_call(log: CallLog) -> None:
    """A hangup delivered late, of a call that ended earlier, leaves the last call."""
    newer = log.hangup(hangup("newer", created=T0 + timedelta(minutes=2)), T0)

    log.hangup(hangup("older", created=T0 + timedelta(minutes=1)), T0)

    assert log.last_calls == {"6001": newer}


# Restoring after a restart


def test_restore_reopens_a_call(log: CallLog) -> None:
    """A call open before a restart is open again, and its hangup finds its start."""
    call = OpenCall(
        call_id="call-1",
        extension="6001",
        direction=Direction.OUTBOUND,
        from_="6001",
        to=NUMBER,
        started=T0,
        seen=T0 + timedelta(hours=1),
    )

    assert log.restore_open_call(call) is True
    ended = log.hangup(hangup(), T0 + timedelta(hours=1))
    assert ended is not None
    assert (ended.to, ended.duration) == (NUMBER, 125)


def test_restore_leaves_an_open_call_alone(log: CallLog) -> None:
    """A restored call that is already open is not taken twice."""
    call = log.dialing(dialing(), T0)
    assert call is not None

    assert log.restore_open_call(call) is False
    assert log.open_calls == [call]


def test_restore_leaves_a_finished_call_finished(log: CallLog) -> None:
    """A restored call whose hangup already arrived stays finished."""
    call = log.dialing(dialing(), T0)
    assert call is not None
    log.hangup(hangup(), T0)

    assert log.restore_open_call(call) is False
    assert log.open_calls == []


def test_set_last_call_takes_back_a_last_call(log: CallLog) -> None:
    """An extension's stored last call is its last call again."""
    call = finished("call-1", T0)

    log.set_last_call("6001", call)

    assert log.last_calls == {"6001": call}


def test_set_last_call_keeps_a_newer_one(log: CallLog) -> None:
    """A stored last call older than one already known is ignored."""
    newer = finished("newer", T0 + timedelta(minutes=5))
    log.set_last_call("6001", newer)

    log.set_last_call("6001", finished("older", T0))

    assert log.last_calls == {"6001": newer}


def test_set_last_call_ignores_an_unconfigured_extension(log: CallLog) -> None:
    """An extension removed from the entry gets no last call back."""
    log.set_last_call("7777", finished("call-1", T0, from_="7777"))

    assert log.last_calls == {}
