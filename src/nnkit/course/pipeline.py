"""Grading one student's folder from start to finish, without touching the gradebook.

list the folder (no links followed) → find the notebook → read its cells in
a separate process → rebuild it from the instructor's cells → run it in the
sandbox → run the answers again in a fresh sandboxed process and replay the
tests here → score each test cell → write the feedback page. Runs in a worker
process of its own; the one process that owns the gradebook records the result.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from nnkit.course import execution, feedback, replay
from nnkit.course.files import Inventory, copy_files, inventory
from nnkit.course.intake import Submission, SubmissionError, choose_notebook
from nnkit.course.limits import Limits
from nnkit.course.notebook_reader import read_isolated
from nnkit.course.outcome import CellKind, Flag, Limit, not_run, passed
from nnkit.course.repair import defined_names, nbgrader_info, rebuild
from nnkit.course.timing import TimeLimits
from nnkit.tutor import challenges

COPY_MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class NotebookSpec:
    """One instructor notebook of an assignment: its cells, graded names and test points."""

    name: str
    cells: list
    graded_names: list
    points: dict

    @property
    def max_score(self) -> float:
        """Points of all its test cells."""
        return float(sum(self.points.values()))


def load_spec(path: Path) -> NotebookSpec:
    """Read an instructor (nbgrader source) notebook."""
    notebook = nbformat.read(path, as_version=4)
    cells = [{"cell_type": c.cell_type, "source": c.source, "metadata": dict(c.metadata)}
             for c in notebook.cells]
    graded = sorted({name for c in cells if nbgrader_info(c).get("solution")
                     and c["cell_type"] == "code" for name in defined_names(c["source"])})
    points = {nbgrader_info(c)["grade_id"]: float(nbgrader_info(c).get("points", 0) or 0)
              for c in cells if nbgrader_info(c).get("grade") and c["cell_type"] == "code"
              and not nbgrader_info(c).get("solution")}
    return NotebookSpec(name=path.stem, cells=cells, graded_names=graded, points=points)


@dataclass
class CellGrade:
    """The score of one test cell and why."""

    grade_id: str
    points: float
    score: float
    passed_in_notebook: bool
    passed_recheck: bool | None
    message: str = ""


@dataclass
class StudentResult:
    """Everything the batch needs to know about one student: the grades.csv row and cells."""

    student: str
    assignment: str
    status: str = "graded"
    score: float = 0.0
    max_score: float = 0.0
    notes: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    notebooks: dict = field(default_factory=dict)
    feedback_files: list = field(default_factory=list)
    # the LMS round trip: the name the LMS gave, the deadline, the named mistakes per test
    name: str = ""
    lateness: object = None
    mistakes: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The notes joined into one sentence for grades.csv."""
        return "; ".join(self.notes)

    def flag(self, flag: str, note: str | None = None) -> None:
        """Add ``flag`` once (and ``note``, when given)."""
        if flag not in self.flags:
            self.flags.append(flag)
        if note and note not in self.notes:
            self.notes.append(note)

    def fail(self, status: str, note: str) -> None:
        """Mark the row as not (fully) gradable, saying why."""
        self.status = status
        self.notes.append(note)


@dataclass(frozen=True)
class Job:
    """What a worker needs to grade one student.

    ``folder`` is the submission folder, ``student`` the student's id (its
    cleaned name), ``scratch`` a private folder for the copies the sandboxes
    read, and ``times`` the time limits of each notebook (:mod:`nnkit.course.timing`).
    """

    folder: Path
    student: str
    assignment: str
    specs: tuple
    limits: Limits
    sandboxed: bool
    feedback_dir: Path
    scratch: Path
    times: dict = field(default_factory=dict)
    other_assignments: frozenset = frozenset()

    @property
    def max_score(self) -> float:
        """Points of all the assignment's test cells."""
        return sum(spec.max_score for spec in self.specs)


def grade_student(job: Job) -> StudentResult:
    """Grade one student folder; never raises (a grader failure becomes the row's status)."""
    result = StudentResult(student=job.student, assignment=job.assignment,
                           max_score=job.max_score)
    try:
        with graded_as(job.student):  # the student's variant, in every process
            found = _inventory(job, result)
            for spec in job.specs:
                _grade_notebook(job, spec, found, result)
    except Exception as error:  # one student's problem must not stop the batch
        result.fail("grader error", f"the grader failed on this submission: "
                    f"{type(error).__name__}: {error}")
        result.notes.append(traceback.format_exc(limit=3).replace("\n", " | ")[-500:])
    result.score = sum(g.score for grades in result.notebooks.values() for g in grades)
    if not job.sandboxed:
        result.flag(Flag.UNSANDBOXED)
    return result


@contextlib.contextmanager
def graded_as(student: str):
    """While grading ``student``: their variant's id, and no progress recorded (docs/variants.md).

    Set in this worker's environment, so the sandboxed runs inherit them
    (:func:`nnkit.course.sandbox.clean_environment`) and the replay here sees them.
    """
    saved = {name: os.environ.get(name) for name in ("NNKIT_STUDENT_ID", "NBGRADER_EXECUTION")}
    os.environ.update(NNKIT_STUDENT_ID=student, NBGRADER_EXECUTION="autograde")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _inventory(job: Job, result: StudentResult) -> Inventory:
    """What the folder holds; links, pipes and devices in it are named in the row."""
    found = inventory(job.folder)
    if found.refused:
        shown = [entry.describe() for entry in found.refused[:10]]
        more = len(found.refused) - len(shown)
        result.flag(Flag.REFUSED_FILES, "not read: " + "; ".join(shown)
                    + (f"; and {more} more" if more > 0 else ""))
    return found


