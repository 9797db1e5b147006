"""The student's feedback page: nbgrader's feedback template, hidden tests left out.

The page is rendered from the rebuilt notebook and its sandboxed outputs, not
from a file the student's code could have written. Test cells show only their
visible part; an error in a test shows the check's own message (what was
called, what came back, what was expected, a hint) and no traceback lines, so
hidden test code appears nowhere in the page.

Student text never becomes markup: printed output, shown values and errors
are escaped by nbconvert's templates, and the grader's notes (which quote
file names and messages the student chose) are escaped here and shown as one
HTML block that markdown does not interpret. A student's own code shown on
the page is cut past :data:`MAX_CODE_SHOWN` characters in all.
"""

from __future__ import annotations

import html
import os
from dataclasses import replace
from functools import lru_cache

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nnkit.course.outcome import CellError, CellKind, CellOutcome
from nnkit.course.repair import without_hidden_tests
from nnkit.course.safe_text import one_line

HIDDEN_NOTE = "# (further tests are hidden; they ran when your notebook was graded)\n"
MAX_CODE_SHOWN = 200_000


@lru_cache(maxsize=1)
def _exporter():
    import nbgrader
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    templates = os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions",
                             "formgrader", "templates")
    css = os.path.join(templates, "..", "static", "node_modules", "bootstrap", "dist", "css")
    config = Config()
    config.HTMLExporter.template_name = "feedback"
    config.HTMLExporter.extra_template_basedirs = [templates]
    config.HTMLExporter.extra_template_paths = [os.path.abspath(css)]
    return HTMLExporter(config=config)


def _outputs(outcome: CellOutcome | None, show_lines: bool) -> list:
    if outcome is None:
        return []
    outputs = []
    if outcome.stdout:
        outputs.append(new_output("stream", name="stdout", text=outcome.stdout))
    if outcome.result is not None:
        outputs.append(new_output("execute_result", data={"text/plain": outcome.result},
                                  execution_count=None))
    error = outcome.error
    if error:
        lines = list(error.lines) if show_lines else []
        outputs.append(new_output("error", ename=error.ename, evalue=error.evalue,
                                  traceback=[*lines, error.text]))
    return outputs


def notes_cell(notes: list):
    """The grader's notes as one escaped HTML block (student text in it stays text).

    >>> print(notes_cell(["graded <b>x</b>.ipynb as n.ipynb"]).source)
    <div class="nnkit-grader-notes"><p><strong>Notes from the grader</strong></p><ul><li>graded &lt;b&gt;x&lt;/b&gt;.ipynb as n.ipynb</li></ul></div>
    """  # noqa: E501
    items = "".join(f"<li>{html.escape(one_line(note, 2000))}</li>" for note in notes)
    return new_markdown_cell('<div class="nnkit-grader-notes"><p><strong>Notes from the '
                             f"grader</strong></p><ul>{items}</ul></div>")


def _shown_code(source: str, room: list) -> str:
    """A student's code, cut once the page has shown :data:`MAX_CODE_SHOWN` characters."""
    if len(source) <= room[0]:
        room[0] -= len(source)
        return source
    kept = source[:max(room[0], 0)]
    room[0] = 0
    return kept + f"\n# [{len(source) - len(kept)} more characters of this cell not shown]\n"


def feedback_notebook(cells: list, outcomes: dict, scores: dict,
                      notes: list) -> nbformat.NotebookNode:
    """The notebook the feedback page shows, with scores in nbgrader's cell metadata."""
    shown = [notes_cell(notes)] if notes else []
    room = [MAX_CODE_SHOWN]
    for index, cell in enumerate(cells):
        metadata = {"nbgrader": dict(cell.metadata.get("nbgrader", {}))} if cell.metadata else {}
        if cell.cell_type != "code":
            shown.append(new_markdown_cell(cell.source, metadata=metadata))
            continue
        source = cell.source
        if cell.kind == CellKind.TEST:
            source = without_hidden_tests(source)
            if cell.has_hidden_tests:
                source = source.rstrip("\n") + "\n" + HIDDEN_NOTE
        student_code = cell.kind in (CellKind.ANSWER, CellKind.EXTRA)
        if student_code:
            source = _shown_code(source, room)
        outcome = outcomes.get(index)
        if cell.kind == CellKind.TEST and cell.grade_id in scores:
            score, message = scores[cell.grade_id]
            metadata["nbgrader"].update(score=score, points=cell.points)
            if message:
                outcome = replace(outcome or CellOutcome(index),
                                  error=CellError("Recheck", message))
        code = new_code_cell(source, metadata=metadata)
        code.outputs = _outputs(outcome, student_code)
        shown.append(code)
    return new_notebook(cells=shown, metadata={"kernelspec": {"name": "python3",
                                                             "display_name": "Python 3",
                                                             "language": "python"}})


def render(notebook, name: str, score: float, max_score: float) -> str:
    """The feedback page as HTML."""
    resources = {"nbgrader": {"notebook": name, "score": score, "max_score": max_score,
                              "late_penalty": 0}}
    body, _ = _exporter().from_notebook_node(notebook, resources=resources)
    return body
