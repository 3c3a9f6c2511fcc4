"""The options flow: extensions, dialling, history, client id, where to dial, people."""

from collections.abc import Mapping
import re
from typing import Any

import probatio

from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .api import BemMelhorInvalidInputError
from .const import (
    CONF_AREA_CODE,
    CONF_CLIENT_ID,
    CONF_DEFAULT_EXTENSION,
    CONF_EXTENSIONS,
    CONF_HISTORY_DAYS,
    CONF_OUTSIDE_LINE_PREFIX,
    CONF_PERSONS,
    DEFAULT_AREA_CODE,
    DEFAULT_DEFAULT_EXTENSION,
    DEFAULT_HISTORY_DAYS,
)
from .coordinator import BemMelhorConfigEntry
from .dialing_options import DIALING_SCHEMA, dialing_suggestions, parse_dialing
from .flow_fields import EXTENSIONS_SELECTOR, PREFIX, parse_extensions
from .webhook import webhook_url

# Brazilian DDDs run from 11 to 99 and none has a 0 digit.
_AREA_CODE = re.compile(r"[1-9]{2}")

MAX_HISTORY_DAYS = 3650
PERSON_DOMAIN = "person"

HISTORY_DAYS_SELECTOR = NumberSelector(
    NumberSelectorConfig(
        min=0,
        max=MAX_HISTORY_DAYS,
        step=1,
        mode=NumberSelectorMode.BOX,
        unit_of_measurement="days",
        translation_key=CONF_HISTORY_DAYS,
    )
)


def _options_schema(extensions: list[str]) -> probatio.Schema:
    """Return the options form; the default extension is one of ``extensions``."""
    return probatio.Schema(
        {
            probatio.Required(CONF_EXTENSIONS): EXTENSIONS_SELECTOR,
            probatio.Optional(CONF_DEFAULT_EXTENSION): SelectSelector(
                SelectSelectorConfig(
                    options=extensions, mode=SelectSelectorMode.DROPDOWN
                )
            ),
            probatio.Optional(CONF_OUTSIDE_LINE_PREFIX): TextSelector(),
            probatio.Optional(CONF_AREA_CODE): TextSelector(
                TextSelectorConfig(type=TextSelectorType.TEL, autocomplete="off")
            ),
            probatio.Required(
                CONF_HISTORY_DAYS, default=DEFAULT_HISTORY_DAYS
            ): HISTORY_DAYS_SELECTOR,
            probatio.Optional(CONF_CLIENT_ID): TextSelector(
                TextSelectorConfig(autocomplete="off")
            ),
        }
    )


class BemMelhorOptionsFlow(OptionsFlowWithReload):
    """Change the extensions, dialling, history, client id and people.

    The ``init`` step holds the options; the ``dialing`` step where Home
    Assistant may make the extensions call; the ``persons`` step, shown when
    Home Assistant has people (or some are already assigned), pairs each
    extension with the person who uses it.
    """

    _options: dict[str, Any]

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and validate the options."""
        entry: BemMelhorConfigEntry = self.config_entry
        errors: dict[str, str] = {}
        extensions: list[str] = []
        if user_input is not None:
            default_extension: str = (
                user_input.get(CONF_DEFAULT_EXTENSION) or DEFAULT_DEFAULT_EXTENSION
            )
            try:
                extensions = parse_extensions(user_input[CONF_EXTENSIONS])
            except BemMelhorInvalidInputError:
                errors[CONF_EXTENSIONS] = "invalid_extension"
            else:
                if default_extension not in (DEFAULT_DEFAULT_EXTENSION, *extensions):
                    errors[CONF_DEFAULT_EXTENSION] = "invalid_default_extension"
            prefix = (user_input.get(CONF_OUTSIDE_LINE_PREFIX) or "").strip()
            if not PREFIX.fullmatch(prefix):
                errors[CONF_OUTSIDE_LINE_PREFIX] = "invalid_prefix"
            area_code = (user_input.get(CONF_AREA_CODE) or DEFAULT_AREA_CODE).strip()
            if area_code and not _AREA_CODE.fullmatch(area_code):
                errors[CONF_AREA_CODE] = "invalid_area_code"
            if not errors:
                self._options = {
                    CONF_EXTENSIONS: extensions,
                    CONF_OUTSIDE_LINE_PREFIX: prefix,
                    CONF_CLIENT_ID: (user_input.get(CONF_CLIENT_ID) or "").strip(),
                    CONF_AREA_CODE: area_code,
                    CONF_HISTORY_DAYS: int(user_input[CONF_HISTORY_DAYS]),
                    CONF_DEFAULT_EXTENSION: default_extension,
                }
                return await self.async_step_dialing()

        suggested = user_input or {
            CONF_AREA_CODE: DEFAULT_AREA_CODE,
            CONF_HISTORY_DAYS: DEFAULT_HISTORY_DAYS,
            **entry.options,
        }
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                _options_schema(extensions or entry.options[CONF_EXTENSIONS]),
                suggested,
            ),
            errors=errors,
            description_placeholders={"webhook_url": webhook_url(self.hass, entry)},
        )

    async def async_step_dialing(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask where Home Assistant may make the extensions call."""
        errors: dict[str, str] = {}
        if user_input is not None:
            dialing, errors = parse_dialing(user_input)
            if not errors:
                self._options |= dialing
                if self.hass.states.async_entity_ids(PERSON_DOMAIN) or self._persons:
                    return await self.async_step_persons()
                return self._async_save(self._persons)
        return self.async_show_form(
            step_id="dialing",
            data_schema=self.add_suggested_values_to_schema(
                DIALING_SCHEMA,
                user_input or dialing_suggestions(self.config_entry.options),
            ),
            errors=errors,
        )

    async def async_step_persons(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask which person uses each extension; every field may stay empty."""
        if user_input is not None:
            return self._async_save(user_input)

        selector = self._person_selector()
        schema = probatio.Schema(
            {
                probatio.Optional(extension): selector
                for extension in self._options[CONF_EXTENSIONS]
            }
        )
        return self.async_show_form(
            step_id="persons",
            data_schema=self.add_suggested_values_to_schema(schema, self._persons),
        )

    def _person_selector(self) -> SelectSelector:
        """Return a list of the people by name (an entity picker says *entity*).

        People saved before stay on it, so that they can be kept or cleared
        even once they are gone.
        """
        people = {
            state.entity_id: state.name
            for state in self.hass.states.async_all(PERSON_DOMAIN)
        }
        for person in self._persons.values():
            people.setdefault(person, person)
        return SelectSelector(
            SelectSelectorConfig(
                options=[
                    SelectOptionDict(value=entity_id, label=name)
                    for entity_id, name in sorted(
                        people.items(), key=lambda person: person[1].casefold()
                    )
                ],
                mode=SelectSelectorMode.DROPDOWN,
            )
        )

    @property
    def _persons(self) -> Mapping[str, str]:
        """Return the people the entry's options assign to extensions."""
        persons: Mapping[str, str] = self.config_entry.options.get(CONF_PERSONS, {})
        return persons

    def _async_save(self, persons: Mapping[str, str]) -> ConfigFlowResult:
        """Save the options, with a person only for extensions that still exist."""
        return self.async_create_entry(
            data={
                **self._options,
                CONF_PERSONS: {
                    extension: persons[extension]
                    for extension in self._options[CONF_EXTENSIONS]
                    if persons.get(extension)
                },
            }
        )
