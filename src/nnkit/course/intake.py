"""Finding, reading and repairing what a student handed in.

An LMS download has one folder per student, and what is inside varies: the
notebook under its own name, renamed by the browser (``01-neuron (1).ipynb``),
two copies, none, a file that is not JSON, an old nbformat, or 100 MB of
embedded plots. This module turns a folder into the cells to grade, or into a
clear sentence saying why it cannot.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

IGNORED_FOLDERS = {".ipynb_checkpoints", "__MACOSX", "__pycache__", ".git"}
_COPY_MARKS = re.compile(r"(^copy of\s+|\s*\(\d+\)|[-_ ]?copy\d*)", re.IGNORECASE)


class SubmissionError(Exception):
    """A submission that cannot be graded; the message says why, for grades.csv."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Submission:
    """The notebook chosen for one assignment notebook, and notes about the choice."""

    path: Path
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
    """Every ``.ipynb`` file under ``folder``, checkpoints and hidden folders left out."""
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        parts = path.relative_to(folder).parts
        if any(part in IGNORED_FOLDERS or part.startswith(".") for part in parts):
            continue
        if path.is_file():
            found.append(path)
    return found


def choose_notebook(folder: Path, notebook: str, grade_ids: set[str], others: int = 0,
                    max_bytes: int | None = None, avoid: frozenset = frozenset()) -> Submission:
    """The file in ``folder`` that is the student's ``notebook`` (a name without ``.ipynb``).

    Exact name first, then the same name with copy marks, then, when the
    assignment has one notebook, the only notebook there or the one carrying
    the most of the assignment's cell ids. Notebooks named like another
    assignment (``avoid``) are never taken for this one.
    """
    avoided = {simplified_name(name) for name in avoid}
    found = notebooks_in(folder)
    candidates = [p for p in found if simplified_name(p.name) not in avoided]
    if not found:
        raise SubmissionError("no notebook", f"no .ipynb file in the folder "
                              f"(expected {notebook}.ipynb)")
    if not candidates:
        raise SubmissionError("no notebook", f"only notebooks of other assignments "
                              f"({', '.join(p.name for p in found)}); expected {notebook}.ipynb")
    exact = [p for p in candidates if p.name == f"{notebook}.ipynb"]
    similar = [p for p in candidates if simplified_name(p.name) == simplified_name(notebook)]
    for group, how in ((exact, None), (similar, "renamed")):
        if group:
            return _pick(group, candidates, notebook, grade_ids, how, max_bytes)
    if others:
        raise SubmissionError("no notebook", f"no notebook named like {notebook}.ipynb")
    return _pick(candidates, candidates, notebook, grade_ids, "renamed", max_bytes)


def _pick(group, candidates, notebook, grade_ids, how, max_bytes):
    notes = []
    if len(group) == 1:
        chosen = group[0]
    else:
        chosen = max(group, key=lambda p: (_ids_found(p, grade_ids, max_bytes),
                                           p.stat().st_mtime, str(p)))
        notes.append(f"{len(group)} notebooks found; graded {chosen.name}")
    if how == "renamed" and chosen.name != f"{notebook}.ipynb":
        notes.append(f"graded {chosen.name} as {notebook}.ipynb")
    ignored = [p.name for p in candidates if p != chosen]
    if ignored and len(group) == 1:
        notes.append(f"ignored {', '.join(ignored)}")
    return Submission(path=chosen, notes=notes)


def _ids_found(path: Path, grade_ids: set[str], max_bytes) -> int:
    try:
        cells = read_cells(path, max_bytes)
    except SubmissionError:
        return -1
    return len({_grade_id(cell) for cell in cells} & grade_ids)


def _grade_id(cell) -> str | None:
    nbgrader = cell["metadata"].get("nbgrader")
    return nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None


def read_cells(path: Path, max_bytes: int | None = None) -> list[dict]:
    """The cells of a notebook file as ``{cell_type, source, metadata}``, outputs dropped.

    Accepts nbformat 4 and the nbformat 3 ``worksheets`` layout; cells that are
    not cells are skipped. Raises :class:`SubmissionError` for a file that is
    too large, not UTF-8 JSON, or not a notebook.
    """
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise SubmissionError("too large", f"{path.name} is {size / 1e6:.0f} MB, more than "
                              f"the {max_bytes / 1e6:.0f} MB a notebook may have")
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise SubmissionError("invalid notebook",
                              f"{path.name} is not a text file ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise SubmissionError("invalid notebook", f"{path.name} is not valid JSON "
                              f"(line {error.lineno}, column {error.colno}: {error.msg}); "
                              "it may have been cut short or edited by hand") from None
    raw_cells = _raw_cells(document, path)
    cells = [cell for cell in map(_clean_cell, raw_cells) if cell is not None]
    if not cells:
        raise SubmissionError("invalid notebook", f"{path.name} has no cells")
    return cells


def _raw_cells(document, path):
    if not isinstance(document, dict):
        raise SubmissionError("invalid notebook",
                              f"{path.name} is JSON but not a notebook (no cells)")
    if isinstance(document.get("cells"), list):
        return document["cells"]
    worksheets = document.get("worksheets")
    if isinstance(worksheets, list):  # nbformat 3
        return [cell for sheet in worksheets if isinstance(sheet, dict)
                for cell in sheet.get("cells", []) if isinstance(cell, dict)]
    raise SubmissionError("invalid notebook", f"{path.name} is JSON but not a notebook "
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
    return {"cell_type": cell_type, "source": source,
            "metadata": {"nbgrader": metadata["nbgrader"]}
            if isinstance(metadata.get("nbgrader"), dict) else {}}
