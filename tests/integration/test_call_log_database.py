"""The call log's database thread and its SQL, on real SQLite files.

The SQL that answers a :class:`CallQuery` is held to the query's own
meaning (``CallQuery.matches``) over generated calls. The thread is the
only user of its connection, commits a failing job's neighbours, and
replaces a database that turns out damaged without losing the batch it was
writing.
"""

import asyncio
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
import sqlite3
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.bemmelhor.api import Disposition
from custom_components.bemmelhor.call_log.database import changes, questions
from custom_components.bemmelhor.call_log.database.schema import migrate
from custom_components.bemmelhor.call_log.database.worker import DatabaseWorker
from custom_components.bemmelhor.call_log.model.calls import (
    CallSource,
    Direction,
    FinishedCall,
)
from custom_components.bemmelhor.call_log.model.queries import CallQuery
from custom_components.bemmelhor.call_log.store import key_of_numbers

T0 = datetime(2026, 11, 1, tzinfo=UTC)
EXTENSIONS = ("6001", "6002", "6003")
NUMBERS = ("11987654321", "011987654321", "+55 11 98765-4321", "3133334444", "190")
KEY_OF = key_of_numbers("11")


def call(
    call_id: str,
    ended: datetime,
    *,
    from_: str | None = "6001",
    to: str | None = "11987654321",
    direction: Direction = Direction.OUTBOUND,
    disposition: Disposition = Disposition.ANSWERED,
) -> FinishedCall:
    """Return a finished call that ended at ``ended`` (a minute long)."""
    return FinishedCall(
        call_id=call_id,
        extension=from_ if direction is not Direction.INBOUND else to,
        direction=direction,
        from_=from_,
        to=to,
        started=ended - timedelta(minutes=1),
        ended=ended,
        duration=60,
        talk_time=60 if disposition is Disposition.ANSWERED else 0,
        disposition=disposition,
        source=CallSource.WEBHOOK,
    )


@st.composite
def calls(draw: st.DrawFn) -> list[FinishedCall]:
    """Draw up to 40 calls of every direction, each ending in its own second."""
    count = draw(st.integers(min_value=0, max_value=40))
    minutes = draw(
        st.lists(
            st.integers(min_value=0, max_value=10_000),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    drawn = []
    for number, minute in enumerate(minutes):
        direction = draw(st.sampled_from(Direction))
        extension = draw(st.sampled_from(EXTENSIONS))
        other = draw(st.sampled_from(EXTENSIONS + NUMBERS))
        from_, to = {
            Direction.OUTBOUND: (extension, other),
            Direction.INBOUND: (other, extension),
            Direction.INTERNAL: (extension, draw(st.sampled_from(EXTENSIONS))),
        }[direction]
        drawn.append(
            call(
                f"c{number}",
                T0 + timedelta(minutes=minute),
                from_=from_,
                to=to,
                direction=direction,
                disposition=draw(st.sampled_from(Disposition)),
            )
        )
    return drawn


moments = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=10_000).map(
        lambda minute: T0 + timedelta(minutes=minute)
    ),
)
queries = st.builds(
    CallQuery,
    extension=st.one_of(st.none(), st.sampled_from(EXTENSIONS)),
    start=moments,
    end=moments,
    direction=st.one_of(st.none(), st.sampled_from(Direction)),
    missed_only=st.booleans(),
    numbers=st.one_of(
        st.just(frozenset()),
        st.sets(st.sampled_from(NUMBERS + EXTENSIONS), max_size=2).map(
            lambda numbers: frozenset(KEY_OF(number) for number in numbers)
        ),
    ),
    limit=st.integers(min_value=1, max_value=50),
)


def new_database() -> sqlite3.Connection:
    """Return an empty database in memory."""
    connection = sqlite3.connect(":memory:", autocommit=True)
    migrate(connection)
    return connection


@pytest.fixture
def connection() -> Iterator[sqlite3.Connection]:
    """Yield an empty database in memory; close it afterwards."""
    with closing(new_database()) as database:
        yield database


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=calls(), query=queries)
def test_the_sql_finds_what_the_query_means(
    drawn: list[FinishedCall], query: CallQuery
) -> None:
    """Whatever the calls and the question, the SQL answers as ``matches`` says."""
    with closing(new_database()) as connection:
        changes.insert_calls(connection, drawn, KEY_OF)
        found = questions.find_calls(connection, query, KEY_OF)

    expected = sorted(
        (one for one in drawn if query.matches(one, KEY_OF)),
        key=lambda one: one.ended,
        reverse=True,
    )[: query.limit]
    assert found == expected


def test_a_call_reads_back_as_it_was_written(connection: sqlite3.Connection) -> None:
    """Every value of a finished call survives the database."""
    written = replace(
        call("c1", T0, from_="11987654321", to="6001", direction=Direction.INBOUND),
        raw_disposition="CANCEL",
        placed_by="a-user-id",
    )

    changes.insert_calls(connection, [written], KEY_OF)

    assert questions.calls_ended_between(connection, T0, T0 + timedelta(1)) == [written]


