"""The destination's pattern works in the browser too.

Browsers compile an input's ``pattern`` attribute as ``^(?:pattern)$`` with
the ``v`` flag, whose character classes are stricter than Python's: an
invalid pattern logs console errors and leaves the field unchecked.
"""

import json
import re
import shutil
import subprocess

import pytest

from custom_components.bemmelhor.text import DESTINATION_PATTERN

PATTERN_BEFORE = r"^[0-9+*#()\-. ]*$"
"""The pattern before it was made valid under the ``v`` flag."""

V_MODE_SYNTAX = frozenset("()[]{}/-\\|")
"""Characters a ``v``-mode class only takes escaped."""
V_MODE_DOUBLE = frozenset("&!#$%*+,.:;<=>?@^`~")
"""Characters a ``v``-mode class does not take twice in a row.

All are reserved but ``&&``, which means intersection there: never what a
plain list of characters means either.
"""

SAMPLES = [
    "",
    "6002",
    "+55 (32) 99999-9999",
    "032.9999.9999",
    "*72",
    "#31#",
    "0" * 32,
    "abc",
    "6001a",
    "6005/6001",
    "6005/../../active/6001",
    "%",
    "6005%2F6001",
    "6005?x=1",
    "6005;6001",
    "[6001]",
    "6001|6002",
    "ligação",
    "\\",
]
"""What people type, and what they must not (no newline: an input has none)."""

NODE_CHECK = """
const [pattern, samples] = JSON.parse(require("fs").readFileSync(0, "utf8"));
const compiled = new RegExp("^(?:" + pattern + ")$", "v");
console.log(JSON.stringify(samples.map((sample) => compiled.test(sample))));
"""
"""Compile the pattern as a browser does and test each sample with it."""

NODE_COMPILES = """
const pattern = require("fs").readFileSync(0, "utf8");
try { new RegExp(pattern, "v"); console.log("true"); } catch { console.log("false"); }
"""
"""Print whether a pattern compiles with the ``v`` flag."""

INVALID_CLASSES = [
    PATTERN_BEFORE,
    r"^[a|b]$",
    r"^[a{2}]$",
    r"^[a/b]$",
    r"^[0-9-]$",
    r"^[a-z-9]$",
]
DOUBLE_PUNCTUATORS = [r"^[++]$", r"^[0-9..]$", r"^[a!!b]$"]
VALID_CLASSES = [r"^[0-9]$", r"^[\-\(\)]$", r"^[a-z0-9+*#]$", DESTINATION_PATTERN]


def _class_bodies(pattern: str) -> list[str]:
    """Return the inside of each (not nested) character class of ``pattern``."""
    return re.findall(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]", pattern)


def _tokens(body: str) -> list[str]:
    r"""Split a class body into characters and escapes (``\-``)."""
    return re.findall(r"\\.|.", body.removeprefix("^"), re.DOTALL)


def _is_class_character(token: str) -> bool:
    return token.startswith("\\") or token not in V_MODE_SYNTAX


def v_mode_class_errors(pattern: str) -> list[str]:
    r"""Return what a ``v``-mode RegExp would refuse in the classes of ``pattern``.

    Unescaped ``( ) [ ] { } / - \ |`` (``-`` only between the two ends of a
    range), and reserved double punctuators such as ``&&``, ``++`` or ``..``.
    """
    errors: list[str] = []
    for body in _class_bodies(pattern):
        tokens = _tokens(body)
        errors.extend(
            f"reserved double {first}{second}"
            for first, second in zip(tokens, tokens[1:], strict=False)
            if first == second and first in V_MODE_DOUBLE
        )
        index = 0
        while index < len(tokens):
            if (
                tokens[index + 1 : index + 2] == ["-"]
                and index + 2 < len(tokens)
                and _is_class_character(tokens[index])
                and _is_class_character(tokens[index + 2])
            ):
                index += 3
                continue
            if not _is_class_character(tokens[index]):
                errors.append(f"unescaped {tokens[index]}")
            index += 1
    return errors


def test_pattern_is_valid_under_the_v_flag() -> None:
    """Every character of the destination's class is one ``v`` mode accepts."""
    assert v_mode_class_errors(DESTINATION_PATTERN) == []


@pytest.mark.parametrize("pattern", INVALID_CLASSES)
def test_check_finds_unescaped_syntax_characters(pattern: str) -> None:
    """The check is real: an unescaped ``( ) - | { } /`` in a class is found."""
    assert v_mode_class_errors(pattern) != []


@pytest.mark.parametrize("pattern", DOUBLE_PUNCTUATORS)
def test_check_finds_double_punctuators(pattern: str) -> None:
    """The check is real: ``++``, ``..`` and ``!!`` are reserved in a class."""
    assert v_mode_class_errors(pattern) != []


@pytest.mark.parametrize("pattern", VALID_CLASSES)
def test_check_accepts_valid_classes(pattern: str) -> None:
    """Ranges and escaped syntax characters are fine."""
    assert v_mode_class_errors(pattern) == []


def test_pattern_accepts_the_same_characters_as_before() -> None:
    """Escaping changed nothing for Python: the same characters pass."""
    characters = [chr(code) for code in range(0x3000)]

    assert [re.match(DESTINATION_PATTERN, char) is not None for char in characters] == [
        re.match(PATTERN_BEFORE, char) is not None for char in characters
    ]


def test_pattern_accepts_the_same_numbers_as_before() -> None:
    """What people type is accepted or refused as before."""
    assert [
        re.match(DESTINATION_PATTERN, sample) is not None for sample in SAMPLES
    ] == [re.match(PATTERN_BEFORE, sample) is not None for sample in SAMPLES]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_browser_checks_like_home_assistant() -> None:
    """Compiled with the ``v`` flag, as a browser does, it agrees with Python."""
    node = shutil.which("node") or "node"
    answer = subprocess.run(
        [node, "-e", NODE_CHECK],
        input=json.dumps([DESTINATION_PATTERN, SAMPLES]),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )

    assert json.loads(answer.stdout) == [
        re.match(DESTINATION_PATTERN, sample) is not None for sample in SAMPLES
    ]


def node_compiles(pattern: str) -> bool:
    """Return whether Node.js compiles ``pattern`` with the ``v`` flag."""
    node = shutil.which("node") or "node"
    answer = subprocess.run(
        [node, "-e", NODE_COMPILES],
        input=pattern,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return bool(json.loads(answer.stdout))


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
@pytest.mark.parametrize(
    ("pattern", "valid"),
    [
        *((pattern, False) for pattern in INVALID_CLASSES + DOUBLE_PUNCTUATORS),
        *((pattern, True) for pattern in VALID_CLASSES),
    ],
)
def test_check_agrees_with_the_browser(pattern: str, *, valid: bool) -> None:
    """Where Node.js is at hand, it refuses and accepts what the check does."""
    assert node_compiles(pattern) is valid
