"""Developer tooling: run Home Assistant and the PBX simulator for demos and benchmarks.

Not part of the integration (HACS ships only ``custom_components/bemmelhor``).
``hass_process`` and ``simulator`` start and stop the two processes,
``hass_api`` drives a running Home Assistant through its REST and websocket
APIs, ``demo`` is ``scripts/develop`` and ``screenshot`` is
``scripts/screenshot``.
"""
