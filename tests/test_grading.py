"""nnkit-course grade and report: the pieces, then whole batches with real nbgrader.

Unit tests cover finding and reading notebooks, rebuilding a tampered
notebook, plain-number encoding and limits. The ``grading`` tests run the
command end to end against a real SQLite gradebook: on a tiny course of the
tests' own, and on the course's exercises (solutions score full marks,
untouched student notebooks score 0, a mixed batch keeps every row).
"""

from __future__ import annotations

import csv
import json
import logging
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nnkit.course import grade, plain, report, sandbox
from nnkit.course.intake import SubmissionError, choose_notebook, read_cells
from nnkit.course.limits import Limits
from nnkit.course.outcome import Flag
from nnkit.course.repair import rebuild
from nnkit.course.supervise import signal_name
from nnkit.tutor.exercises import ASSIGNMENT_IDS
from tests.commands import run_command
from tests.hostile.cases import CASES, WRONG_RELU, good_answers
from tests.hostile.course import ASSIGNMENT, MAX_SCORE, make_course, student_notebook

REPOSITORY = Path(__file__).resolve().parents[1]
ASSIGNMENTS = list(ASSIGNMENT_IDS)


def cells_of(notebook):
    return [{"cell_type": c.cell_type, "source": c.source, "metadata": dict(c.metadata)}
            for c in notebook.cells]




