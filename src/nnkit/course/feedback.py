"""The student's feedback page: nbgrader's feedback template, hidden tests left out.

The page is rendered from the rebuilt notebook and its sandboxed outputs, not
from a file the student's code could have written. Test cells show only their
visible part; an error in a test shows the check's own message (what was
called, what came back, what was expected, a hint) and no traceback lines, so
hidden test code appears nowhere in the page.
"""

from __future__ import annotations

import os
from functools import lru_cache

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nnkit.course.repair import without_hidden_tests

HIDDEN_NOTE = "# (further tests are hidden; they ran when your notebook was graded)\n"


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


def _outputs(outcome: dict | None, show_lines: bool) -> list:
    if outcome is None:
        return []
    outputs = []
    if outcome.get("stdout"):
        outputs.append(new_output("stream", name="stdout", text=outcome["stdout"]))
    if outcome.get("result") is not None:
        outputs.append(new_output("execute_result", data={"text/plain": outcome["result"]},
                                  execution_count=None))
    error = outcome.get("error")
    if error:
        lines = error.get("lines", []) if show_lines else []
        outputs.append(new_output("error", ename=error["ename"], evalue=error["evalue"],
                                  traceback=[*lines, f"{error['ename']}: {error['evalue']}"]))
    return outputs


def feedback_notebook(cells: list, outcomes: dict, scores: dict,
                      notes: list) -> nbformat.NotebookNode:
    """The notebook the feedback page shows, with scores in nbgrader's cell metadata."""
    shown = []
    if notes:
        shown.append(new_markdown_cell("**Notes from the grader**\n\n" +
                                       "\n".join(f"- {note}" for note in notes)))
    for index, cell in enumerate(cells):
        metadata = {"nbgrader": dict(cell.metadata.get("nbgrader", {}))} if cell.metadata else {}
        if cell.cell_type != "code":
            shown.append(new_markdown_cell(cell.source, metadata=metadata))
            continue
        source = cell.source
        if cell.kind == "test":
            source = without_hidden_tests(source)
            if cell.has_hidden_tests:
                source = source.rstrip("\n") + "\n" + HIDDEN_NOTE
        if cell.kind == "test" and cell.grade_id in scores:
            score, message = scores[cell.grade_id]
            metadata["nbgrader"].update(score=score, points=cell.points)
            outcome = outcomes.get(index)
            if message:
                outcome = {**(outcome or {}), "error": {"ename": "Recheck", "evalue": message,
                                                        "lines": []}}
        else:
            outcome = outcomes.get(index)
        code = new_code_cell(source, metadata=metadata)
        code.outputs = _outputs(outcome, cell.kind in ("answer", "extra"))
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
