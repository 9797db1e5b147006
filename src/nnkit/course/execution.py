"""Running the rebuilt notebook in the sandbox and collecting each cell's outcome."""

from __future__ import annotations

from pathlib import Path

from nnkit.course.limits import Limits
from nnkit.course.supervise import ProcessStopped, StartupFailed, Supervised


def not_run(reason: str) -> dict:
    """The outcome of a cell that never ran."""
    return {"stdout": "", "result": None, "seconds": 0.0,
            "error": {"ename": "NotRun", "evalue": f"this cell did not run: {reason}",
                      "lines": []}}


def run_notebook(cells: list, workdir: Path, limits: Limits, sandboxed: bool) -> dict:
    """Outcomes ``{cell index: outcome}`` of the code cells of ``cells`` (GradedCell list).

    Cells after one that stopped the process are marked as not run.
    """
    outcomes: dict[int, dict] = {}
    code = [(i, cell) for i, cell in enumerate(cells) if cell.cell_type == "code"]
    process = start_with_retry("nnkit.course.runner", workdir, sandboxed, limits,
                               {"limits": limits.to_dict()})
    stopped = None
    try:
        for index, cell in code:
            if stopped:
                outcomes[index] = not_run(stopped)
                continue
            try:
                outcomes[index] = process.request(
                    {"index": index, "kind": cell.kind, "source": cell.source},
                    timeout=limits.cell_timeout)
            except ProcessStopped as error:
                stopped = str(error)
                outcomes[index] = not_run(stopped)
                outcomes[index]["error"]["ename"] = "Stopped"
                outcomes[index]["error"]["evalue"] = f"the notebook stopped here: {stopped}"
    finally:
        process.close()
    return outcomes


def start_with_retry(module: str, workdir: Path, sandboxed: bool, limits: Limits,
                     setup: dict) -> Supervised:
    """A started sandboxed process; one more try when the first does not start."""
    for attempt in (1, 2):
        process = Supervised(module, workdir, sandboxed, limits.notebook_timeout)
        try:
            process.start(setup)
            return process
        except StartupFailed:
            process.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
