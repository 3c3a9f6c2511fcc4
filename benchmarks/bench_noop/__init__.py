"""The floor of any webhook integration: a handler that reads the body and answers 200.

``scripts/bench`` copies this folder into its Home Assistant configuration
(``custom_components/bench_noop``, with a manifest written there and removed
after the run) and loads it from ``configuration.yaml``; it is never part of
the integration. Whatever a webhook integration does
with a body, Home Assistant's HTTP server and webhook dispatch cost this much.
"""

from aiohttp import web
from aiohttp.hdrs import METH_POST

from homeassistant.components import webhook
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

DOMAIN = "bench_noop"
WEBHOOK_ID = "bench-noop"

CONFIG_SCHEMA = cv.empty_config_schema(DOMAIN)


async def _handle(
    hass: HomeAssistant, webhook_id: str, request: web.Request
) -> web.Response:
    """Read the body and answer 200, nothing else."""
    await request.read()
    return web.Response(status=200)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the no-op webhook (POST only, like the integration's)."""
    webhook.async_register(
        hass, DOMAIN, "Bench no-op", WEBHOOK_ID, _handle, allowed_methods=[METH_POST]
    )
    return True
