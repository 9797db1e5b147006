"""``nnkit-course grade``: autograde a folder of student submissions, safely and in parallel.

``SUBMISSIONS`` is the LMS's download as it came (a Canvas or Moodle zip, or
the folder it unpacks to) or a folder with one sub-folder per student; the
command says which layout it recognised (:mod:`nnkit.course.lms`). Every
student gets a row in ``OUT/grades.csv`` whatever happened to them, and every
other entry a warning that names it; gradable notebooks get
``OUT/feedback/<student>/<notebook>.html``; the scores, with the deadline's
late penalties (:mod:`nnkit.course.deadlines`), go into the course's nbgrader
gradebook, and the named mistakes into ``OUT/mistakes.csv``. Each student is
graded by a fresh worker process, in its own sandboxes; only this process
writes the gradebook and grades.csv. See docs/instructors.md ("Grading") and
docs/security.md.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import sys
import tempfile
from pathlib import Path

from nnkit.course import calibration, cgroups, deadlines, gradebook, lms, mistakes, sandbox, workers
from nnkit.course.download import DownloadError
from nnkit.course.limits import Limits
from nnkit.course.outcome import Flag
from nnkit.course.pipeline import Job, StudentResult, load_spec
from nnkit.course.safe_text import for_csv

log = logging.getLogger(__name__)
CSV_COLUMNS = ["student", "assignment", "score", "max_score", "status", "message", "flags",
               *deadlines.CSV_COLUMNS]
MAX_MESSAGE = 4000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's own options (``--course`` and ``--out`` come from the parent parser)."""
    parser.add_argument("assignment", help="assignment id, e.g. 01-neuron")
    parser.add_argument("submissions", type=Path,
                        help="the LMS's download (Canvas or Moodle zip, or its folder), "
                             "or a folder with one sub-folder per student")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="students graded at once (default: number of cores)")
    parser.add_argument("--cell-timeout", type=float, default=None,
                        help="most seconds per cell")
    parser.add_argument("--notebook-timeout", type=float, default=None,
                        help="most seconds per notebook")
    parser.add_argument("--memory-mb", type=int, default=None, help="memory per process")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    deadlines.add_arguments(parser)


def limits_for(config, args) -> Limits:
    """Limits from the course configuration, then the command line."""
    section = config.get("NnkitGrading", {})
    limits = Limits.from_mapping(dict(section.get("limits", {})))
    overrides = {"cell_timeout": args.cell_timeout, "notebook_timeout": args.notebook_timeout,
                 "memory_mb": args.memory_mb}
    return Limits.from_mapping({**limits.to_dict(),
                                **{k: v for k, v in overrides.items() if v is not None}})


def grade_batch(jobs: list[Job], workers_at_once: int, db_url: str, progress: bool = True,
                on_start=None) -> list[StudentResult]:
    """Grade every job, each in a fresh worker; record each result as it arrives."""
    from tqdm import tqdm

    results: list[StudentResult] = []
    bar = tqdm(total=len(jobs), unit="student", disable=not progress, file=sys.stderr)

    def keep(result: StudentResult) -> None:
        _record(result, db_url)
        results.append(result)
        bar.update(1)

    workers.grade_all(jobs, workers_at_once, keep, on_start)
    bar.close()
    return sorted(results, key=lambda r: r.student)


def _record(result: StudentResult, db_url: str) -> None:
    if not result.notebooks:
        return  # nothing was graded: the row says why, the gradebook has nothing to hold
    try:
        gradebook.record(db_url, result)
    except Exception as error:  # the row still tells the instructor
        result.status = "grader error"
        result.notes.append(f"not written to the gradebook: {type(error).__name__}: {error}")


def refused_row(student: lms.Student, assignment: str, max_score: float) -> StudentResult:
    """The row of a student whose folder is not graded (a link, two folders of one student)."""
    result = StudentResult(student=student.key, assignment=assignment, status="refused",
                           max_score=max_score, notes=[student.refused])
    if student.flagged:
        result.flag(Flag.TAMPERING)
    return result


