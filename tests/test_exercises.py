"""The exercises grade what they should.

Each notebook is run in-process, cell by cell, the way a kernel would: the
setup and answer cells define the functions, then every test cell runs and
either passes (its points are earned) or raises. Swapping the code of an answer
cell shows what a learner's version would score:

- the solutions pass every test, hidden ones included;
- the student versions' visible tests pass with the solutions' code, and fail
  on the blank notebook with a tutor's message or NotImplementedError, never a
  bare AssertionError;
- plausible wrong answers lose the points of what they get wrong, and correct
  answers written another way (a loop, np.where, a lookup table) lose nothing.

Autograding the same notebooks end to end with nbgrader is tested with the
grading command.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from nnkit.tutor import exercises
from nnkit.tutor.messages import CheckFailed
from tests import exercises as test_data

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = list(exercises.ASSIGNMENT_IDS)


@dataclass
class Cell:
    name: str
    source: str
    points: float
    graded: bool
    answer: bool


@dataclass
class Outcome:
    points: float
    max_points: float
    errors: dict  # test cell name -> the exception it raised

    def lost(self) -> set[str]:
        return set(self.errors)


def cells_of(folder: str, assignment: str) -> list[Cell]:
    nb = nbformat.read(ROOT / folder / assignment / f"{assignment}.ipynb", as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        cells.append(Cell(name=meta.get("grade_id", cell.get("id", "")), source=cell.source,
                          points=float(meta.get("points", 0) or 0),
                          graded=bool(meta.get("grade")), answer=bool(meta.get("solution"))))
    return cells


def run(cells: list[Cell], answers: dict[str, str] | None = None) -> Outcome:
    """Run the cells in one namespace; ``answers`` replaces answer cells' code by name."""
    answers = answers or {}
    namespace: dict = {"__name__": "__main__"}
    points = max_points = 0.0
    errors = {}
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("default")
        for cell in cells:
            source = textwrap.dedent(answers.get(cell.name, cell.source))
            max_points += cell.points
            try:
                exec(compile(source, f"<cell {cell.name}>", "exec"), namespace)
            except Exception as error:
                if cell.answer and isinstance(error, NotImplementedError):
                    continue  # an answer cell the learner has not filled in yet
                if not cell.graded:
                    raise
                errors[cell.name] = error
            else:
                points += cell.points
    return Outcome(points, max_points, errors)


def solution_answers(assignment: str) -> dict[str, str]:
    return {cell.name: cell.source for cell in cells_of("solutions", assignment) if cell.answer}


@pytest.fixture(autouse=True)
def _own_working_folder(tmp_path, monkeypatch):
    """Each test in its own folder: answers a solution stores for a slider challenge
    (challenge-answers/ in the working folder) never reach a blank notebook's run."""
    monkeypatch.chdir(tmp_path)


# --------------------------------------------------------------------------- solutions, blanks

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_passes_every_test(assignment):
    outcome = run(cells_of("solutions", assignment))
    assert outcome.errors == {}
    assert outcome.points == outcome.max_points
    assert 9 <= outcome.max_points <= 12


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_tests_pass_on_the_solution(assignment):
    outcome = run(cells_of("exercises", assignment), solution_answers(assignment))
    assert outcome.errors == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_tests_fail_helpfully_on_the_blank(assignment):
    outcome = run(cells_of("exercises", assignment))
    graded = [cell.name for cell in cells_of("exercises", assignment) if cell.graded]
    assert outcome.points == 0
    assert set(outcome.errors) == set(graded)
    for name, error in outcome.errors.items():
        tutor = isinstance(error, CheckFailed) and len(str(error)) > 40
        assert isinstance(error, NotImplementedError) or tutor, (name, type(error), str(error))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_hides_hidden_tests_and_solutions(assignment):
    for cell in cells_of("exercises", assignment):
        assert "BEGIN HIDDEN TESTS" not in cell.source
        assert "BEGIN SOLUTION" not in cell.source
        if cell.answer:
            assert "raise NotImplementedError()" in cell.source


def intro_cells(folder: str, assignment: str) -> str:
    nb = nbformat.read(ROOT / folder / assignment / f"{assignment}.ipynb", as_version=4)
    return "\n".join(cell.source for cell in nb.cells[:3] if cell.cell_type == "markdown")


@pytest.mark.parametrize("lesson_id", ASSIGNMENTS)
def test_every_cell_that_says_raise_not_implemented_error_is_one_to_fill_in(lesson_id):
    """The notebook's instruction, "fill in every cell that says raise NotImplementedError()",
    is true: each such cell is an answer cell, and none catches the error and moves on."""
    instruction = "fill in every cell that says\n`raise NotImplementedError()`"
    assert instruction in intro_cells("exercises", lesson_id)
    for cell in cells_of("exercises", lesson_id):
        if "NotImplementedError" in cell.source:
            assert cell.answer, (cell.name, "says NotImplementedError but is no answer cell")
            assert "except NotImplementedError" not in cell.source, cell.name


# --------------------------------------------------------------------------- wrong answers

def _data(assignment):
    return test_data.for_exercise(exercises.find(assignment))


CASES = [(assignment, label) for assignment in ASSIGNMENTS
         for label in _data(assignment).WRONG_ANSWERS]


@pytest.mark.parametrize(("assignment", "label"), CASES)
def test_a_wrong_answer_loses_the_points_of_what_it_gets_wrong(assignment, label):
    cell, code, expected_lost = _data(assignment).WRONG_ANSWERS[label]
    outcome = run(cells_of("solutions", assignment), {cell: code})
    assert outcome.lost() == expected_lost, {k: str(v)[:200] for k, v in outcome.errors.items()}
    assert outcome.points < outcome.max_points
    for error in outcome.errors.values():
        assert isinstance(error, CheckFailed), (type(error), str(error))


def test_every_assignment_has_wrong_answers_to_two_functions():
    for assignment in ASSIGNMENTS:
        cells = {cell for cell, _, _ in _data(assignment).WRONG_ANSWERS.values()}
        assert len(cells) >= 2, assignment


# --------------------------------------------------------------------------- other correct answers

def other_correct_answers(assignment):
    """Every answer cell written another way, the challenge reached with other values."""
    data = _data(assignment)
    cell, moves = data.CHALLENGE_ANSWER
    return {**data.OTHER_CORRECT_ANSWERS, cell: f"{moves}\nview.check()\n"}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_correct_answer_written_another_way_gets_full_marks(assignment):
    outcome = run(cells_of("solutions", assignment), other_correct_answers(assignment))
    assert outcome.errors == {}, {k: str(v)[:300] for k, v in outcome.errors.items()}
    assert outcome.points == outcome.max_points


def test_alternatives_replace_every_answer_cell():
    for assignment in ASSIGNMENTS:
        answers = {cell.name for cell in cells_of("solutions", assignment) if cell.answer}
        assert set(other_correct_answers(assignment)) == answers, assignment
