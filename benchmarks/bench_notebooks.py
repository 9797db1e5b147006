"""Notebooks: how long each lesson and each solution notebook takes to run headless.

Every notebook runs top to bottom in a fresh kernel with nbclient, from its own
folder, exactly as ``make test`` runs it; a cell that raises fails the
benchmark (a notebook that errors is not "fast"). The time includes starting
the kernel. Target: each at most 15 s. A notebook that does not exist yet gets
a row saying so. The smoke mode runs a one-cell notebook through the same code
instead, and only reads the real ones.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks import row
from nnkit.tutor.exercises import ASSIGNMENT_IDS

AREA = "notebooks"
TARGET_S = 15.0
ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ASSIGNMENT_IDS


def expected_notebooks() -> list[tuple[str, Path | None]]:
    """``(label, path or None if missing)`` for every lesson and solution notebook."""
    found = []
    for assignment in ASSIGNMENTS:
        lessons = sorted((ROOT / "lessons").glob(f"{assignment}*.ipynb"))
        found.append((f"lessons/{assignment}.ipynb", lessons[0] if lessons else None))
    for assignment in ASSIGNMENTS:
        path = ROOT / "solutions" / assignment / f"{assignment}.ipynb"
        found.append((f"solutions/{assignment}", path if path.exists() else None))
    return found


def execute(notebook, folder: Path) -> float:
    """Run ``notebook`` (a NotebookNode) in a fresh kernel from ``folder``; seconds taken."""
    from nbclient import NotebookClient  # only needed here

    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def run(smoke: bool) -> list[dict]:
    import nbformat

    rows = []
    if smoke:
        tiny = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import nnkit")])
        seconds = execute(tiny, ROOT)
        rows.append(row(AREA, "one-cell notebook (smoke)", "nbclient", seconds,
                        seconds / TARGET_S, 1.0, note="ratio: time / 15 s"))
    for label, path in expected_notebooks():
        if path is None:
            rows.append(row(AREA, label, "nbclient", None, note="missing: not written yet"))
            continue
        notebook = nbformat.read(path, as_version=4)
        if smoke:
            rows.append(row(AREA, label, "read only (smoke)", None,
                            note=f"{len(notebook.cells)} cells"))
            continue
        seconds = execute(notebook, path.parent)
        rows.append(row(AREA, label, "nbclient", seconds, seconds / TARGET_S, 1.0,
                        note="ratio: time / 15 s"))
    return rows
