"""What Home Assistant's log says of the integration: warnings and errors.

``scripts/develop --check`` fails when Home Assistant's log holds a warning,
an error or a critical line written by the integration
(``custom_components.bemmelhor…``) or about it (any logger naming
``bemmelhor``: a failed set-up, an "Error processing webhook", a deprecation
that Home Assistant's ``report_usage`` reports for custom integrations).

Home Assistant itself writes two such lines for every custom integration,
whatever it does; they are known and not counted (``KNOWN_CORE_LINES``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
import re

DOMAIN = "bemmelhor"

_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:?\d\d|Z)? "
    r"(?P<level>[A-Z]+) \((?P<thread>[^)]*)\) \[(?P<logger>[^\]]+)\] (?P<message>.*)$"
)
"""One log record's first line (2026.11 adds the time zone's offset)."""

COUNTED_LEVELS = frozenset({"WARNING", "ERROR", "CRITICAL"})

KNOWN_CORE_LINES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "homeassistant.loader",
        re.compile(
            rf"^We found a custom integration {DOMAIN} which has not been tested"
        ),
    ),
    # Home Assistant asks for the translations of every loaded platform
    # ("bemmelhor.sensor", "sun.binary_sensor", …) when the language changes,
    # and warns for each; the demo changes the language once.
    (
        "homeassistant.helpers.translation",
        re.compile(
            rf"^Failed to load integration for translation: Invalid domain {DOMAIN}\."
        ),
    ),
)
"""Lines Home Assistant writes for any custom integration: not the integration's doing."""


@dataclass(frozen=True, slots=True)
class LogRecord:
    """A log record's first line, taken apart."""

    level: str
    logger: str
    message: str

    def __str__(self) -> str:
        """Return the record as one line (level, logger, message)."""
        return f"{self.level} [{self.logger}] {self.message}"


def records(lines: Iterable[str]) -> list[LogRecord]:
    """Return the records of a log's lines (tracebacks and other lines skipped)."""
    matches = (_LINE.match(line.rstrip("\n")) for line in lines)
    return [
        LogRecord(match["level"], match["logger"], match["message"])
        for match in matches
        if match
    ]


def _is_known(record: LogRecord) -> bool:
    return any(
        record.logger == logger and pattern.match(record.message)
        for logger, pattern in KNOWN_CORE_LINES
    )


def integration_problems(lines: Iterable[str]) -> list[LogRecord]:
    """Return the warnings and errors written by the integration or about it."""
    return [
        record
        for record in records(lines)
        if record.level in COUNTED_LEVELS
        and (
            record.logger.startswith(f"custom_components.{DOMAIN}")
            or DOMAIN in record.logger
            or DOMAIN in record.message.lower()
        )
        and not _is_known(record)
    ]
