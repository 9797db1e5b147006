"""Finding, reading and repairing what a student handed in.

An LMS download has one folder per student, and what is inside varies: the
notebook under its own name, renamed by the browser (``01-neuron (1).ipynb``),
two copies, none, a file that is not JSON, an old nbformat, or 100 MB of
embedded plots. This module turns a folder into the cells to grade, or into a
clear sentence saying why it cannot. It reads through :mod:`nnkit.course.files`:
no link is ever followed and no file is read past its cap.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from nnkit.course.files import Inventory, Refused, inventory, read_file
from nnkit.course.safe_text import from_file_name

MAX_CELL_SOURCE = 100_000
"""Characters of one cell's source that are read (a longer cell is cut)."""
MAX_TOTAL_SOURCE = 2_000_000
"""Characters of source read from one notebook, all cells together."""
_COPY_MARKS = re.compile(r"(^copy of\s+|\s*\(\d+\)|[-_ ]?copy\d*)", re.IGNORECASE)


class SubmissionError(Exception):
    """A submission that cannot be graded; the message says why, for grades.csv.

    ``flagged`` marks what only cheating explains (a notebook that links to
    someone else's file).
    """

    def __init__(self, status: str, message: str, flagged: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.flagged = flagged


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


def notebooks_in(folder: Path) -> list[Path]:
    """Every regular ``.ipynb`` file under ``folder`` (no links), hidden folders left out."""
    return [folder / entry.relative for entry in inventory(folder).notebooks()]


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


def parse_cells(data: bytes, name: str) -> list[dict]:
    """The cells of a notebook given as bytes (see :func:`read_cells`).

    >>> parse_cells(b'{"cells": [{"cell_type": "code", "source": ["x = 1"]}]}', "n.ipynb")
    [{'cell_type': 'code', 'source': 'x = 1', 'metadata': {}}]
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise SubmissionError("invalid notebook",
                              f"{name} is not a text file ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise SubmissionError("invalid notebook", f"{name} is not valid JSON "
                              f"(line {error.lineno}, column {error.colno}: {error.msg}); "
                              "it may have been cut short or edited by hand") from None
    except RecursionError:
        raise SubmissionError("invalid notebook", f"{name} is JSON nested too deeply "
                              "to be a notebook") from None
    raw_cells = _raw_cells(document, name)
    cells = [cell for cell in map(_clean_cell, raw_cells) if cell is not None]
    if not cells:
        raise SubmissionError("invalid notebook", f"{name} has no cells")
    return cells


def _raw_cells(document, name):
    if not isinstance(document, dict):
        raise SubmissionError("invalid notebook",
                              f"{name} is JSON but not a notebook (no cells)")
    if isinstance(document.get("cells"), list):
        return document["cells"]
    worksheets = document.get("worksheets")
    if isinstance(worksheets, list):  # nbformat 3
        return [cell for sheet in worksheets if isinstance(sheet, dict)
                for cell in sheet.get("cells", []) if isinstance(cell, dict)]
    raise SubmissionError("invalid notebook", f"{name} is JSON but not a notebook "
                          f"(nbformat {document.get('nbformat', '?')}, no cells)")


def _clean_cell(cell):
    if not isinstance(cell, dict):
        return None
    cell_type = cell.get("cell_type")
    if cell_type not in ("code", "markdown", "raw", "heading"):
        return None
    source = cell.get("source", cell.get("input", ""))
    if isinstance(source, list):
        source = "".join(part for part in source if isinstance(part, str))
    if not isinstance(source, str):
        return None
    metadata = cell.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    if cell_type == "heading":
        cell_type = "markdown"
    nbgrader = _clean_nbgrader(metadata.get("nbgrader"))
    return {"cell_type": cell_type, "source": source[:MAX_CELL_SOURCE],
            "metadata": {"nbgrader": nbgrader} if nbgrader else {}}


_NBGRADER_KEYS = {"grade_id": str, "solution": bool, "grade": bool, "locked": bool,
                  "task": bool, "points": (int, float), "schema_version": int}


def _clean_nbgrader(info) -> dict:
    """The cell's nbgrader metadata, known keys of the right type only."""
    if not isinstance(info, dict):
        return {}
    kept = {key: value for key, value in info.items()
            if key in _NBGRADER_KEYS and isinstance(value, _NBGRADER_KEYS[key])}
    if isinstance(kept.get("grade_id"), str):
        kept["grade_id"] = kept["grade_id"][:200]
    return kept


def limited(cells: list[dict], max_cells: int) -> tuple[list[dict], list[str]]:
    """At most ``max_cells`` cells and :data:`MAX_TOTAL_SOURCE` characters; notes on what was cut.

    >>> kept, notes = limited([{"source": "x"}] * 3, max_cells=2)
    >>> len(kept), notes
    (2, ['the notebook has 3 cells; only the first 2 were read (cell limit)'])
    """
    kept, total = [], 0
    for cell in cells[:max_cells]:
        total += len(cell["source"])
        if total > MAX_TOTAL_SOURCE:
            break
        kept.append(cell)
    notes = []
    if len(kept) < len(cells):
        notes.append(f"the notebook has {len(cells)} cells; only the first {len(kept)} were "
                     "read (cell limit)")
    return kept, notes
