"""A tiny nbgrader course used by the grading tests: one assignment, two functions.

It is small and fast on purpose (each notebook runs in well under a second)
and its tests compare with ``np.allclose`` and ``==`` the way careless test
code does, so that the hostile submissions have something to fool.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ASSIGNMENT = "00-tiny"
MAX_SCORE = 5.0

SETUP = "import numpy as np"

WEIGHTED_SUM = '''def weighted_sum(x, w, b):
    """z = sum of w_i * x_i, plus b, as a float."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.shape != w.shape:
        raise ValueError(f"x has shape {x.shape} but w has shape {w.shape}")
    return float(x @ w + b)
    ### END SOLUTION'''

TEST_WEIGHTED_SUM = '''assert np.allclose(weighted_sum([1.0, 2.0], [3.0, 4.0], 0.5), 11.5)
print("weighted_sum: the worked example is right.")
### BEGIN HIDDEN TESTS
assert weighted_sum([0.0, 0.0], [5.0, 7.0], -1.25) == -1.25, "the bias is not added"
assert np.allclose(weighted_sum([2.0, -1.0, 3.0], [0.5, 0.25, -2.0], 0.0), -5.25)
try:
    weighted_sum([1.0, 2.0], [1.0], 0.0)
except ValueError:
    pass
else:
    raise AssertionError("x and w of different lengths should raise ValueError")
### END HIDDEN TESTS'''

RELU = '''def relu(z):
    """max(0, z), element-wise."""
    ### BEGIN SOLUTION
    return np.maximum(0.0, np.asarray(z, dtype=float))
    ### END SOLUTION'''

TEST_RELU = '''assert np.allclose(relu([-1.0, 2.0]), [0.0, 2.0])
print("relu: the worked example is right.")
### BEGIN HIDDEN TESTS
assert np.allclose(relu(np.array([[-3.0, 0.0], [4.5, -0.5]])), [[0.0, 0.0], [4.5, 0.0]])
assert relu(-7.0) == 0.0, "a negative number gives 0"
assert np.asarray(relu(2.5)).shape == ()
### END HIDDEN TESTS'''

CLOSING = "What does a neuron with a ReLU compute when its weighted sum is negative?"


def _meta(grade_id, *, solution=False, grade=False, locked=False, points=0):
    info = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked,
            "schema_version": 3}
    if grade:
        info["points"] = points
    return {"nbgrader": info}


def source_notebook():
    """The instructor notebook (nbgrader source) of the tiny assignment."""
    return new_notebook(cells=[
        new_markdown_cell("# A tiny exercise\nWrite `weighted_sum` and `relu`.",
                          metadata=_meta("intro", locked=True)),
        new_code_cell(SETUP, metadata=_meta("setup", locked=True)),
        new_code_cell(WEIGHTED_SUM, metadata=_meta("weighted_sum", solution=True)),
        new_code_cell(TEST_WEIGHTED_SUM, metadata=_meta("test_weighted_sum", grade=True,
                                                        locked=True, points=3)),
        new_code_cell(RELU, metadata=_meta("relu", solution=True)),
        new_code_cell(TEST_RELU, metadata=_meta("test_relu", grade=True, locked=True,
                                                points=2)),
        new_markdown_cell(CLOSING),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}})


CONFIG = '''import os
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "tiny"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = os.path.join("..", "solutions")
c.CourseDirectory.release_directory = os.path.join("..", "exercises")
c.NnkitCourse.assignments = ["{assignment}"]
c.NnkitGrading.limits = {{"cell_timeout": 5, "notebook_timeout": 40, "memory_mb": 768,
                          "min_notebook_timeout": 8}}
'''


def make_course(root: Path) -> Path:
    """Write the tiny course under ``root``; returns its course folder (the nbgrader root)."""
    course = root / "course"
    course.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(CONFIG.format(assignment=ASSIGNMENT))
    source = root / "solutions" / ASSIGNMENT
    source.mkdir(parents=True)
    nbformat.write(source_notebook(), source / f"{ASSIGNMENT}.ipynb")
    release = root / "exercises" / ASSIGNMENT
    release.mkdir(parents=True)
    nbformat.write(student_notebook(), release / f"{ASSIGNMENT}.ipynb")
    return course


def student_notebook(answers: dict | None = None):
    """The student version; ``answers`` maps an answer cell id to the code written there.

    Without an answer a cell holds nbgrader's stub (``raise NotImplementedError()``);
    hidden tests are removed as nbgrader removes them.
    """
    from nnkit.course.repair import SOLUTION, without_hidden_tests

    notebook = source_notebook()
    answers = answers or {}
    for cell in notebook.cells:
        info = cell.metadata.get("nbgrader", {})
        if info.get("solution"):
            cell.source = answers.get(info["grade_id"], SOLUTION.sub(
                r"\1raise NotImplementedError()", cell.source))
        elif info.get("grade"):
            cell.source = without_hidden_tests(cell.source)
    return notebook


def solution_code(grade_id: str) -> str:
    """The instructor's answer for one cell, markers removed (what a good student writes)."""
    source = {"weighted_sum": WEIGHTED_SUM, "relu": RELU}[grade_id]
    return "\n".join(line for line in source.splitlines() if "###" not in line)
