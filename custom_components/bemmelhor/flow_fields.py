"""Form fields the config flow and the options flow share: the extensions."""

import re
from typing import Any, override

from homeassistant.helpers.selector import TextSelector, TextSelectorConfig

from .api import (
    MAX_PREFIX_LENGTH,
    BemMelhorInvalidInputError,
    InvalidInputReason,
    validate_extension,
)

_SEPARATORS = re.compile(r"[\s,;]+")
PREFIX = re.compile(rf"[0-9]{{0,{MAX_PREFIX_LENGTH}}}")
"""An outside-line prefix: up to four digits, or none."""


class ExtensionListSelector(TextSelector):
    """A list of extensions; one comma or space separated string is accepted too."""

    @override
    def __call__(self, data: Any) -> str | list[str]:
        """Let a plain string through; the flow splits it."""
        if isinstance(data, str):
            return data
        return super().__call__(data)


EXTENSIONS_SELECTOR = ExtensionListSelector(TextSelectorConfig(multiple=True))


def parse_extensions(value: str | list[str]) -> list[str]:
    """Split, validate and de-duplicate extensions, keeping their order."""
    items = [value] if isinstance(value, str) else value
    extensions: list[str] = []
    for item in items:
        for part in _SEPARATORS.split(item):
            if part and (extension := validate_extension(part)) not in extensions:
                extensions.append(extension)
    if not extensions:
        raise BemMelhorInvalidInputError(InvalidInputReason.INVALID_EXTENSION, "")
    return extensions
