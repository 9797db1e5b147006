"""Grading with hostile students in the batch: wall time and the grader's own memory.

A batch of 40 honest submissions of 01-neuron (every third one untouched,
the rest correct, as in ``bench_grading``) is graded with ``nnkit-course
grade --jobs 2``, then the same 40 with 10 hostile ones among them, one of
each kind:

- ``loops``: ``weighted_sum`` never returns (cell time limit);
- ``swallows``: ``neuron`` loops and catches the interruption (the process is stopped);
- ``memory``: ``weighted_sum`` allocates until the memory limit;
- ``forks``: a cell forks processes and starts threads until the process limit;
- ``disk``: a cell writes files until the disk limit;
- ``floods``: 200,000 printed lines, a 5 MB shown value and a 10 MB error message;
- ``huge``: a 100 MB notebook (embedded outputs) with correct answers;
- ``link``: the notebook is a link to the instructor's solution;
- ``garbage``: a cell writes garbage on the reply channel;
- ``cells``: 10,000 extra cells.

Both batches are graded by ``nnkit-course grade`` as a process of its own
(its start-up included). Target: the 50 take at most 2x the time of the 40
(ratio <= 2). The peak resident memory (VmHWM) of the command's process and
of its largest worker during the hostile batch is reported (target: under
500 MB; the sandboxes' memory is the students', bounded by their limits).
Smoke mode grades 2 honest and 2 hostile students.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from benchmarks import row
from benchmarks.bench_grading import ASSIGNMENT, ROOT, make_batch

AREA = "grading_hostile"
HONEST, SMOKE_HONEST = 40, 2
TARGET_RATIO = 2.0
TARGET_MB = 500

ANSWERS = {
    "loops": {"weighted_sum": "def weighted_sum(x, w, b):\n    while True:\n        pass\n"},
    "swallows": {"neuron": "import time\ndef neuron(x, w, b, activation):\n    while True:\n"
                           "        try:\n            time.sleep(0.05)\n"
                           "        except BaseException:\n            pass\n"},
    "memory": {"weighted_sum": "def weighted_sum(x, w, b):\n    hoard = []\n    while True:\n"
                               "        hoard.append(bytearray(50_000_000))\n"},
}
EXTRA_CELLS = {
    "forks": "import os, threading, time\ntry:\n    for _ in range(10_000):\n"
             "        if os.fork() == 0:\n            time.sleep(30)\n            os._exit(0)\n"
             "except OSError:\n    pass\ntry:\n    for _ in range(10_000):\n"
             "        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
             "except RuntimeError:\n    pass\n",
    "disk": "for n in range(1000):\n    with open(f'f{n}.bin', 'wb') as h:\n"
            "        h.write(b'x' * 10_000_000)\n",
    "floods": "for i in range(200_000):\n    print('line', i)\n"
              "raise ValueError('z' * 10_000_000)\n",
    "garbage": "import os\nfor fd in os.listdir('/proc/self/fd'):\n    try:\n"
               "        link = os.readlink(f'/proc/self/fd/{fd}')\n"
               "        if int(fd) > 2 and link.startswith('pipe:'):\n"
               "            os.write(int(fd), b'garbage\\n')\n    except OSError:\n        pass\n",
}


def _solution() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def _with_answers(answers: dict) -> nbformat.NotebookNode:
    notebook = _solution()
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def _with_extra(source: str, copies: int = 1) -> nbformat.NotebookNode:
    notebook = _solution()
    notebook.cells.extend(nbformat.v4.new_code_cell(source) for _ in range(copies))
    return notebook


def make_hostile(folder: Path, kinds: list[str]) -> None:
    """One student folder per kind of hostile submission."""
    for kind in kinds:
        student = folder / f"hostile-{kind}"
        student.mkdir(parents=True)
        path = student / f"{ASSIGNMENT}.ipynb"
        if kind in ANSWERS:
            nbformat.write(_with_answers(ANSWERS[kind]), path)
        elif kind in EXTRA_CELLS:
            nbformat.write(_with_extra(EXTRA_CELLS[kind]), path)
        elif kind == "cells":
            nbformat.write(_with_extra("x = 1", copies=10_000), path)
        elif kind == "huge":
            notebook = _solution()
            code = next(c for c in notebook.cells if c.cell_type == "code")
            code.outputs = [nbformat.v4.new_output(
                "display_data", data={"image/png": "A" * (100 * 1024 * 1024)})]
            nbformat.write(notebook, path)
        elif kind == "link":
            os.symlink(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", path)


KINDS = ["loops", "swallows", "memory", "forks", "disk", "floods", "huge", "link", "garbage",
         "cells"]


def _hwm_mb(pid) -> float:
    """The peak resident memory (VmHWM) of process ``pid`` so far, in MB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid) -> list[str]:
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += (task / "children").read_text().split()
        except OSError:
            continue
    return found


