"""Where the PBX lives: host, port and scheme, from what a person pastes."""

from dataclasses import dataclass
import ipaddress
import re

from yarl import URL

from .exceptions import BemMelhorInvalidInputError, InvalidInputReason

DEFAULT_PORT = 3030

_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


@dataclass(frozen=True, slots=True, kw_only=True)
class PbxAddress:
    """A normalised PBX address; ``port`` and ``ssl`` are None when not given."""

    host: str
    port: int | None = None
    ssl: bool | None = None


def _valid_hostname(host: str) -> bool:
    if len(host) > 253:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return all(_HOST_LABEL.fullmatch(label) for label in host.split("."))
    return True


def parse_address(raw: str) -> PbxAddress:
    """Split a bare host or a pasted URL into host, port and scheme.

    ``Empresa.bemmelhor.com.br`` gives the host in lower case;
    ``https://empresa.bemmelhor.com.br:3031/api/active/6001`` also gives the
    port and ``ssl=True``. Anything that is not a host name or IP address
    raises :class:`BemMelhorInvalidInputError`.
    """
    text = raw.strip()
    if not text:
        raise BemMelhorInvalidInputError(InvalidInputReason.INVALID_HOST, raw)
    if "://" not in text:
        text = f"//{text}"
    try:
        url = URL(text)
        host = (url.host or "").lower().rstrip(".")
        port = url.explicit_port
    except ValueError as err:
        raise BemMelhorInvalidInputError(InvalidInputReason.INVALID_HOST, raw) from err
    if url.scheme not in ("", "http", "https") or url.user or not _valid_hostname(host):
        raise BemMelhorInvalidInputError(InvalidInputReason.INVALID_HOST, raw)
    ssl = None if not url.scheme else url.scheme == "https"
    return PbxAddress(host=host, port=port, ssl=ssl)
