"""The webhook the PBX calls on every ``call.dialing`` and ``call.hangup``.

The handler answers 200 (accepted), 400 (not JSON, not an object, wrong
field types, strings that are not valid text), 401 (``clientId`` mismatch)
or 413 (body over 64 KiB), and never lets an exception out: whatever the
body, no answer is a 500. A hangup is answered once its call is committed to
the call log (503 if it could not be written): what the PBX was told is
received survives a crash. The body's format is the client library's
(:mod:`.api.webhook`); this module keeps the limits, the client id check,
the answers and the dispatch. Every body, with its answer and what reading
it noted, goes to the entry's samples (:mod:`.pbx_samples`); the oddities of
a body refused for its client id are not counted (it is not the PBX's).
"""

import asyncio
from collections.abc import Callable
import hmac
from http import HTTPStatus
import json

from aiohttp import hdrs, web
from aiohttp.hdrs import METH_POST

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.util import dt as dt_util

from .api import (
    EVENT_DIALING,
    BemMelhorInvalidWebhookError,
    Oddity,
    OddityKind,
    Received,
    parse_call_event,
    parse_webhook_message,
)
from .const import CONF_CLIENT_ID, CONF_CLOUDHOOK, LOGGER, WEBHOOK_MAX_BODY
from .coordinator import BemMelhorConfigEntry
from .pbx_samples import WEBHOOK
from .repairs import async_client_id_matched, async_client_id_mismatched

_FREQUENT_ANSWERS = {
    result: json.dumps({"result": result}).encode()
    for result in ("accepted", "duplicate", "ignored")
}
"""Bodies of the answers most webhooks get, encoded once."""


_JSON_HEADERS = {hdrs.CONTENT_TYPE: "application/json; charset=utf-8"}

AFTER_COMMIT = "bemmelhor_after_commit"
"""Marks an answer that is sent only once its call is in the call log."""


def _answer(status: HTTPStatus, result: str) -> web.Response:
    body = _FREQUENT_ANSWERS.get(result) or json.dumps({"result": result}).encode()
    return web.Response(body=body, status=status, headers=_JSON_HEADERS)


