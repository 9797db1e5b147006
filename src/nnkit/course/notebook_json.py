"""Reading a notebook file's cells, and nothing else: the part that runs in a process of its own.

This module imports only the standard library, so that the grader can run it
as a script (``python -I notebook_json.py``) in a fresh process that starts
in milliseconds: it reads the notebook from stdin, limits its own memory,
drops the outputs and prints the cells as JSON (see
:mod:`nnkit.course.notebook_reader`, the grader's side). The grader decodes
what it prints against its schema (:func:`nnkit.course.replies.decode_cells`).
"""

from __future__ import annotations

import json
import resource
import sys

MAX_CELL_SOURCE = 100_000
"""Characters of one cell's source that are read (a longer cell is cut)."""
MAX_TOTAL_SOURCE = 2_000_000
"""Characters of source read from one notebook, all cells together."""

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


def main(argv: list[str]) -> None:
    """``notebook_json.py MAX_BYTES MAX_CELLS MEMORY_BYTES NAME``: the cells of stdin as JSON."""
    max_bytes, max_cells, memory = (int(value) for value in argv[:3])
    name = argv[3]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise SubmissionError("too large", f"{name} is larger than the "
                                  f"{max_bytes / 1e6:.0f} MB a notebook may have")
        cells, notes = limited(parse_cells(data, name), max_cells)
        reply = {"cells": cells, "notes": notes}
    except SubmissionError as error:
        reply = {"status": error.status, "message": error.message}
    except MemoryError:
        reply = {"status": "too large", "message": f"{name} needs more memory to read than "
                 "a notebook may take"}
    sys.stdout.write(json.dumps(reply))


if __name__ == "__main__":
    main(sys.argv[1:])
