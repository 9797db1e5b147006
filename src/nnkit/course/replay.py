"""The grader's own verdict: the instructor's tests, fed the student's recorded results.

:mod:`nnkit.course.recheck` recorded, in a fresh sandboxed process, what each
graded function returned for each call a test cell made. Here the same test
cells run again in the grader's process, which never ran student code and so
still has the real NumPy and the checks of ``nnkit.tutor``; each call to a graded
function returns the recorded plain numbers instead of running anything. A
test passes only if it passes here with exactly the calls the recording saw.
Every recording is decoded against the schema first (:mod:`nnkit.course.replies`).
"""

from __future__ import annotations

import builtins
import contextlib
import io
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnkit.course import plain
from nnkit.course.cellexec import without_magics
from nnkit.course.execution import RunReport, start_with_retry
from nnkit.course.limits import Limits
from nnkit.course.mistakes import named as named_mistake
from nnkit.course.outcome import CellKind, Limit
from nnkit.course.repair import HIDDEN_TESTS
from nnkit.course.replies import MalformedReply, decode_ack, decode_answers, decode_recorded
from nnkit.course.supervise import ProcessStopped
from nnkit.course.timing import TimeLimits

TEST_FILENAME = "<instructor test>"


class ReplayMismatch(AssertionError):
    """The re-run did not make the calls the instructor's test makes."""


@dataclass
class Recording:
    """What the re-check process recorded: test cells' calls, stored answers, and how it went."""

    replies: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    report: RunReport = field(default_factory=RunReport)


@dataclass(frozen=True)
class Verdict:
    """The replay's verdict on one test cell; ``in_hidden`` when it failed in a hidden test."""

    passed: bool | None
    message: str = ""
    in_hidden: bool = False


def record(cells: list, graded_names: list, submission: Path, limits: Limits,
           sandboxed: bool, times: TimeLimits) -> Recording:
    """Run the re-check process: the test cells' recorded calls and the stored answers."""
    recording = Recording()
    report = recording.report
    wanted = [(i, c) for i, c in enumerate(cells)
              if c.cell_type == "code" and c.kind in (CellKind.FIXED, CellKind.ANSWER,
                                                      CellKind.TEST)]
    process = start_with_retry("nnkit.course.recheck", submission, sandboxed, limits,
                               times.notebook, {"limits": limits.to_dict(),
                                                "graded_names": graded_names})
    try:
        for index, cell in wanted:
            started = time.monotonic()
            reply = process.request({"index": index, "kind": cell.kind, "source": cell.source,
                                     "timeout": times.for_cell(cell)}, times.for_cell(cell))
            report.seconds[cell.origin] = time.monotonic() - started
            if reply.get("limit") in Limit.ALL:
                report.limits_hit.add(reply["limit"])
            if cell.kind == CellKind.TEST:
                recording.replies[index] = decode_recorded(reply, index, graded_names)
            else:
                decode_ack(reply, index)
        recording.answers = decode_answers(process.request({"answers": True},
                                                           times.extra))
    except ProcessStopped as error:
        report.stopped = str(error)
    except MalformedReply as error:
        report.malformed = str(error)
    finally:
        process.close()
    if process.unsolicited and not report.malformed:
        report.malformed = "the re-check process sent replies nobody asked for"
    report.limits_hit.update(process.limits_hit)
    for index, cell in wanted:
        if cell.kind == CellKind.TEST and index not in recording.replies:
            recording.replies[index] = {"stopped": report.malformed or report.stopped
                                        or "it did not reach this test"}
    return recording


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
            try:
                error = error_type(entry.get("message", ""))
            except Exception:  # an exception type that wants other arguments
                error = RuntimeError(entry.get("message", ""))
            raise error
        if "after" in entry:
            write_back((args, kwargs), plain.decode(entry["after"]))
        return plain.decode(entry["result"])

    replayed.__name__ = name
    replayed.__qualname__ = name
    return replayed


