"""Time helpers: the two date formats the PBX uses."""

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Format like the REST API does: ``2021-01-06T18:07:10.888+0000``."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}+0000"


def epoch_ms(moment: datetime) -> int:
    """Return epoch milliseconds, as webhooks carry ``created``."""
    return (moment - _EPOCH) // _MILLISECOND
