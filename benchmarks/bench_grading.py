"""Grading: seconds per student of ``nnkit-course grade`` against plain ``nbgrader autograde``.

One batch of submissions of one assignment (a mix of correct notebooks and
untouched student notebooks) is graded three ways, side by side:

- plain nbgrader 0.9 ``autograde`` (its ``Autograde`` converter over the whole
  batch, one student at a time, default settings, no sandbox, no re-check);
- ``nnkit-course grade --jobs 1`` (sandbox, re-check in a second process, feedback);
- ``nnkit-course grade --jobs 2``.

All three must give every student the same score before any time is quoted.
Target: ``--jobs 2`` at least 1.7x faster than plain nbgrader on a batch of 40
(ratio = its time / nbgrader's time <= 1/1.7). Both run in this process, so
neither pays for importing nbgrader. The full run grades 40 students once per
variant, in alternating order; smoke mode grades 2.
"""

from __future__ import annotations

import csv
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import row

AREA = "grading"
ASSIGNMENT = "01-neuron"
ROOT = Path(__file__).resolve().parent.parent
TARGET_SPEEDUP = 1.7
BATCH, SMOKE_BATCH = 40, 2
ROUNDS, SMOKE_ROUNDS = 1, 0  # smoke mode times the correctness run itself


def make_batch(folder: Path, students: int) -> dict[str, str]:
    """Student folders (every third one untouched, the rest correct); ``{student: source}``."""
    solution = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    blank = ROOT / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    batch = {}
    for number in range(students):
        student = f"student-{number:03d}"
        source = blank if number % 3 == 2 else solution
        (folder / student).mkdir(parents=True)
        shutil.copy(source, folder / student / f"{ASSIGNMENT}.ipynb")
        batch[student] = str(source)
    return batch


def nnkit_course(workdir: Path, submissions: Path, jobs: int):
    """A callable grading the batch with ``nnkit-course grade``; returns scores by student."""
    from nnkit.course import cli, grade

    course = workdir / "nnkit" / "course"
    if not course.exists():
        for name in ("course", "solutions", "exercises"):
            shutil.copytree(ROOT / name, course.parent / name,
                            ignore=shutil.ignore_patterns("gradebook.db", "grading-output"))
    out = workdir / f"out-{jobs}"
    args = cli.parse_args(["grade", ASSIGNMENT, str(submissions), "--course", str(course),
                              "--out", str(out), "--jobs", str(jobs), "--no-progress"])

    def run_once():
        if grade.run(args) != 0:
            raise RuntimeError("nnkit-course grade could not run")
        with (out / "grades.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        run_once.rows = {r["student"]: r for r in rows}  # kept to explain a difference
        return {r["student"]: float(r["score"]) for r in rows}

    return run_once


def plain_nbgrader(workdir: Path, submissions: Path):
    """A callable running nbgrader's own autograde over the batch; returns scores by student."""
    from nbgrader.api import Gradebook
    from nbgrader.converters import Autograde, GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from nnkit.course.course_dir import put_environment_scripts_on_path

    put_environment_scripts_on_path()  # nbgrader runs `alembic` to create its gradebook
    root = workdir / "plain"
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, root / "source" / ASSIGNMENT)
    for student in submissions.iterdir():
        shutil.copytree(student, root / "submitted" / student.name / ASSIGNMENT)
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.assignment_id = ASSIGNMENT
    config.Autograde.force = True
    coursedir = CourseDirectory(config=config)
    GenerateAssignment(coursedir=coursedir, config=config).start()
    students = sorted(p.name for p in submissions.iterdir())

    def run_once():
        Autograde(coursedir=coursedir, config=config).start()
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
            return {s: float(gradebook.find_submission(ASSIGNMENT, s).score) for s in students}

    return run_once


def run(smoke: bool) -> list[dict]:
    """Rows: seconds per student of each variant, and each one's ratio to plain nbgrader."""
    students = SMOKE_BATCH if smoke else BATCH
    rounds = SMOKE_ROUNDS if smoke else ROUNDS
    if not (ROOT / "solutions" / ASSIGNMENT).is_dir():
        return [row(AREA, ASSIGNMENT, "(missing)", None, note="no solution notebook yet")]
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        workdir = Path(scratch)
        submissions = workdir / "submissions"
        make_batch(submissions, students)
        variants = {
            "nbgrader autograde (sequential)": plain_nbgrader(workdir, submissions),
            "nnkit-course grade --jobs 1": nnkit_course(workdir, submissions, 1),
            "nnkit-course grade --jobs 2": nnkit_course(workdir, submissions, 2),
        }
        times = _time_alternately(variants, rounds)
    name = f"{ASSIGNMENT}, batch of {students}"
    baseline = times["nbgrader autograde (sequential)"] / students
    rows = []
    for variant, seconds in times.items():
        per_student = seconds / students
        ratio = None if variant.startswith("nbgrader") else per_student / baseline
        target = 1 / TARGET_SPEEDUP if variant.endswith("--jobs 2") and not smoke else None
        note = "s per student" if ratio is None else \
            f"{1 / ratio:.2f}x faster than nbgrader; a batch of 30 takes about " \
            f"{30 * per_student:.0f} s"
        rows.append(row(AREA, name, variant, per_student, ratio, target, note))
    return rows


def _time_alternately(variants, rounds):
    """Whole-batch seconds of each variant (median over rounds), equal scores checked first.

    With ``rounds == 0`` the correctness run itself is the timing (smoke mode)."""
    names = list(variants)
    scores, first = {}, {}
    for name in names:  # warm-up and correctness
        started = time.perf_counter()
        scores[name] = variants[name]()
        first[name] = [time.perf_counter() - started]
    reference = scores[names[0]]
    for name in names[1:]:
        if scores[name] != reference:
            differing = sorted(s for s in reference if reference[s] != scores[name].get(s))
            details = [getattr(variants[name], "rows", {}).get(s) for s in differing[:3]]
            raise AssertionError(f"{name} scores differ from {names[0]} for "
                                 f"{differing[:5]}: {details}")
    times: dict[str, list[float]] = first if rounds == 0 else {name: [] for name in names}
    for number in range(rounds):
        order = names[number % len(names):] + names[:number % len(names)]
        for name in order:
            started = time.perf_counter()
            variants[name]()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}
