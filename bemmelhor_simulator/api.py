"""The provider's REST API: ``/api/call``, ``/api/status``, ``/api/active``.

Answers mimic the real server (an Express app): compact JSON, an HTML
``Cannot GET /path`` page with status 404 for unknown paths. Every request
outside ``/_sim/`` is recorded, then faults are applied.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
import json
from typing import Any

from aiohttp import web

from .calls import Pbx
from .clock import iso
from .const import (
    API_STATUS_CONNECTION_OK,
    API_STATUS_ERROR,
    API_STATUS_SUCCESS,
    MESSAGE_INVALID_EXTENSION,
    Endpoint,
)
from .faults import Fault, FaultKind, Faults
from .payloads import (
    active_data,
    click_to_call_data,
    envelope,
    error_envelope,
    status_data,
)
from .requestlog import RecordedRequest, RequestLog
from .variants import Variants

CONTROL_PREFIX = "/_sim/"

CAPTIVE_PORTAL_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Acesso à rede</title></head>
<body><h1>Bem-vindo!</h1><p>Faça login para acessar a internet.</p>
<form method="post" action="/login"><input name="user"><input name="password" type="password">
<button>Entrar</button></form></body></html>
"""

NOT_FOUND_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Error</title>
</head>
<body>
<pre>Cannot {method} {path}</pre>
</body>
</html>
"""

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class ApiState:
    """What the REST handlers work on."""

    pbx: Pbx
    faults: Faults
    requests: RequestLog
    variants: Variants


API_STATE = web.AppKey("api_state", ApiState)


def json_response(body: dict[str, Any], status: int = 200) -> web.Response:
    """Answer JSON the way Express's ``res.json`` does (compact, UTF-8)."""
    response = web.Response(
        text=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type="application/json",
        charset="utf-8",
    )
    response.headers["X-Powered-By"] = "Express"
    return response


def fault_response(fault: Fault, now: datetime) -> web.Response:
    """Build the answer a fault replaces the real one with."""
    if fault.kind is FaultKind.API_ERROR:
        return json_response(error_envelope(fault.api_status, now, fault.message))
    status = 200
    if fault.kind is FaultKind.HTTP_ERROR:
        status = fault.status
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Error"
        default_body, default_type = f"{status} {reason}", "text/plain"
    elif fault.kind is FaultKind.HTML:
        default_body, default_type = CAPTIVE_PORTAL_HTML, "text/html"
    else:  # BROKEN_JSON (LATENCY never gets here)
        default_body = f'{{"apiStatus":"SUCCESS","created":"{iso(now)}","data":{{"id":'
        default_type = "application/json"
    return web.Response(
        text=default_body if fault.body is None else fault.body,
        status=status,
        content_type=fault.content_type or default_type,
        charset="utf-8",
    )


@web.middleware
async def api_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Record the request, then apply the fault set for its endpoint, if any."""
    if request.path.startswith(CONTROL_PREFIX):
        return await handler(request)
    state = request.app[API_STATE]
    name = request.match_info.route.name
    endpoint = Endpoint(name) if name in {"call", "status", "active"} else None
    state.requests.record(
        RecordedRequest(
            method=request.method,
            path=request.raw_path,
            received_at=state.pbx.clock(),
            endpoint=endpoint,
        )
    )
    state.pbx.changes.notify()
    fault = None if endpoint is None else state.faults.take(endpoint)
    if fault is not None:
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.kind is not FaultKind.LATENCY:
            return fault_response(fault, state.pbx.clock())
    return await handler(request)


async def click_to_call(request: web.Request) -> web.Response:
    """``GET /api/call/{ramal}/{dest}``: start a call from an extension."""
    pbx = request.app[API_STATE].pbx
    ramal, dest = request.match_info["ramal"], request.match_info["dest"]
    if ramal not in pbx.extensions:
        return json_response(
            error_envelope(API_STATUS_ERROR, pbx.clock(), MESSAGE_INVALID_EXTENSION)
        )
    call_id = await pbx.start_call(ramal, dest, wait_webhook=False)
    call = pbx.get_call(call_id)
    assert call is not None
    status = request.app[API_STATE].variants.api_status_word(API_STATUS_CONNECTION_OK)
    return json_response(envelope(status, call.created, click_to_call_data(call)))


async def call_status(request: web.Request) -> web.Response:
    """``GET /api/status/{callid}``: a call's status, ``data`` null if unknown."""
    state = request.app[API_STATE]
    call = state.pbx.get_call(request.match_info["callid"])
    data = None if call is None else status_data(call)
    status = state.variants.api_status_word(API_STATUS_SUCCESS)
    return json_response(envelope(status, state.pbx.clock(), data))


async def active_call(request: web.Request) -> web.Response:
    """``GET /api/active/{ramal}``: the extension's active channel, else null.

    Variants change how a channel and an idle extension are written.
    """
    state = request.app[API_STATE]
    variants = state.variants
    found = state.pbx.active_channel(request.match_info["ramal"])
    status = variants.api_status_word(API_STATUS_SUCCESS)
    if found is None:
        answer, http_status = variants.idle_answer(
            envelope(status, state.pbx.clock(), None)
        )
        return json_response(answer, http_status)
    data = variants.active_data(active_data(*found))
    return json_response(envelope(status, state.pbx.clock(), data))


async def not_found(request: web.Request) -> web.Response:
    """Answer any other path like Express does."""
    page = NOT_FOUND_HTML.format(method=request.method, path=request.path)
    return web.Response(
        text=page, status=404, content_type="text/html", charset="utf-8"
    )


def add_api_routes(app: web.Application, state: ApiState) -> None:
    """Register the REST API and a catch-all 404 on ``app``."""
    app[API_STATE] = state
    app.router.add_get("/api/call/{ramal}/{dest}", click_to_call, name="call")
    app.router.add_get("/api/status/{callid}", call_status, name="status")
    app.router.add_get("/api/active/{ramal}", active_call, name="active")


def add_not_found_route(app: web.Application) -> None:
    """Register the catch-all route; add it after every other route."""
    app.router.add_route("*", "/{tail:.*}", not_found, name="not_found")
