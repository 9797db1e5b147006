"""Running the rebuilt notebook in the sandbox and collecting each cell's outcome.

Test cells are sent without their hidden tests. Every reply is decoded
against the schema (:mod:`nnkit.course.replies`) and the notebook's output is
counted here again, whatever the sandboxed process says it kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from nnkit.course.limits import Limits
from nnkit.course.outcome import CellKind, CellOutcome, Limit, not_run
from nnkit.course.repair import without_hidden_tests
from nnkit.course.replies import MalformedReply, decode_outcome
from nnkit.course.supervise import ProcessStopped, StartupFailed, Supervised
from nnkit.course.timing import TimeLimits

OUTPUT_CUT = "\n[output cut: the notebook's output limit was reached]\n"


@dataclass
class RunReport:
    """What the grader saw of one sandboxed run, besides the cells' outcomes."""

    seconds: dict = field(default_factory=dict)
    limits_hit: set = field(default_factory=set)
    stopped: str | None = None
    malformed: str | None = None


def run_notebook(cells: list, submission: Path, limits: Limits, sandboxed: bool,
                 times: TimeLimits) -> tuple[dict, RunReport]:
    """Outcomes ``{cell index: CellOutcome}`` of the code cells of ``cells`` (GradedCell list).

    Cells after one that stopped the process are marked as not run.
    """
    outcomes: dict[int, CellOutcome] = {}
    report = RunReport()
    code = [(i, cell) for i, cell in enumerate(cells) if cell.cell_type == "code"]
    process = start_with_retry("nnkit.course.runner", submission, sandboxed, limits,
                               times.notebook, {"limits": limits.to_dict()})
    budget = [limits.notebook_output_bytes]
    try:
        for index, cell in code:
            if report.stopped or report.malformed:
                outcomes[index] = not_run(index, report.stopped or "its process was stopped")
                continue
            outcomes[index] = _run_cell(process, index, cell, limits, times, report)
            outcomes[index] = _counted(outcomes[index], budget, report)
    finally:
        process.close()
    if process.unsolicited and not report.malformed:
        report.malformed = "the notebook's process sent replies nobody asked for"
    report.limits_hit.update(process.limits_hit)
    if process.timed_out:
        report.limits_hit.add(Limit.NOTEBOOK_TIME if "notebook time" in (report.stopped or "")
                              else Limit.CELL_TIME)
    return outcomes, report


def _run_cell(process, index, cell, limits, times, report) -> CellOutcome:
    source = without_hidden_tests(cell.source) if cell.kind == CellKind.TEST else cell.source
    timeout = times.for_cell(cell)
    started = time.monotonic()
    try:
        message = process.request({"index": index, "kind": cell.kind, "source": source,
                                   "timeout": timeout}, timeout=timeout)
        outcome = decode_outcome(message, index, limits.cell_output_bytes)
    except ProcessStopped as error:
        report.stopped = str(error)
        return not_run(index, report.stopped, stopped_here=True)
    except MalformedReply as error:
        process.stop()
        report.malformed = str(error)
        return not_run(index, f"malformed reply: {error}", stopped_here=True)
    report.seconds[cell.origin] = time.monotonic() - started
    if outcome.limit:
        report.limits_hit.add(outcome.limit)
    return outcome


def _counted(outcome: CellOutcome, budget: list, report: RunReport) -> CellOutcome:
    """The outcome with its output counted against the notebook's budget (and cut past it)."""
    size = len(outcome.stdout) + len(outcome.result or "") + \
        (len(outcome.error.evalue) if outcome.error else 0)
    if outcome.dropped:
        report.limits_hit.add(Limit.OUTPUT)
    if size <= budget[0]:
        budget[0] -= size
        return outcome
    report.limits_hit.add(Limit.OUTPUT)
    room = max(budget[0], 0)
    budget[0] = 0
    return replace(outcome, stdout=outcome.stdout[:room] + OUTPUT_CUT, result=None,
                   dropped=outcome.dropped + size - room)


def start_with_retry(module: str, submission: Path, sandboxed: bool, limits: Limits,
                     notebook_seconds: float, setup: dict) -> Supervised:
    """A started sandboxed process; one more try when the first does not start."""
    for attempt in (1, 2):
        process = Supervised(module, submission, sandboxed, limits, notebook_seconds)
        try:
            process.start(setup)
            return process
        except StartupFailed:
            process.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
