"""The top of a SUBMISSIONS folder: which entries are students, and what else is there.

An LMS download has one folder per student, and sometimes more: a stray
file, a ``__MACOSX`` or ``.git`` folder, a link, two folders whose names are
the same student written two ways. Nothing is silently skipped: every entry
is a student (a row in grades.csv), a refused student (a row that says why),
or a warning that names it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from nnkit.course.safe_text import from_file_name, student_id

SYSTEM_FOLDERS = {"__MACOSX", "__pycache__", ".ipynb_checkpoints", ".git"}


@dataclass(frozen=True)
class StudentFolder:
    """One student's entry: the folder's path and the student's id (its cleaned name).

    ``refused`` says why it is not graded (a link instead of a folder, two
    folders of one student); such a student still gets a row.
    """

    path: Path
    student: str
    refused: str = ""
    flagged: bool = False


@dataclass
class Scan:
    """The students found at the top of SUBMISSIONS, and warnings about everything else."""

    students: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def scan(submissions: Path) -> Scan:
    """Sort the entries of ``submissions`` into students and warnings (nothing is followed).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as top:
    ...     for name in ("ann", "__MACOSX"):
    ...         os.mkdir(os.path.join(top, name))
    ...     _ = open(os.path.join(top, "index.html"), "w").close()
    ...     found = scan(Path(top))
    >>> [s.student for s in found.students], found.warnings
    (['ann'], ['skipped __MACOSX: a hidden or system folder, not a student', 'skipped index.html: a file, not a student folder'])
    """  # noqa: E501
    found = Scan()
    by_student: dict[str, list[StudentFolder]] = {}
    for name in sorted(os.listdir(submissions)):
        entry = _classify(submissions / name, name, found)
        if entry is not None:
            by_student.setdefault(entry.student, []).append(entry)
    for student, entries in sorted(by_student.items()):
        if len(entries) == 1:
            found.students.append(entries[0])
            continue
        names = ", ".join(repr(from_file_name(e.path.name)) for e in entries)
        found.students.append(StudentFolder(entries[0].path, student, refused=(
            f"the folders {names} all belong to student {student!r}; none was graded: keep "
            "one of them and grade again")))
    return found


def _classify(path: Path, name: str, found: Scan) -> StudentFolder | None:
    shown = from_file_name(name)
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        if path.is_dir():
            return StudentFolder(path, student_id(name), flagged=True, refused=(
                f"{shown} is a link to another folder ({from_file_name(os.readlink(path))}), "
                "not a submission; it was not followed"))
        found.warnings.append(f"skipped {shown}: a link, not a student folder")
        return None
    if not stat.S_ISDIR(mode):
        kind = "a file" if stat.S_ISREG(mode) else "a special file (pipe, socket or device)"
        found.warnings.append(f"skipped {shown}: {kind}, not a student folder")
        return None
    if name.startswith(".") or name in SYSTEM_FOLDERS:
        found.warnings.append(f"skipped {shown}: a hidden or system folder, not a student")
        return None
    return StudentFolder(path, student_id(name))
