"""The call-back list and the daily figures, as pure units: every time explicit."""

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.bemmelhor.api import Disposition
from custom_components.bemmelhor.call_log.model.call_backs import (
    MAX_COMPLETED_SHOWN,
    MAX_OPEN_ITEMS,
    CallBack,
    CallBacks,
    same_number_key,
)
from custom_components.bemmelhor.call_log.model.calls import (
    CallSource,
    Direction,
    FinishedCall,
)
from custom_components.bemmelhor.call_log.model.figures import PBX, DailyFigures

EXTENSIONS = ("6001", "6002")
T0 = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
OUTSIDE = "11987654321"


def finished(
    from_: str,
    to: str,
    disposition: Disposition,
    *,
    ended: datetime = T0,
    talk_time: int = 0,
    direction: Direction | None = None,
) -> FinishedCall:
    """Return a finished call that started a minute before it ended."""
    inbound = to in EXTENSIONS and from_ not in EXTENSIONS
    internal = to in EXTENSIONS and from_ in EXTENSIONS
    return FinishedCall(
        call_id=f"{from_}-{to}-{ended.timestamp()}",
        extension=from_ if from_ in EXTENSIONS else to,
        direction=direction
        or (
            Direction.INTERNAL
            if internal
            else Direction.INBOUND
            if inbound
            else Direction.OUTBOUND
        ),
        from_=from_,
        to=to,
        started=ended - timedelta(minutes=1),
        ended=ended,
        duration=60,
        talk_time=talk_time,
        disposition=disposition,
        source=CallSource.WEBHOOK,
    )


@pytest.fixture
def call_backs() -> CallBacks:
    """Return an empty call-back list of 6001 and 6002."""
    return CallBacks(EXTENSIONS)


@pytest.mark.parametrize(
    ("number", "key"),
    [
        ("11987654321", "11987654321"),
        ("011987654321", "11987654321"),
        ("+55 11 98765-4321", "11987654321"),
        ("0", "0"),
    ],
)
def test_same_number_key(number: str, key: str) -> None:
    """Numbers compare without +55, the trunk zero or formatting."""
    assert same_number_key(number) == key


def test_loaded_items_are_the_stored_ones(call_backs: CallBacks) -> None:
    """Items loaded back are the same, and nothing to write."""
    call_backs.apply(finished(OUTSIDE, "6001", Disposition.NO_ANSWER))
    copy = CallBacks(EXTENSIONS)

    copy.load(list(call_backs))

    assert list(copy) == list(call_backs)
    assert copy.take_changes() == ([], set())


def test_changes_say_what_to_write(call_backs: CallBacks) -> None:
    """Each change is written once: changed items, then deleted uids."""
    call_backs.apply(finished(OUTSIDE, "6001", Disposition.NO_ANSWER))
    (item,) = call_backs

    assert call_backs.take_changes() == ([item], set())
    assert call_backs.take_changes() == ([], set())
    call_backs.delete([item.uid])
    assert call_backs.take_changes() == ([], {item.uid})


def test_a_second_open_item_of_a_number_is_loaded_completed() -> None:
    """Two stored open items of one number: the later one is loaded completed."""
    first = CallBack(
        uid="a", number=OUTSIDE, name=None, extension="6001", missed=1, last_missed=T0
    )
    second = CallBack(
        uid="b",
        number="0" + OUTSIDE,
        name=None,
        extension="6001",
        missed=1,
        last_missed=T0 + timedelta(hours=1),
    )
    call_backs = CallBacks(EXTENSIONS)

    call_backs.load([first, second])

    assert [item.completed for item in call_backs] == [None, second.last_missed]
    assert call_backs.take_changes()[0] == [list(call_backs)[1]]


def test_stored_item_with_odd_count_counts_one() -> None:
    """A stored count that is not a positive integer reads as 1."""
    item = CallBack.from_dict(
        {"uid": "u", "number": OUTSIDE, "missed": "x", "last_missed": T0.isoformat()}
    )

    assert item is not None
    assert item.missed == 1


