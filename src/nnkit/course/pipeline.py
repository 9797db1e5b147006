"""Grading one student's folder from start to finish, without touching the gradebook.

find the notebook → rebuild it from the instructor's cells → run it in the
sandbox → run the answers again in a fresh sandboxed process and replay the
tests here → score each test cell → write the feedback page. Runs in a worker
process; the one process that owns the gradebook records the result.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from nnkit import challenges
from nnkit.course import execution, feedback, replay
from nnkit.course.intake import SubmissionError, choose_notebook, read_cells
from nnkit.course.limits import Limits
from nnkit.course.repair import defined_names, nbgrader_info, rebuild

COPY_MAX_BYTES = 20_000_000
TAMPERING = "suspected tampering"


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


@dataclass(frozen=True)
class Job:
    """What a worker needs to grade one student."""

    student_dir: Path
    assignment: str
    specs: tuple
    limits: Limits
    sandboxed: bool
    feedback_dir: Path
    other_assignments: frozenset = frozenset()


def grade_student(job: Job) -> StudentResult:
    """Grade one student folder; never raises (a grader failure becomes the row's status)."""
    result = StudentResult(student=job.student_dir.name, assignment=job.assignment,
                           max_score=sum(spec.max_score for spec in job.specs))
    try:
        with graded_as(job.student_dir.name):  # the student's variant, in every process
            for spec in job.specs:
                _grade_notebook(job, spec, result)
    except Exception as error:  # one student's problem must not stop the batch
        result.status = "grader error"
        result.notes.append(f"the grader failed on this submission: {type(error).__name__}: "
                            f"{error}")
        result.notes.append(traceback.format_exc(limit=3).replace("\n", " | ")[-500:])
    result.score = sum(g.score for grades in result.notebooks.values() for g in grades)
    if not job.sandboxed:
        result.flags.append("unsandboxed")
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


def _grade_notebook(job: Job, spec: NotebookSpec, result: StudentResult):
    ids = set(spec.points)
    try:
        submission = choose_notebook(job.student_dir, spec.name, ids, len(job.specs) - 1,
                                     job.limits.notebook_file_mb * 1_000_000,
                                     job.other_assignments)
        submission.cells = read_cells(submission.path, job.limits.notebook_file_mb * 1_000_000)
    except SubmissionError as error:
        result.status = error.status
        result.notes.append(error.message)
        result.notebooks[spec.name] = [CellGrade(g, p, 0.0, False, None, error.message)
                                       for g, p in spec.points.items()]
        return
    result.notes.extend(submission.notes)
    rebuilt = rebuild(spec.cells, submission.cells)
    if rebuilt.repairs:
        result.notes.append("restored from the instructor's notebook: " +
                            ", ".join(rebuilt.repairs))
        result.flags.append("cells restored")
    outcomes, replies, answers = _run_twice(job, submission.path.parent, rebuilt.cells, spec)
    with challenges.answers_given(answers):  # slider answers the re-run found stored
        verdicts = replay.verdicts(rebuilt.cells, spec.graded_names, replies,
                                   mistakes=result.mistakes.setdefault(spec.name, {}))
    grades = _score_cells(rebuilt.cells, outcomes, verdicts, result)
    result.notebooks[spec.name] = grades
    stopped = next((o["error"]["evalue"] for o in outcomes.values()
                    if o.get("error") and o["error"]["ename"] in ("Stopped", "NotRun")), None)
    if stopped:
        result.notes.append(stopped + " (graded on the cells that ran)")
    _write_feedback(job, spec, rebuilt, outcomes, grades, result)


def _run_twice(job, folder, cells, spec):
    """The notebook run and the independent re-run, side by side, each in its own copy."""
    with tempfile.TemporaryDirectory(prefix="nnkit-grade-") as scratch, \
            ThreadPoolExecutor(max_workers=2) as both:
        first = _copy_folder(folder, Path(scratch) / "run")
        second = _copy_folder(folder, Path(scratch) / "recheck")
        outcomes = both.submit(execution.run_notebook, cells, first, job.limits, job.sandboxed)
        replies = both.submit(replay.record, cells, spec.graded_names, second, job.limits,
                              job.sandboxed)
        outcomes, replies = outcomes.result(), replies.result()
        return outcomes, replies, challenges.stored_answers(second)


def _copy_folder(source: Path, target: Path) -> Path:
    """The student's folder copied (small files only, no links) as the sandbox's home."""
    target.mkdir(parents=True)
    for path in source.rglob("*"):
        if path.is_symlink() or not path.is_file() or path.stat().st_size > COPY_MAX_BYTES:
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    return target


def _score_cells(cells, outcomes, verdicts, result):
    grades = []
    for index, cell in enumerate(cells):
        if cell.kind != "test":
            continue
        outcome = outcomes.get(index, {})
        in_notebook = not outcome.get("error")
        recheck, why = verdicts.get(index, (False, "not re-checked"))
        passed = in_notebook and recheck is not False
        message = ""
        if in_notebook and recheck is False:
            message = ("passed in the notebook but failed when the functions were checked "
                       f"again in a fresh process: {why}")
            if TAMPERING not in result.flags:
                result.flags.append(TAMPERING)
            result.notes.append(f"{cell.grade_id}: {message}")
        elif not in_notebook:
            message = f"{outcome['error']['ename']}: {outcome['error']['evalue']}"[:300]
        grades.append(CellGrade(cell.grade_id, cell.points, cell.points if passed else 0.0,
                                in_notebook, recheck, message))
    return grades


def _write_feedback(job, spec, rebuilt, outcomes, grades, result):
    scores = {g.grade_id: (g.score, g.message if g.passed_in_notebook and not g.score else "")
              for g in grades}
    notebook = feedback.feedback_notebook(rebuilt.cells, outcomes, scores, result.notes)
    score = sum(g.score for g in grades)
    html = feedback.render(notebook, spec.name, score, spec.max_score)
    folder = job.feedback_dir / result.student
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{spec.name}.html"
    path.write_text(html, encoding="utf-8")
    result.feedback_files.append(str(path))
