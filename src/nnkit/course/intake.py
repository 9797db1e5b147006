"""Finding, reading and repairing what a student handed in.

An LMS download has one folder per student, and what is inside varies: the
notebook under its own name, renamed by the browser (``01-neuron (1).ipynb``),
two copies, none, a file that is not JSON, an old nbformat, or 100 MB of
embedded plots. This module turns a folder into the cells to grade, or into a
clear sentence saying why it cannot. It reads through :mod:`nnkit.course.files`:
no link is ever followed and no file is read past its cap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nnkit.course.files import Inventory, Refused, inventory, read_file
from nnkit.course.notebook_json import (  # noqa: F401 (part of this module's interface)
    MAX_CELL_SOURCE,
    MAX_TOTAL_SOURCE,
    SubmissionError,
    limited,
    parse_cells,
)
from nnkit.course.safe_text import from_file_name

_COPY_MARKS = re.compile(r"(^copy of\s+|\s*\(\d+\)|[-_ ]?copy\d*)", re.IGNORECASE)


@dataclass
class Submission:
    """The notebook chosen for one assignment notebook, and notes about the choice."""

    path: Path
    relative: str = ""
    cells: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def simplified_name(name: str) -> str:
    """A notebook name without browser copy marks, case and punctuation.

    >>> simplified_name("01-Neuron (1).ipynb") == simplified_name("01-neuron.ipynb")
    True
    >>> simplified_name("Copy of 01-neuron-Copy1.ipynb")
    '01neuron'
    """
    stem = name[:-6] if name.lower().endswith(".ipynb") else name
    stem = _COPY_MARKS.sub("", stem)
    return re.sub(r"[^a-z0-9]", "", stem.lower())


def choose_notebook(folder: Path, notebook: str, grade_ids: set[str], others: int = 0,
                    max_bytes: int | None = None, avoid: frozenset = frozenset(),
                    found: Inventory | None = None, reader=None) -> Submission:
    """The file in ``folder`` that is the student's ``notebook`` (a name without ``.ipynb``).

    Exact name first, then the same name with copy marks, then, when the
    assignment has one notebook, the only notebook there or the one carrying
    the most of the assignment's cell ids. Notebooks named like another
    assignment (``avoid``) are never taken for this one. A notebook that is a
    link is never followed: one that leads out of the folder (to the
    instructor's files or a classmate's) is refused and flagged.
    ``reader(relative)`` reads a candidate's cells (default: :func:`read_cells`).
    """
    found = found if found is not None else inventory(folder)
    _refuse_linked_notebooks(found, notebook)
    reader = reader or (lambda relative: read_cells(folder / relative, max_bytes))
    avoided = {simplified_name(name) for name in avoid}
    every = [entry.relative for entry in found.notebooks()]
    candidates = [r for r in every if simplified_name(_name(r)) not in avoided]
    if not every:
        raise SubmissionError("no notebook", f"no .ipynb file in the folder "
                              f"(expected {notebook}.ipynb)")
    if not candidates:
        raise SubmissionError("no notebook", "only notebooks of other assignments "
                              f"({', '.join(from_file_name(_name(r)) for r in every)}); "
                              f"expected {notebook}.ipynb")
    exact = [r for r in candidates if _name(r) == f"{notebook}.ipynb"]
    similar = [r for r in candidates if simplified_name(_name(r)) == simplified_name(notebook)]
    for group, how in ((exact, None), (similar, "renamed")):
        if group:
            return _pick(folder, group, candidates, notebook, grade_ids, how, reader)
    if others:
        raise SubmissionError("no notebook", f"no notebook named like {notebook}.ipynb")
    return _pick(folder, candidates, candidates, notebook, grade_ids, "renamed", reader)


def _name(relative: str) -> str:
    return relative.rsplit("/", 1)[-1]


def _refuse_linked_notebooks(found: Inventory, notebook: str) -> None:
    outside = [entry for entry in found.linked_notebooks() if entry.leaves_folder]
    if outside:
        raise SubmissionError("refused", "; ".join(entry.describe() for entry in outside)
                              + ": a notebook must be a file of its own, not a link to "
                              "another one", flagged=True)


def _pick(folder, group, candidates, notebook, grade_ids, how, reader):
    notes = []
    if len(group) == 1:
        chosen = group[0]
    else:
        chosen = max(group, key=lambda r: (_ids_found(r, grade_ids, reader),
                                           _mtime(folder / r), r))
        notes.append(f"{len(group)} notebooks found; graded {from_file_name(_name(chosen))}")
    if how == "renamed" and _name(chosen) != f"{notebook}.ipynb":
        notes.append(f"graded {from_file_name(_name(chosen))} as {notebook}.ipynb")
    ignored = [from_file_name(_name(r)) for r in candidates if r != chosen]
    if ignored and len(group) == 1:
        notes.append(f"ignored {', '.join(ignored)}")
    return Submission(path=folder / chosen, relative=chosen, notes=notes)


def _mtime(path: Path) -> float:
    try:
        return path.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0


def _ids_found(relative: str, grade_ids: set[str], reader) -> int:
    try:
        cells = reader(relative)
    except SubmissionError:
        return -1
    return len({_grade_id(cell) for cell in cells} & grade_ids)


def _grade_id(cell) -> str | None:
    nbgrader = cell["metadata"].get("nbgrader")
    return nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None


def read_cells(path: Path, max_bytes: int | None = None) -> list[dict]:
    """The cells of a notebook file as ``{cell_type, source, metadata}``, outputs dropped.

    The file is opened without following links and read with a cap counted
    while reading. Raises :class:`SubmissionError` for a file that is too
    large, a link, not UTF-8 JSON, or not a notebook. The grader itself reads
    submissions in a separate process (:mod:`nnkit.course.notebook_reader`),
    so that a file built to take gigabytes of memory when parsed costs it nothing.
    """
    size = path.stat(follow_symlinks=False).st_size
    if max_bytes is not None and size > max_bytes:
        raise SubmissionError("too large", f"{path.name} is {size / 1e6:.0f} MB, more than "
                              f"the {max_bytes / 1e6:.0f} MB a notebook may have")
    try:
        data = read_file(path.parent, path.name, max_bytes or 1 << 40)
    except Refused as error:
        raise SubmissionError("refused", str(error)) from None
    return parse_cells(data, path.name)
