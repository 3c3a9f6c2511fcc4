"""One place that turns client errors into translated Home Assistant errors."""

from collections.abc import Awaitable, Callable, Coroutine
from functools import wraps
from typing import Any

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .api import (
    BemMelhorApiError,
    BemMelhorError,
    BemMelhorInvalidInputError,
    BemMelhorInvalidResponseError,
    BemMelhorTimeoutError,
)
from .const import DOMAIN


def translated_error(
    err: BemMelhorError, error_class: type[HomeAssistantError] = HomeAssistantError
) -> HomeAssistantError:
    """Build the translated error that tells a person what went wrong.

    Refused input is the user's to fix and always becomes a
    ``ServiceValidationError``; the rest becomes ``error_class``. No message
    carries the PBX's host name.
    """
    if isinstance(err, BemMelhorInvalidInputError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=f"invalid_input_{err.reason}",
            translation_placeholders={"value": err.value},
        )
    placeholders: dict[str, str] = {}
    if isinstance(err, BemMelhorTimeoutError):
        key = "timeout"
    elif isinstance(err, BemMelhorApiError):
        key = "api_error"
        placeholders["message"] = err.server_message or (
            f"HTTP {err.http_status}" if err.http_status else str(err)
        )
    elif isinstance(err, BemMelhorInvalidResponseError):
        key = "invalid_response"
    else:
        key = "cannot_connect"
    return error_class(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def handle_api_errors[**P, R](
    func: Callable[P, Awaitable[R]],
) -> Callable[P, Coroutine[Any, Any, R]]:
    """Decorate an action handler so client errors reach the UI translated."""

    @wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await func(*args, **kwargs)
        except BemMelhorError as err:
            raise translated_error(err) from err

    return wrapper
