"""Calendar events of one day, out of a call log of 100,000 calls.

The hub's ``call_history`` calendar answers Home Assistant's calendar REST
endpoint (``GET /api/calendars/<entity id>?start=…&end=…``, what the
calendar card asks for) from the call log. The request asks for one whole
day (UTC midnight to midnight, two days before the run) of the entry whose
log holds 100,000 calls spread over 60 days (about 1,700 calls that day),
next to the same request to the calendar of the entry with an empty log
(Home Assistant's own cost of the request). Requests alternate between the
two, one at a time; each one's wall time, from just before the request to
the last byte of the answer, is a sample.
"""

from datetime import UTC, datetime, timedelta
import json
import time

from .environment import BenchEnvironment, Entry
from .options import BenchOptions, Say
from .report import Figure
from .stats import Summary

CALENDAR_KEY = "call_history"
DAYS_BACK = 2
WARM_UP = 2
MAX_P99_MS = 20.0


def one_day(now: datetime) -> tuple[datetime, datetime]:
    """Return the UTC day ``DAYS_BACK`` days before ``now`` (start, end)."""
    day = (now - timedelta(days=DAYS_BACK)).astimezone(UTC)
    start = day.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def calendar_path(entity_id: str, start: datetime, end: datetime) -> str:
    """Return the REST path asking a calendar for its events in [start, end)."""
    return (
        f"/api/calendars/{entity_id}"
        f"?start={start.strftime('%Y-%m-%dT%H:%M:%SZ')}"
        f"&end={end.strftime('%Y-%m-%dT%H:%M:%SZ')}"
    )


async def calendar_of(env: BenchEnvironment, entry: Entry) -> str:
    """Return the entity id of an entry's call-history calendar."""
    entity_ids = await env.entity_ids(entry.entry_id, CALENDAR_KEY)
    if len(entity_ids) != 1:
        raise RuntimeError(f"expected one call-history calendar, got {entity_ids}")
    return entity_ids[0]


async def timed_get(env: BenchEnvironment, path: str) -> tuple[float, int]:
    """GET a calendar's events; return (milliseconds, number of events).

    Timed until the last byte of the answer (compressed, as a browser asks
    for it); decoding its JSON is the client's work, done after.
    """
    session, api, _ = env.require()
    headers = {"Authorization": f"Bearer {await api.access_token()}"}
    started = time.perf_counter()
    async with session.get(f"{env.hass.base_url}{path}", headers=headers) as answer:
        body = await answer.read()
        elapsed = time.perf_counter() - started
        if answer.status != 200:
            raise RuntimeError(f"GET {path} answered {answer.status}")
    return elapsed * 1000, len(json.loads(body))


async def run(
    env: BenchEnvironment,
    full: Entry,
    empty: Entry,
    options: BenchOptions,
    say: Say,
) -> list[Figure]:
    """Time the day's events of both calendars, alternating; return the figure."""
    start, end = one_day(datetime.now(UTC))
    paths = {
        "full": calendar_path(await calendar_of(env, full), start, end),
        "empty": calendar_path(await calendar_of(env, empty), start, end),
    }
    for path in paths.values():
        for _ in range(WARM_UP):
            await timed_get(env, path)
    times: dict[str, list[float]] = {side: [] for side in paths}
    events: dict[str, int] = {}
    for number in range(options.calendar_requests):
        order = ("full", "empty") if number % 2 == 0 else ("empty", "full")
        for side in order:
            milliseconds, events[side] = await timed_get(env, paths[side])
            times[side].append(milliseconds)
    value, baseline = Summary.of(times["full"]), Summary.of(times["empty"])
    logged = await env.call_log_size(full.entry_id)
    say(
        f"  calendar: {events['full']:,} events in {value.median:.1f} ms (median),"
        f" empty log {baseline.median:.1f} ms"
    )
    return [
        Figure(
            key="calendar_day",
            title=f"Calendar, one day of a {logged:,}-call log",
            unit="ms",
            value=value,
            value_label=f"the day's events of a full log ({events['full']:,} calls)",
            baseline=baseline,
            baseline_label="the same request to the calendar of an empty log",
            target=f"p99 ≤ {MAX_P99_MS:.0f} ms",
            met=value.p99 <= MAX_P99_MS,
            details={
                "requests": options.calendar_requests,
                "events_full": events["full"],
                "events_empty": events["empty"],
                "logged_calls": logged,
                "day": start.date().isoformat(),
            },
        )
    ]
