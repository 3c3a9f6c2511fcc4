"""An async client of a running Home Assistant's REST and websocket APIs.

Covers what a script needs to drive an instance without a browser:
onboarding (``/api/onboarding/*``), tokens (``/auth/token``, the login flow),
config, options, reconfigure and subentry flows, config entries, states,
actions, and websocket commands, event subscriptions and commands that answer
with events. Tokens are kept in ``Tokens``,
saved to and loaded from a JSON file with ``save_tokens``/``load_tokens``.
"""

import asyncio
from collections.abc import AsyncIterator, Mapping
import contextlib
from dataclasses import asdict, dataclass
import itertools
import json
from pathlib import Path
import time
from typing import Any

import aiohttp

# A token is refreshed when it has less than this many seconds left.
REFRESH_MARGIN = 60.0


class HassApiError(RuntimeError):
    """Home Assistant answered something other than what was asked for."""

    def __init__(self, message: str, status: int | None = None) -> None:
        """Keep the HTTP status (None for websocket errors)."""
        super().__init__(message)
        self.status = status


def client_id_for(base_url: str) -> str:
    """Return the OAuth client id a script uses: the base URL with a slash."""
    return base_url.rstrip("/") + "/"


def websocket_url(base_url: str) -> str:
    """Return the websocket API URL of an instance (``ws(s)://…/api/websocket``)."""
    base = base_url.rstrip("/")
    if base.startswith("https://"):
        return "wss://" + base.removeprefix("https://") + "/api/websocket"
    return "ws://" + base.removeprefix("http://") + "/api/websocket"


@dataclass(slots=True)
class Tokens:
    """An access token, the refresh token that renews it, and who they belong to."""

    client_id: str
    refresh_token: str
    access_token: str = ""
    expires_at: float = 0.0

    @property
    def expired(self) -> bool:
        """Return whether the access token is missing or about to expire."""
        return not self.access_token or time.time() > self.expires_at - REFRESH_MARGIN

    def update(self, answer: Mapping[str, Any]) -> None:
        """Take a ``/auth/token`` answer."""
        self.access_token = str(answer["access_token"])
        self.expires_at = time.time() + float(answer.get("expires_in", 1800))
        if refresh_token := answer.get("refresh_token"):
            self.refresh_token = str(refresh_token)

    def browser_tokens(self, base_url: str) -> dict[str, Any]:
        """Return what the frontend keeps in ``localStorage.hassTokens``."""
        return {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": max(0, int(self.expires_at - time.time())),
            "hassUrl": base_url.rstrip("/"),
            "clientId": self.client_id,
            "expires": int(self.expires_at * 1000),
            "refresh_token": self.refresh_token,
        }


def save_tokens(path: Path, tokens: Tokens) -> None:
    """Write tokens to a JSON file only the owner can read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(json.dumps(asdict(tokens), indent=2) + "\n", encoding="utf-8")


def load_tokens(path: Path) -> Tokens | None:
    """Read tokens written by ``save_tokens``; None if missing or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Tokens(
            client_id=str(raw["client_id"]),
            refresh_token=str(raw["refresh_token"]),
            access_token=str(raw.get("access_token", "")),
            expires_at=float(raw.get("expires_at", 0.0)),
        )
    except FileNotFoundError, ValueError, KeyError, TypeError, AttributeError:
        return None


