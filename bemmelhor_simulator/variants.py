"""Variants: other readings of the provider's page, one switch each.

The page shows four example answers and two webhook bodies; a real PBX may
differ wherever they leave room. Each variant makes the simulator answer one
such other way (dates in seconds, ``+55`` numbers, an idle extension as HTTP
404, the webhook's JSON sent as a form…), so that tests and the demo can show
how a receiver copes. The default of every switch is what the page shows.
Switched at ``/_sim/variants`` (GET, POST ``{name: value}``, DELETE).
"""

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
import json
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from .clock import iso

CHOICES: dict[str, tuple[str, ...]] = {
    "created": ("milliseconds", "seconds", "iso"),
    "hangup_to": ("h", "empty", "missing", "number"),
    "idle": ("null", "empty_object", "not_found"),
    "api_status": ("page", "lower", "spelled"),
    "caller_id": ("full", "missing", "empty_name"),
    "numbers": ("plain", "plus55", "spaces", "sip"),
    "body": ("json", "text_plain", "form_json_field", "form_fields"),
}
"""Each switch with a fixed set of values; the first is the page's."""
WORDS = ("disposition", "channel_state")
"""Switches that take any word (null: the real one)."""
MAX_WORD = 32
NOT_FOUND_STATUS = "NOT_FOUND"
FORM_FIELD = "payload"
"""The form field that carries the whole envelope (``form_json_field``)."""
SPELLED = {"SUCCESS": "Success", "CONECTION_OK": "CONNECTION_OK"}

type JsonObject = dict[str, Any]


@dataclass(slots=True)
class Variants:
    """The switches; defaults are the provider's page."""

    created: str = "milliseconds"
    hangup_to: str = "h"
    idle: str = "null"
    api_status: str = "page"
    caller_id: str = "full"
    numbers: str = "plain"
    body: str = "json"
    disposition: str | None = None
    """A word every hangup reports instead of the call's disposition."""
    channel_state: str | None = None
    """A word ``/api/active`` reports instead of the channel's state."""

    def as_dict(self) -> dict[str, str | None]:
        """Return the switches as a JSON object."""
        return asdict(self)

    def set(self, values: dict[str, Any]) -> None:
        """Change some switches; an unknown name or value raises ValueError."""
        for name, value in values.items():
            if name in CHOICES:
                if value not in CHOICES[name]:
                    raise ValueError(f"{name} must be one of {CHOICES[name]}")
            elif name in WORDS:
                if value is not None and (
                    not isinstance(value, str) or not 0 < len(value) <= MAX_WORD
                ):
                    raise ValueError(f"{name} must be a word or null")
            else:
                raise ValueError(f"unknown variant: {name!r}")
        for name, value in values.items():
            setattr(self, name, value)

    def reset(self) -> None:
        """Set every switch back to the page."""
        for switch in fields(self):
            setattr(self, switch.name, switch.default)

    # What the switches change

    def number(self, number: str) -> str:
        """Write a number (an extension or ``0`` + DDD + number) the switched way."""
        if self.numbers == "sip":
            return f"SIP/{number}"
        national = number.startswith("0") and len(number) > 9
        if self.numbers == "plus55" and national:
            return f"+55 {number[1:3]} {number[3:]}"
        if self.numbers == "spaces" and national:
            return f"{number[:3]} {number[3:-4]} {number[-4:]}"
        return number

    def api_status_word(self, status: str) -> str:
        """Write a successful ``apiStatus`` the switched way."""
        if self.api_status == "lower":
            return status.lower()
        if self.api_status == "spelled":
            return SPELLED.get(status, status)
        return status

    def webhook_data(self, data: JsonObject, to: str, *, hangup: bool) -> JsonObject:
        """Return a webhook's ``data`` the switched way (``to``: the call's)."""
        data = dict(data)
        created = data["created"]
        if self.created == "seconds":
            data["created"] = created // 1000
        elif self.created == "iso":
            data["created"] = iso(datetime.fromtimestamp(created / 1000, UTC))
        for key in ("from", "to"):
            if data.get(key) not in (None, "h"):
                data[key] = self.number(data[key])
        if hangup:
            if self.hangup_to == "missing":
                del data["to"]
            elif self.hangup_to != "h":
                data["to"] = "" if self.hangup_to == "empty" else self.number(to)
            if self.disposition is not None:
                data["disposition"] = self.disposition
        return data

    def active_data(self, data: JsonObject) -> JsonObject:
        """Return an active channel the switched way."""
        data = dict(data)
        caller = data["callerId"]
        if self.caller_id == "missing":
            del data["callerId"]
        else:
            data["callerId"] = {
                "name": "" if self.caller_id == "empty_name" else caller["name"],
                "number": self.number(caller["number"]),
            }
        if self.channel_state is not None:
            data["state"] = self.channel_state
        return data

    def idle_answer(self, answer: JsonObject) -> tuple[JsonObject, int]:
        """Return an idle extension's answer and HTTP status, the switched way."""
        if self.idle == "empty_object":
            return answer | {"data": {}}, 200
        if self.idle == "not_found":
            return answer | {"apiStatus": NOT_FOUND_STATUS}, 404
        return answer, 200

    def webhook_body(self, payload: JsonObject) -> tuple[bytes, str]:
        """Encode a webhook body the switched way; return it and its content type."""
        encoded = json.dumps(payload, ensure_ascii=False)
        if self.body == "text_plain":
            return encoded.encode(), "text/plain; charset=utf-8"
        if self.body == "form_json_field":
            form = urlencode({FORM_FIELD: encoded})
            return form.encode(), "application/x-www-form-urlencoded"
        if self.body == "form_fields":
            form = urlencode(
                {
                    "event": payload["event"],
                    "clientId": payload["clientId"],
                    "data": json.dumps(payload["data"], ensure_ascii=False),
                }
            )
            return form.encode(), "application/x-www-form-urlencoded"
        return encoded.encode(), "application/json"


VARIANTS: web.AppKey[Variants] = web.AppKey("variants", Variants)


async def get_variants(request: web.Request) -> web.Response:
    """``GET /_sim/variants``: the switches and the values each takes."""
    variants = request.app[VARIANTS]
    return web.json_response(
        {"variants": variants.as_dict(), "choices": CHOICES, "words": WORDS}
    )


async def post_variants(request: web.Request) -> web.Response:
    """``POST /_sim/variants`` ``{name: value}``: switch; answers every switch."""
    body = await request.json() if request.body_exists else {}
    if not isinstance(body, dict):
        raise TypeError("the body must be a JSON object")
    variants = request.app[VARIANTS]
    variants.set(body)
    return web.json_response(variants.as_dict())


async def delete_variants(request: web.Request) -> web.Response:
    """``DELETE /_sim/variants``: every switch back to the page."""
    variants = request.app[VARIANTS]
    variants.reset()
    return web.json_response(variants.as_dict())


def add_variant_routes(app: web.Application, prefix: str, variants: Variants) -> None:
    """Register ``{prefix}/variants`` on ``app``."""
    app[VARIANTS] = variants
    app.router.add_get(f"{prefix}/variants", get_variants)
    app.router.add_post(f"{prefix}/variants", post_variants)
    app.router.add_delete(f"{prefix}/variants", delete_variants)
