"""``nnkit-course build``: generate the student notebooks from the instructor's.

Runs nbgrader's GenerateAssignment converter (the code behind ``nbgrader
generate_assignment``) for every assignment: solution regions become
``raise NotImplementedError()``, hidden tests disappear, outputs are cleared
and checksums are written. The result is the ``exercises/`` folder that
learners receive; it is committed and never edited by hand. The same
solutions always give the same bytes, so ``nnkit-course check`` can compare.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .course_dir import Course, CourseError, load_course


class BuildFailed(CourseError):
    """nbgrader could not generate an assignment; ``reason`` is the gist in one line."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason or message.splitlines()[0]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                        help="assignment ids to build (default: all of the course's)")


def run(args: argparse.Namespace) -> int:
    course = load_course(args.course)
    for assignment in course.select(args.assignments):
        generate(course, assignment)
        print(f"built {os.path.relpath(course.release_notebook(assignment))}")
    return 0


def generate(course: Course, assignment: str, release_dir: Path | None = None) -> Path:
    """Generate the student version of ``assignment``; return its folder.

    With ``release_dir`` the notebooks go there instead of the course's
    release folder and the gradebook is left alone (what ``check`` compares
    with); otherwise the assignment is also recorded in the course's
    gradebook, as ``nbgrader generate_assignment`` does, so that autograding
    can restore test cells from it.
    """
    from nbgrader.apps import NbGraderAPI

    source = course.source_notebook(assignment)
    if not source.is_file():
        raise BuildFailed(f"{assignment}: no instructor notebook at {source}")
    if release_dir is None:
        config = course.config_with()
        target = course.release_dir / assignment
    else:
        release_dir = Path(release_dir).resolve()
        config = course.config_with(release_directory=str(release_dir))
        config.GenerateAssignment.no_database = True
        config.GenerateAssignment.preprocessors = _preprocessors_without_gradebook()
        target = release_dir / assignment
    result = NbGraderAPI(config=config).generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        log = f"{result.get('log', '')}{result.get('error', '')}"
        raise BuildFailed(f"{assignment}: nbgrader could not generate the student version:\n"
                          f"{log}", reason=_first_error(log))
    return target


def _first_error(log: str) -> str:
    """The first exception line of nbgrader's log (the cause, not the aftermath)."""
    for line in log.splitlines():
        text = line.strip()
        name = text.split(":", 1)[0]
        if name.endswith(("Error", "Exception")) and " " not in name:
            return text
    return "see `nnkit-course build` for nbgrader's log"


def _preprocessors_without_gradebook() -> list:
    """GenerateAssignment's preprocessors minus SaveCells, the one that writes the gradebook.

    ``no_database`` alone still saves the cells (and fails without a gradebook);
    none of the others touches the database, and SaveCells leaves the notebook as it is.
    """
    from nbgrader.converters import GenerateAssignment
    from nbgrader.preprocessors import SaveCells

    default = GenerateAssignment.class_traits()["preprocessors"].default()
    return [preprocessor for preprocessor in default if preprocessor is not SaveCells]