class HassApi:
    """REST client of one instance; a ``Tokens`` makes it authenticated."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        tokens: Tokens | None = None,
    ) -> None:
        """Use ``session`` for every request to ``base_url``."""
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens

    @property
    def client_id(self) -> str:
        """Return the OAuth client id used for new tokens."""
        return client_id_for(self.base_url)

    # -- low level ---------------------------------------------------------

    async def access_token(self) -> str:
        """Return a valid access token, refreshing it when needed."""
        if self.tokens is None:
            raise HassApiError("not authenticated")
        if self.tokens.expired:
            await self.refresh()
        return self.tokens.access_token

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        auth: bool = True,
        expect: tuple[int, ...] = (200, 201),
        params: Mapping[str, str] | None = None,
    ) -> Any:
        """Send one request; return the decoded JSON answer (None if empty)."""
        headers = {}
        if auth:
            headers["Authorization"] = f"Bearer {await self.access_token()}"
        async with self.session.request(
            method,
            f"{self.base_url}{path}",
            json=json_body,
            headers=headers,
            params=params,
        ) as response:
            text = await response.text()
            if response.status not in expect:
                raise HassApiError(
                    f"{method} {path} answered {response.status}: {text[:500]}",
                    response.status,
                )
            if response.content_type != "application/json" or not text:
                return None
        return json.loads(text)

    async def upload_file(
        self, content: bytes, filename: str, content_type: str
    ) -> str:
        """Upload a file as the frontend does (``/api/file_upload``); return its id."""
        form = aiohttp.FormData()
        form.add_field("file", content, filename=filename, content_type=content_type)
        async with self.session.post(
            f"{self.base_url}/api/file_upload",
            data=form,
            headers={"Authorization": f"Bearer {await self.access_token()}"},
        ) as response:
            text = await response.text()
            if response.status != 200:
                raise HassApiError(
                    f"POST /api/file_upload answered {response.status}: {text[:300]}",
                    response.status,
                )
        return str(json.loads(text)["file_id"])

    async def _token_request(self, form: Mapping[str, str]) -> dict[str, Any]:
        async with self.session.post(
            f"{self.base_url}/auth/token", data=dict(form)
        ) as response:
            text = await response.text()
            if response.status != 200:
                raise HassApiError(
                    f"POST /auth/token answered {response.status}: {text[:300]}",
                    response.status,
                )
        answer: dict[str, Any] = json.loads(text)
        return answer

    # -- authentication ----------------------------------------------------

    async def tokens_from_code(self, code: str) -> Tokens:
        """Exchange an authorization code for tokens; keep and return them."""
        answer = await self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            }
        )
        tokens = Tokens(client_id=self.client_id, refresh_token="")
        tokens.update(answer)
        self.tokens = tokens
        return tokens

    async def refresh(self) -> None:
        """Get a new access token with the refresh token."""
        if self.tokens is None:
            raise HassApiError("no refresh token")
        answer = await self._token_request(
            {
                "grant_type": "refresh_token",
                "refresh_token": self.tokens.refresh_token,
                "client_id": self.tokens.client_id,
            }
        )
        self.tokens.update(answer)

    async def login(self, username: str, password: str) -> Tokens:
        """Log in through the login flow of the ``homeassistant`` auth provider."""
        flow = await self.request(
            "POST",
            "/auth/login_flow",
            auth=False,
            json_body={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{self.client_id}?auth_callback=1",
            },
        )
        result = await self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            auth=False,
            json_body={
                "client_id": self.client_id,
                "username": username,
                "password": password,
            },
        )
        if result.get("type") != "create_entry":
            raise HassApiError(f"login refused: {result.get('errors') or result}")
        return await self.tokens_from_code(str(result["result"]))

    # -- onboarding --------------------------------------------------------

    async def onboarding_steps(self) -> dict[str, bool] | None:
        """Return ``{step: done}``, or None once the instance is onboarded."""
        steps = await self.request(
            "GET", "/api/onboarding", auth=False, expect=(200, 404)
        )
        if not isinstance(steps, list):
            return None
        return {str(step["step"]): bool(step["done"]) for step in steps}

    async def onboard_user(
        self, *, name: str, username: str, password: str, language: str = "en"
    ) -> Tokens:
        """Create the owner (onboarding ``user`` step) and log in as them."""
        answer = await self.request(
            "POST",
            "/api/onboarding/users",
            auth=False,
            json_body={
                "client_id": self.client_id,
                "name": name,
                "username": username,
                "password": password,
                "language": language,
            },
        )
        return await self.tokens_from_code(str(answer["auth_code"]))

    async def onboard_analytics(self) -> None:
        """Finish the ``analytics`` step (nothing is shared unless enabled later)."""
        await self.request("POST", "/api/onboarding/analytics", json_body={})

    async def onboard_integration(self) -> None:
        """Finish the ``integration`` step."""
        await self.request(
            "POST",
            "/api/onboarding/integration",
            json_body={
                "client_id": self.client_id,
                "redirect_uri": f"{self.client_id}?auth_callback=1",
            },
        )

    # -- core, states, actions ---------------------------------------------

    async def core_state(self) -> str:
        """Return the core state (``RUNNING`` once started)."""
        answer = await self.request("GET", "/api/core/state")
        return str(answer["state"])

    async def wait_running(self, timeout: float, interval: float = 0.5) -> None:
        """Wait until the core state is ``RUNNING``."""
        async with asyncio.timeout(timeout):
            while await self.core_state() != "RUNNING":
                await asyncio.sleep(interval)

    async def config(self) -> dict[str, Any]:
        """Return ``/api/config`` (components, URLs, version…)."""
        answer: dict[str, Any] = await self.request("GET", "/api/config")
        return answer

    async def states(self) -> list[dict[str, Any]]:
        """Return every entity state."""
        answer: list[dict[str, Any]] = await self.request("GET", "/api/states")
        return answer

    async def state(self, entity_id: str) -> dict[str, Any] | None:
        """Return one entity's state, or None if it does not exist."""
        answer = await self.request(
            "GET", f"/api/states/{entity_id}", expect=(200, 404)
        )
        return answer if isinstance(answer, dict) and "state" in answer else None

    async def call_service(
        self,
        domain: str,
        service: str,
        data: Mapping[str, Any] | None = None,
        *,
        return_response: bool = False,
    ) -> Any:
        """Call an action; return ``{changed_states, service_response}`` or states."""
        return await self.request(
            "POST",
            f"/api/services/{domain}/{service}",
            json_body=dict(data or {}),
            params={"return_response": ""} if return_response else None,
        )

    # -- config entries and flows ------------------------------------------

    async def config_entries(self, domain: str | None = None) -> list[dict[str, Any]]:
        """Return the config entries (of one domain)."""
        answer: list[dict[str, Any]] = await self.request(
            "GET",
            "/api/config/config_entries/entry",
            params={"domain": domain} if domain else None,
        )
        return answer

    async def start_flow(
        self, handler: str, *, entry_id: str | None = None
    ) -> dict[str, Any]:
        """Start a config flow (a reconfigure flow with ``entry_id``)."""
        body: dict[str, Any] = {"handler": handler, "show_advanced_options": False}
        if entry_id is not None:
            body["entry_id"] = entry_id
        answer: dict[str, Any] = await self.request(
            "POST", "/api/config/config_entries/flow", json_body=body
        )
        return answer

    async def flow_step(
        self, flow_id: str, user_input: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Submit a step of a config flow."""
        answer: dict[str, Any] = await self.request(
            "POST",
            f"/api/config/config_entries/flow/{flow_id}",
            json_body=dict(user_input),
        )
        return answer

    async def abort_flow(self, flow_id: str) -> None:
        """Abort a config flow (an abandoned one blocks ``already_in_progress``)."""
        await self.request(
            "DELETE", f"/api/config/config_entries/flow/{flow_id}", expect=(200, 404)
        )

    async def start_options_flow(self, entry_id: str) -> dict[str, Any]:
        """Start an entry's options flow."""
        answer: dict[str, Any] = await self.request(
            "POST",
            "/api/config/config_entries/options/flow",
            json_body={"handler": entry_id, "show_advanced_options": False},
        )
        return answer

    async def options_flow_step(
        self, flow_id: str, user_input: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Submit a step of an options flow."""
        answer: dict[str, Any] = await self.request(
            "POST",
            f"/api/config/config_entries/options/flow/{flow_id}",
            json_body=dict(user_input),
        )
        return answer

    async def abort_options_flow(self, flow_id: str) -> None:
        """Abort an options flow."""
        await self.request(
            "DELETE",
            f"/api/config/config_entries/options/flow/{flow_id}",
            expect=(200, 404),
        )

    async def start_subentry_flow(
        self, entry_id: str, subentry_type: str
    ) -> dict[str, Any]:
        """Start the flow that adds a subentry (a contact…) to an entry."""
        answer: dict[str, Any] = await self.request(
            "POST",
            "/api/config/config_entries/subentries/flow",
            json_body={"handler": [entry_id, subentry_type]},
        )
        return answer

    async def subentry_flow_step(
        self, flow_id: str, user_input: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Submit a step of a subentry flow."""
        answer: dict[str, Any] = await self.request(
            "POST",
            f"/api/config/config_entries/subentries/flow/{flow_id}",
            json_body=dict(user_input),
        )
        return answer

    async def delete_entry(self, entry_id: str) -> None:
        """Delete a config entry (its devices and entities go with it)."""
        await self.request("DELETE", f"/api/config/config_entries/entry/{entry_id}")

    async def wait_entry_state(
        self, entry_id: str, domain: str, state: str, timeout: float
    ) -> dict[str, Any]:
        """Wait until a config entry reaches ``state`` (e.g. ``loaded``)."""
        async with asyncio.timeout(timeout):
            while True:
                for entry in await self.config_entries(domain):
                    if entry["entry_id"] == entry_id and entry["state"] == state:
                        return entry
                await asyncio.sleep(0.5)

    @contextlib.asynccontextmanager
    async def websocket(self) -> AsyncIterator[HassWebSocket]:
        """Open an authenticated websocket connection."""
        async with self.session.ws_connect(
            websocket_url(self.base_url), max_msg_size=0
        ) as ws:
            socket = HassWebSocket(ws)
            await socket.authenticate(await self.access_token())
            try:
                yield socket
            finally:
                await socket.close()


class HassWebSocket:
    """One authenticated websocket connection: commands and subscriptions."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Wrap an open (not yet authenticated) connection."""
        self.ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._events: dict[int, asyncio.Queue[dict[str, Any]]] = {}
        self._reader: asyncio.Task[None] | None = None

    async def authenticate(self, access_token: str) -> None:
        """Answer the ``auth_required`` greeting and start reading messages."""
        greeting = await self.ws.receive_json()
        if greeting.get("type") != "auth_required":
            raise HassApiError(f"unexpected websocket greeting: {greeting}")
        await self.ws.send_json({"type": "auth", "access_token": access_token})
        answer = await self.ws.receive_json()
        if answer.get("type") != "auth_ok":
            raise HassApiError(f"websocket authentication failed: {answer}")
        self._reader = asyncio.create_task(self._read(), name="hass websocket")

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                if message.type is not aiohttp.WSMsgType.TEXT:
                    continue
                payload = json.loads(message.data)
                for item in payload if isinstance(payload, list) else [payload]:
                    self._dispatch(item)
        finally:
            closed = HassApiError("websocket closed")
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(closed)

    def _dispatch(self, message: dict[str, Any]) -> None:
        msg_id = message.get("id")
        if not isinstance(msg_id, int):
            return
        if message.get("type") == "event" and msg_id in self._events:
            self._events[msg_id].put_nowait(message["event"])
        elif (future := self._pending.pop(msg_id, None)) and not future.done():
            future.set_result(message)

    async def _roundtrip(self, msg_id: int, message: dict[str, Any]) -> dict[str, Any]:
        """Send a message with ``msg_id``; return the successful answer."""
        if self._reader is None or self._reader.done():
            raise HassApiError("websocket closed")
        future: asyncio.Future[dict[str, Any]] = (
            asyncio.get_running_loop().create_future()
        )
        self._pending[msg_id] = future
        await self.ws.send_json({"id": msg_id, **message})
        answer = await future
        if not answer.get("success"):
            raise HassApiError(f"{message['type']} failed: {answer.get('error')}")
        return answer

    async def command(self, command_type: str, **fields: Any) -> Any:
        """Send a command; return its ``result`` or raise ``HassApiError``."""
        answer = await self._roundtrip(
            next(self._ids), {"type": command_type, **fields}
        )
        return answer.get("result")

    @contextlib.asynccontextmanager
    async def command_events(
        self, command_type: str, **fields: Any
    ) -> AsyncIterator[tuple[int, asyncio.Queue[dict[str, Any]]]]:
        """Send a command answered by events; yield its id and a queue of them.

        For subscriptions and for commands that go on reporting, such as an
        Assist pipeline run (``assist_pipeline/run``).
        """
        msg_id = next(self._ids)
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._events[msg_id] = queue
        try:
            await self._roundtrip(msg_id, {"type": command_type, **fields})
            yield msg_id, queue
        finally:
            del self._events[msg_id]

    def subscribe_events(
        self, event_type: str | None = None
    ) -> contextlib.AbstractAsyncContextManager[asyncio.Queue[dict[str, Any]]]:
        """Subscribe to bus events (all types if None); yield a queue of them."""
        fields = {} if event_type is None else {"event_type": event_type}
        return self.subscribe("subscribe_events", **fields)

    @contextlib.asynccontextmanager
    async def subscribe(
        self, command_type: str, **fields: Any
    ) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        """Send a subscription command; yield a queue of the events it sends."""
        async with self.command_events(command_type, **fields) as (msg_id, queue):
            try:
                yield queue
            finally:
                if not self.ws.closed:
                    with contextlib.suppress(HassApiError, aiohttp.ClientError):
                        await self.command("unsubscribe_events", subscription=msg_id)

    async def close(self) -> None:
        """Stop reading; the connection itself is closed by its owner."""
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