def read_rows(path):
    """grades.csv by student; the ``unsandboxed`` flag (no bubblewrap here) left out."""
    with path.open(encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    for row in rows.values():
        row["flags"] = "; ".join(f for f in row["flags"].split("; ")
                                 if f and f != "unsandboxed")
    return rows


# --- finding and reading notebooks -----------------------------------------

def test_the_exact_name_wins_over_a_renamed_copy(tmp_path):
    for name in ("00-tiny.ipynb", "00-tiny (1).ipynb"):
        nbformat.write(student_notebook(), tmp_path / name)
    chosen = choose_notebook(tmp_path, ASSIGNMENT, set())
    assert chosen.path.name == "00-tiny.ipynb"
    assert "ignored 00-tiny (1).ipynb" in chosen.notes


def test_another_assignments_notebook_is_not_taken_for_this_one(tmp_path):
    nbformat.write(student_notebook(), tmp_path / "02-activations.ipynb")
    with pytest.raises(SubmissionError, match="only notebooks of other assignments"):
        choose_notebook(tmp_path, ASSIGNMENT, set(), avoid=frozenset({"02-activations"}))


def test_checkpoints_are_not_submissions(tmp_path):
    (tmp_path / ".ipynb_checkpoints").mkdir()
    nbformat.write(student_notebook(), tmp_path / ".ipynb_checkpoints" / "00-tiny.ipynb")
    with pytest.raises(SubmissionError, match=r"no \.ipynb file"):
        choose_notebook(tmp_path, ASSIGNMENT, set())


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "00-tiny.ipynb"
    path.write_text(" " * 2000)
    with pytest.raises(SubmissionError, match="more than"):
        read_cells(path, max_bytes=1000)


def test_a_cut_off_notebook_names_the_line(tmp_path):
    path = tmp_path / "00-tiny.ipynb"
    path.write_text('{"cells": [')
    with pytest.raises(SubmissionError, match="not valid JSON"):
        read_cells(path)


def test_reading_drops_outputs_and_keeps_only_nbgrader_metadata(tmp_path):
    notebook = student_notebook()
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", text="x" * 100)]
    notebook.cells[1].metadata["tags"] = ["anything"]
    nbformat.write(notebook, tmp_path / "n.ipynb")
    cells = read_cells(tmp_path / "n.ipynb")
    assert set(cells[1]) == {"cell_type", "source", "metadata"}
    assert set(cells[1]["metadata"]) == {"nbgrader"}


# --- rebuilding from the instructor's cells -------------------------------

def test_rebuild_takes_tests_from_the_instructor_and_answers_from_the_student():
    from tests.hostile.course import source_notebook

    student = student_notebook(good_answers(relu=WRONG_RELU))
    for cell in student.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_relu":
            cell.source = "pass"
    rebuilt = rebuild(cells_of(source_notebook()), cells_of(student))
    by_id = {c.grade_id: c for c in rebuilt.cells if c.grade_id}
    assert "BEGIN HIDDEN TESTS" in by_id["test_relu"].source
    assert by_id["relu"].source == WRONG_RELU
    assert rebuilt.repairs == ["test cell test_relu was edited; restored"]


def test_rebuild_keeps_a_students_extra_cell_in_its_place():
    from tests.hostile.course import source_notebook

    student = student_notebook(good_answers())
    student.cells.insert(3, nbformat.v4.new_code_cell("helper = 1"))
    rebuilt = rebuild(cells_of(source_notebook()), cells_of(student))
    kinds = [c.kind for c in rebuilt.cells]
    assert kinds[3] == "extra" and kinds[2] == "answer"


def test_a_missing_answer_cell_is_reported():
    from tests.hostile.course import source_notebook

    student = student_notebook()
    student.cells = [c for c in student.cells
                     if c.metadata.get("nbgrader", {}).get("grade_id") != "relu"]
    rebuilt = rebuild(cells_of(source_notebook()), cells_of(student))
    assert "answer cell relu missing" in rebuilt.repairs


# --- plain numbers -----------------------------------------------------------

@pytest.mark.parametrize("value", [1.5, 3, None, True, "text", (1, [2.0, 3.0]),
                                   {"a": 1.0}, float("inf")])
def test_plain_values_survive_the_round_trip(value):
    assert plain.decode(json.loads(json.dumps(plain.encode(value)))) == value


def test_arrays_keep_shape_and_dtype():
    array = np.arange(6, dtype=np.float32).reshape(2, 3)
    back = plain.decode(json.loads(json.dumps(plain.encode(array))))
    assert back.shape == (2, 3) and back.dtype == np.float32
    assert back.tolist() == array.tolist()


def test_an_object_that_is_equal_to_everything_becomes_unequal_to_everything():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    back = plain.decode(plain.encode(AlwaysEqual()))
    assert (back == 0.0) is False
    with pytest.raises(TypeError):
        np.asarray(back, dtype=float)


def test_an_array_like_object_is_kept_only_as_its_numbers():
    class Wrapper:
        def __array__(self, dtype=None, copy=None):
            return np.array([1.0, 2.0])

        def __eq__(self, other):
            return True

    back = plain.decode(plain.encode(Wrapper()))
    assert np.asarray(back, dtype=float).tolist() == [1.0, 2.0]
    assert (back == 5) is False


# --- limits and processes ----------------------------------------------------

def test_limits_refuse_unknown_names():
    with pytest.raises(ValueError, match="memory_gb"):
        Limits.from_mapping({"memory_gb": 1})


def test_a_killed_process_is_described_by_its_signal():
    assert "SIGKILL" in signal_name(-9)


# --- whole batches on the tiny course ------------------------------------

@pytest.fixture()
def tiny(tmp_path):
    course = make_course(tmp_path)
    submissions = tmp_path / "submissions"
    for name in ("good", "blank", "half-right", "invalid-json", "no-notebook"):
        CASES[name].make(submissions / name, {})
    return {"course": course, "submissions": submissions, "out": tmp_path / "out"}


@pytest.mark.grading
def test_grading_twice_gives_the_same_grades_and_one_gradebook_entry(tiny):
    from nbgrader.api import Gradebook

    argv = [ASSIGNMENT, str(tiny["submissions"]), "--course", str(tiny["course"]),
            "--out", str(tiny["out"]), "--jobs", "2", "--no-progress"]
    assert not (tiny["course"] / "gradebook.db").exists()
    assert run_command(grade, argv) == 0
    first = read_rows(tiny["out"] / "grades.csv")
    assert run_command(grade, argv) == 0
    assert read_rows(tiny["out"] / "grades.csv") == first
    assert float(first["good"]["score"]) == MAX_SCORE
    assert 0 < float(first["half-right"]["score"]) < MAX_SCORE
    with Gradebook(f"sqlite:///{tiny['course'] / 'gradebook.db'}") as gradebook:
        submissions = gradebook.find_assignment(ASSIGNMENT).submissions
        assert len(submissions) == 5
        assert gradebook.find_submission(ASSIGNMENT, "good").score == MAX_SCORE
        assert gradebook.find_submission(ASSIGNMENT, "half-right").score == \
            float(first["half-right"]["score"])


@pytest.mark.grading
def test_report_counts_who_lost_each_tests_points(tiny, capsys):
    run_command(grade, [ASSIGNMENT, str(tiny["submissions"]), "--course", str(tiny["course"]),
                        "--out", str(tiny["out"]), "--jobs", "1", "--no-progress"])
    capsys.readouterr()
    assert run_command(report, [ASSIGNMENT, "--course", str(tiny["course"]),
                                "--out", str(tiny["out"])]) == 0
    printed = capsys.readouterr().out
    rows = list(csv.DictReader((tiny["out"] / "report.csv").open()))
    lost = {row["test"]: int(row["lost"]) for row in rows}
    # blank, invalid-json and no-notebook lose both; half-right loses relu only
    assert lost == {"test_weighted_sum": 3, "test_relu": 4}
    assert [row["test"] for row in rows] == ["test_weighted_sum", "test_relu"]
    assert "test_relu" in printed
    assert (tiny["out"] / "report.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.grading
def test_report_without_grades_says_what_to_do(tiny, capsys):
    assert run_command(report, [ASSIGNMENT, "--course", str(tiny["course"])]) == 2
    assert "nnkit-course grade" in capsys.readouterr().err


@pytest.mark.grading
def test_grade_refuses_an_unknown_assignment(tiny, capsys):
    code = run_command(grade, ["99-nothing", str(tiny["submissions"]),
                               "--course", str(tiny["course"])])
    assert code == 2
    assert "no instructor notebook" in capsys.readouterr().err


@pytest.mark.grading
def test_without_bubblewrap_grading_still_works_and_says_it_is_unsandboxed(
        tiny, monkeypatch, caplog):
    monkeypatch.setattr(sandbox, "sandbox_works", lambda: False)
    caplog.set_level(logging.WARNING)
    argv = [ASSIGNMENT, str(tiny["submissions"]), "--course", str(tiny["course"]),
            "--out", str(tiny["out"]), "--jobs", "1", "--no-progress"]
    assert run_command(grade, argv) == 0
    with (tiny["out"] / "grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert float(rows["good"]["score"]) == MAX_SCORE
    assert "unsandboxed" in rows["good"]["flags"]
    assert "UNSANDBOXED" in caplog.text


# --- the course's exercises ------------------------------------------------------

def _course_copy(tmp_path):
    """The course root and its notebooks, copied so the repository's gradebook stays clean."""
    for folder in ("course", "solutions", "exercises"):
        shutil.copytree(REPOSITORY / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("gradebook.db", "grading-output"))
    return tmp_path / "course"


@pytest.fixture(scope="module")
def every_assignment(tmp_path_factory):
    """Every assignment graded once: its solution and its untouched student notebook."""
    missing = [a for a in ASSIGNMENTS if not (REPOSITORY / "solutions" / a).is_dir()]
    if missing:
        pytest.skip(f"no solutions for {', '.join(missing)} yet")
    root = tmp_path_factory.mktemp("every")
    course = _course_copy(root)
    rows = {}
    for assignment in ASSIGNMENTS:
        submissions = root / "submissions" / assignment
        for student, folder in (("solution", "solutions"), ("untouched", "exercises")):
            (submissions / student).mkdir(parents=True)
            shutil.copy(REPOSITORY / folder / assignment / f"{assignment}.ipynb",
                        submissions / student)
        out = root / "out" / assignment
        assert run_command(grade, [assignment, str(submissions), "--course", str(course),
                                   "--out", str(out), "--jobs", "2", "--no-progress"]) == 0
        rows[assignment] = read_rows(out / "grades.csv")
    return rows


@pytest.mark.grading
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_solution_gets_full_marks(every_assignment, assignment):
    row = every_assignment[assignment]["solution"]
    assert (row["status"], row["flags"]) == ("graded", ""), row
    assert float(row["score"]) == float(row["max_score"]) > 0, row


@pytest.mark.grading
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_untouched_student_notebook_gets_zero(every_assignment, assignment):
    row = every_assignment[assignment]["untouched"]
    assert (row["status"], float(row["score"]), row["flags"]) == ("graded", 0.0, ""), row


@pytest.mark.grading
def test_a_mixed_batch_keeps_every_student(tmp_path):
    assignment = "01-neuron"
    if not (REPOSITORY / "solutions" / assignment).is_dir():
        pytest.skip("no 01-neuron solution yet")
    course = _course_copy(tmp_path)
    submissions = tmp_path / "submissions"
    solution = REPOSITORY / "solutions" / assignment / f"{assignment}.ipynb"
    blank = REPOSITORY / "exercises" / assignment / f"{assignment}.ipynb"
    for student, source in (("good", solution), ("blank", blank)):
        (submissions / student).mkdir(parents=True)
        shutil.copy(source, submissions / student)
    wrong = nbformat.read(solution, as_version=4)
    for cell in wrong.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "weighted_sum":
            cell.source = "def weighted_sum(x, w, b):\n    return float(sum(x)) + b\n"
    (submissions / "wrong").mkdir()
    nbformat.write(wrong, submissions / "wrong" / f"{assignment} (1).ipynb")
    patcher = nbformat.read(submissions / "wrong" / f"{assignment} (1).ipynb", as_version=4)
    patcher.cells.insert(2, nbformat.v4.new_code_cell(
        "import nnkit.tutor\n"
        "for name in dir(nnkit.tutor):\n"
        "    if name.startswith('check'):\n"
        "        setattr(nnkit.tutor, name, lambda *a, **k: None)\n"))
    (submissions / "patcher").mkdir()
    nbformat.write(patcher, submissions / "patcher" / f"{assignment}.ipynb")
    (submissions / "broken").mkdir()
    (submissions / "broken" / f"{assignment}.ipynb").write_text('{"cells": [')
    (submissions / "absent").mkdir()
    out = tmp_path / "out"
    assert run_command(grade, [assignment, str(submissions), "--course", str(course),
                               "--out", str(out), "--no-progress"]) == 0
    rows = read_rows(out / "grades.csv")
    assert sorted(rows) == ["absent", "blank", "broken", "good", "patcher", "wrong"]
    assert float(rows["good"]["score"]) == float(rows["good"]["max_score"])
    assert float(rows["blank"]["score"]) == 0
    assert 0 < float(rows["wrong"]["score"]) < float(rows["wrong"]["max_score"])
    # no-op checks pass in the student's notebook; the grader's replay does not
    assert float(rows["patcher"]["score"]) == float(rows["wrong"]["score"])
    assert Flag.TAMPERING in rows["patcher"]["flags"]
    assert Flag.TAMPERING not in rows["wrong"]["flags"]
    assert (rows["broken"]["status"], rows["absent"]["status"]) == \
        ("invalid notebook", "no notebook")
    feedback = sorted(p.parent.name for p in (out / "feedback").rglob("*.html"))
    assert feedback == ["blank", "good", "patcher", "wrong"]
    assert "BEGIN HIDDEN TESTS" not in (out / "feedback" / "wrong" /
                                        f"{assignment}.html").read_text()


@pytest.mark.grading
def test_grading_benchmark_smoke_run_checks_equal_scores():
    import sys

    if str(REPOSITORY) not in sys.path:
        sys.path.insert(0, str(REPOSITORY))
    from benchmarks import ROW_KEYS, bench_grading

    rows = bench_grading.run(smoke=True)
    assert [r["variant"] for r in rows] == ["nbgrader autograde (sequential)",
                                            "nnkit-course grade --jobs 1",
                                            "nnkit-course grade --jobs 2"]
    assert all(set(r) == set(ROW_KEYS) and r["median_s"] > 0 for r in rows)
    assert rows[2]["ratio"] > 0