def test_a_calendar_range_has_the_keys_of_the_calls_that_overlap_it(
    connection: sqlite3.Connection,
) -> None:
    """Keys of the calls that ended in the range and started before its end, by end."""
    hour = timedelta(hours=1)
    ended_before = call("before", T0 + hour)
    inside = call("inside", T0 + 1.5 * hour)
    across_the_end = call("across", T0 + 2 * hour + timedelta(seconds=30))
    started_after = call("after", T0 + 3 * hour)
    changes.insert_calls(
        connection, [across_the_end, started_after, ended_before, inside], KEY_OF
    )

    keys = questions.call_keys_ended_between(
        connection, T0 + hour + timedelta(seconds=1), T0 + 14 * hour, T0 + 2 * hour
    )

    assert [(call_id, ended) for _, call_id, ended in keys] == [
        ("inside", inside.ended.timestamp()),
        ("across", across_the_end.ended.timestamp()),
    ]
    by_id = questions.calls_of_ids(connection, [row_id for row_id, _, _ in keys])
    assert [by_id[row_id] for row_id, _, _ in keys] == [inside, across_the_end]


def test_calls_are_read_by_row_id_many_at_a_time(
    connection: sqlite3.Connection,
) -> None:
    """More ids than one statement binds: every call still there is found."""
    written = [
        call(f"c{number}", T0 + timedelta(minutes=number)) for number in range(1200)
    ]
    changes.insert_calls(connection, written, KEY_OF)
    ids = [row[0] for row in connection.execute("SELECT id FROM calls ORDER BY id")]

    found = questions.calls_of_ids(connection, [*ids, max(ids) + 1])

    assert [found[row_id] for row_id in ids] == written
    assert len(found) == len(written)


def test_the_newest_call_of_an_extension_is_its_last(
    connection: sqlite3.Connection,
) -> None:
    """``last_call`` looks at both ends."""
    changes.insert_calls(
        connection,
        [
            call("out", T0),
            call("in", T0 + timedelta(minutes=5), from_="3133334444", to="6001"),
            call("other", T0 + timedelta(minutes=9), from_="6002"),
        ],
        KEY_OF,
    )

    last = questions.last_call(connection, "6001")

    assert last is not None
    assert last.call_id == "in"


@pytest.fixture
async def worker(tmp_path: Path) -> Any:
    """Yield a started database worker on a file; stop and join it afterwards."""
    resets: list[str] = []
    started = DatabaseWorker(
        tmp_path / "log.db", asyncio.get_running_loop(), on_reset=resets.append
    )
    await started.start(lambda _connection: None)
    started.resets = resets  # type: ignore[attr-defined]
    yield started
    await started.stop()
    started.join()


async def test_the_connection_refuses_the_event_loop(worker: DatabaseWorker) -> None:
    """Only the worker's thread may use its connection: not the event loop."""
    connection = worker._connection  # noqa: SLF001 - what a stray use would reach
    assert connection is not None

    with pytest.raises(sqlite3.ProgrammingError, match="thread"):
        connection.execute("SELECT 1")


async def test_a_failing_job_spoils_no_other(worker: DatabaseWorker) -> None:
    """Jobs committed together: one that fails is rolled back alone."""

    def fails(connection: sqlite3.Connection) -> None:
        changes.insert_calls(connection, [call("bad", T0)], KEY_OF)
        raise ValueError("this job fails")

    good = worker.submit(
        lambda connection: changes.insert_calls(connection, [call("good", T0)], KEY_OF),
        write=True,
    )
    bad = worker.submit(fails, write=True)

    await good
    with pytest.raises(ValueError, match="this job fails"):
        await bad
    assert await worker.submit(questions.count_calls, write=False) == 1


async def test_a_database_damaged_while_open_is_replaced_and_the_batch_kept(
    worker: DatabaseWorker, tmp_path: Path
) -> None:
    """A write that meets a damaged file: moved aside, written again to a new one."""
    attempts: list[int] = []

    def damaged_once(connection: sqlite3.Connection) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            err = sqlite3.DatabaseError("database disk image is malformed")
            err.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
            raise err
        changes.insert_calls(connection, [call("kept", T0)], KEY_OF)

    await worker.submit(damaged_once, write=True)

    assert await worker.submit(questions.count_calls, write=False) == 1
    assert worker.resets == [  # type: ignore[attr-defined]
        "database disk image is malformed"
    ]
    assert list(tmp_path.glob("log.db.damaged-*"))


async def test_a_closed_worker_refuses_jobs(worker: DatabaseWorker) -> None:
    """After ``stop`` a job fails at once; it never waits for a thread that left."""
    await worker.stop()

    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        await worker.submit(questions.count_calls, write=False)
