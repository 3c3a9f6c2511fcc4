"""Run the simulator's HTTP server on a loopback port."""

import asyncio
from collections.abc import Iterable
import logging
import random
import socket
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from .api import (
    CONTROL_PREFIX,
    ApiState,
    add_api_routes,
    add_not_found_route,
    api_middleware,
)
from .calls import DEFAULT_HISTORY_SIZE, Pbx
from .const import (
    DEFAULT_CLIENT_ID,
    DEFAULT_EXTENSIONS,
    DEFAULT_HOST,
    DEFAULT_TRUNK,
    Disposition,
)
from .control import add_control_routes, control_middleware
from .faults import Faults
from .model import CallTimings, Mode
from .payloads import call_snapshot
from .requestlog import RequestLog
from .traffic import TrafficGenerator
from .variants import Variants, add_variant_routes
from .webhooks import WebhookSender

_LOGGER = logging.getLogger(__name__)

# How long stop() lets in-flight requests finish before cancelling them.
SHUTDOWN_TIMEOUT = 1.0


class SimulatorServer:
    """The simulated PBX served over HTTP; also an async context manager.

    ``port=0`` picks a free port; ``port`` tells which one once started.
    """

    def __init__(
        self,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        extensions: Iterable[str] = DEFAULT_EXTENSIONS,
        webhook_url: str | None = None,
        client_id: str = DEFAULT_CLIENT_ID,
        mode: Mode | str = Mode.MANUAL,
        timings: CallTimings | None = None,
        disposition: Disposition | str = Disposition.ANSWERED,
        seed: int | None = None,
        trunk: str = DEFAULT_TRUNK,
        history_size: int = DEFAULT_HISTORY_SIZE,
        webhook_timeout: float = 10.0,
    ) -> None:
        """Configure; nothing listens until ``start()``."""
        self.host = host
        self.seed = seed
        self._requested_port = port
        self._port: int | None = None
        self.variants = Variants()
        """Other readings of the provider's page (``/_sim/variants``)."""
        self.webhooks = WebhookSender(
            webhook_url, client_id, timeout=webhook_timeout, variants=self.variants
        )
        self.pbx = Pbx(
            extensions,
            webhooks=self.webhooks,
            mode=mode,
            timings=timings,
            disposition=disposition,
            trunk=trunk,
            history_size=history_size,
            rng=random.Random(seed),
            variants=self.variants,
        )
        self.faults = Faults()
        self.requests = RequestLog()
        self.traffic: TrafficGenerator | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.SockSite | None = None
        self._reaccept: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        """Return the port the server listens (or listened) on."""
        if self._port is None:
            raise RuntimeError("the simulator has not been started")
        return self._port

    @property
    def base_url(self) -> str:
        """Return e.g. ``http://127.0.0.1:3030``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def started(self) -> bool:
        """Return whether ``start()`` has run and ``stop()`` has not."""
        return self._runner is not None

    @property
    def refusing(self) -> bool:
        """Return whether connections are being refused."""
        return self._runner is not None and self._site is None

    def url(self, path: str) -> str:
        """Return the absolute URL of ``path`` (which starts with ``/``)."""
        return f"{self.base_url}{path}"

    def set_webhook(self, url: str | None, client_id: str | None = None) -> None:
        """Send webhooks to ``url`` (None: send none), optionally as ``client_id``."""
        self.webhooks.configure(url, client_id)

    async def start(self) -> Self:
        """Start listening; return self."""
        if self._runner is not None:
            raise RuntimeError("the simulator is already running")
        app = web.Application(middlewares=[control_middleware, api_middleware])
        add_control_routes(app, self)
        add_variant_routes(app, CONTROL_PREFIX.rstrip("/"), self.variants)
        add_api_routes(
            app, ApiState(self.pbx, self.faults, self.requests, self.variants)
        )
        add_not_found_route(app)
        runner = web.AppRunner(
            app,
            handle_signals=False,
            access_log=None,
            shutdown_timeout=SHUTDOWN_TIMEOUT,
            handler_cancellation=True,
        )
        await runner.setup()
        self._runner = runner
        try:
            await self._listen(self._port or self._requested_port)
        except BaseException:
            await self.stop()
            raise
        _LOGGER.info("Bem Melhor PBX simulator listening on %s", self.base_url)
        return self

    async def stop(self) -> None:
        """Stop traffic, call timers, webhooks and the server (idempotent)."""
        await self.stop_traffic()
        self._cancel_reaccept()
        if self._runner is not None:
            await self._close_connections()  # drops requests in flight at once
            runner, self._runner = self._runner, None
            await runner.cleanup()
        await self.pbx.close()

    async def __aenter__(self) -> Self:
        """Start the server."""
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self.stop()

    async def refuse_connections(self, duration: float | None = None) -> None:
        """Close the listening socket so clients get ECONNREFUSED.

        Open connections are closed too (a request in flight gets no answer).
        With ``duration``, connections are accepted again by themselves after
        that many seconds.
        """
        if self._runner is None:
            raise RuntimeError("the simulator has not been started")
        self._cancel_reaccept()
        if self._site is not None:
            await self._close_connections()
            _LOGGER.info("Refusing connections on port %s", self.port)
        if duration is not None:
            self._reaccept = asyncio.create_task(
                self._accept_later(duration), name="reaccept connections"
            )

    async def accept_connections(self) -> None:
        """Listen again on the same port (no-op if already listening)."""
        if self._runner is None:
            raise RuntimeError("the simulator has not been started")
        self._cancel_reaccept()
        if self._site is None:
            await self._listen(self.port)
            _LOGGER.info("Accepting connections on port %s again", self.port)

    def start_traffic(
        self,
        interval: float = 5.0,
        *,
        seed: int | None = None,
        time_scale: float = 1.0,
    ) -> TrafficGenerator:
        """Start random background calls (replacing options if already running)."""
        if self.traffic is not None and self.traffic.running:
            raise RuntimeError("traffic is already running; stop it first")
        self.traffic = TrafficGenerator(
            self.pbx,
            interval=interval,
            seed=self.seed if seed is None else seed,
            time_scale=time_scale,
        )
        self.traffic.start()
        return self.traffic

    async def stop_traffic(self) -> None:
        """Stop starting new random calls (calls under way go on)."""
        if self.traffic is not None:
            await self.traffic.stop()

    def snapshot(self) -> dict[str, Any]:
        """Return the whole simulator state as a JSON object."""
        traffic = self.traffic
        return {
            "base_url": self.base_url if self._port is not None else None,
            "refusing": self.refusing,
            "extensions": list(self.pbx.extensions),
            "mode": str(self.pbx.mode),
            "timings": self.pbx.timings.as_dict(),
            "disposition": str(self.pbx.disposition),
            "webhook": {
                "url": self.webhooks.url,
                "client_id": self.webhooks.client_id,
                "faults": self.webhooks.faults.as_dict(),
                "deliveries": len(self.webhooks.deliveries),
            },
            "faults": self.faults.as_dict(),
            "variants": self.variants.as_dict(),
            "requests": len(self.requests),
            "traffic": {
                "running": traffic is not None and traffic.running,
                "interval": None if traffic is None else traffic.interval,
                "time_scale": None if traffic is None else traffic.time_scale,
                "started_calls": 0 if traffic is None else len(traffic.started_calls),
            },
            "calls": [call_snapshot(call) for call in self.pbx.calls],
            "history": [call_snapshot(call) for call in self.pbx.history],
        }

    async def _listen(self, port: int) -> None:
        assert self._runner is not None
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.create_server((self.host, port), family=family)
        try:
            site = web.SockSite(self._runner, sock)
            await site.start()
        except BaseException:
            sock.close()
            raise
        self._port = sock.getsockname()[1]
        self._site = site

    async def _close_connections(self) -> None:
        """Close the listening socket and every open connection."""
        if self._site is not None:
            site, self._site = self._site, None
            await site.stop()
        assert self._runner is not None and self._runner.server is not None
        for connection in self._runner.server.connections:
            connection.force_close()

    async def _accept_later(self, delay: float) -> None:
        await asyncio.sleep(delay)
        self._reaccept = None
        await self.accept_connections()

    def _cancel_reaccept(self) -> None:
        if self._reaccept is not None and self._reaccept is not asyncio.current_task():
            self._reaccept.cancel()
        self._reaccept = None
