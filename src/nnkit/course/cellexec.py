"""Executing cells inside the sandboxed process: limits, captured output, safe errors.

Shared by :mod:`nnkit.course.runner` (the student's notebook) and
:mod:`nnkit.course.recheck` (the second, independent run). Everything here
runs *inside* the student's process, so nothing it reports is trusted on its
own: the grader compares it with what it computes itself.
"""

from __future__ import annotations

import ast
import builtins
import json
import os
import re
import resource
import signal
import sys
import time
import traceback

MAGIC_LINE = re.compile(r"^(\s*)([%!].*)$", re.MULTILINE)
MESSAGE_CHARS = 2000


class CellTimeout(BaseException):
    """Raised inside a cell that ran past the per-cell time limit."""


class CappedOutput:
    """A text stream keeping at most ``limit`` characters of what is written to it."""

    def __init__(self, budget):
        self.budget = budget
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def write(self, text):
        text = str(text)
        room = min(self.budget["cell"] - self.kept, self.budget["notebook"])
        if room > 0:
            piece = text[:room]
            self.parts.append(piece)
            self.kept += len(piece)
            self.budget["notebook"] -= len(piece)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def flush(self):
        return None

    def isatty(self):
        return False

    def writable(self):
        return True

    encoding = "utf-8"

    def text(self):
        note = f"\n[output cut: {self.dropped} more characters]\n" if self.dropped else ""
        return "".join(self.parts) + note


def open_channel():
    """Keep the real stdout for reporting; point file descriptors 1 and 2 at /dev/null.

    Printing from C code or with ``os.write(1, ...)`` then goes nowhere instead
    of filling the grader's pipe.
    """
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    return channel


def send(channel, message: dict):
    """Write one JSON message on its own line."""
    channel.write(json.dumps(message) + "\n")
    channel.flush()


def apply_limits(limits: dict):
    """Memory (address space), file size and no core dumps, for this process and children."""
    memory = int(limits["memory_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    written = int(limits["file_write_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (written, written))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def preload_real_modules():
    """Import the real numpy and nnkit before any student file could shadow them."""
    sys.path[:] = [p for p in sys.path if p and os.path.isabs(p) and p != os.getcwd()]
    import numpy  # noqa: F401

    import nnkit.tutor  # noqa: F401 (the concepts, the checks and every exercise's spec)


def _on_alarm(signum, frame):
    raise CellTimeout("the cell ran longer than its time limit")


def without_magics(source: str) -> str:
    """IPython magics and shell lines turned into comments (plain Python runs the rest).

    >>> without_magics("%matplotlib inline\\nx = 1")
    '# %matplotlib inline\\nx = 1'
    """
    return MAGIC_LINE.sub(r"\1# \2", source)


def run_cell(source, namespace, filename, timeout, budget, show_traceback):
    """Run one cell; return what it printed, the value of its last line and any error."""
    stdout = CappedOutput(budget)
    sys.stdout = sys.stderr = stdout
    started = time.perf_counter()
    result, error = None, None
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(float(timeout), 0.01))
    try:
        result = _execute(without_magics(source), namespace, filename)
    except BaseException as raised:  # the cell's failure is the grade, whatever it was
        error = describe_error(raised, filename if show_traceback else None)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return {"stdout": stdout.text(), "result": result, "error": error,
            "seconds": round(time.perf_counter() - started, 4)}


def _execute(source, namespace, filename):
    tree = ast.parse(source, filename=filename)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    if last is not None:
        tree.body = tree.body[:-1]
    exec(compile(tree, filename, "exec"), namespace)
    if last is None:
        return None
    value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
    return None if value is None else _short_repr(value)


def _short_repr(value):
    try:
        text = builtins.repr(value)
    except Exception as error:  # a broken __repr__ must not break the run
        text = f"<unprintable {type(value).__name__}: {type(error).__name__}>"
    return text[:MESSAGE_CHARS]


def describe_error(error, filename):
    """Name and message of an error, and its traceback limited to ``filename``'s lines."""
    name = type(error).__name__
    try:
        message = str(error)
    except Exception:  # an exception whose __str__ fails still fails the cell
        message = "(the error message could not be shown)"
    if isinstance(error, SystemExit):
        message = f"the code called exit({message}); the cell was stopped"
    if isinstance(error, NotImplementedError) and not message:
        message = "a function this cell uses is not written yet (it still raises it)"
    if isinstance(error, MemoryError):
        message = message or "the cell used more memory than allowed"
    lines = []
    if filename is not None:
        frames = traceback.extract_tb(error.__traceback__)
        lines = [f"{frame.filename}, line {frame.lineno}: {frame.line or ''}".rstrip()
                 for frame in frames if frame.filename.startswith("<answer")
                 or frame.filename.startswith("<extra")]
    return {"ename": name[:100], "evalue": message[:MESSAGE_CHARS], "lines": lines[-10:]}
