"""``scripts/bench``: how fast and how light the integration is, next to Home Assistant's floor.

Starts a real Home Assistant (with the integration from this working tree)
and PBX simulators on loopback, and measures, each figure in the same run as
its baseline and in alternating rounds:

1. webhook throughput, against an automation with a plain ``webhook`` trigger;
2. push-to-state latency, against that automation's POST-to-event latency;
3. poll fan-out, against the latency of one request to the PBX;
4. tracker and entity memory over 100,000 calls (in a separate process);
5. set-up time of an entry with 50 extensions, against a core helper entry.

``python -m benchmarks`` (``scripts/bench``) prints a table and writes a JSON
file to ``benchmarks/results/``. The pure parts (statistics, the table, the
command line) live in ``stats``, ``report`` and ``cli``; each benchmark has
its own module.
"""
