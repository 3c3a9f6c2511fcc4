"""The call log's SQLite database: tables, rows, questions and its one thread.

Plain Python (``sqlite3``), no Home Assistant import. ``schema.py`` holds the
tables and their migrations, ``rows.py`` turns calls into rows and back,
``questions.py`` the SQL of what is asked (a period, an extension, a
number), ``worker.py`` the thread that alone opens and uses the connection
(group commits, holding the file still for a backup, moving a damaged file
aside) and ``files.py`` the files a database is made of.
"""
