"""The notebook that is actually run: the instructor's cells with the student's answers.

nbgrader overwrites a submission's test cells from the gradebook, but a
duplicated, deleted, re-typed or metadata-stripped cell throws it off. Here
the graded notebook is rebuilt the other way round, from the instructor's
source: every test, locked and text cell comes from the instructor, only the
answer cells (and any code cells the student added, in their place) come from
the submission. What was found missing or changed is reported, never rewarded.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from nnkit.course.outcome import CellKind

HIDDEN_TESTS = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?",
                          re.MULTILINE | re.DOTALL)
SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*",
                      re.MULTILINE | re.DOTALL)


@dataclass
class GradedCell:
    """One cell of the rebuilt notebook.

    ``kind`` is one of :class:`~nnkit.course.outcome.CellKind`: the student's
    code (``answer``), the instructor's test with its hidden tests (``test``),
    an instructor cell the student may not change (``fixed``) or a code cell
    the student added (``extra``). ``origin`` is the index of the instructor
    cell it stands for (``None`` for a student's own cell).
    """

    kind: str
    cell_type: str
    source: str
    grade_id: str | None = None
    points: float = 0.0
    metadata: dict = field(default_factory=dict)
    origin: int | None = None

    @property
    def has_hidden_tests(self) -> bool:
        """Whether this cell holds tests the student must not see."""
        return bool(HIDDEN_TESTS.search(self.source))


@dataclass
class Rebuilt:
    """The cells to run and the sentences describing what had to be repaired."""

    cells: list
    repairs: list


def nbgrader_info(cell) -> dict:
    """The ``nbgrader`` metadata of a cell (an empty dict when it has none)."""
    info = cell.get("metadata", {}).get("nbgrader")
    return info if isinstance(info, dict) else {}


def without_hidden_tests(source: str) -> str:
    """The source as students see it: hidden test regions removed.

    >>> without_hidden_tests("a\\n### BEGIN HIDDEN TESTS\\nb\\n### END HIDDEN TESTS\\nc")
    'a\\nc'
    """
    return HIDDEN_TESTS.sub("", source)


def defined_names(source: str) -> set[str]:
    """Top-level functions and classes a piece of code defines.

    >>> sorted(defined_names("def f(x):\\n    return x\\nclass G: pass"))
    ['G', 'f']
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(re.findall(r"^(?:def|class)\s+(\w+)", source, re.MULTILINE))
    return {node.name for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}


def _kind(cell) -> str:
    info = nbgrader_info(cell)
    if info.get("solution"):
        return CellKind.ANSWER
    if info.get("grade") and cell.get("cell_type") == "code":
        return CellKind.TEST
    return CellKind.FIXED


def _normalised(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def rebuild(instructor_cells: list, student_cells: list) -> Rebuilt:
    """Rebuild the notebook to grade from the instructor's and the student's cells.

    Both are lists of ``{cell_type, source, metadata}`` dicts.
    """
    ids = {nbgrader_info(c).get("grade_id"): (i, c) for i, c in enumerate(instructor_cells)
           if nbgrader_info(c).get("grade_id")}
    answers, extras, repairs = _sort_student_cells(instructor_cells, student_cells, ids)
    cells = list(extras.get(-1, []))
    for index, cell in enumerate(instructor_cells):
        info = nbgrader_info(cell)
        kind = _kind(cell)
        grade_id = info.get("grade_id")
        source = cell["source"]
        if kind == CellKind.ANSWER:
            if grade_id in answers:
                source = "\n\n".join(answers[grade_id])
            else:
                source = "# (this answer cell was not found in the submission)\n"
                repairs.append(f"answer cell {grade_id} missing")
        cells.append(GradedCell(kind=kind, cell_type=cell["cell_type"], source=source,
                                grade_id=grade_id, points=float(info.get("points", 0) or 0),
                                metadata={"nbgrader": info} if info else {}, origin=index))
        cells.extend(extras.get(index, []))
    return Rebuilt(cells=cells, repairs=repairs)


def _sort_student_cells(instructor_cells, student_cells, ids):
    answers: dict[str, list[str]] = {}
    extras: dict[int, list[GradedCell]] = {}
    repairs: list[str] = []
    unclaimed = []
    seen: dict[str, int] = {}
    anchor = -1
    for cell in student_cells:
        grade_id = nbgrader_info(cell).get("grade_id")
        if grade_id in ids:
            index, original = ids[grade_id]
            seen[grade_id] = seen.get(grade_id, 0) + 1
            anchor = index
            if _kind(original) == CellKind.ANSWER and cell["cell_type"] == "code":
                answers.setdefault(grade_id, []).append(cell["source"])
            elif _kind(original) != CellKind.ANSWER:
                _note_change(original, cell, grade_id, seen[grade_id], repairs)
            continue
        if cell["cell_type"] != "code" or not cell["source"].strip():
            continue
        unclaimed.append((anchor, cell))
    _claim_stripped_answers(instructor_cells, ids, answers, unclaimed, repairs)
    for anchor_index, cell in unclaimed:
        if cell is not None:
            extras.setdefault(anchor_index, []).append(
                GradedCell(kind=CellKind.EXTRA, cell_type="code", source=cell["source"]))
    for grade_id, (_, original) in ids.items():
        if _kind(original) != CellKind.ANSWER and grade_id not in seen and \
                original["cell_type"] == "code":
            repairs.append(f"{_kind(original)} cell {grade_id} was deleted; restored")
    return answers, extras, repairs


def _note_change(original, cell, grade_id, count, repairs):
    kind = _kind(original)
    if count == 2:
        repairs.append(f"{kind} cell {grade_id} was duplicated; the copy was dropped")
    if count > 1:
        return
    if cell["cell_type"] != original["cell_type"]:
        repairs.append(f"{kind} cell {grade_id} was changed to {cell['cell_type']}; restored")
    elif original["cell_type"] == "code" and _normalised(cell["source"]) not in (
            _normalised(without_hidden_tests(original["source"])),
            _normalised(original["source"])):
        repairs.append(f"{kind} cell {grade_id} was edited; restored")


def _claim_stripped_answers(instructor_cells, ids, answers, unclaimed, repairs):
    """Answer cells that lost their metadata, recognised by the functions they define."""
    for grade_id, (_, original) in ids.items():
        if _kind(original) != CellKind.ANSWER or grade_id in answers:
            continue
        wanted = defined_names(original["source"])
        for position, (anchor, cell) in enumerate(unclaimed):
            if cell is not None and wanted and wanted & defined_names(cell["source"]):
                answers[grade_id] = [cell["source"]]
                unclaimed[position] = (anchor, None)
                repairs.append(f"answer cell {grade_id} had lost its nbgrader metadata; "
                               "recognised by the functions it defines")
                break
