"""How a sample of what the PBX sent is masked: its shape kept, no personal data."""

import json

import pytest

from custom_components.bemmelhor.sample_masking import (
    Secrets,
    mask_body,
    mask_content_type,
    mask_json,
    mask_seen,
    mask_text,
)

SECRETS = Secrets.of(["Maria Silva", "e57575aa-8995-43b6", "empresa"])


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ({"from": "6001"}, {"from": "####"}),
        ({"to": "032999999999"}, {"to": "0###########"}),
        ({"to": "+55 (32) 99999-9999"}, {"to": "+## (##) #####-####"}),
        ({"to": "SIP/6001"}, {"to": "SIP/####"}),
        ({"to": "h"}, {"to": "h"}),
        ({"from": 6001}, {"from": "int:####"}),
        (
            {"callerId": {"name": "Maria Silva", "number": "6001"}},
            {"callerId": {"name": "Aaaaa Aaaaa", "number": "####"}},
        ),
        ({"name": "SIP/6001-00000002"}, {"name": "SIP/####-########"}),
        ({"clientId": "e57575aa-8995"}, {"clientId": "a#####aa-####"}),
        ({"callId": "faf38b96c58194c5"}, {"callId": "…4c5"}),
        ({"created": 1613584017387}, {"created": "int:#############"}),
        (
            {"created": "2021-01-06T18:07:10.888+0000"},
            {"created": "####-##-##T##:##:##.###+0000"},
        ),
        (
            {"created": "2021-01-06T15:07:10-03:00"},
            {"created": "####-##-##T##:##:##-03:00"},
        ),
        ({"created": "Maria Silva"}, {"created": "Aaaaa Aaaaa"}),
        ({"disposition": "NO ANSWER"}, {"disposition": "NO ANSWER"}),
        (
            {"serverMessage": "Chamando Maria Silva 0329"},
            {"serverMessage": "Chamando Aaaaa Aaaaa ####"},
        ),
        ({"Maria Silva": 1}, {"Aaaaa Aaaaa": 1}),
        (
            {"count": 999, "ratio": 1.5, "big": 1234.5},
            {"count": 999, "ratio": 1.5, "big": "float:####.#"},
        ),
        (
            {"nan": float("nan"), "flag": True, "none": None},
            {"nan": "float:nan", "flag": True, "none": None},
        ),
        ({"trunk": "SIP/empresa-0001"}, {"trunk": "SIP/aaaaaaa-####"}),
        ({"bad": "60\ud80001"}, {"bad": "##\ufffd##"}),
    ],
)
def test_fields_are_masked_by_what_they_hold(
    value: dict[str, object], masked: dict[str, object]
) -> None:
    """Numbers, names, ids, dates and words each keep what a report needs."""
    assert mask_json(value, SECRETS) == masked


def test_long_text_is_cut() -> None:
    """A long string shows its first 200 characters and its length."""
    assert mask_json({"error": "x" * 500}, SECRETS) == {
        "error": f"{'x' * 200}… (### characters)"
    }


def test_large_containers_are_cut() -> None:
    """Lists and objects show 30 items, then how many more; depth stops at 6."""
    masked = mask_json({"list": list(range(40)), "deep": [[[[[[["x"]]]]]]]}, SECRETS)

    assert masked == {
        "list": [*range(30), "… 10 more"],
        "deep": [[[[[["…"]]]]]],
    }
    keys = [f"k{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(31)]
    assert mask_json(dict.fromkeys(keys, 1), SECRETS) == {
        **dict.fromkeys(keys[:30], 1),
        "…": "1 more",
    }


@pytest.mark.parametrize(
    ("body", "masked"),
    [
        (b'{"to": "6001"}', {"to": "####"}),
        (
            b"payload=%7B%22to%22%3A%226001%22%7D&x=Maria",
            {"form": {"payload": {"to": "####"}, "x": "Aaaaa"}},
        ),
        (b"Maria 1234 hello", "Aaaaa #### hello"),
        (b"\xff\xfe garbage", "\ufffd\ufffd garbage"),
        (b"=" * 3, {"form": {"": "=="}}),
        (b"a=1&" * 40, {"form": {"a": 1}}),
    ],
    ids=["json", "form", "text", "not-utf-8", "no-fields", "many-fields"],
)
def test_bodies_are_masked_as_json_form_or_text(body: bytes, masked: object) -> None:
    """A body is masked as JSON, else as a form, else as text."""
    assert mask_body(body, SECRETS) == masked


@pytest.mark.parametrize(
    ("content_type", "masked"),
    [
        ("application/json; charset=utf-8", "application/json; charset=utf-8"),
        ("text/plain", "text/plain"),
        ("text/plain; n=032999999999", "text/plain; n=############"),
        ("Maria Silva", "Aaaaa Aaaaa"),
    ],
)
def test_content_types_are_kept_when_they_are_one(
    content_type: str, masked: str
) -> None:
    """A media type stays as it is; anything else is masked as text."""
    assert mask_content_type(content_type, SECRETS) == masked


@pytest.mark.parametrize(
    ("where", "value", "missing", "seen"),
    [
        ("data.disposition", "CANCEL", False, 'data.disposition = "CANCEL"'),
        (
            "data.callerId.name",
            "Maria Silva",
            False,
            'data.callerId.name = "Aaaaa Aaaaa"',
        ),
        ("data.to", None, True, "data.to"),
        ("Maria", 1, False, "Aaaaa = 1"),
    ],
)
def test_what_was_seen_is_said_masked(
    where: str, value: object, missing: bool, seen: str
) -> None:
    """The repair issue's text: where, and what (masked by its field)."""
    assert mask_seen(where, value, SECRETS, missing=missing) == seen


def test_secret_words_are_masked_in_any_case() -> None:
    """A contact's name is masked however it is written; other words stay."""
    text = mask_text("MARIA da silva, Mariana", SECRETS)

    assert text == "AAAAA da aaaaa, Mariana"
    assert json.dumps(text)
