"""Exceptions raised by the Bem Melhor PBX client."""

from enum import StrEnum


class BemMelhorError(Exception):
    """Base class of every error of the client."""


class BemMelhorConnectionError(BemMelhorError):
    """The PBX could not be reached (refused, reset, DNS, TLS)."""


class BemMelhorTimeoutError(BemMelhorConnectionError):
    """The PBX did not answer within the request timeout."""


class BemMelhorInvalidResponseError(BemMelhorError):
    """The PBX answered something that is not the API's JSON."""


class BemMelhorApiError(BemMelhorError):
    """The PBX answered, but refused or failed the request."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        api_status: str | None = None,
        server_message: str | None = None,
    ) -> None:
        """Keep what the server said, for the caller to show."""
        super().__init__(message)
        self.http_status = http_status
        self.api_status = api_status
        self.server_message = server_message


class InvalidInputReason(StrEnum):
    """Why an input was refused before any request was made."""

    EMPTY = "empty"
    INVALID_CHARACTERS = "invalid_characters"
    TOO_LONG = "too_long"
    INTERNATIONAL = "international"
    INVALID_EXTENSION = "invalid_extension"
    INVALID_CALL_ID = "invalid_call_id"
    INVALID_HOST = "invalid_host"


class BemMelhorInvalidInputError(BemMelhorError, ValueError):
    """An input cannot be sent to the PBX; nothing was requested."""

    def __init__(self, reason: InvalidInputReason, value: str) -> None:
        """Keep the reason (a stable code) apart from the refused value."""
        super().__init__(f"{reason}: {value!r}")
        self.reason = reason
        self.value = value
