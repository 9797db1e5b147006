"""Grading students in worker processes, each student in a fresh one.

Every student is graded by a process of its own, forked from the command's
process (so nothing is imported twice), at most ``workers`` at a time. A
worker that dies (out of memory, killed, crashed) or overruns its deadline
costs only the student it was grading: that student's row says so, the
batch goes on, and every other student is graded by a fresh worker as
usual, so the batch always ends with one result per student.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import wait

from nnkit.course import cgroups
from nnkit.course.pipeline import Job, StudentResult, grade_student
from nnkit.course.supervise import STARTUP_SECONDS, signal_name

POLL_SECONDS = 0.5


@dataclass
class _Running:
    process: multiprocessing.Process
    receiver: object
    job: Job
    deadline: float


def worker_deadline(job: Job) -> float:
    """Seconds a worker may take for one student before it is stopped (a generous bound).

    >>> from nnkit.course.limits import Limits
    >>> from pathlib import Path
    >>> worker_deadline(Job(Path("a"), "a", "00", ("one spec",), Limits(), True, Path("f"),
    ...                     Path("s")))
    1320.0
    """
    per_notebook = 2 * STARTUP_SECONDS + job.limits.notebook_timeout + 120.0
    return max(1, len(job.specs)) * 2 * per_notebook


def grade_all(jobs: list[Job], workers: int, on_result: Callable[[StudentResult], None],
              on_start: Callable[[Job, int], None] | None = None) -> None:
    """Grade every job in its own worker process, ``workers`` at a time.

    ``on_result`` receives each student's result as it arrives (in this
    process); ``on_start`` is told which worker process grades which job.
    """
    context = multiprocessing.get_context("fork")
    pending = list(jobs)
    running: list[_Running] = []
    try:
        while pending or running:
            while pending and len(running) < max(1, workers):
                running.append(_start(context, pending.pop(0), on_start))
            wait([r.receiver for r in running] + [r.process.sentinel for r in running],
                 timeout=POLL_SECONDS)
            for item in [r for r in running if _finished(r)]:
                running.remove(item)
                on_result(_collect(item))
    finally:
        for item in running:
            _stop(item)


def _start(context, job: Job, on_start) -> _Running:
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_work, args=(job, sender), daemon=True,
                              name=f"nnkit-grade {job.student}")
    process.start()
    sender.close()
    if on_start is not None:
        on_start(job, process.pid)
    return _Running(process, receiver, job, time.monotonic() + worker_deadline(job))


def _work(job: Job, sender) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sender.send(grade_student(job))
    sender.close()


def _finished(item: _Running) -> bool:
    return (item.receiver.poll() or not item.process.is_alive()
            or time.monotonic() > item.deadline)


def _collect(item: _Running) -> StudentResult:
    """The worker's result, or a row saying how the worker ended without one."""
    result = None
    with contextlib.suppress(EOFError, OSError):
        if item.receiver.poll():
            result = item.receiver.recv()
    overran = result is None and item.process.is_alive()
    _stop(item)
    if result is not None:
        return result
    job = item.job
    if overran:
        why = (f"the grading worker did not finish within {worker_deadline(job):.0f} s and "
               "was stopped")
    else:
        why = "the grading worker died while grading this student: " + \
            signal_name(item.process.exitcode or 0)
    return StudentResult(student=job.student, assignment=job.assignment,
                         status="grader error", max_score=job.max_score,
                         notes=[f"{why}; no other student was affected; grade again to retry"])


def _stop(item: _Running) -> None:
    """End the worker (if it still runs) and clean up what it may have left behind."""
    if item.process.is_alive():
        item.process.kill()
    item.process.join()
    item.receiver.close()
    cgroups.remove_stale(item.process.pid)
    shutil.rmtree(item.job.scratch, ignore_errors=True)