def test_reopening_is_refused_while_the_number_has_an_open_item(
    call_backs: CallBacks,
) -> None:
    """Two open items for one number never exist."""
    call_backs.apply(finished(OUTSIDE, "6001", Disposition.NO_ANSWER))
    (first,) = call_backs
    call_backs.set_completed(first.uid, T0)
    call_backs.apply(
        finished(OUTSIDE, "6001", Disposition.BUSY, ended=T0 + timedelta(hours=1))
    )

    assert call_backs.set_completed(first.uid, None) is False
    assert call_backs.set_completed("no such item", T0) is False


def test_reopening_an_open_item_changes_nothing(call_backs: CallBacks) -> None:
    """Reopening what is open is accepted and leaves it open."""
    call_backs.apply(finished(OUTSIDE, "6001", Disposition.NO_ANSWER))
    (item,) = call_backs

    assert call_backs.set_completed(item.uid, None) is True
    assert [entry.completed for entry in call_backs] == [None]


def test_an_answered_call_before_the_miss_completes_nothing(
    call_backs: CallBacks,
) -> None:
    """Only a later call completes an item."""
    call_backs.apply(
        finished(OUTSIDE, "6001", Disposition.NO_ANSWER, ended=T0 + timedelta(hours=1))
    )

    assert call_backs.apply(finished("6002", OUTSIDE, Disposition.ANSWERED)) is False


def missed_from(number: int) -> FinishedCall:
    """Return a call missed from the ``number``-th outside number, ``number`` s after T0."""
    return finished(
        f"1198765{number:04d}",
        "6001",
        Disposition.NO_ANSWER,
        ended=T0 + timedelta(seconds=number),
    )


def test_the_list_keeps_at_most_max_open_items(call_backs: CallBacks) -> None:
    """Past the cap, the oldest open items are deleted."""
    for number in range(MAX_OPEN_ITEMS + 2):
        call_backs.apply(missed_from(number))

    assert len(list(call_backs)) == MAX_OPEN_ITEMS
    assert len(call_backs.take_changes()[1]) == 2


def test_memory_keeps_the_newest_completed_items(call_backs: CallBacks) -> None:
    """Past ``MAX_COMPLETED_SHOWN`` completed items, the oldest leave memory only."""
    for number in range(MAX_COMPLETED_SHOWN + 3):
        call_backs.apply(missed_from(number))
        (item,) = [entry for entry in call_backs if entry.completed is None]
        call_backs.set_completed(item.uid, T0 + timedelta(hours=1, seconds=number))

    assert len(list(call_backs)) == MAX_COMPLETED_SHOWN
    assert call_backs.take_changes()[1] == set()


def test_calls_between_unconfigured_numbers_complete_by_either_end(
    call_backs: CallBacks,
) -> None:
    """A call with no configured end completes the item of either number."""
    call_backs.apply(finished(OUTSIDE, "6001", Disposition.NO_ANSWER))

    call_backs.apply(
        finished(
            "7777",
            OUTSIDE,
            Disposition.ANSWERED,
            ended=T0 + timedelta(hours=1),
            direction=Direction.OUTBOUND,
        )
    )

    assert [item.completed is not None for item in call_backs] == [True]


def test_daily_figures_ignore_calls_of_another_day() -> None:
    """A call that ended before the day began is not counted."""
    figures = DailyFigures(EXTENSIONS, T0)

    assert figures.add(finished("6001", OUTSIDE, Disposition.ANSWERED, ended=T0 - timedelta(hours=1))) == set()  # fmt: skip
    assert figures.of(PBX).calls == 0


def test_daily_figures_count_a_missed_call_of_unconfigured_numbers() -> None:
    """An inbound call to a number not configured, unanswered, is missed by the PBX."""
    figures = DailyFigures(EXTENSIONS, T0)

    figures.add(
        finished(OUTSIDE, "7000", Disposition.NO_ANSWER, direction=Direction.INBOUND)
    )

    assert figures.of(PBX).missed == 1
