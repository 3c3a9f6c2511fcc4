"""Parsing of what a person pastes as the PBX's address."""

import pytest

from custom_components.bemmelhor.api import (
    BemMelhorInvalidInputError,
    InvalidInputReason,
    PbxAddress,
    parse_address,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("empresa.bemmelhor.com.br", PbxAddress(host="empresa.bemmelhor.com.br")),
        ("  Empresa.BemMelhor.com.br  ", PbxAddress(host="empresa.bemmelhor.com.br")),
        ("empresa.bemmelhor.com.br.", PbxAddress(host="empresa.bemmelhor.com.br")),
        (
            "http://empresa.bemmelhor.com.br:3030/api/active/6001",
            PbxAddress(host="empresa.bemmelhor.com.br", port=3030, ssl=False),
        ),
        (
            "https://empresa.bemmelhor.com.br",
            PbxAddress(host="empresa.bemmelhor.com.br", ssl=True),
        ),
        (
            "empresa.bemmelhor.com.br:3031",
            PbxAddress(host="empresa.bemmelhor.com.br", port=3031),
        ),
        ("127.0.0.1", PbxAddress(host="127.0.0.1")),
        ("[::1]:3030", PbxAddress(host="::1", port=3030)),
        ("pbx", PbxAddress(host="pbx")),
    ],
)
def test_address_is_taken_apart(typed: str, expected: PbxAddress) -> None:
    """Scheme, port and path of a pasted URL are taken apart; the host is lowered."""
    assert parse_address(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "empresa bemmelhor",
        "ftp://empresa.bemmelhor.com.br",
        "http://user:secret@empresa.bemmelhor.com.br",
        "-empresa.com.br",
        "emp_resa.com.br",
        "http://",
        "empresa.com.br:99999",
        "a" * 64 + ".com",
    ],
)
def test_address_is_refused(typed: str) -> None:
    """Anything that is not a host name, IP address or http(s) URL is refused."""
    with pytest.raises(BemMelhorInvalidInputError) as err:
        parse_address(typed)
    assert err.value.reason is InvalidInputReason.INVALID_HOST
