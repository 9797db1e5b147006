"""The course's nbgrader gradebook (SQLite), written by one process only.

:func:`prepare` puts the assignment and its notebooks' cells into the
gradebook the way ``nbgrader generate_assignment`` does (nbgrader's own
``SaveCells`` preprocessor), without writing any release files, so grading
works on a fresh clone. :func:`record` stores one student's scores.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import nbformat

from nnkit.course.outcome import Flag


def database_url(course_root: Path, config) -> str:
    """The gradebook's URL: the configured one, else ``gradebook.db`` in the course root."""
    configured = config.CourseDirectory.get("db_url") if "CourseDirectory" in config else None
    return configured or f"sqlite:///{Path(course_root) / 'gradebook.db'}"


def prepare(db_url: str, assignment: str, source_notebooks: list[Path]) -> None:
    """Create the gradebook, the assignment and its notebooks' cells where missing."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import ClearOutput, ClearSolutions, ComputeChecksums, SaveCells

    with Gradebook(db_url) as gradebook:
        gradebook.update_or_create_assignment(assignment)
        known = {n.name: {c.name for c in n.grade_cells}
                 for n in gradebook.find_assignment(assignment).notebooks}
    for path in source_notebooks:
        notebook = nbformat.read(path, as_version=4)
        grade_ids = {c.metadata["nbgrader"]["grade_id"] for c in notebook.cells
                     if c.metadata.get("nbgrader", {}).get("grade")}
        if known.get(path.stem) == grade_ids:
            continue
        resources = {"nbgrader": {"assignment": assignment, "notebook": path.stem,
                                  "db_url": db_url}}
        for step in (ClearSolutions(), ClearOutput(), ComputeChecksums(), SaveCells()):
            notebook, resources = step.preprocess(notebook, resources)


def record(db_url: str, result) -> None:
    """Store one student's automatic scores (a :class:`~nnkit.course.pipeline.StudentResult`)."""
    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(db_url) as gradebook:
        # nbgrader's own session handling warns while creating a submission
        warnings.simplefilter("ignore", category=Warning)
        gradebook.update_or_create_student(result.student)
        gradebook.update_or_create_submission(result.assignment, result.student)
        for notebook, grades in result.notebooks.items():
            submitted = gradebook.find_submission_notebook(notebook, result.assignment,
                                                           result.student)
            submitted.flagged = Flag.TAMPERING in result.flags
            for grade in grades:
                entry = gradebook.find_grade(grade.grade_id, notebook, result.assignment,
                                             result.student)
                entry.auto_score = grade.score
                entry.needs_manual_grade = False
        gradebook.db.commit()


def lost_points(db_url: str, assignment: str) -> list[dict]:
    """Per test cell: its notebook, points, and how many students lost some or all of them."""
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(db_url) as gradebook:
        students = [s.student.id for s in gradebook.find_assignment(assignment).submissions]
        for notebook in gradebook.find_assignment(assignment).notebooks:
            for cell in notebook.grade_cells:
                lost = 0
                for student in students:
                    grade = gradebook.find_grade(cell.name, notebook.name, assignment, student)
                    if (grade.score or 0) < cell.max_score:
                        lost += 1
                rows.append({"notebook": notebook.name, "test": cell.name,
                             "points": cell.max_score, "students": len(students),
                             "lost": lost})
    return rows
