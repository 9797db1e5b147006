"""``nnkit-course grade``: autograde a folder of student submissions, safely and in parallel.

``SUBMISSIONS`` is the LMS's download as it came (a Canvas or Moodle zip, or
the folder it unpacks to) or a folder with one sub-folder per student; the
command says which layout it recognised (:mod:`nnkit.course.lms`). Every
student gets a row in ``OUT/grades.csv`` whatever happened to them;
gradable notebooks get ``OUT/feedback/<student>/<notebook>.html``; the scores
go into the course's nbgrader gradebook. Students are graded by ``--jobs``
worker processes, each in its own sandbox; only this process writes the
gradebook. See docs/instructors.md ("Grading") and docs/security.md.
"""

from __future__ import annotations

import argparse
import csv
import logging
import multiprocessing
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from nnkit.course import deadlines, gradebook, lms, mistakes, sandbox
from nnkit.course.download import DownloadError
from nnkit.course.limits import Limits
from nnkit.course.pipeline import Job, StudentResult, grade_student, load_spec

log = logging.getLogger(__name__)
CSV_COLUMNS = ["student", "assignment", "score", "max_score", "status", "message", "flags",
               *deadlines.CSV_COLUMNS]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options."""
    parser.add_argument("assignment", help="assignment id, e.g. 01-neuron")
    parser.add_argument("submissions", type=Path,
                        help="the LMS's download (Canvas or Moodle zip, or its folder), "
                             "or a folder with one sub-folder per student")
    parser.add_argument("--course", type=Path, default=None,
                        help="nbgrader course root (default: found from here)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where grades.csv and feedback/ go "
                             "(default: COURSE/grading-output/ASSIGNMENT)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="students graded at once (default: number of cores)")
    parser.add_argument("--cell-timeout", type=float, default=None, help="seconds per cell")
    parser.add_argument("--notebook-timeout", type=float, default=None,
                        help="seconds per notebook")
    parser.add_argument("--memory-mb", type=int, default=None, help="memory per notebook")
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


def grade_batch(jobs: list[Job], workers: int, db_url: str, progress: bool = True) -> list:
    """Grade every job, ``workers`` at a time; record each result as it arrives."""
    from tqdm import tqdm

    results: list[StudentResult] = []
    bar = tqdm(total=len(jobs), unit="student", disable=not progress, file=sys.stderr)
    if workers <= 1:
        finished = (grade_student(job) for job in jobs)
        for result in finished:
            _keep(result, db_url, results, bar)
    else:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(grade_student, job): job for job in jobs}
            for future in as_completed(futures):
                _keep(_outcome(future, futures[future]), db_url, results, bar)
    bar.close()
    return sorted(results, key=lambda r: r.student)


def _outcome(future, job) -> StudentResult:
    try:
        return future.result()
    except Exception as error:  # a worker that died still leaves a row
        return StudentResult(student=job.student_dir.name, assignment=job.assignment,
                             status="grader error",
                             max_score=sum(s.max_score for s in job.specs),
                             notes=[f"the grading worker failed: {type(error).__name__}: "
                                    f"{error}"])


def _keep(result, db_url, results, bar):
    try:
        gradebook.record(db_url, result)
    except Exception as error:  # the row still tells the instructor
        result.status = "grader error"
        result.notes.append(f"not written to the gradebook: {type(error).__name__}: {error}")
    results.append(result)
    bar.update(1)
    bar.set_postfix_str(result.student[:20])


def write_csv(path: Path, results: list) -> None:
    """grades.csv: one row per student folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for r in results:
            writer.writerow([r.student, r.assignment, f"{r.score:g}", f"{r.max_score:g}",
                             r.status, r.message, "; ".join(r.flags),
                             *deadlines.csv_cells(r)])


def run(args) -> int:
    """Grade the batch; 0 when it was graded (bad submissions included), 2 when it could not run."""
    from nnkit.course.course_dir import CourseError, load_course

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        course = load_course(args.course)
    except CourseError as error:
        print(f"nnkit-course grade: {error}", file=sys.stderr)
        return 2
    source = course.source_dir / args.assignment
    notebooks = sorted(source.glob("*.ipynb")) if source.is_dir() else []
    if not notebooks:
        print(f"nnkit-course grade: no instructor notebook in {source}", file=sys.stderr)
        return 2
    try:
        limits = limits_for(course.config, args)
        schedule = deadlines.Schedule.for_run(course, args.assignment, args)
    except ValueError as error:
        print(f"nnkit-course grade: {error}", file=sys.stderr)
        return 2
    out = (args.out or course.root / "grading-output" / args.assignment).resolve()
    db_url = gradebook.database_url(course.root, course.config)
    gradebook.prepare(db_url, args.assignment, notebooks)
    sandboxed = sandbox.sandbox_works()
    (log.info if sandboxed else log.warning)(sandbox.describe(sandboxed))
    specs = tuple(load_spec(path) for path in notebooks)
    others = frozenset(a for a in course.assignments if a != args.assignment)
    with tempfile.TemporaryDirectory(prefix="nnkit-intake-") as staging:
        try:
            intake = lms.read_submissions(args.submissions, Path(staging), args.assignment,
                                          {path.name for path in notebooks})
        except (lms.IntakeError, DownloadError) as error:
            print(f"nnkit-course grade: {error}", file=sys.stderr)
            return 2
        log.info("%s: %s", args.submissions, intake.summary())
        for entry in intake.skipped:
            log.warning("  not graded: %s", entry)
        jobs = [Job(student.folder.resolve(), args.assignment, specs, limits, sandboxed,
                    out / "feedback", others) for student in intake.students]
        results = grade_batch(jobs, max(1, args.jobs), db_url, progress=not args.no_progress)
    students = {student.key: student for student in intake.students}
    for result in results:
        result.notes[:0] = students[result.student].notes
    deadlines.apply(db_url, args.assignment, schedule, results, students, course.config)
    write_csv(out / "grades.csv", results)
    mistakes.write(out, results)
    flagged = sum(1 for r in results if "suspected tampering" in r.flags)
    ungraded = sum(1 for r in results if r.status != "graded")
    log.info("graded %d student(s) of %s: %d not gradable, %d flagged; wrote %s",
             len(results), args.assignment, ungraded, flagged, out / "grades.csv")
    return 0
