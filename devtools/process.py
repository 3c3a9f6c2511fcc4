"""A child process with its output in a log file and a bounded, clean stop.

Each child runs in its own session (process group), so a Ctrl-C in the
terminal reaches only the parent, which then stops its children in order.
"""

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
import contextlib
import os
from pathlib import Path
import signal
import socket

import aiohttp

DEFAULT_STOP_TIMEOUT = 30.0


class ProcessError(RuntimeError):
    """A child process could not be started or died while we waited for it."""


def port_in_use(host: str, port: int) -> bool:
    """Return whether something already accepts TCP connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((host, port)) == 0


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that nothing listens on at ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def tail(path: Path, lines: int = 20) -> str:
    """Return the last ``lines`` lines of a text file ("" if it does not exist)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


class ChildProcess:
    """One child process: started once, stopped with SIGTERM then SIGKILL."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        log_path: Path,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        listens_on: tuple[str, int] | None = None,
    ) -> None:
        """Describe the process; nothing runs until ``start()``.

        ``listens_on`` (host, port): the address the process will serve,
        which must be free when it starts.
        """
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.cwd = cwd
        self.env = dict(env) if env is not None else None
        self.listens_on = listens_on
        self._process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int | None:
        """Return the process id once started."""
        return None if self._process is None else self._process.pid

    @property
    def returncode(self) -> int | None:
        """Return the exit status, or None while running (or never started)."""
        return None if self._process is None else self._process.returncode

    @property
    def running(self) -> bool:
        """Return whether the process was started and has not exited."""
        return self._process is not None and self._process.returncode is None

    async def start(self) -> None:
        """Start the process; its stdout and stderr go to ``log_path``."""
        if self._process is not None:
            raise ProcessError(f"{self.name} was already started")
        if self.listens_on is not None and port_in_use(*self.listens_on):
            host, port = self.listens_on
            raise ProcessError(
                f"{host}:{port}, where {self.name} should listen, is already in "
                "use: stop whatever listens there or pick another port"
            )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                cwd=self.cwd,
                env=self.env,
                start_new_session=True,
            )

    def check_alive(self) -> None:
        """Raise ``ProcessError`` with the end of the log if the process exited."""
        if self._process is not None and self._process.returncode is not None:
            raise ProcessError(
                f"{self.name} exited with status {self._process.returncode}; "
                f"end of {self.log_path}:\n{tail(self.log_path)}"
            )

    async def wait_answering[T](
        self,
        probe: Callable[[], Awaitable[T]],
        timeout: float,
        interval: float = 0.25,
    ) -> T:
        """Call ``probe`` until it stops failing to connect; return its result.

        Raises ``ProcessError`` if the process exits meanwhile, ``TimeoutError``
        after ``timeout`` seconds.
        """
        async with asyncio.timeout(timeout):
            while True:
                self.check_alive()
                try:
                    return await probe()
                except aiohttp.ClientError, OSError, TimeoutError:
                    await asyncio.sleep(interval)

    def log_tail(self, lines: int = 20) -> str:
        """Return the end of the process's log."""
        return tail(self.log_path, lines)

    async def stop(self, timeout: float = DEFAULT_STOP_TIMEOUT) -> int | None:
        """Stop the process: SIGTERM, then SIGKILL after ``timeout`` seconds.

        Whatever the process left behind in its group (e.g. an installer it
        spawned) is killed too. Returns the exit status (None if never started).
        """
        process = self._process
        if process is None:
            return None
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(asyncio.shield(process.wait()), timeout)
            except TimeoutError:
                self._kill_group(signal.SIGKILL)
                await process.wait()
        self._kill_group(signal.SIGKILL)
        return process.returncode

    async def kill(self) -> int | None:
        """Kill the process and its group at once (SIGKILL), as a crash would.

        Afterwards the process may be started again.
        """
        process, self._process = self._process, None
        if process is None:
            return None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        return await process.wait()

    def _kill_group(self, signum: signal.Signals) -> None:
        """Signal the process group this child leads (its own session)."""
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signum)
