"""To-do list ``calls_to_return``: missed calls the office still owes a call back.

Items come from the call log's call-back list (``call_backs.py``): added by
missed calls, completed by a later answered call with the same number. The
user may complete, reopen or delete items; their wording follows the system
language.
"""

from typing import override

from homeassistant.components.todo import (
    TodoItem,
    TodoItemStatus,
    TodoListEntity,
    TodoListEntityFeature,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .call_log.model.call_backs import CallBack
from .call_texts import CallTexts, async_call_texts
from .const import (
    BUSY_WRITE_INTERVAL,
    CONF_OUTSIDE_LINE_PREFIX,
    DEFAULT_OUTSIDE_LINE_PREFIX,
    DOMAIN,
)
from .coordinator import BemMelhorConfigEntry, BemMelhorCoordinator
from .entity import BemMelhorHubEntity
from .pushing import PushedBy

PARALLEL_UPDATES = 0

CALLS_TO_RETURN = EntityDescription(
    key="calls_to_return", translation_key="calls_to_return"
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BemMelhorConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the hub's call-back list."""
    texts = await async_call_texts(hass)
    async_add_entities(
        [CallsToReturn(entry.runtime_data.coordinator, CALLS_TO_RETURN, texts)]
    )


class CallsToReturn(BemMelhorHubEntity, TodoListEntity):
    """The numbers to call back, one open item per number."""

    pushed_by = PushedBy.FINISHED_CALLS

    _attr_supported_features = (
        TodoListEntityFeature.UPDATE_TODO_ITEM | TodoListEntityFeature.DELETE_TODO_ITEM
    )
    always_available = True
    """The list comes from the call log, not from the polled API."""
    write_interval = BUSY_WRITE_INTERVAL
    """Home Assistant hands every item to the list's subscribers on each write,
    so writing once per call of a flood would cost as much as the list is long."""

    def __init__(
        self,
        coordinator: BemMelhorCoordinator,
        description: EntityDescription,
        texts: CallTexts,
    ) -> None:
        """Attach the list to the hub; ``texts`` words its items."""
        super().__init__(coordinator, description)
        self._texts = texts
        self._items: tuple[int, list[TodoItem]] = (-1, [])
        """The items as last worded, with the list's revision they show."""
        self._worded: dict[str, tuple[CallBack, TodoItem]] = {}
        """Each item's wording, kept while the item is unchanged."""

    @property
    @override
    def state(self) -> int:
        """Return how many items are to do (without wording every item)."""
        return self.coordinator.log.call_backs.open_count

    @property
    @override
    def todo_items(self) -> list[TodoItem]:
        """Return the items, newest first; worded again only after a change."""
        call_backs = self.coordinator.log.call_backs
        revision, items = self._items
        if revision != call_backs.revision:
            items = [self._word(item) for item in reversed(list(call_backs))]
            self._worded = {
                item.uid: self._worded[item.uid] for item in items if item.uid
            }
            self._items = (call_backs.revision, items)
        return items

    def _word(self, item: CallBack) -> TodoItem:
        """Return the to-do item of a call-back, worded once per change of it."""
        known = self._worded.get(item.uid)
        if known is not None and known[0] is item:
            return known[1]
        worded = TodoItem(
            uid=item.uid,
            summary=self._texts.call_back_summary(item),
            status=TodoItemStatus.COMPLETED
            if item.completed
            else TodoItemStatus.NEEDS_ACTION,
            description=self._texts.call_back_description(
                item,
                self.coordinator.config_entry.options.get(
                    CONF_OUTSIDE_LINE_PREFIX, DEFAULT_OUTSIDE_LINE_PREFIX
                ),
            ),
        )
        self._worded[item.uid] = (item, worded)
        return worded

    @override
    def _shown(self) -> object:
        """Return the list's revision: any change of an item changes it.

        The state (how many items are open) may stay the same.
        """
        return self.coordinator.log.call_backs.revision

    @override
    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Complete or reopen an item (its wording is the integration's)."""
        # The todo actions hand the status over as text, not as a member.
        done = (
            item.status is not None
            and TodoItemStatus(item.status) is TodoItemStatus.COMPLETED
        )
        completed = dt_util.utcnow() if done else None
        call_backs = self.coordinator.log.call_backs
        if item.uid is None or not call_backs.set_completed(item.uid, completed):
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="call_back_unchanged"
            )
        self._async_changed()

    @override
    async def async_delete_todo_items(self, uids: list[str]) -> None:
        """Delete items."""
        self.coordinator.log.call_backs.delete(uids)
        self._async_changed()

    def _async_changed(self) -> None:
        """Save and show a change the user made, at once."""
        self.coordinator.store.async_schedule()
        self._written_shown = (self.available, self._shown())
        self.async_write_ha_state()
