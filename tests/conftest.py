"""Shared test set-up.

Importing the integration here, before Home Assistant's loader mounts its own
``custom_components`` test folder, makes the loader find ours.
"""

from custom_components.bemmelhor.const import DOMAIN

pytest_plugins = ["bemmelhor_simulator.pytest_plugin"]

__all__ = ["DOMAIN"]