def _grade_notebook(job: Job, spec: NotebookSpec, found: Inventory, result: StudentResult):
    try:
        submission = _submitted_cells(job, spec, found)
    except SubmissionError as error:
        _not_gradable(spec, error, result)
        return
    result.notes.extend(submission.notes)
    if any("(cell limit)" in note for note in submission.notes):
        _limit(result, Limit.CELLS)
    rebuilt = rebuild(spec.cells, submission.cells)
    if rebuilt.repairs:
        result.flag(Flag.CELLS_RESTORED, "restored from the instructor's notebook: "
                    + ", ".join(rebuilt.repairs))
    times = job.times.get(spec.name) or TimeLimits.configured(job.limits)
    copy = job.scratch / f"{spec.name}-files"
    left_out = copy_files(job.folder, found, copy, COPY_MAX_BYTES,
                          job.limits.disk_mb << 20, skip=frozenset({submission.relative}))
    result.notes.extend(left_out)
    outcomes, run, recording = run_twice(job, copy, rebuilt.cells, spec, times)
    with challenges.answers_given(recording.answers):  # slider answers the re-run found stored
        verdicts = replay.verdicts(rebuilt.cells, spec.graded_names, recording.replies,
                                   mistakes=result.mistakes.setdefault(spec.name, {}))
    _note_runs(result, run, recording)
    grades = _score_cells(rebuilt.cells, outcomes, verdicts, result)
    result.notebooks[spec.name] = grades
    _write_feedback(job, spec, rebuilt, outcomes, grades, result)


def _submitted_cells(job: Job, spec: NotebookSpec, found: Inventory) -> Submission:
    def reader(relative):
        return read_isolated(job.folder, relative, job.limits)[0]

    submission = choose_notebook(job.folder, spec.name, set(spec.points), len(job.specs) - 1,
                                 avoid=job.other_assignments, found=found, reader=reader)
    cells, notes = read_isolated(job.folder, submission.relative, job.limits)
    submission.cells = cells
    submission.notes.extend(notes)
    return submission


def _not_gradable(spec: NotebookSpec, error: SubmissionError, result: StudentResult):
    result.fail(error.status, error.message)
    if error.flagged or error.status == "grader error":
        result.flag(Flag.TAMPERING)
    if error.status == "too large":
        result.flag(Flag.limit(Limit.NOTEBOOK_SIZE))
    result.notebooks[spec.name] = [CellGrade(g, p, 0.0, False, None, error.message)
                                   for g, p in spec.points.items()]


def _limit(result: StudentResult, name: str) -> None:
    result.flag(Flag.limit(name))


def _note_runs(result: StudentResult, run, recording) -> None:
    """Limits hit, stops and malformed replies of both runs, in the student's row."""
    for name in sorted(run.limits_hit | recording.report.limits_hit):
        _limit(result, name)
    if run.stopped:
        result.notes.append(run.stopped + " (graded on the cells that ran)")
    malformed = run.malformed or recording.report.malformed
    if malformed:
        result.status = "grader error"
        result.flag(Flag.TAMPERING, f"grader error: malformed reply from the sandbox "
                    f"({malformed}); the cells after it were not run")
    for name in replay.equality_claims(recording.replies):
        result.flag(Flag.TAMPERING, f"{name} returned an object that claims to be equal to "
                    "anything (an always-true ==)")


def run_twice(job, copy: Path, cells, spec, times):
    """The notebook run and the independent re-run, side by side, each in its own sandbox."""
    with ThreadPoolExecutor(max_workers=2) as both:
        outcomes = both.submit(execution.run_notebook, cells, copy, job.limits, job.sandboxed,
                               times)
        recording = both.submit(replay.record, cells, spec.graded_names, copy, job.limits,
                                job.sandboxed, times)
        (outcomes, run), recording = outcomes.result(), recording.result()
        return outcomes, run, recording


def _score_cells(cells, outcomes, verdicts, result):
    grades = []
    for index, cell in enumerate(cells):
        if cell.kind != CellKind.TEST:
            continue
        outcome = outcomes.get(index) or not_run(index, "no outcome")
        in_notebook = passed(outcome)
        verdict = verdicts.get(index, replay.Verdict(False, "not re-checked"))
        scored = in_notebook and verdict.passed is not False
        message = ""
        if in_notebook and verdict.passed is False and not verdict.in_hidden:
            message = ("passed in the notebook but failed when the functions were checked "
                       f"again in a fresh process: {verdict.message}")
            result.flag(Flag.TAMPERING, f"{cell.grade_id}: {message}")
        elif in_notebook and verdict.passed is False:
            message = f"a hidden test failed: {verdict.message}"
        elif not in_notebook:
            message = outcome.error.text[:300]
        grades.append(CellGrade(cell.grade_id, cell.points, cell.points if scored else 0.0,
                                in_notebook, verdict.passed, message))
    return grades


def _write_feedback(job, spec, rebuilt, outcomes, grades, result):
    scores = {g.grade_id: (g.score, g.message if g.passed_in_notebook and not g.score else "")
              for g in grades}
    notebook = feedback.feedback_notebook(rebuilt.cells, outcomes, scores, result.notes)
    score = sum(g.score for g in grades)
    html = feedback.render(notebook, spec.name, score, spec.max_score)
    folder = job.feedback_dir / feedback_folder(result.student)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{spec.name}.html"
    path.write_text(html, encoding="utf-8", errors="replace")
    result.feedback_files.append(str(path))


def feedback_folder(student: str) -> str:
    """The name of a student's feedback folder: their id, made safe as one path component.

    >>> feedback_folder("ann/../../etc")
    'ann_.._.._etc'
    """
    name = student.replace("/", "_").replace("\\", "_")
    return name if name not in ("", ".", "..") else "_"
