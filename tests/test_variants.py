"""nnkit.tutor.variants: each student's numbers, and grading every variant with real nbgrader."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nnkit.tutor.variants import Variant, for_student, seed_for, student_id

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "01-neuron"


@pytest.fixture
def no_id(monkeypatch):
    for name in ("NNKIT_STUDENT_ID", "JUPYTERHUB_USER", "NBGRADER_EXECUTION"):
        monkeypatch.delenv(name, raising=False)


# --- the variants --------------------------------------------------------------------------


def test_without_an_id_the_default_variant_is_the_released_exercise(no_id):
    variant = for_student(ASSIGNMENT)
    assert variant.is_default and variant.seed is None
    assert variant.rng(101).normal(size=3).tolist() == \
        np.random.default_rng(101).normal(size=3).tolist()
    assert variant.neuron_example() == ([2.0, 3.0, -1.0], [0.5, -0.2, 0.8], 0.1)


def test_students_get_different_stable_numbers(no_id):
    alice, bob = for_student(ASSIGNMENT, "alice"), for_student(ASSIGNMENT, "bob")
    assert alice.rng(101).normal(size=3).tolist() != bob.rng(101).normal(size=3).tolist()
    assert alice.rng(101).normal(size=3).tolist() == \
        for_student(ASSIGNMENT, "alice").rng(101).normal(size=3).tolist()
    assert alice.rng(101).normal() != for_student(ASSIGNMENT).rng(101).normal()
    assert alice.neuron_example() != for_student(ASSIGNMENT).neuron_example()
    assert seed_for("01-neuron", "alice") != seed_for("02-activations", "alice")
    assert seed_for("01-neuron", "alice") == 6962466450769102848  # the same on every machine


def test_the_id_comes_from_the_argument_then_the_grader_then_the_hub(no_id, monkeypatch,
                                                                     tmp_path):
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user")
    assert student_id() == "hub-user"
    folder = tmp_path / "autograded" / "carol" / ASSIGNMENT
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert student_id() == "carol"
    monkeypatch.setenv("NNKIT_STUDENT_ID", "dave")
    assert student_id() == "dave"
    assert student_id("erin") == "erin"
    monkeypatch.setenv("NNKIT_STUDENT_ID", "  ")
    assert for_student(ASSIGNMENT).student == "carol"


def test_an_unknown_assignment_is_named():
    with pytest.raises(ValueError, match="expected an assignment id such as '01-neuron', "
                                         "got '07-x'"):
        for_student("07-x")


def test_a_variant_is_a_plain_comparable_value(no_id):
    assert for_student(ASSIGNMENT) == Variant(ASSIGNMENT, None, None)


# --- the exercise's tests, run in this process ------------------------------------------------


def _cells(notebook_path):
    notebook = nbformat.read(notebook_path, as_version=4)
    return {cell.get("id"): cell for cell in notebook.cells if cell.cell_type == "code"}


def _weighted_sum_test_calls(student):
    """The (x, w, b) -> z table the weighted_sum tests ask for in ``student``'s variant."""
    cells = _cells(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    table = {}

    def weighted_sum(x, w, b):
        x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
        if x.shape != w.shape:
            raise ValueError(f"x has shape {x.shape} but w has shape {w.shape}")
        z = float(x @ w + b)
        table[repr((np.round(x, 12).tolist(), np.round(w, 12).tolist(), round(float(b), 12)))] = z
        return z

    scope = {"__name__": "__main__"}
    exec(cells["setup"].source, scope)
    scope["weighted_sum"] = weighted_sum
    with pytest.MonkeyPatch.context() as patch:
        if student is None:
            patch.delenv("NNKIT_STUDENT_ID", raising=False)
        else:
            patch.setenv("NNKIT_STUDENT_ID", student)
        patch.delenv("JUPYTERHUB_USER", raising=False)
        exec(cells["test_weighted_sum"].source, scope)
    return table


def _copied_answers(table):
    """A weighted_sum that only knows the answers printed in someone's notebook."""
    return (
        "import numpy as np\n"
        f"ANSWERS = {table!r}\n"
        "def weighted_sum(x, w, b):\n"
        "    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)\n"
        "    if x.shape != w.shape:\n"
        "        raise ValueError(f'x has shape {x.shape} but w has shape {w.shape}')\n"
        "    key = repr((np.round(x, 12).tolist(), np.round(w, 12).tolist(),\n"
        "                round(float(b), 12)))\n"
        "    return ANSWERS[key]\n"
    )


def test_copied_answers_pass_only_the_variant_they_were_copied_from(no_id, monkeypatch):
    from nnkit.tutor import CheckFailed

    scope = {"__name__": "__main__"}
    exec(_copied_answers(_weighted_sum_test_calls(None)), scope)
    cells = _cells(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    exec(cells["setup"].source, scope)
    exec(cells["test_weighted_sum"].source, dict(scope))  # the default variant: passes
    monkeypatch.setenv("NNKIT_STUDENT_ID", "bob")
    with pytest.raises((CheckFailed, KeyError)):
        exec(cells["test_weighted_sum"].source, dict(scope))


# --- nnkit-course grade: every student graded in their own variant ----------------------------


def _submission(folder: Path, replaced: dict[str, str]):
    """The released notebook with the solution's answers (some replaced), in ``folder``."""
    solutions = ROOT / "solutions" / ASSIGNMENT
    answers = _cells(solutions / f"{ASSIGNMENT}.ipynb")
    notebook = nbformat.read(ROOT / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                             as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = replaced.get(cell.id, answers[cell.id].source)
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")
    if (solutions / "challenge-answers").is_dir():
        shutil.copytree(solutions / "challenge-answers", folder / "challenge-answers")


@pytest.mark.grading
def test_grade_gives_each_student_their_variant(tmp_path, monkeypatch):
    from nnkit.course import cli, grade

    monkeypatch.delenv("NNKIT_STUDENT_ID", raising=False)
    root = tmp_path / "repo"
    (root / "course").mkdir(parents=True)
    shutil.copy(ROOT / "course" / "nbgrader_config.py", root / "course")
    for kind in ("solutions", "exercises"):
        shutil.copytree(ROOT / kind / ASSIGNMENT, root / kind / ASSIGNMENT)
    submissions = tmp_path / "submissions"
    copied = {"weighted_sum": _copied_answers(_weighted_sum_test_calls("alice")),
              "neuron": "import numpy as np\n"
                        "def neuron(x, w, b, activation):\n"
                        "    return activation(float(np.dot(np.asarray(x, dtype=float),\n"
                        "                                   np.asarray(w, dtype=float)) + b))\n"}
    _submission(submissions / "alice", {})
    _submission(submissions / "bob", {})
    _submission(submissions / "bob-copied", copied)  # alice's printed answers, handed in by bob
    out = tmp_path / "out"
    args = cli.parse_args(["grade", ASSIGNMENT, str(submissions), "--course", str(root / "course"),
                              "--out", str(out), "--jobs", "2", "--no-progress"])
    assert grade.run(args) == 0
    rows = {r["student"]: r for r in csv.DictReader((out / "grades.csv").open())}
    assert {s: rows[s]["score"] for s in rows} == {"alice": "11", "bob": "11",
                                                   "bob-copied": "9"}
    # bob handed in alice's answers: the 2 points of weighted_sum's tests are lost
    # the same copied notebook, graded as the student it was copied from: full marks
    alone = tmp_path / "alone"
    _submission(alone / "alice", copied)
    args = cli.parse_args(["grade", ASSIGNMENT, str(alone), "--course", str(root / "course"),
                              "--out", str(tmp_path / "out2"), "--jobs", "1", "--no-progress"])
    assert grade.run(args) == 0
    rows = {r["student"]: r for r in csv.DictReader((tmp_path / "out2" / "grades.csv").open())}
    assert rows["alice"]["score"] == "11", rows["alice"]