def write_back(original, changed) -> None:
    """Change ``original``'s arrays, lists and dicts in place to hold what ``changed`` holds.

    >>> x = np.array([1.0, 2.0]); write_back(([x], {}), ([np.array([0.0, 1.0])], {})); x
    array([0., 1.])
    """
    if isinstance(original, np.ndarray) and isinstance(changed, np.ndarray) \
            and original.shape == changed.shape and original.flags.writeable:
        np.copyto(original, changed, casting="unsafe")
    elif isinstance(original, list) and isinstance(changed, list | tuple):
        for index, (old, new) in enumerate(zip(original, changed, strict=False)):
            if isinstance(old, np.ndarray | list | tuple | dict):
                write_back(old, new)
            else:
                original[index] = new
        original[len(changed):] = []
        original.extend(changed[len(original):])
    elif isinstance(original, tuple) and isinstance(changed, list | tuple):
        for old, new in zip(original, changed, strict=False):
            write_back(old, new)
    elif isinstance(original, dict) and isinstance(changed, dict):
        for key, new in changed.items():
            if isinstance(original.get(key), np.ndarray | list | tuple | dict):
                write_back(original[key], new)
            else:
                original[key] = new


def _run_quietly(source: str, scope: dict) -> BaseException | None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(without_magics(source), TEST_FILENAME, "exec"), scope)
        except Exception as error:  # the test's verdict
            return error
    return None


def hidden_lines(source: str) -> set[int]:
    """The line numbers (from 1) of a test cell's hidden region(s).

    >>> sorted(hidden_lines("a\\n### BEGIN HIDDEN TESTS\\nb\\n### END HIDDEN TESTS\\nc"))
    [2, 3, 4]
    """
    lines = set()
    for match in HIDDEN_TESTS.finditer(source):
        first = source.count("\n", 0, match.start()) + 1
        last = source.count("\n", 0, match.end() - 1) + 1
        lines.update(range(first, last + 1))
    return lines


def _failed_in_hidden(error: BaseException, source: str) -> bool:
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if f.filename == TEST_FILENAME]
    return bool(frames) and frames[-1].lineno in hidden_lines(source)


def verdicts(cells: list, graded_names: list, replies: dict,
             mistakes: dict | None = None) -> dict:
    """``{test cell index: Verdict}`` decided in this process from the recordings.

    ``mistakes``, when given, receives ``{grade id: named mistake or ""}`` for
    each test cell that failed here (:func:`nnkit.course.mistakes.named`).
    """
    scope: dict = {"__name__": "__main__"}
    results = {}
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        if cell.kind == CellKind.FIXED:
            _run_quietly(cell.source, scope)
        if cell.kind != CellKind.TEST:
            continue
        reply = replies.get(index) or {"stopped": "the re-run did not reach this test"}
        if "stopped" in reply:
            results[index] = Verdict(False, "the functions could not be run again: "
                                            f"{reply['stopped']}")
            continue
        queue = list(reply.get("calls", []))
        test_scope = dict(scope)
        for name in graded_names:
            test_scope[name] = _replayer(name, queue)
        error = _run_quietly(cell.source, test_scope)
        if isinstance(error, NameError) and not isinstance(error, ReplayMismatch):
            results[index] = Verdict(None, f"not replayable ({error})")
        elif error is not None:
            results[index] = Verdict(False, f"{type(error).__name__}: {str(error)[:300]}",
                                     _failed_in_hidden(error, cell.source))
            if mistakes is not None:
                mistakes[cell.grade_id] = named_mistake(error)
        else:
            results[index] = Verdict(True)
    return results


def equality_claims(replies: dict) -> list[str]:
    """Graded functions that returned an object claiming to equal anything (``==`` always true)."""
    names = []
    for reply in replies.values():
        for call in reply.get("calls", []):
            result = call.get("result", {})
            if result.get("claims_equal") and call["name"] not in names:
                names.append(call["name"])
    return names