def write_csv(path: Path, results: list) -> None:
    """grades.csv, one row per student, written to a temporary file and then renamed.

    Student text is cleaned and cannot start a spreadsheet formula
    (:func:`~nnkit.course.safe_text.for_csv`); a crash while writing leaves
    the previous grades.csv as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".grades-", suffix=".csv")
    try:
        with open(fd, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_COLUMNS)
            for r in results:
                writer.writerow([for_csv(r.student), for_csv(r.assignment), f"{r.score:g}",
                                 f"{r.max_score:g}", for_csv(r.status),
                                 for_csv(r.message[:MAX_MESSAGE]), for_csv("; ".join(r.flags)),
                                 *map(for_csv, deadlines.csv_cells(r))])
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _course_and_notebooks(args):
    """The course and the assignment's instructor notebooks, or the reason the command stops."""
    from nnkit.course.course_dir import CourseError, load_course

    try:
        course = load_course(args.course)
    except CourseError as error:
        return None, None, str(error)
    source = course.source_dir / args.assignment
    notebooks = sorted(source.glob("*.ipynb")) if source.is_dir() else []
    if not notebooks:
        return None, None, f"no instructor notebook in {source}"
    return course, notebooks, None


def _jobs(args, course, intake, specs, limits, sandboxed, out, times, scratch):
    """A job per student, and the rows of students whose folders are refused."""
    others = frozenset(a for a in course.assignments if a != args.assignment)
    max_score = sum(spec.max_score for spec in specs)
    jobs, refused = [], []
    for number, student in enumerate(intake.students):
        if student.refused:
            refused.append(refused_row(student, args.assignment, max_score))
            continue
        jobs.append(Job(student.folder.absolute(), student.key, args.assignment, specs, limits,
                        sandboxed, out / "feedback", Path(scratch) / f"student-{number}",
                        times, others))
    return jobs, refused


def _intake(args, notebooks, staging):
    """The students of SUBMISSIONS (staged from a download where needed), or ``None`` and why."""
    try:
        intake = lms.read_submissions(args.submissions, Path(staging), args.assignment,
                                      {path.name for path in notebooks})
    except (lms.IntakeError, DownloadError, OSError) as error:
        return None, str(error)
    log.info("%s: %s", args.submissions, intake.summary())
    for entry in intake.skipped:
        log.warning("  not graded: %s", entry)
    return intake, None


def run(args) -> int:
    """Grade the batch; 0 when it was graded (bad submissions included), 2 when it could not run."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    course, notebooks, problem = _course_and_notebooks(args)
    try:
        limits = limits_for(course.config, args) if course else None
        schedule = deadlines.Schedule.for_run(course, args.assignment, args) if course else None
    except ValueError as error:
        problem = str(error)
    if problem:
        print(f"nnkit-course grade: {problem}", file=sys.stderr)
        return 2
    out = (args.out or course.root / "grading-output" / args.assignment).resolve()
    db_url = gradebook.database_url(course.root, course.config)
    gradebook.prepare(db_url, args.assignment, notebooks)
    sandboxed = sandbox.sandbox_works()
    (log.info if sandboxed else log.warning)(sandbox.describe(sandboxed))
    log.info("processes per student are limited by %s", cgroups.how_processes_are_limited())
    specs = tuple(load_spec(path) for path in notebooks)
    with tempfile.TemporaryDirectory(prefix="nnkit-grade-") as scratch:
        intake, problem = _intake(args, notebooks, Path(scratch) / "submissions")
        if problem:
            print(f"nnkit-course grade: {problem}", file=sys.stderr)
            return 2
        times = calibration.calibrate(specs, notebooks, limits, sandboxed, Path(scratch))
        jobs, refused = _jobs(args, course, intake, specs, limits, sandboxed, out, times,
                              scratch)
        results = grade_batch(jobs, max(1, args.jobs), db_url, progress=not args.no_progress)
    results = sorted(results + refused, key=lambda r: r.student)
    students = {student.key: student for student in intake.students}
    for result in results:
        result.notes[:0] = students[result.student].notes
    deadlines.apply(db_url, args.assignment, schedule, results, students, course.config)
    write_csv(out / "grades.csv", results)
    mistakes.write(out, results)
    flagged = sum(1 for r in results if Flag.TAMPERING in r.flags)
    ungraded = sum(1 for r in results if r.status != "graded")
    log.info("graded %d student(s) of %s: %d not gradable, %d flagged; wrote %s",
             len(results), args.assignment, ungraded, flagged, out / "grades.csv")
    return 0
