"""The grader's defences, piece by piece: reading, decoding, writing, limits and workers.

The hostile corpus (``tests/test_hostile.py``) proves them end to end; these
tests pin down each piece on its own, so that a failure names the piece.
"""

from __future__ import annotations

import csv
import os
import signal
from pathlib import Path

import pytest

from nnkit.course import cgroups, cli, grade, plain, replies, safe_text, workers
from nnkit.course.files import Refused, inventory, read_capped, read_file
from nnkit.course.limits import Limits
from nnkit.course.outcome import CellKind, CellOutcome, Flag, from_nbgrader_cell, passed
from nnkit.course.pipeline import Job, StudentResult
from nnkit.course.repair import GradedCell
from nnkit.course.timing import TimeLimits

# --- reading a student's folder ----------------------------------------------------


def test_a_fifo_is_listed_never_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.ipynb")
    found = inventory(tmp_path)  # would block forever if it opened the FIFO
    assert [e.kind for e in found.refused] == ["pipe"]
    with pytest.raises(Refused, match="named pipe"):
        read_file(tmp_path, "pipe.ipynb", 1000)


def test_a_link_anywhere_on_the_way_is_refused(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "n.ipynb").write_text("{}")
    os.symlink("real", tmp_path / "linked")
    with pytest.raises(Refused, match="without following"):
        read_file(tmp_path, "linked/n.ipynb", 1000)
    assert read_file(tmp_path, "real/n.ipynb", 1000) == b"{}"
    found = inventory(tmp_path)
    assert [e.relative for e in found.files] == ["real/n.ipynb"]
    assert [e.describe() for e in found.refused] == ["linked is a link to real (not followed)"]


def test_the_read_cap_is_counted_while_reading_not_taken_from_the_size(tmp_path):
    read_end, write_end = os.pipe()  # st_size says 0; the data says otherwise
    os.write(write_end, b"x" * 5000)
    os.close(write_end)
    with pytest.raises(Refused, match="larger than the 1,000 bytes"):
        read_capped(read_end, 1000)
    os.close(read_end)


def test_a_link_leaving_the_folder_is_told_apart_from_one_inside():
    from nnkit.course.files import Entry

    assert Entry("n.ipynb", "link", target="/srv/solutions/n.ipynb").leaves_folder
    assert Entry("a/n.ipynb", "link", target="../../bob/n.ipynb").leaves_folder
    assert not Entry("a/n.ipynb", "link", target="../n.ipynb").leaves_folder


# --- decoding replies --------------------------------------------------------------


def test_a_reply_for_another_cell_is_malformed():
    with pytest.raises(replies.MalformedReply, match="cell 7"):
        replies.decode_outcome({"index": 7, "error": None}, 5, 100)


@pytest.mark.parametrize("message", [
    {"index": 5, "error": None, "stdout": "x" * 1000},
    {"index": 5, "error": None, "extra": 1},
    {"index": 5, "error": {"ename": "E", "evalue": "m", "lines": ["l"] * 11}},
    {"index": 5, "error": None, "limit": "patience"},
    {"index": 5, "error": None, "seconds": "fast"},
])
def test_replies_outside_the_schema_are_malformed(message):
    with pytest.raises(replies.MalformedReply):
        replies.decode_outcome(message, 5, max_stdout=100)


def test_a_good_reply_becomes_a_cell_outcome_with_clean_text():
    outcome = replies.decode_outcome({"index": 2, "stdout": "a\x00b\ud800", "error": None,
                                      "seconds": 0.5}, 2, 100)
    assert outcome == CellOutcome(index=2, stdout="ab\ufffd", seconds=0.5)


def test_structures_built_to_exhaust_memory_are_refused_before_parsing():
    with pytest.raises(replies.MalformedReply, match="nested"):
        replies.parse_line(b"[" * 30_000 + b"]" * 30_000)


@pytest.mark.parametrize("data", [
    {"array": [1.0], "dtype": "object", "shape": [1], "scalar": False},
    {"array": [1.0, 2.0], "dtype": "float64", "shape": [3], "scalar": False},
    {"array": [0.0] * 10, "dtype": "float64", "shape": [10], "scalar": True},
    {"int": 10 ** 40},
    {"str": "x" * 5000},
    {"eval": "os.system('true')"},
    {"list": [{"none": None}] * 1001},
])
def test_values_that_encode_could_not_have_made_are_malformed(data):
    with pytest.raises(plain.Malformed):
        plain.validate(data)


def test_an_always_equal_object_is_recorded_as_claiming_equality():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    assert plain.encode(AlwaysEqual())["claims_equal"] is True
    assert plain.encode(object())["claims_equal"] is False


# --- writing grades.csv ------------------------------------------------------------


def _row(student, message=""):
    return StudentResult(student=student, assignment="00-tiny", score=1.0, max_score=5.0,
                         notes=[message] if message else [])


def test_grades_csv_holds_formulas_and_odd_text_as_text(tmp_path):
    path = tmp_path / "grades.csv"
    grade.write_csv(path, [_row("=1+1", "@SUM(A1)"), _row("caf\udce9", "NUL\x00 and \ud800")])
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[1][0] == "'=1+1" and rows[1][5] == "'@SUM(A1)"
    assert rows[2][0] == "caf\ufffd" and rows[2][5] == "NUL and \ufffd"


