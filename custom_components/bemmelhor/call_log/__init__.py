"""The call log: every call of one PBX, from the first webhook to the history.

Where to look:

- ``model/``: what a call is and how it is decided, without Home Assistant
  (``calls.py`` the calls, ``log.py`` webhooks applied, ``polls.py`` poll
  answers and the watchdog, ``call_backs.py`` the call-back list,
  ``figures.py`` the day's figures, ``queries.py`` which calls a question
  asks for);
- ``store.py``, ``today.py``: the Home Assistant side (where the log is kept,
  the day that starts at midnight).
"""
