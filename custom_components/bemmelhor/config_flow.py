"""Config and reconfigure flows of the Bem Melhor integration (options: ``options_flow``)."""

from collections.abc import Mapping
from typing import Any, override

import probatio

from homeassistant.components import webhook
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
)
from homeassistant.const import CONF_HOST, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig

from .api import (
    BemMelhorApiError,
    BemMelhorConnectionError,
    BemMelhorError,
    BemMelhorInvalidInputError,
    BemMelhorInvalidResponseError,
    BemMelhorTimeoutError,
    parse_address,
)
from .connection_form import (
    ConnectionFormSchema,
    connection_data,
    connection_fields,
    flat_values,
)
from .const import (
    CONF_CLIENT_ID,
    CONF_CLOUDHOOK,
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    DEFAULT_OUTSIDE_LINE_PREFIX,
    DOMAIN,
    LOGGER,
)
from .contact_directory import SUBENTRY_CONTACT, SUBENTRY_PHONEBOOK
from .contact_flows import ContactSubentryFlow, PhonebookSubentryFlow
from .coordinator import BemMelhorConfigEntry
from .flow_fields import EXTENSIONS_SELECTOR, parse_extensions
from .identifiers import async_migrate_identifiers
from .naming import async_entry_title
from .options_flow import BemMelhorOptionsFlow
from .pbx_requests import create_client
from .webhook import async_cloudhook_url, local_webhook_url

# Shown in the host field's help; hassfest wants URLs out of translations.
EXAMPLE_URL = "http://empresa.bemmelhor.com.br:3030/api/active/6001"


async def _async_check_connection(
    hass: HomeAssistant, data: Mapping[str, Any], extension: str
) -> str | None:
    """Ask the PBX for an extension's active call; return a form error or None."""
    client = create_client(hass, data)
    try:
        await client.active_call(extension)
    except BemMelhorTimeoutError:
        return "timeout"
    except BemMelhorConnectionError:
        return "cannot_connect"
    except BemMelhorApiError as err:
        return "cannot_connect" if (err.http_status or 0) >= 500 else "invalid_response"
    except BemMelhorInvalidResponseError:
        return "invalid_response"
    except BemMelhorError:
        return "unknown"
    except Exception:  # noqa: BLE001 - the form shows "unknown" instead of a trace
        LOGGER.exception("Unexpected error while checking the PBX")
        return "unknown"
    return None


class BemMelhorConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Bem Melhor PBX."""

    VERSION = 1
    MINOR_VERSION = 1

    @staticmethod
    @callback
    @override
    def async_get_options_flow(
        config_entry: BemMelhorConfigEntry,
    ) -> BemMelhorOptionsFlow:
        """Return the options flow."""
        return BemMelhorOptionsFlow()

    @classmethod
    @callback
    @override
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Return the contact flows: one contact, or a phone book file."""
        return {
            SUBENTRY_CONTACT: ContactSubentryFlow,
            SUBENTRY_PHONEBOOK: PhonebookSubentryFlow,
        }

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask where the PBX is and which extensions to follow."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data: dict[str, Any] = {}
            extensions: list[str] = []
            try:
                data = connection_data(user_input, parse_address(user_input[CONF_HOST]))
            except BemMelhorInvalidInputError:
                errors[CONF_HOST] = "invalid_host"
            try:
                extensions = parse_extensions(user_input[CONF_EXTENSIONS])
            except BemMelhorInvalidInputError:
                errors[CONF_EXTENSIONS] = "invalid_extension"
            if not errors:
                await self.async_set_unique_id(data[CONF_HOST])
                self._abort_if_unique_id_configured()
                if error := await _async_check_connection(
                    self.hass, data, extensions[0]
                ):
                    errors[CONF_HOST] = error
            if not errors:
                return await self._async_create(user_input, data, extensions)

        schema = probatio.Schema(
            {
                **connection_fields({}),
                probatio.Required(CONF_EXTENSIONS): EXTENSIONS_SELECTOR,
                probatio.Optional(CONF_CLIENT_ID): TextSelector(
                    TextSelectorConfig(autocomplete="off")
                ),
            }
        )
        return self.async_show_form(
            step_id="user",
            data_schema=ConnectionFormSchema(
                self.add_suggested_values_to_schema(schema, user_input).schema
            ),
            errors=errors,
            description_placeholders={"example_url": EXAMPLE_URL},
        )

    async def _async_create(
        self, user_input: Mapping[str, Any], data: dict[str, Any], extensions: list[str]
    ) -> ConfigFlowResult:
        """Create the entry with a fresh webhook and show its URL."""
        webhook_id = webhook.async_generate_id()
        data[CONF_WEBHOOK_ID] = webhook_id
        if cloudhook := await async_cloudhook_url(self.hass, webhook_id):
            data[CONF_CLOUDHOOK] = cloudhook
        return self.async_create_entry(
            title=await async_entry_title(self.hass, data[CONF_HOST]),
            data=data,
            options={
                CONF_EXTENSIONS: extensions,
                CONF_OUTSIDE_LINE_PREFIX: DEFAULT_OUTSIDE_LINE_PREFIX,
                CONF_CLIENT_ID: (user_input.get(CONF_CLIENT_ID) or "").strip(),
            },
            description_placeholders={
                "webhook_url": cloudhook or local_webhook_url(self.hass, webhook_id)
            },
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change where the PBX is; devices, entities and webhook stay."""
        entry: BemMelhorConfigEntry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                data = connection_data(user_input, parse_address(user_input[CONF_HOST]))
            except BemMelhorInvalidInputError:
                errors[CONF_HOST] = "invalid_host"
            else:
                await self.async_set_unique_id(data[CONF_HOST])
                if data[CONF_HOST] != entry.unique_id:
                    self._abort_if_unique_id_configured()
                extension = entry.options[CONF_EXTENSIONS][0]
                if error := await _async_check_connection(self.hass, data, extension):
                    errors[CONF_HOST] = error
                else:
                    async_migrate_identifiers(self.hass, entry, data[CONF_HOST])
                    # Named, the reason is the integration's own translated
                    # text; left out, Home Assistant's, which has no pt-BR.
                    return self.async_update_reload_and_abort(
                        entry,
                        unique_id=data[CONF_HOST],
                        data_updates=data,
                        reason="reconfigure_successful",
                    )

        return self.async_show_form(
            step_id="reconfigure",
            data_schema=ConnectionFormSchema(
                connection_fields(flat_values(user_input) if user_input else entry.data)
            ),
            errors=errors,
        )
