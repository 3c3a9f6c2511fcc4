"""``scripts/bench``: how fast and how light the integration is, next to Home Assistant's floor.

Starts a real Home Assistant (with the integration from this working tree,
and an entry whose call-log database already holds 100,000 calls) and PBX
simulators on loopback, and measures, each figure in the same run as its
baseline and in alternating rounds:

1. webhook throughput, against an automation with a plain ``webhook`` trigger
   and against a no-op webhook handler (reads the body, answers 200);
2. push-to-state latency, against that automation's POST-to-event latency;
3. set-up time of an entry with 50 extensions, against a core helper entry,
   and the reload of an entry with 100,000 logged calls (and the longest
   stall of the event loop meanwhile), against one with an empty log;
4. bytes written to disk per call at one call a second, with 100,000 calls
   in the log and with an empty one, and the database's size on disk;
5. poll fan-out, against the latency of one request to the PBX;
6. Home Assistant's resident memory with 100,000 logged calls, against an
   empty log (Home Assistants of its own);
7. one day of calendar events out of that log, against an empty log's;
8. webhook throughput with a 10,000-contact phone book, against the automation;
9. webhook throughput during a flood of missed calls (the call-back list
   changing on every hangup), against as many answered calls;
10. naming a caller with 10,000 contacts, against 10 (in this process).

``python -m benchmarks`` (``scripts/bench``) prints a table and writes a JSON
file to ``benchmarks/results/``. The pure parts (statistics, the table, the
command line, the seeded entries) live in ``stats``, ``report``, ``cli`` and
``seed``; each benchmark has its own module.
"""
