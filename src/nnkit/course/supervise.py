"""Driving one sandboxed Python process: a request per cell, a reply per request, deadlines.

The grader side of :mod:`nnkit.course.runner` and :mod:`nnkit.course.recheck`.
A process that overruns its time is killed with everything it started; one
that dies (``os._exit``, a segfault, the memory limit) ends the conversation,
and the cells that did not run are reported as such. Replies are read with a
size cap and parsed by :mod:`nnkit.course.replies`; a reply nobody asked for
(found when the process is closed) counts as malformed. Each process runs in
its own control group where one can be made (:mod:`nnkit.course.cgroups`).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import time
from pathlib import Path

from nnkit.course import cgroups, replies, sandbox
from nnkit.course.limits import Limits

MAX_REPLY_BYTES = 4_000_000
GRACE_SECONDS = 2.0
STARTUP_SECONDS = 120.0


class ProcessStopped(Exception):
    """The sandboxed process ended or was stopped before replying."""


class StartupFailed(RuntimeError):
    """The grader's own process did not start (no student code had run yet)."""


def signal_name(returncode: int) -> str:
    """How a process ended, in words.

    >>> signal_name(-11)
    'it was killed by signal 11 (SIGSEGV)'
    >>> signal_name(139)  # bubblewrap reports a killed child as 128 + signal
    'it was killed by signal 11 (SIGSEGV)'
    >>> signal_name(0)
    'it exited (code 0) before the notebook had finished'
    """
    number = -returncode if returncode < 0 else returncode - 128 if returncode > 128 else 0
    if number:
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = "unknown"
        return f"it was killed by signal {number} ({name})"
    return f"it exited (code {returncode}) before the notebook had finished"


class Supervised:
    """A ``python -m module`` process in the sandbox, spoken to one JSON line at a time."""

    def __init__(self, module: str, submission: Path, sandboxed: bool, limits: Limits,
                 notebook_timeout: float):
        argv, env, cwd, self.copy_from = sandbox.command(module, submission, sandboxed, limits)
        self.group = cgroups.Group(limits.max_processes,
                                   (limits.memory_mb + limits.disk_mb + limits.shm_mb) << 20)
        self.process = subprocess.Popen(self.group.wrap(argv), env=env, cwd=cwd,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        self.notebook_timeout = notebook_timeout
        self.unsolicited = False
        self.timed_out = False
        self.deadline = time.monotonic() + max(notebook_timeout, STARTUP_SECONDS) + GRACE_SECONDS
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        self.buffer = b""
        self.limits_hit: list[str] = []

    def start(self, setup: dict) -> None:
        """Send the setup message and wait until the process has loaded NumPy and nnkit.

        No student code has run at this point, so a failure is the grader's
        (an overloaded machine, a broken installation), never the student's.
        """
        try:
            self.request({**setup, "copy_from": self.copy_from}, STARTUP_SECONDS)
        except ProcessStopped as error:
            raise StartupFailed(f"the grading process did not start: {error}") from None
        self.deadline = time.monotonic() + self.notebook_timeout + GRACE_SECONDS

    def request(self, message: dict, timeout: float) -> dict:
        """Send ``message``; the reply, or :class:`ProcessStopped` saying what happened."""
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise ProcessStopped(self._ending()) from None
        return self.reply(timeout)

    def reply(self, timeout: float) -> dict:
        """The next JSON object the process writes, waiting at most ``timeout`` seconds.

        Raises :class:`ProcessStopped` when the process ends or overruns, and
        :class:`~nnkit.course.replies.MalformedReply` (after stopping it) for a
        line that is not a well-formed reply.
        """
        until = min(time.monotonic() + timeout + GRACE_SECONDS, self.deadline)
        while b"\n" not in self.buffer:
            left = until - time.monotonic()
            if left <= 0:
                overall = until >= self.deadline
                self.timed_out = True
                self.stop()
                raise ProcessStopped(
                    f"the notebook ran past its {self.notebook_timeout:.3g} s limit and was "
                    "stopped (notebook time limit)" if overall else
                    f"a cell ran past its {timeout:.3g} s limit and ignored the interruption; "
                    "the notebook was stopped (cell time limit)")
            if not self.selector.select(left):
                continue
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                raise ProcessStopped(self._ending())
            self.buffer += chunk
            if len(self.buffer) > MAX_REPLY_BYTES:
                self.stop()
                raise ProcessStopped("the notebook wrote more than the grader reads; stopped")
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            return replies.parse_line(line)
        except replies.MalformedReply:
            self.stop()
            raise

    def _ending(self) -> str:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.stop()
            return "its process stopped answering"
        return "the process running it stopped: " + signal_name(code)

    def stop(self):
        """Kill the process and everything it started."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.limits_hit = self.group.limits_hit()
        self.group.remove()

    def close(self):
        """Tell the process to finish, then make sure it is gone.

        Anything it wrote that nobody asked for sets :attr:`unsolicited`.
        """
        try:
            self.process.stdin.write(b'{"done": true}\n')
            self.process.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        self.unsolicited = bool(self.buffer.strip()) or self._more_output()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=GRACE_SECONDS)
        self.stop()
        self.selector.close()
        self.process.stdout.close()

    def _more_output(self) -> bool:
        """Whether the process writes anything more before it ends (within the grace time)."""
        until = time.monotonic() + GRACE_SECONDS
        while time.monotonic() < until:
            if not self.selector.select(until - time.monotonic()):
                return False
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                return False
            if chunk.strip():
                return True
        return False
