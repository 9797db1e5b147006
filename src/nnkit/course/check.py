"""``nnkit-course check``: prove that the exercises are ready to hand out.

Three things must hold for every assignment, and each failure names the
notebook and what went wrong:

1. ``exercises/`` is exactly what ``nnkit-course build`` would produce from
   ``solutions/`` today (a stale or hand-edited student notebook fails);
2. the instructor notebook passes every one of its tests, hidden ones
   included (run through nbgrader's Validator machinery, since ``nbgrader
   validate`` exits 0 even when tests fail);
3. the untouched student notebook scores nothing and fails only with
   ``NotImplementedError``: no test passes by accident and no test crashes
   for another reason before the learner has written a line.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .build import BuildFailed, generate
from .course_dir import Course, load_course
from .outcome import from_nbgrader_cell, passed

NOT_IMPLEMENTED = "NotImplementedError"


@dataclass(frozen=True)
class Problem:
    """One reason the course is not ready: which notebook, and what is wrong."""

    notebook: str
    message: str

    def __str__(self) -> str:
        return f"{self.notebook}: {self.message}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                        help="assignment ids to check (default: all of the course's)")


def run(args: argparse.Namespace) -> int:
    course = load_course(args.course)
    problems = []
    for assignment in course.select(args.assignments):
        found = check_assignment(course, assignment)
        print(f"{assignment}: {'ok' if not found else f'{len(found)} problem(s)'}")
        problems.extend(found)
    if problems:
        print("\nThe course is not ready:")
        for problem in problems:
            print(f"- {problem}")
        return 1
    print("All exercises are up to date, the solutions pass, the blanks score nothing.")
    return 0


def check_assignment(course: Course, assignment: str) -> list[Problem]:
    """Every problem found with ``assignment`` (an empty list when it is ready)."""
    with tempfile.TemporaryDirectory(prefix="nnkit-check-") as scratch:
        try:
            built = generate(course, assignment, release_dir=Path(scratch))
        except BuildFailed as failure:
            return [Problem(_shown(course.source_notebook(assignment)),
                            f"nbgrader cannot generate the student version: {failure.reason}")]
        problems = compare_folders(built, course.release_dir / assignment, course)
        problems += check_solution(course.source_notebook(assignment), course)
        problems += check_blank(built / f"{assignment}.ipynb", course,
                                shown_as=course.release_notebook(assignment))
    return problems


# -- 1. exercises/ equals a fresh build ----------------------------------------------------

def compare_folders(built: Path, committed: Path, course: Course) -> list[Problem]:
    """Differences between a fresh build and the committed student folder."""
    rebuild = "run `nnkit-course build` and commit the result"
    if not committed.is_dir():
        return [Problem(_shown(committed), f"missing; {rebuild}")]
    built_files = _relative_files(built)
    committed_files = _relative_files(committed)
    problems = [Problem(_shown(committed / name), f"missing; {rebuild}")
                for name in sorted(built_files - committed_files)]
    problems += [Problem(_shown(committed / name),
                         f"is not produced by the build from {_shown(course.source_dir)}; "
                         "remove it or add it to the solutions")
                 for name in sorted(committed_files - built_files)]
    for name in sorted(built_files & committed_files):
        if not filecmp.cmp(built / name, committed / name, shallow=False):
            detail = _notebook_difference(built / name, committed / name)
            problems.append(Problem(_shown(committed / name),
                                    f"differs from a fresh build ({detail}); {rebuild}"))
    return problems


def _relative_files(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
            and ".ipynb_checkpoints" not in path.parts}


def _notebook_difference(built: Path, committed: Path) -> str:
    """A short description of the first difference between two notebooks."""
    if built.suffix != ".ipynb":
        return "contents differ"
    try:
        new = nbformat.read(built, as_version=4)
        old = nbformat.read(committed, as_version=4)
    except Exception as error:  # an unreadable committed notebook is itself the difference
        return f"the committed file is not a readable notebook: {error}"
    if len(new.cells) != len(old.cells):
        return f"{len(old.cells)} cells committed, {len(new.cells)} built"
    for index, (new_cell, old_cell) in enumerate(zip(new.cells, old.cells, strict=True)):
        if new_cell != old_cell:
            name = new_cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            label = f"cell {index + 1}" + (f" '{name}'" if name else "")
            what = "source" if new_cell.get("source") != old_cell.get("source") else "metadata"
            return f"{label}: its {what} differs"
    return "notebook metadata or formatting differs"


# -- 2. the solutions pass; 3. the blanks fail only with NotImplementedError ------------------

def check_solution(notebook: Path, course: Course) -> list[Problem]:
    """Problems with the instructor notebook: every graded test must pass."""
    executed = _executed_or_problem(notebook, course, notebook)
    if isinstance(executed, Problem):
        return [executed]
    problems = _shown_values(executed, notebook)
    for cell in _code_cells(executed):
        name = _cell_name(cell)
        error = _error_text(cell)
        if _is_grade(cell):
            if not passed(from_nbgrader_cell(cell)):
                problems.append(Problem(_shown(notebook),
                                        f"test cell '{name}' fails on the solution: {error}"))
        elif error:
            problems.append(Problem(_shown(notebook), f"cell '{name}' raises: {error}"))
    return problems


def check_blank(notebook: Path, course: Course, shown_as: Path) -> list[Problem]:
    """Problems with the untouched student notebook: nothing may pass, all fail cleanly."""
    executed = _executed_or_problem(notebook, course, shown_as)
    if isinstance(executed, Problem):
        return [executed]
    problems = _shown_values(executed, shown_as)
    for cell in _code_cells(executed):
        name = _cell_name(cell)
        error = _error_text(cell)
        if _is_grade(cell):
            points = _points(cell)
            if points > 0 and passed(from_nbgrader_cell(cell)):
                problems.append(Problem(_shown(shown_as),
                                        f"test cell '{name}' gives {points:g} of {points:g} "
                                        "points before anything is implemented"))
        if error and NOT_IMPLEMENTED not in _error_names(cell):
            problems.append(Problem(_shown(shown_as),
                                    f"cell '{name}' fails with something other than "
                                    f"NotImplementedError before anything is implemented: {error}"))
    return problems


def _executed_or_problem(notebook: Path, course: Course, shown_as: Path):
    """The executed notebook, or the Problem saying why it could not be run at all."""
    try:
        return execute(notebook, course)
    except Exception as error:  # unreadable notebook, kernel that does not start, ...
        return Problem(_shown(shown_as), f"could not be run: {type(error).__name__}: "
                                         f"{_plain(str(error))[:300]}")


def _shown_values(nb: nbformat.NotebookNode, shown_as: Path) -> list[Problem]:
    """Test cells that end with an expression: nbgrader reads its value as the score."""
    return [
        Problem(_shown(shown_as),
                f"test cell '{_cell_name(cell)}' shows a value ({_plain(text)[:60]}); nbgrader "
                "takes a number shown by a test cell as its partial credit, so end the cell "
                "with a statement (a print, or `;` after the last call)")
        for cell in _code_cells(nb) if _is_grade(cell)
        for output in cell.get("outputs", []) if output.get("output_type") == "execute_result"
        for text in [output.get("data", {}).get("text/plain", "")]
    ]


def execute(notebook: Path, course: Course) -> nbformat.NotebookNode:
    """Run ``notebook`` the way ``nbgrader validate`` does and return it with outputs."""
    from nbgrader import utils
    from nbgrader.validator import Validator

    validator = Validator(config=course.config)
    nb = nbformat.read(notebook, as_version=nbformat.NO_CONVERT)
    resources: dict = {}
    with utils.chdir(str(notebook.parent)), \
            utils.setenv(NBGRADER_VALIDATING="1", NBGRADER_EXECUTION="validate"):
        for preprocessor in validator.preprocessors:
            nb, resources = preprocessor(parent=validator).preprocess(nb, resources)
    return nb


def _code_cells(nb: nbformat.NotebookNode) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def _is_grade(cell) -> bool:
    from nbgrader import utils

    return utils.is_grade(cell)


def _points(cell) -> float:
    return float(cell.metadata.nbgrader.get("points", 0) or 0)


def _cell_name(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id", "?")


def _error_names(cell) -> set[str]:
    """The exception names a cell's error output mentions (chained ones included)."""
    names = set()
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            names.add(output.get("ename", ""))
            names.update(word for word in _plain("\n".join(output.get("traceback", []))).split()
                         if word.rstrip(":") == NOT_IMPLEMENTED)
    return {name.rstrip(":") for name in names}


def _error_text(cell) -> str:
    """The error a cell showed, in one line, or '' when it ran cleanly."""
    error = from_nbgrader_cell(cell).error
    if error is None:
        return ""
    if error.ename == "stderr":
        return f"wrote to stderr: {_plain(error.evalue)[:300]}"
    return f"{error.ename}: {_plain(error.evalue)}".strip()


def _plain(text: str) -> str:
    from nbconvert.filters import strip_ansi

    return " ".join(strip_ansi(text).split())


def _shown(path: Path) -> str:
    """A path as the instructor typed it: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else relative
