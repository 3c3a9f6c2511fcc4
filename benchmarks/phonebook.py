"""Webhook throughput with a phone book of 10,000 contacts.

The 10,000-contact vCard file (``contacts.phonebook_vcard``) is imported
into the main entry as the user would: uploaded (``/api/file_upload``),
then given to the entry's ``phonebook`` subentry flow. Then rounds of
dialing/hangup pairs, as the throughput rounds, whose outside numbers are
the phone book's own (each call names one of the 10,000 contacts, most of
them for the first time), alternate between the integration's webhook and
the automation with a webhook trigger.
"""

import asyncio
import time

from devtools.hass_api import HassApiError

from .contacts import LARGE, dialled, phonebook_vcard
from .environment import BASELINE_WEBHOOK_ID, CLIENT_ID, BenchEnvironment, Entry
from .options import BenchOptions, Say
from .payloads import CallFactory
from .report import Figure
from .throughput import (
    SETTLE_SECONDS,
    RoundResult,
    figures,
    measure_round,
    round_order,
    webhook_load,
    webhook_path,
)

PHONEBOOK_NAME = "Clientes"
IMPORT_TIMEOUT = 60.0
SIDES = ("integration", "baseline")


async def upload(env: BenchEnvironment, content: bytes) -> str:
    """Upload a file as the frontend does; return its ``file_id``."""
    _, api, _ = env.require()
    return await api.upload_file(content, "clientes.vcf", "text/vcard")


async def import_phonebook(env: BenchEnvironment, entry: Entry, count: int) -> float:
    """Import a phone book of ``count`` contacts; return the seconds it took."""
    _, api, _ = env.require()
    started = time.monotonic()
    file_id = await upload(env, phonebook_vcard(count))
    base = "/api/config/config_entries/subentries/flow"
    flow = await api.request(
        "POST", base, json_body={"handler": [entry.entry_id, "phonebook"]}
    )
    result = await api.request(
        "POST",
        f"{base}/{flow['flow_id']}",
        json_body={"name": PHONEBOOK_NAME, "file": file_id},
    )
    if result.get("type") != "create_entry":
        raise RuntimeError(f"the phone book flow did not finish: {result}")
    deadline = time.monotonic() + IMPORT_TIMEOUT
    while await contact_count(env, entry, missing=0) < count:
        if time.monotonic() > deadline:
            raise RuntimeError("the phone book's contacts never showed up")
        await asyncio.sleep(0.2)
    return time.monotonic() - started


async def contact_count(
    env: BenchEnvironment, entry: Entry, missing: int | None = None
) -> int:
    """Return how many contacts an entry knows (from its diagnostics).

    With ``missing``: that number while the entry cannot answer (reloading).
    """
    _, api, _ = env.require()
    try:
        answer = await api.request(
            "GET", f"/api/diagnostics/config_entry/{entry.entry_id}"
        )
        return int(answer["data"]["contacts"]["contacts"])
    except HassApiError, KeyError, TypeError:
        if missing is None:
            raise
        return missing


async def run(
    env: BenchEnvironment, entry: Entry, options: BenchOptions, say: Say
) -> list[Figure]:
    """Import the phone book, then time both webhooks; return the figure."""
    seconds = await import_phonebook(env, entry, LARGE)
    say(f"  {LARGE:,} contacts imported in {seconds:.1f} s")
    sides = {
        "integration": webhook_path(entry.webhook_id),
        "baseline": webhook_path(BASELINE_WEBHOOK_ID),
    }
    numbers = [dialled(number) for number in range(LARGE)]
    factory = CallFactory(entry.extensions, CLIENT_ID, numbers)
    load = webhook_load(env)
    pairs_per_round = options.throughput_pairs
    results: dict[str, list[RoundResult]] = {side: [] for side in sides}
    for path in sides.values():  # warm-up
        warm_up = load.encode_pairs(path, factory.pairs(options.concurrency * 4))
        await load.post_pairs(warm_up, options.concurrency)
    for number in range(options.throughput_rounds):
        for side in round_order(SIDES, number):
            await asyncio.sleep(SETTLE_SECONDS)
            requests = load.encode_pairs(sides[side], factory.pairs(pairs_per_round))
            result = await measure_round(env, load, requests, options.concurrency)
            results[side].append(result)
            say(
                f"  phone-book throughput round {number + 1} {side}:"
                f" {result.rate:,.0f} req/s ({result.failures} failed)"
            )
    throughput = figures(results, pairs_per_round, options.concurrency, 0)[0]
    details = {
        **throughput.details,
        "contacts": await contact_count(env, entry),
        "import_seconds": round(seconds, 2),
    }
    del details["pbx_requests_during_rounds"]
    return [
        Figure(
            key="phonebook_throughput",
            title=f"Webhook throughput, {LARGE:,} contacts",
            unit=throughput.unit,
            value=throughput.value,
            value_label=f"integration webhook, phone book of {LARGE:,} contacts",
            baseline=throughput.baseline,
            baseline_label=throughput.baseline_label,
            target=throughput.target,
            met=throughput.met,
            details=details,
        )
    ]
