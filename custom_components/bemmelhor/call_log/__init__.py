"""The call log: every call of one PBX, from the first webhook to the history.

Where to look:

- ``model/``: what a call is and how it is decided, without Home Assistant:
  ``calls.py`` the calls, ``rules.py`` whose a call is and how it ends,
  ``log.py`` webhooks applied (the live part: open calls, last calls),
  ``polls.py`` poll answers and the watchdog, ``call_backs.py`` the
  call-back list, ``figures.py`` the day's figures, ``queries.py`` which
  calls a question asks for, ``extension_state.py`` what an extension's
  entities show;
- ``database/``: where a finished call is stored, without Home Assistant:
  the SQLite tables (``schema.py``), rows (``rows.py``), questions in SQL
  (``questions.py``), writes (``changes.py``), what a start reads
  (``start.py``), the one thread that uses the file (``worker.py``);
- the Home Assistant side: ``store.py`` (the entry's database from the event
  loop: appending, committing before a webhook is answered, questions),
  ``upkeep.py`` (pruning, closing at the stop), ``today.py`` (the day that
  starts at midnight), ``takeover.py`` (what 0.1.0 left in restore data).
"""
