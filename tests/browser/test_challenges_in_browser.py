"""A slider challenge solved in a real browser, saved, then autograded without one.

In JupyterLab (headless chromium) the learner opens exercise 03-layers, runs
the challenge cell, moves four of the XOR network's sliders with the keyboard
until it computes XOR with both hidden biases at 0, presses **Check my answer**
and saves. The saved folder is then graded by ``nnkit-course grade``: the
challenge's point comes from the values the sliders were moved to, read back
from the folder.
Skipped without chromium (see conftest.py); a failure when CI=true.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.browser.conftest import stopped

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "03-layers"
CHALLENGE_CELL_ID = "challenge-xor"

pytestmark = pytest.mark.grading


def _cell_index(notebook_path, cell_id):
    cells = json.loads(notebook_path.read_text(encoding="utf-8"))["cells"]
    return next(i for i, cell in enumerate(cells) if cell.get("id") == cell_id)


def _grade(folder, tmp_path):
    from nnkit.course import cli, grade

    for name in ("course", "solutions", "exercises"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("gradebook.db", "grading-output",
                                                      "challenge-answers"))
    submissions = tmp_path / "submissions"
    shutil.copytree(folder, submissions / "learner",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    out = tmp_path / "out"
    assert grade.run(cli.parse_args(["grade", ASSIGNMENT, str(submissions), "--course",
                                        str(tmp_path / "course"), "--out", str(out),
                                        "--jobs", "1", "--no-progress"])) == 0
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        return next(csv.DictReader(handle))


def _move(cell, label, start, key, presses, end):
    """Press ``key`` on the slider ``label`` ``presses`` times, from ``start`` to ``end``."""
    page = cell.page
    slider = cell.locator(".widget-slider", has=page.locator(
        "label", has_text=re.compile(rf"^{re.escape(label)}$")))
    readout = slider.locator(".widget-readout")
    readout.wait_for()
    assert float(readout.inner_text().strip().replace("\u2212", "-")) == start, label
    slider.locator(".noUi-handle").focus()
    for _ in range(presses):
        page.keyboard.press(key)
    page.wait_for_function(
        "([el, end]) => Math.abs(parseFloat(el.textContent.trim()"
        ".replace('\\u2212', '-')) - end) < 1e-6",
        arg=[readout.element_handle(), end])


def test_a_challenge_solved_with_the_slider_is_graded_from_the_saved_folder(
        open_notebook, jupyter_lab, tmp_path):
    relative = Path("exercises") / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    served = jupyter_lab.root_dir / relative
    index = _cell_index(served, CHALLENGE_CELL_ID)
    notebook = open_notebook(relative.as_posix())
    page = notebook.page
    notebook.run_cells(index, index)
    cell = notebook.cell(index)

    # From the challenge's start (the lesson's network computing OR) to XOR without hidden
    # biases: relu(x1 - x2) + relu(x2 - x1). Each slider moves in steps of 0.1.
    _move(cell, "b1[1]", -1.0, "ArrowRight", 10, 0.0)
    _move(cell, "W1[0,1]", 1.0, "ArrowLeft", 20, -1.0)
    _move(cell, "W1[1,0]", 1.0, "ArrowLeft", 20, -1.0)
    # The last slider is moved and Check clicked while the kernel is stopped, as when it is
    # busy: ipywidgets then holds the slider's newest value back, but not the click.
    with stopped(jupyter_lab.kernel_process(relative.as_posix())):
        _move(cell, "W2[0,1]", 0.0, "ArrowRight", 10, 1.0)
        cell.get_by_role("button", name="Check my answer").click()
    status = cell.locator(".widget-hbox .widget-html", has_text="stored in")
    status.wait_for()
    assert "Right: XOR with both hidden biases at 0" in status.inner_text(), status.inner_text()
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-mod-dirty, .lm-TabBar-tab.jp-mod-current.jp-mod-dirty')")

    folder = served.parent
    stored = json.loads((folder / "challenge-answers" / "xor.json").read_text())
    assert stored["values"]["W2[0,1]"] == pytest.approx(1.0)
    assert stored["values"]["b1[1]"] == pytest.approx(0.0, abs=1e-9)
    row = _grade(folder, tmp_path)
    assert row["status"] == "graded", row
    assert float(row["score"]) == 1.0, row  # the challenge's point; nothing else is answered
    assert "suspected tampering" not in row["flags"], row
