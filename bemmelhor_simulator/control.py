"""Control endpoints under ``/_sim/`` to drive a simulator running elsewhere.

They are never recorded in the request log and never hit by faults. Errors
come back as ``{"error": "..."}`` with 400 (bad input), 404 (unknown call) or
409 (a call cannot move to that phase).
"""

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .api import CONTROL_PREFIX, Handler
from .calls import InvalidTransitionError, UnknownCallError
from .const import Disposition, Endpoint
from .model import CallTimings, Mode
from .payloads import call_snapshot
from .webhooks import WebhookFaults

if TYPE_CHECKING:
    from .server import SimulatorServer

MAX_REFUSE_SECONDS = 3600.0

SIMULATOR: web.AppKey[SimulatorServer] = web.AppKey("simulator")


@web.middleware
async def control_middleware(
    request: web.Request, handler: Handler
) -> web.StreamResponse:
    """Turn bad input and unknown calls into JSON errors on control endpoints."""
    if not request.path.startswith(CONTROL_PREFIX):
        return await handler(request)
    try:
        return await handler(request)
    except InvalidTransitionError as err:
        return web.json_response({"error": str(err)}, status=409)
    except UnknownCallError as err:
        return web.json_response({"error": str(err)}, status=404)
    except (ValueError, TypeError, KeyError) as err:
        return web.json_response({"error": repr(err)}, status=400)


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    body = await request.json()
    if not isinstance(body, dict):
        raise TypeError("the body must be a JSON object")
    return body


def _call_json(sim: SimulatorServer, call_id: str) -> web.Response:
    call = sim.pbx.get_call(call_id)
    if call is None:
        raise UnknownCallError(f"unknown call {call_id}")
    return web.json_response(call_snapshot(call))


async def get_state(request: web.Request) -> web.Response:
    """``GET /_sim/state``: configuration, calls, faults, traffic."""
    return web.json_response(request.app[SIMULATOR].snapshot())


async def post_config(request: web.Request) -> web.Response:
    """``POST /_sim/config``: change the configuration; answers the new state.

    Keys (all optional): webhook_url, client_id, extensions, mode, timings,
    disposition.
    """
    sim, body = request.app[SIMULATOR], await _body(request)
    if "webhook_url" in body or "client_id" in body:
        sim.set_webhook(
            body.get("webhook_url", sim.webhooks.url), client_id=body.get("client_id")
        )
    if "extensions" in body:
        if not isinstance(body["extensions"], list):
            raise TypeError("extensions must be a list")
        sim.pbx.extensions = [str(ext) for ext in body["extensions"]]
    if "mode" in body:
        sim.pbx.mode = Mode(body["mode"])
    if "timings" in body:
        sim.pbx.timings = CallTimings.from_dict(body["timings"])
    if "disposition" in body:
        sim.pbx.disposition = Disposition(body["disposition"])
    return web.json_response(sim.snapshot())


async def post_call(request: web.Request) -> web.Response:
    """``POST /_sim/calls`` {from, to, disposition?, timings?, timed?}: start a call."""
    sim, body = request.app[SIMULATOR], await _body(request)
    timings = body.get("timings")
    call_id = await sim.pbx.start_call(
        str(body["from"]),
        str(body["to"]),
        disposition=body.get("disposition"),
        timings=None if timings is None else CallTimings.from_dict(timings),
        timed=body.get("timed"),
    )
    call = sim.pbx.get_call(call_id)
    assert call is not None
    return web.json_response(
        {"call_id": call_id, "call": call_snapshot(call)}, status=201
    )


async def get_call(request: web.Request) -> web.Response:
    """``GET /_sim/calls/{call_id}``: one call, active or ended."""
    return _call_json(request.app[SIMULATOR], request.match_info["call_id"])


async def post_advance(request: web.Request) -> web.Response:
    """``POST /_sim/calls/{call_id}/advance`` {phase?, disposition?}: move a call on."""
    sim, body = request.app[SIMULATOR], await _body(request)
    call_id = request.match_info["call_id"]
    if "phase" in body:
        await sim.pbx.set_phase(call_id, body["phase"], body.get("disposition"))
    else:
        await sim.pbx.advance(call_id)
    return _call_json(sim, call_id)


async def post_hangup(request: web.Request) -> web.Response:
    """``POST /_sim/calls/{call_id}/hangup`` {disposition?}: end a call."""
    sim, body = request.app[SIMULATOR], await _body(request)
    call_id = request.match_info["call_id"]
    await sim.pbx.hangup(call_id, body.get("disposition"))
    return _call_json(sim, call_id)


async def get_faults(request: web.Request) -> web.Response:
    """``GET /_sim/faults``: installed faults by endpoint kind."""
    return web.json_response(request.app[SIMULATOR].faults.as_dict())


async def post_fault(request: web.Request) -> web.Response:
    """``POST /_sim/faults``: install a fault; answers every installed fault.

    Keys: kind; optional endpoint (default all), count, delay, status, body,
    content_type, api_status, message.
    """
    sim, body = request.app[SIMULATOR], await _body(request)
    endpoint = body.pop("endpoint", Endpoint.ALL)
    kind = body.pop("kind")
    sim.faults.set(endpoint, kind, **body)
    return web.json_response(sim.faults.as_dict())