def _grade(workdir: Path, submissions: Path, name: str) -> tuple[float, dict, dict]:
    """Run ``nnkit-course grade`` as its own process; seconds, rows and peak memory in MB.

    The command's process and its workers (its children) are sampled every
    50 ms; a child's own children are the sandboxes, whose memory is the
    students' and is not counted.
    """
    course = workdir / "repo" / "course"
    if not course.exists():
        for folder in ("course", "solutions", "exercises"):
            shutil.copytree(ROOT / folder, course.parent / folder,
                            ignore=shutil.ignore_patterns("gradebook.db", "grading-output"))
    out = workdir / f"out-{name}"
    command = [sys.executable, "-m", "nnkit.course.cli", "grade", ASSIGNMENT, str(submissions),
               "--course", str(course), "--out", str(out), "--jobs", "2", "--no-progress"]
    peak = {"command": 0.0, "worker": 0.0}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None:
        peak["command"] = max(peak["command"], _hwm_mb(process.pid))
        for child in _children(process.pid):
            peak["worker"] = max(peak["worker"], _hwm_mb(child))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"nnkit-course grade exited with {process.returncode}")
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        return seconds, {r["student"]: r for r in csv.DictReader(handle)}, peak


def run(smoke: bool) -> list[dict]:
    """Rows: the honest batch, the batch with hostile students, their ratio, peak memory."""
    honest = SMOKE_HONEST if smoke else HONEST
    kinds = KINDS[:2] if smoke else KINDS
    if not (ROOT / "solutions" / ASSIGNMENT).is_dir():
        return [row(AREA, ASSIGNMENT, "(missing)", None, note="no solution notebook yet")]
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as scratch:
        workdir = Path(scratch)
        alone, mixed = workdir / "honest", workdir / "mixed"
        make_batch(alone, honest)
        make_batch(mixed, honest)
        make_hostile(mixed, kinds)
        honest_seconds, honest_rows, _ = _grade(workdir, alone, "honest")
        mixed_seconds, mixed_rows, memory = _grade(workdir, mixed, "mixed")
    _check_rows(honest_rows, mixed_rows, kinds)
    name = f"{ASSIGNMENT}, {honest} honest + {len(kinds)} hostile, --jobs 2"
    ratio = mixed_seconds / honest_seconds
    peak = max(memory.values())
    return [
        row(AREA, name, f"{honest} honest alone", honest_seconds, note="s for the batch"),
        row(AREA, name, "with the hostile ones", mixed_seconds, ratio,
            None if smoke else TARGET_RATIO, note="ratio to the honest batch alone"),
        row(AREA, name, "grader peak RSS (MB)", None, peak / TARGET_MB,
            None if smoke else 1.0,
            note=f"command {memory['command']:.0f} MB, largest worker "
                 f"{memory['worker']:.0f} MB (target < {TARGET_MB} MB)"),
    ]


def _check_rows(honest_rows: dict, mixed_rows: dict, kinds: list[str]) -> None:
    """Honest students score the same with hostile ones around; each hostile one has a row."""
    for student, honest_row in honest_rows.items():
        if mixed_rows[student]["score"] != honest_row["score"]:
            raise AssertionError(f"{student} scored {mixed_rows[student]['score']} beside "
                                 f"hostile students, {honest_row['score']} without")
    missing = [kind for kind in kinds if f"hostile-{kind}" not in mixed_rows]
    if missing:
        raise AssertionError(f"no row for hostile students {missing}")
