"""What Linux's ``/proc`` says of a process: bytes it wrote, its threads, its memory.

``write_bytes`` of ``/proc/<pid>/io`` counts the bytes a process caused to
be written to storage, page by page, when it first dirties a page of the
page cache (a page written again before the kernel wrote it out is not
counted twice). ``/proc/<pid>/task/<tid>/io`` counts the same for one
thread: the call log's database has a thread of its own, named after its
entry (``bemmelhor <entry id>``, which Linux cuts to 15 bytes). Everything
here returns None where ``/proc`` is missing (not Linux) or unreadable.
"""

from pathlib import Path

PROC = Path("/proc")
THREAD_NAME_BYTES = 15
"""Linux keeps a thread's name to 15 bytes (``comm``)."""


def parse_io(text: str) -> dict[str, int]:
    """Return the counters of an ``io`` file (``name: value`` lines)."""
    counters = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if value.strip().isdigit():
            counters[name.strip()] = int(value)
    return counters


def io_counters(pid: int | None, tid: int | None = None) -> dict[str, int] | None:
    """Return a process's I/O counters, or one of its threads' (``tid``)."""
    if pid is None:
        return None
    path = PROC / str(pid) / "io"
    if tid is not None:
        path = PROC / str(pid) / "task" / str(tid) / "io"
    try:
        return parse_io(path.read_text(encoding="ascii"))
    except OSError:
        return None


def written_bytes(pid: int | None, tid: int | None = None) -> int | None:
    """Return ``write_bytes`` of a process (or of one of its threads)."""
    counters = io_counters(pid, tid)
    return None if counters is None else counters.get("write_bytes")


def thread_name(name: str) -> str:
    """Return a thread's name as Linux keeps it (its first 15 bytes)."""
    return name.encode()[:THREAD_NAME_BYTES].decode(errors="ignore")


def thread_id(pid: int | None, name: str) -> int | None:
    """Return the id of the one thread of ``pid`` called ``name`` (None: 0 or 2+)."""
    if pid is None:
        return None
    wanted = thread_name(name)
    try:
        tasks = list((PROC / str(pid) / "task").iterdir())
    except OSError:
        return None
    found = []
    for task in tasks:
        try:
            comm = (task / "comm").read_text(encoding="utf-8").rstrip("\n")
        except OSError:
            continue
        if comm == wanted:
            found.append(int(task.name))
    return found[0] if len(found) == 1 else None


def resident_bytes(pid: int | None) -> int | None:
    """Return a process's resident memory (``VmRSS``)."""
    if pid is None:
        return None
    try:
        status = (PROC / str(pid) / "status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None
