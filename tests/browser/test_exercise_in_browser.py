"""A learner's exercise in JupyterLab: type a solution, run the visible test, read the answer.

The student notebook of ``01-neuron`` is used as it is released: its
``weighted_sum`` solution cell is found by its nbgrader id, typed into, and
run from the top down to and including the test cell under it.
"""

from __future__ import annotations

import json

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

EXERCISE = "exercises/01-neuron/01-neuron.ipynb"
SOLUTION_ID, TEST_ID = "weighted_sum", "test_weighted_sum"
RUN_TIMEOUT = 60_000

CORRECT = '''def weighted_sum(x, w, b):
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    if x.shape != w.shape:
        raise ValueError(f"x has {x.size} values but w has {w.size}")
    return float(np.dot(w, x) + b)
'''

FORGETS_THE_BIAS = '''def weighted_sum(x, w, b):
    return float(np.dot(w, x))
'''


def _cell_index(notebook_path, grade_id):
    """Where the cell with this nbgrader id sits among all cells."""
    cells = json.loads(notebook_path.read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return index
    pytest.fail(f"{notebook_path.name} has no cell with the nbgrader id {grade_id!r}")


def test_a_solution_typed_in_the_browser_is_checked_like_a_tutor(
    jupyter_lab, open_notebook, screenshots
):
    solution = _cell_index(jupyter_lab.root_dir / EXERCISE, SOLUTION_ID)
    test = _cell_index(jupyter_lab.root_dir / EXERCISE, TEST_ID)
    notebook = open_notebook(EXERCISE)
    output = notebook.cell(test).locator(".jp-OutputArea")

    notebook.replace_source(solution, CORRECT)
    notebook.run_cells(0, test)
    expect(output).to_contain_text("Well done", timeout=RUN_TIMEOUT)
    expect(output).to_contain_text("weighted_sum: the worked example")
    expect(output.locator('[data-mime-type="application/vnd.jupyter.stderr"]')).to_have_count(0)
    expect(output.locator('[data-mime-type="application/vnd.jupyter.stdout"]')).to_have_count(1)
    notebook.cell(test).screenshot(path=screenshots / "exercise-01-neuron-right.png")

    notebook.replace_source(solution, FORGETS_THE_BIAS)
    notebook.run_cells(solution, test)
    expect(output).to_contain_text("CheckFailed", timeout=RUN_TIMEOUT)
    expect(output).to_contain_text("without the bias")
    expect(output).to_contain_text("expected:")
    # the success line is not printed (it shows only as source in the traceback)
    expect(output.locator('[data-mime-type="application/vnd.jupyter.stdout"]')).to_have_count(0)
    notebook.cell(test).screenshot(path=screenshots / "exercise-01-neuron-wrong.png")
