"""The Home Assistant people behind users: their extensions and their names.

The ``persons`` option pairs extensions with ``person`` entities; a person
may have a Home Assistant user. This is how a user's own extensions (for
who may dial from where, and which extension Assist calls from) and the
name of whoever placed a call (for the logbook) are found.
"""

from homeassistant.core import HomeAssistant, State, callback

from .const import CONF_PERSONS
from .coordinator import BemMelhorConfigEntry

PERSON_DOMAIN = "person"
ATTR_USER_ID = "user_id"


@callback
def async_user_persons(hass: HomeAssistant, user_id: str | None) -> list[State]:
    """Return the people whose user is ``user_id`` (none without a user)."""
    if user_id is None:
        return []
    return [
        state
        for state in hass.states.async_all(PERSON_DOMAIN)
        if state.attributes.get(ATTR_USER_ID) == user_id
    ]


@callback
def async_own_extensions(
    hass: HomeAssistant, entry: BemMelhorConfigEntry, user_id: str | None
) -> list[str]:
    """Return the extensions of ``entry`` the ``persons`` option gives the user's people."""
    people = {state.entity_id for state in async_user_persons(hass, user_id)}
    persons: dict[str, str] = entry.options.get(CONF_PERSONS) or {}
    return [
        extension
        for extension in entry.runtime_data.coordinator.extensions
        if persons.get(extension) in people
    ]


@callback
def async_person_of_user(hass: HomeAssistant, user_id: str | None) -> State | None:
    """Return the user's person, if the user has one."""
    people = async_user_persons(hass, user_id)
    return people[0] if people else None