async def delete_faults(request: web.Request) -> web.Response:
    """``DELETE /_sim/faults[?endpoint=call]``: remove one or every fault."""
    sim = request.app[SIMULATOR]
    sim.faults.clear(request.query.get("endpoint"))
    return web.json_response(sim.faults.as_dict())


async def post_refuse(request: web.Request) -> web.Response:
    """``POST /_sim/refuse`` {seconds}: refuse connections for a while.

    The answer is sent first; the port comes back by itself after ``seconds``.
    """
    sim, body = request.app[SIMULATOR], await _body(request)
    seconds = float(body["seconds"])
    if not 0 < seconds <= MAX_REFUSE_SECONDS:
        raise ValueError(f"seconds must be in (0, {MAX_REFUSE_SECONDS}]")
    response = web.json_response({"refusing": True, "seconds": seconds})
    await response.prepare(request)
    await response.write_eof()
    await sim.refuse_connections(seconds)
    return response


async def get_requests(request: web.Request) -> web.Response:
    """``GET /_sim/requests``: the recorded REST requests."""
    requests = request.app[SIMULATOR].requests
    return web.json_response([recorded.as_dict() for recorded in requests])


async def delete_requests(request: web.Request) -> web.Response:
    """``DELETE /_sim/requests``: forget the recorded requests."""
    request.app[SIMULATOR].requests.clear()
    return web.json_response([])


async def get_webhooks(request: web.Request) -> web.Response:
    """``GET /_sim/webhooks``: every webhook delivery so far."""
    deliveries = request.app[SIMULATOR].webhooks.deliveries
    return web.json_response([delivery.as_dict() for delivery in deliveries])


async def delete_webhooks(request: web.Request) -> web.Response:
    """``DELETE /_sim/webhooks``: forget the recorded deliveries."""
    request.app[SIMULATOR].webhooks.deliveries.clear()
    return web.json_response([])


async def post_webhook_faults(request: web.Request) -> web.Response:
    """``POST /_sim/webhooks/faults`` {delay?, duplicate?, drop?}: misbehave."""
    sim, body = request.app[SIMULATOR], await _body(request)
    if unknown := set(body) - {"delay", "duplicate", "drop"}:
        raise ValueError(f"unknown keys: {sorted(unknown)}")
    faults = WebhookFaults(
        delay=float(body.get("delay", 0)),
        duplicate=int(body.get("duplicate", 0)),
        drop=bool(body.get("drop", False)),
    )
    if faults.delay < 0 or faults.duplicate < 0:
        raise ValueError("delay and duplicate must not be negative")
    sim.webhooks.faults = faults
    return web.json_response(faults.as_dict())


async def delete_webhook_faults(request: web.Request) -> web.Response:
    """``DELETE /_sim/webhooks/faults``: deliver normally again."""
    sim = request.app[SIMULATOR]
    sim.webhooks.faults = WebhookFaults()
    return web.json_response(sim.webhooks.faults.as_dict())


async def post_traffic(request: web.Request) -> web.Response:
    """``POST /_sim/traffic`` {enabled, interval?, seed?, time_scale?}.

    Enabling while running restarts the generator with the new options.
    """
    sim, body = request.app[SIMULATOR], await _body(request)
    enabled = body["enabled"]
    await sim.stop_traffic()
    if enabled:
        sim.start_traffic(
            float(body.get("interval", 5.0)),
            seed=None if body.get("seed") is None else int(body["seed"]),
            time_scale=float(body.get("time_scale", 1.0)),
        )
    return web.json_response(sim.snapshot()["traffic"])


def add_control_routes(app: web.Application, simulator: SimulatorServer) -> None:
    """Register the ``/_sim/`` endpoints on ``app``."""
    app[SIMULATOR] = simulator
    prefix = CONTROL_PREFIX.rstrip("/")
    router = app.router
    router.add_get(f"{prefix}/state", get_state)
    router.add_post(f"{prefix}/config", post_config)
    router.add_post(f"{prefix}/calls", post_call)
    router.add_get(f"{prefix}/calls/{{call_id}}", get_call)
    router.add_post(f"{prefix}/calls/{{call_id}}/advance", post_advance)
    router.add_post(f"{prefix}/calls/{{call_id}}/hangup", post_hangup)
    router.add_get(f"{prefix}/faults", get_faults)
    router.add_post(f"{prefix}/faults", post_fault)
    router.add_delete(f"{prefix}/faults", delete_faults)
    router.add_post(f"{prefix}/refuse", post_refuse)
    router.add_get(f"{prefix}/requests", get_requests)
    router.add_delete(f"{prefix}/requests", delete_requests)
    router.add_get(f"{prefix}/webhooks", get_webhooks)
    router.add_delete(f"{prefix}/webhooks", delete_webhooks)
    router.add_post(f"{prefix}/webhooks/faults", post_webhook_faults)
    router.add_delete(f"{prefix}/webhooks/faults", delete_webhook_faults)
    router.add_post(f"{prefix}/traffic", post_traffic)
