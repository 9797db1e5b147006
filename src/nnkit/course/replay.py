"""The grader's own verdict: the instructor's tests, fed the student's recorded results.

:mod:`nnkit.course.recheck` recorded, in a fresh sandboxed process, what each
graded function returned for each call a test cell made. Here the same test
cells run again in the grader's process, which never ran student code and so
still has the real NumPy and ``nnkit.checking``; each call to a graded
function returns the recorded plain numbers instead of running anything. A
test passes only if it passes here with exactly the calls the recording saw.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import warnings
from pathlib import Path

from nnkit.course import plain
from nnkit.course.cellexec import without_magics
from nnkit.course.execution import start_with_retry
from nnkit.course.limits import Limits
from nnkit.course.mistakes import named as named_mistake
from nnkit.course.supervise import ProcessStopped


class ReplayMismatch(AssertionError):
    """The re-run did not make the calls the instructor's test makes."""


def record(cells: list, graded_names: list, workdir: Path, limits: Limits,
           sandboxed: bool) -> dict:
    """Run the recheck process; ``{test cell index: reply}`` (``None`` when it did not run)."""
    replies: dict[int, dict | None] = {}
    wanted = [(i, c) for i, c in enumerate(cells)
              if c.cell_type == "code" and c.kind in ("fixed", "answer", "test")]
    process = start_with_retry("nnkit.course.recheck", workdir, sandboxed, limits,
                               {"limits": limits.to_dict(), "graded_names": graded_names})
    try:
        for index, cell in wanted:
            reply = process.request({"index": index, "kind": cell.kind,
                                     "source": cell.source}, limits.cell_timeout)
            if cell.kind == "test":
                replies[index] = reply
    except ProcessStopped as error:
        for index, cell in wanted:
            if cell.kind == "test":
                replies.setdefault(index, {"stopped": str(error)})
    finally:
        process.close()
    return replies


def _replayer(name, queue):
    def replayed(*args, **kwargs):
        if not queue:
            raise ReplayMismatch(f"{name} was called more often in the test than when the "
                                 "functions were run again")
        entry = queue.pop(0)
        if entry["name"] != name or not plain.same_arguments(
                entry["args"], plain.encode((args, kwargs))):
            raise ReplayMismatch(f"the re-run called {entry['name']} with other arguments "
                                 f"than the test gives {name}")
        if "raised" in entry:
            error_type = getattr(builtins, entry["raised"], None)
            if not (isinstance(error_type, type) and issubclass(error_type, Exception)):
                error_type = RuntimeError
            raise error_type(entry.get("message", ""))
        return plain.decode(entry["result"])

    replayed.__name__ = name
    replayed.__qualname__ = name
    return replayed


def _run_quietly(source: str, scope: dict) -> BaseException | None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(without_magics(source), "<instructor test>", "exec"), scope)
        except Exception as error:  # the test's verdict
            return error
    return None


def verdicts(cells: list, graded_names: list, replies: dict,
             mistakes: dict | None = None) -> dict:
    """``{test cell index: (passed, message)}`` decided in this process from the recordings.

    ``mistakes``, when given, receives ``{grade id: named mistake or ""}`` for
    each test cell that failed here (:func:`nnkit.course.mistakes.named`).
    """
    scope: dict = {"__name__": "__main__"}
    results = {}
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        if cell.kind == "fixed":
            _run_quietly(cell.source, scope)
        if cell.kind != "test":
            continue
        reply = replies.get(index) or {"stopped": "the re-run did not reach this test"}
        if "stopped" in reply:
            results[index] = (False, f"the functions could not be run again: {reply['stopped']}")
            continue
        queue = list(reply.get("calls", []))
        test_scope = dict(scope)
        for name in graded_names:
            test_scope[name] = _replayer(name, queue)
        error = _run_quietly(cell.source, test_scope)
        if isinstance(error, NameError) and not isinstance(error, ReplayMismatch):
            results[index] = (None, f"not replayable ({error})")
        elif error is not None:
            results[index] = (False, f"{type(error).__name__}: {str(error)[:300]}")
            if mistakes is not None:
                mistakes[cell.grade_id] = named_mistake(error)
        else:
            results[index] = (True, "")
    return results
