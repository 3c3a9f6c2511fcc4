"""Simulator of the Bem Melhor Telecom cloud PBX HTTP API.

Serves what the real PBX serves (plain HTTP, no auth): ``GET /api/call/{ramal}/{dest}``,
``GET /api/status/{callid}``, ``GET /api/active/{ramal}``, and POSTs the
``call.dialing`` / ``call.hangup`` webhooks. On top of that: a call model
driven by hand or by timers, random traffic, fault injection, variants
(other readings of the provider's page), a request log and ``/_sim/``
control endpoints. See README.md in this package.

In tests::

    sim = pbx_simulator                      # started SimulatorServer
    call_id = await sim.pbx.start_call("6001", "032999999999")
    await sim.pbx.advance(call_id)           # ringing, then talking
    await sim.pbx.hangup(call_id, "NO ANSWER")
    sim.faults.set("active", kind="http_error", status=503)
    sim.variants.set({"idle": "not_found"})  # the page read another way
    await sim.refuse_connections(); await sim.accept_connections()

From the command line: ``python -m bemmelhor_simulator --help``.
"""

from .calls import InvalidTransitionError, Pbx, UnknownCallError
from .const import ChannelState, Disposition, Endpoint
from .faults import Fault, FaultKind, Faults
from .model import Call, CallPhase, CallTimings, Channel, Mode
from .requestlog import RecordedRequest, RequestLog
from .server import SimulatorServer
from .traffic import TrafficGenerator
from .variants import Variants
from .webhooks import WebhookDelivery, WebhookFaults, WebhookPoster, WebhookSender

__all__ = [
    "Call",
    "CallPhase",
    "CallTimings",
    "Channel",
    "ChannelState",
    "Disposition",
    "Endpoint",
    "Fault",
    "FaultKind",
    "Faults",
    "InvalidTransitionError",
    "Mode",
    "Pbx",
    "RecordedRequest",
    "RequestLog",
    "SimulatorServer",
    "TrafficGenerator",
    "UnknownCallError",
    "Variants",
    "WebhookDelivery",
    "WebhookFaults",
    "WebhookPoster",
    "WebhookSender",
]
