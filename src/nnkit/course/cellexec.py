"""Executing cells inside the sandboxed process: limits, captured output, safe errors.

Shared by :mod:`nnkit.course.runner` (the student's notebook) and
:mod:`nnkit.course.recheck` (the second, independent run). Everything here
runs *inside* the student's process, so nothing it reports is trusted on its
own: the grader decodes it against its schema (:mod:`nnkit.course.replies`)
and compares it with what it computes itself.

A cell's source is compiled and then dropped before the cell runs, so no
frame that student code can walk up to (``sys._getframe().f_back...``) holds
the text of the cell being run.
"""

from __future__ import annotations

import ast
import builtins
import errno
import json
import os
import re
import resource
import shutil
import signal
import sys
import time
import traceback

from nnkit.course.outcome import CellError, CellOutcome, Limit

MAGIC_LINE = re.compile(r"^(\s*)([%!].*)$", re.MULTILINE)
MESSAGE_CHARS = 2000
LINE_CHARS = 300

PRELOADED_MODULES = ("numpy", "nnkit.tutor")
"""Imported before any student code, so that a student's ``numpy.py`` shadows none of them.

``nnkit.tutor`` brings the concepts, the checks and every exercise's spec (its
registry imports them all), so a new exercise is preloaded without an edit here."""


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


def next_request() -> dict:
    """The grader's next message (one JSON line on stdin), or ``{"done": True}`` at its end.

    Read in a function of its own, so that the raw line is gone before a cell runs.
    """
    line = sys.stdin.buffer.readline()
    return json.loads(line) if line.strip() else {"done": True}


def copy_submission(source: str | None) -> None:
    """Copy the student's files from the read-only view into the writable home.

    Runs before any student code, when the process is still the grader's.
    """
    if source and os.path.isdir(source):
        shutil.copytree(source, os.getcwd(), dirs_exist_ok=True, symlinks=True)


def apply_limits(limits: dict):
    """Memory, file size, processes and no core dumps, for this process and its children.

    ``RLIMIT_NPROC`` counts per user namespace (each sandbox has its own); the
    kernel ignores it for root, where a pids control group does the counting.
    """
    memory = int(limits["memory_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    written = int(limits["file_write_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (written, written))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    processes = int(limits["max_processes"])
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))


def preload_real_modules():
    """Import :data:`PRELOADED_MODULES` before any student file could shadow them."""
    sys.path[:] = [p for p in sys.path if p and os.path.isabs(p) and p != os.getcwd()]
    for name in PRELOADED_MODULES:
        __import__(name)


def _on_alarm(signum, frame):
    raise CellTimeout("the cell ran longer than its time limit")


def without_magics(source: str) -> str:
    """IPython magics and shell lines turned into comments (plain Python runs the rest).

    >>> without_magics("%matplotlib inline\\nx = 1")
    '# %matplotlib inline\\nx = 1'
    """
    return MAGIC_LINE.sub(r"\1# \2", source)


def run_cell(request: dict, namespace, filename, budget, show_traceback) -> CellOutcome:
    """Run the cell ``request`` holds; return what it printed and showed, and any error.

    The request's ``source`` is taken out and compiled before anything runs.
    """
    index, timeout = request["index"], request["timeout"]
    try:
        body, last = compile_cell(request.pop("source"), filename)
    except SyntaxError as raised:
        return CellOutcome(index, error=describe_error(raised, filename if show_traceback
                                                       else None).cell_error)
    stdout = CappedOutput(budget)
    sys.stdout = sys.stderr = stdout
    started = time.perf_counter()
    result, error, limit = None, None, None
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(float(timeout), 0.01))
    try:
        result = _execute(body, last, namespace)
    except BaseException as raised:  # the cell's failure is the grade, whatever it was
        signal.setitimer(signal.ITIMER_REAL, 0)
        error = describe_error(raised, filename if show_traceback else None)
        limit = limit_of(raised)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    dropped = stdout.dropped + (result[1] if result else 0) + (error.cut if error else 0)
    return CellOutcome(index, stdout=stdout.text(), result=result[0] if result else None,
                       error=error.cell_error if error else None,
                       seconds=round(time.perf_counter() - started, 4),
                       dropped=dropped, limit=limit or (Limit.OUTPUT if dropped else None))


def compile_cell(source: str, filename: str):
    """The cell's statements and its last expression (shown as the cell's value), compiled."""
    tree = ast.parse(without_magics(source), filename=filename)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = compile(tree, filename, "exec")
    shown = None if last is None else compile(ast.Expression(last.value), filename, "eval")
    return body, shown


def _execute(body, last, namespace):
    exec(body, namespace)
    if last is None:
        return None
    value = eval(last, namespace)
    return None if value is None else _short_repr(value)


def _full(folder: str) -> bool:
    try:
        return os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


def limit_of(error: BaseException) -> str | None:
    """The limit an exception says the cell ran into, if any (the grader names it in the row)."""
    if isinstance(error, CellTimeout):
        return Limit.CELL_TIME
    if isinstance(error, MemoryError):
        return Limit.MEMORY
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return Limit.SHARED_MEMORY if _full("/dev/shm") else Limit.DISK
    if isinstance(error, OSError) and error.errno == errno.EFBIG:
        return Limit.FILE_SIZE
    if (isinstance(error, OSError) and error.errno == errno.EAGAIN) or (
            type(error) is RuntimeError and "can't start new thread" in error.args):
        return Limit.PROCESSES
    return None


def _short_repr(value):
    """The value's repr, cut to :data:`MESSAGE_CHARS`, and how many characters were cut."""
    try:
        text = builtins.repr(value)
    except Exception as error:  # a broken __repr__ must not break the run
        text = f"<unprintable {type(value).__name__}: {type(error).__name__}>"
    return text[:MESSAGE_CHARS], max(0, len(text) - MESSAGE_CHARS)


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
        lines = [f"{frame.filename}, line {frame.lineno}: {frame.line or ''}".rstrip()[:LINE_CHARS]
                 for frame in frames if frame.filename.startswith("<answer")
                 or frame.filename.startswith("<extra")]
    return _Described(CellError(name[:100], message[:MESSAGE_CHARS], tuple(lines[-10:])),
                      max(0, len(message) - MESSAGE_CHARS))


class _Described:
    """A cell's error and how many characters of its message were cut."""

    def __init__(self, cell_error: CellError, cut: int):
        self.cell_error = cell_error
        self.cut = cut
