"""What the PBX really sent: its last answers, and every unexpected one, counted.

The provider's page is the only specification, so the integration keeps what
it sees. The client hands over every answer of ``call``, ``status`` and
``active``, the webhook every body, raw, with what parsing noted
(:mod:`.api.oddities`). Kept in memory and bounded: the last few of each
source, and the first of each kind of oddity (by where it was seen and, for
unknown words, by word) with how often it came. Masked only when shown
(:mod:`.sample_masking`): in the diagnostics, and in the repair issue raised
the first time a kind of oddity arrives (once per kind, not per request).
"""

from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant, callback
from homeassistant.loader import async_get_integration
from homeassistant.util import dt as dt_util

from .api import Oddity, OddityKind, Received
from .const import CONF_CLIENT_ID, DOMAIN
from .contact_directory import ContactDirectory
from .repairs import async_pbx_spoke_differently, async_remove_pbx_issues
from .sample_masking import Secrets, mask_body, mask_content_type, mask_seen, mask_text

SAMPLES_KEPT = 5
"""Answers kept per source (the webhook and each endpoint)."""
MAX_LISTED = 100
"""Different unexpected things listed; more are only counted."""
MAX_SAMPLE_BYTES = 8 * 1024
MAX_NOTED_PER_SAMPLE = 10
MAX_WORD = 64
WEBHOOK = "webhook"
"""The source of webhook bodies (the others are the client's endpoints)."""
SOURCES = {
    WEBHOOK: "webhook",
    "call": "/api/call",
    "status": "/api/status",
    "active": "/api/active",
}
"""Where answers come from, and how the repair issue names each."""
UNKNOWN_WORDS = frozenset(
    {
        OddityKind.UNKNOWN_EVENT,
        OddityKind.UNKNOWN_DISPOSITION,
        OddityKind.UNKNOWN_CHANNEL_STATE,
        OddityKind.UNKNOWN_API_STATUS,
    }
)
"""Kinds listed once per word (each unknown disposition on its own); others
once per field and type (a date in seconds apart from one as ISO text)."""

type SecretsOf = Callable[[], Secrets]


@dataclass(frozen=True, slots=True)
class _Kept:
    """An answer as kept: cut to its first 8 KiB, when it came, its whole size."""

    received: Received
    at: datetime
    size: int


@dataclass(slots=True, kw_only=True)
class _Unexpected:
    """One unexpected thing: its first sample, and how often it came."""

    oddity: Oddity
    source: str
    count: int
    first_seen: datetime
    last_seen: datetime
    sample: _Kept


class PbxSamples:
    """Samples of what one entry's PBX sent; raises the repair issue per kind."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, version: str) -> None:
        """Keep the samples of ``entry`` for this ``version`` of the integration."""
        self._hass = hass
        self._entry = entry
        self.version = version
        self.secrets_of: SecretsOf = lambda: entry_secrets(entry, ())
        """Tells the words to mask (the contacts are known once loaded)."""
        self._samples: dict[str, deque[_Kept]] = {
            source: deque(maxlen=SAMPLES_KEPT) for source in SOURCES
        }
        self._unexpected: dict[tuple[object, ...], _Unexpected] = {}
        self.counts: Counter[OddityKind] = Counter()
        self.not_listed = 0
        self._raised: set[OddityKind] = set()

    @callback
    def received(self, received: Received) -> None:
        """Keep an answer (or webhook body) and count what it noted."""
        now, size = dt_util.utcnow(), len(received.body)
        if size > MAX_SAMPLE_BYTES:
            received = replace(received, body=received.body[:MAX_SAMPLE_BYTES])
        kept = _Kept(received, now, size)
        self._samples[received.source].append(kept)
        for oddity in received.oddities:
            self._count(oddity, kept)

    @callback
    def follow_contacts(self, contacts: ContactDirectory) -> None:
        """Mask the names of the entry's contacts too (as they are at the time)."""
        self.secrets_of = lambda: entry_secrets(
            self._entry, (contact.name for contact in contacts.index.contacts)
        )

    def _count(self, oddity: Oddity, kept: _Kept) -> None:
        kind, received, now = oddity.kind, kept.received, kept.at
        self.counts[kind] += 1
        value = oddity.value
        if kind in UNKNOWN_WORDS and isinstance(value, str):
            what = value[:MAX_WORD]
        else:
            what = type(value).__name__
        key = (kind, received.source, oddity.where, what)
        if (known := self._unexpected.get(key)) is not None:
            known.count += 1
            known.last_seen = now
        elif len(self._unexpected) < MAX_LISTED:
            self._unexpected[key] = _Unexpected(
                oddity=oddity,
                source=received.source,
                count=1,
                first_seen=now,
                last_seen=now,
                sample=kept,
            )
        else:
            self.not_listed += 1
        if kind not in self._raised:
            self._raised.add(kind)
            async_pbx_spoke_differently(
                self._hass,
                self._entry,
                kind,
                version=self.version,
                source=SOURCES.get(received.source, received.source),
                seen=self._seen(oddity, self.secrets_of()),
            )

    @staticmethod
    def _seen(oddity: Oddity, secrets: Secrets) -> str:
        return mask_seen(
            oddity.where,
            oddity.value,
            secrets,
            missing=oddity.kind is OddityKind.MISSING_FIELD,
        )

    def as_diagnostics(self) -> dict[str, Any]:
        """Return the samples and the unexpected answers, masked."""
        secrets = self.secrets_of()
        return {
            "integration_version": self.version,
            "samples": {
                source: [_sample(kept, secrets) for kept in samples]
                for source, samples in self._samples.items()
            },
            "unexpected": [
                {
                    "kind": found.oddity.kind.value,
                    "source": found.source,
                    "seen": self._seen(found.oddity, secrets),
                    "count": found.count,
                    "first_seen": found.first_seen.isoformat(),
                    "last_seen": found.last_seen.isoformat(),
                    "sample": _sample(found.sample, secrets),
                }
                for found in self._unexpected.values()
            ],
            "unexpected_counts": {
                kind.value: count for kind, count in sorted(self.counts.items())
            },
            "unexpected_not_listed": self.not_listed,
        }


def _sample(kept: _Kept, secrets: Secrets) -> dict[str, Any]:
    """Return one answer as the diagnostics show it: masked, with what it noted."""
    received = kept.received
    return {
        "received": kept.at.isoformat(),
        "status": received.status,
        "content_type": (
            mask_content_type(received.content_type, secrets)
            if received.content_type
            else None
        ),
        "size": kept.size,
        "body": mask_body(received.body, secrets),
        "noted": [
            f"{oddity.kind.value}: {mask_text(oddity.where, secrets)}"
            for oddity in received.oddities[:MAX_NOTED_PER_SAMPLE]
        ],
    }


def entry_secrets(entry: ConfigEntry, names: Iterable[str]) -> Secrets:
    """Return the words to mask: contact names, the client id, the host's name."""
    host: str = entry.data.get(CONF_HOST, "")
    return Secrets.of(
        [*names, entry.options.get(CONF_CLIENT_ID), host.split(".", 1)[0]]
    )


async def async_create_pbx_samples(
    hass: HomeAssistant, entry: ConfigEntry
) -> PbxSamples:
    """Return the entry's samples; drop its issues raised by other versions."""
    version = str((await async_get_integration(hass, DOMAIN)).version)
    async_remove_pbx_issues(hass, entry, keep_version=version)
    return PbxSamples(hass, entry, version)
