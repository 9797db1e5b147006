"""Timing the instructor's solution once per batch, to set the students' time limits.

The solution notebook is graded like a student's (both sandboxed runs and
the replay) with the configured limits, in the command's own process, so
that what it imports and loads is there already in every worker forked
after it. Its cells' times give
:class:`~nnkit.course.timing.TimeLimits`. A solution that does not get full
marks here means the grading machine is not set up right (a missing package,
a sandbox that cannot start): the batch then keeps the configured limits and
the log says why, loudly.
"""

from __future__ import annotations

import logging
from pathlib import Path

from nnkit.course import feedback, replay
from nnkit.course.files import copy_files, inventory
from nnkit.course.limits import Limits
from nnkit.course.outcome import CellKind, passed
from nnkit.course.pipeline import COPY_MAX_BYTES, Job, NotebookSpec, run_twice
from nnkit.course.repair import rebuild
from nnkit.course.timing import TimeLimits
from nnkit.tutor import challenges

log = logging.getLogger(__name__)


def calibrate(specs: tuple, notebooks: list[Path], limits: Limits, sandboxed: bool,
              scratch: Path) -> dict:
    """``{notebook name: TimeLimits}`` from one graded run of each instructor notebook."""
    return {spec.name: _time_solution(spec, path, limits, sandboxed, scratch)
            for spec, path in zip(specs, notebooks, strict=True)}


def _time_solution(spec: NotebookSpec, path: Path, limits: Limits, sandboxed: bool,
                   scratch: Path) -> TimeLimits:
    configured = TimeLimits.configured(limits)
    folder = scratch / f"solution-{spec.name}"
    copy_files(path.parent, inventory(path.parent), folder, COPY_MAX_BYTES,
               limits.disk_mb << 20, skip=frozenset({path.name}))
    job = Job(path.parent, "(solution)", "", (spec,), limits, sandboxed, scratch, scratch)
    cells = rebuild(spec.cells, spec.cells).cells
    outcomes, run, recording = run_twice(job, folder, cells, spec, configured)
    with challenges.answers_given(recording.answers):
        verdicts = replay.verdicts(cells, spec.graded_names, recording.replies)
    # The page is rendered once here, so the workers forked later find the templates loaded.
    scores = {grade_id: (points, "") for grade_id, points in spec.points.items()}
    feedback.render(feedback.feedback_notebook(cells, outcomes, scores, []), spec.name,
                    spec.max_score, spec.max_score)
    failing = [cell.grade_id for index, cell in enumerate(cells) if cell.kind == CellKind.TEST
               and not (passed(outcomes[index]) and verdicts[index].passed is not False)]
    if failing or run.malformed or recording.report.malformed:
        log.warning("WARNING: the instructor's solution %s does not pass when graded here "
                    "(%s); check the grading machine. Time limits stay at the configured "
                    "%g s per cell, %g s per notebook.", spec.name,
                    ", ".join(failing) or run.malformed or recording.report.malformed,
                    limits.cell_timeout, limits.notebook_timeout)
        return configured
    seconds = {origin: max(taken, recording.report.seconds.get(origin, 0.0))
               for origin, taken in run.seconds.items() if origin is not None}
    times = TimeLimits.measured(limits, seconds, total=sum(seconds.values()))
    log.info("time limits of %s from its solution: %.3g–%.3g s per cell, %.3g s per notebook",
             spec.name, min(times.cells.values(), default=times.extra),
             max(times.cells.values(), default=times.extra), times.notebook)
    return times