@callback
def async_register_webhook(
    hass: HomeAssistant, entry: BemMelhorConfigEntry
) -> Callable[[], None]:
    """Register the entry's webhook (POST only, reachable from the internet)."""
    webhook_id: str = entry.data[CONF_WEBHOOK_ID]

    async def handle(
        hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        try:
            body = await _read_body(request)
        except Exception:  # noqa: BLE001 - a broken upload is the sender's problem
            return _answer(HTTPStatus.BAD_REQUEST, "unreadable body")
        response = async_handle_body(
            entry, body, request.headers.get(hdrs.CONTENT_TYPE)
        )
        if response.get(AFTER_COMMIT):
            return await _async_after_commit(entry, response)
        return response

    webhook.async_register(
        hass,
        "bemmelhor",
        entry.title,
        webhook_id,
        handle,
        allowed_methods=[METH_POST],
    )
    return lambda: webhook.async_unregister(hass, webhook_id)


async def _read_body(request: web.Request) -> bytes:
    """Read the body, at most one byte over the limit (it may come in parts).

    ``request.content`` is read once: for cloudhook deliveries (a
    ``MockRequest``) every access returns a new reader from the start.
    """
    content = request.content
    body = b""
    while len(body) <= WEBHOOK_MAX_BODY and (
        chunk := await content.read(WEBHOOK_MAX_BODY + 1 - len(body))
    ):
        body += chunk
    return body


@callback
def async_handle_body(
    entry: BemMelhorConfigEntry, body: bytes, content_type: str | None = None
) -> web.Response:
    """Validate a webhook body and apply it; keep it as a sample; never raises."""
    notes: list[Oddity] = []
    try:
        response = _async_handle_body(entry, body, content_type, notes)
    except Exception:  # noqa: BLE001 - the PBX must never see a 500
        LOGGER.exception("Unexpected error while handling a webhook")
        response = _answer(HTTPStatus.BAD_REQUEST, "not processed")
    try:
        entry.runtime_data.samples.received(
            Received(
                source=WEBHOOK,
                status=response.status,
                content_type=content_type,
                body=body,
                oddities=tuple(notes),
            )
        )
    except Exception:  # noqa: BLE001 - keeping a sample must not fail the answer
        LOGGER.exception("Unexpected error while keeping a webhook sample")
    return response


@callback
def _async_handle_body(
    entry: BemMelhorConfigEntry,
    body: bytes,
    content_type: str | None,
    notes: list[Oddity],
) -> web.Response:
    if len(body) > WEBHOOK_MAX_BODY:
        notes.append(Oddity(OddityKind.UNREADABLE, "body", f"{len(body)} bytes"))
        return _answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large")
    try:
        message = parse_webhook_message(body, content_type, notes.append)
    except BemMelhorInvalidWebhookError as err:
        notes.append(Oddity(OddityKind.UNREADABLE, "body", str(err)))
        return _answer(HTTPStatus.BAD_REQUEST, str(err))

    coordinator = entry.runtime_data.coordinator
    expected: str = entry.options.get(CONF_CLIENT_ID) or ""
    if expected:
        received = message.client_id or ""
        if not hmac.compare_digest(received.encode(), expected.encode()):
            async_client_id_mismatched(coordinator.hass, entry, received)
            entry.runtime_data.client_id_issue = True
            notes.clear()
            return _answer(HTTPStatus.UNAUTHORIZED, "clientId mismatch")
        if entry.runtime_data.client_id_issue:
            async_client_id_matched(coordinator.hass, entry)
            entry.runtime_data.client_id_issue = False

    if not message.is_call_event:
        LOGGER.debug("Ignoring webhook event %r", message.event)
        coordinator.async_webhook_received()
        return _answer(HTTPStatus.OK, "ignored")
    try:
        event = parse_call_event(message, dt_util.utcnow(), notes.append)
    except BemMelhorInvalidWebhookError as err:
        notes.append(Oddity(OddityKind.UNREADABLE, "data", str(err)))
        return _answer(HTTPStatus.BAD_REQUEST, f"invalid data: {err}")

    if event.event == EVENT_DIALING:
        accepted = coordinator.async_dialing(event)
        return _answer(HTTPStatus.OK, "accepted" if accepted else "duplicate")
    accepted = coordinator.async_hangup(event)
    response = _answer(HTTPStatus.OK, "accepted" if accepted else "duplicate")
    response[AFTER_COMMIT] = True
    return response


async def _async_after_commit(
    entry: BemMelhorConfigEntry, response: web.Response
) -> web.Response:
    """Answer a hangup once its call is committed to the call log.

    Calls that end together share one commit. A duplicate waits for the
    commit of what came before it. If the call could not be written, the
    answer says so (503), so the PBX may send it again.
    """
    try:
        # Shielded: a sender that hangs up must not cancel the others' commit.
        await asyncio.shield(entry.runtime_data.coordinator.store.committed())
    except Exception:  # noqa: BLE001 - logged once by the store, answered here
        return _answer(HTTPStatus.SERVICE_UNAVAILABLE, "not stored")
    return response


async def async_cloudhook_url(hass: HomeAssistant, webhook_id: str) -> str | None:
    """Create (or reuse) a cloudhook when Home Assistant Cloud is logged in."""
    if "cloud" not in hass.config.components:
        return None
    # Imported only when loaded: the cloud integration pulls in a lot.
    from homeassistant.components import cloud  # noqa: PLC0415

    if not cloud.async_active_subscription(hass):
        return None
    try:
        return await cloud.async_get_or_create_cloudhook(hass, webhook_id)
    except cloud.CloudNotAvailable:
        LOGGER.info("Home Assistant Cloud is not connected; using the instance URL")
        return None


@callback
def local_webhook_url(hass: HomeAssistant, webhook_id: str) -> str:
    """Return the webhook URL on the instance's own (preferably external) URL."""
    try:
        return webhook.async_generate_url(hass, webhook_id, prefer_external=True)
    except NoURLAvailableError:
        return webhook.async_generate_path(webhook_id)


@callback
def webhook_url(hass: HomeAssistant, entry: ConfigEntry) -> str:
    """Return the URL to paste in the PBX panel: the cloudhook, else the instance's."""
    cloudhook: str | None = entry.data.get(CONF_CLOUDHOOK)
    return cloudhook or local_webhook_url(hass, entry.data[CONF_WEBHOOK_ID])


async def async_webhook_url(hass: HomeAssistant, entry: BemMelhorConfigEntry) -> str:
    """Return the URL to paste in the PBX panel, moving to a cloudhook if possible."""
    if not entry.data.get(CONF_CLOUDHOOK) and (
        cloudhook := await async_cloudhook_url(hass, entry.data[CONF_WEBHOOK_ID])
    ):
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_CLOUDHOOK: cloudhook}
        )
    return webhook_url(hass, entry)


async def async_remove_cloudhook(
    hass: HomeAssistant, entry: BemMelhorConfigEntry
) -> None:
    """Delete the entry's cloudhook, if it has one."""
    if not entry.data.get(CONF_CLOUDHOOK) or "cloud" not in hass.config.components:
        return
    from homeassistant.components import cloud  # noqa: PLC0415

    try:
        await cloud.async_delete_cloudhook(hass, entry.data[CONF_WEBHOOK_ID])
    except cloud.CloudNotAvailable:
        LOGGER.debug("Cloud not available; the cloudhook stays until it expires")