def test_a_crash_while_writing_keeps_the_previous_grades_csv(tmp_path, monkeypatch):
    path = tmp_path / "grades.csv"
    grade.write_csv(path, [_row("ann")])
    before = path.read_bytes()

    def failing(text):
        if text == "bob":
            raise RuntimeError("the disk went away")
        return safe_text.for_csv(text)

    monkeypatch.setattr(grade, "for_csv", failing)
    with pytest.raises(RuntimeError):
        grade.write_csv(path, [_row("ann"), _row("bob")])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv"]


# --- limits -------------------------------------------------------------------------


def test_limits_must_be_positive():
    with pytest.raises(ValueError, match="disk_mb"):
        Limits.from_mapping({"disk_mb": 0})


def test_time_limits_follow_the_solution_between_floor_and_ceiling():
    limits = Limits(cell_timeout=5, min_cell_timeout=1, time_factor=10)
    times = TimeLimits.measured(limits, {1: 0.01, 3: 0.3, 4: 2.0}, total=2.31)
    answer = GradedCell(CellKind.ANSWER, "code", "", origin=1)
    added = GradedCell(CellKind.EXTRA, "code", "")
    assert times.for_cell(answer) == 1.0
    assert times.cells[3] == 3.0 and times.cells[4] == 5.0
    assert times.for_cell(added) == 5.0


def test_a_pids_group_stops_a_fork_bomb_and_says_so():
    if "pids" not in cgroups.controllers():
        pytest.skip(f"no writable pids control group here: {cgroups.how_processes_are_limited()}")
    import subprocess

    group = cgroups.Group(max_processes=8, memory_bytes=256 << 20)
    try:
        bomb = "for i in $(seq 40); do sleep 5 & done; wait"
        result = subprocess.run(group.wrap(["/bin/sh", "-c", bomb]), capture_output=True,
                                text=True, timeout=60, check=False)
        assert "fork" in result.stderr.lower() or result.returncode != 0
        assert group.limits_hit() == ["processes"]
    finally:
        group.remove()


# --- one rule for a passed test cell, one set of names --------------------------------


def test_check_and_grade_share_the_rule_for_a_passed_test_cell():
    executed = {"outputs": [{"output_type": "stream", "name": "stdout", "text": "ok"}]}
    failed = {"outputs": [{"output_type": "error", "ename": "CheckFailed", "evalue": "no",
                           "traceback": []}]}
    assert passed(from_nbgrader_cell(executed)) and not passed(from_nbgrader_cell(failed))
    assert Flag.TAMPERING == "suspected tampering"


def test_every_subcommand_takes_course_and_the_writing_ones_take_out():
    assert cli.parse_args(["check", "--course", "c"]).course == Path("c")
    assert cli.parse_args(["report", "01-neuron", "--out", "o"]).out == Path("o")
    with pytest.raises(SystemExit):
        cli.parse_args(["build", "--out", "o"])


# --- workers -----------------------------------------------------------------------


def _job(tmp_path, student):
    return Job(tmp_path / student, student, "00-tiny", (), Limits(), False, tmp_path / "f",
               tmp_path / f"scratch-{student}")


def test_a_worker_that_dies_costs_only_its_student(tmp_path, monkeypatch):
    def grade_or_die(job):
        if job.student == "doomed":
            os.kill(os.getpid(), signal.SIGKILL)
        return StudentResult(student=job.student, assignment=job.assignment, score=1.0)

    monkeypatch.setattr(workers, "grade_student", grade_or_die)
    results = []
    jobs = [_job(tmp_path, name) for name in ("ann", "doomed", "bob", "cid")]
    workers.grade_all(jobs, 2, results.append)
    by_student = {r.student: r for r in results}
    assert sorted(by_student) == ["ann", "bob", "cid", "doomed"]
    assert by_student["doomed"].status == "grader error"
    assert "killed by signal 9" in by_student["doomed"].message
    assert all(by_student[s].status == "graded" for s in ("ann", "bob", "cid"))


def test_a_function_that_changes_its_input_in_the_re_run_changes_it_in_the_replay_too():
    import numpy as np

    from nnkit.course import replay

    test = ("import numpy as np\nz = np.array([1.0, 2.0])\nf(z)\n"
            "assert z.tolist() == [1.0, 2.0], 'f changed its input'\n")
    cells = [GradedCell(CellKind.TEST, "code", test, grade_id="test_f")]
    before = np.array([1.0, 2.0])
    call = {"name": "f", "args": plain.encode(((before,), {})), "result": plain.encode(None),
            "after": plain.encode(((np.array([0.0, 1.0]),), {}))}
    verdict = replay.verdicts(cells, ["f"], {0: {"calls": [call]}})[0]
    assert verdict.passed is False and "f changed its input" in verdict.message
    del call["after"]
    assert replay.verdicts(cells, ["f"], {0: {"calls": [call]}})[0].passed is True
