"""The bulk downloads of Canvas and Moodle, read as they come, one folder per student.

``nnkit-course grade`` takes the LMS's download directly, zipped or unpacked,
and recognises its layout from the names inside (docs/instructors.md, "What
the LMS downloads look like", gives each rule with its source):

- **Canvas** ("Download Submissions"): flat files
  ``<name>[_LATE]_<user id>_<attachment id>_<file name>``, where ``<name>`` is
  the student's sortable name in lower case without punctuation, ``LATE``
  marks a submission Canvas counts as late and ``anon_<id>`` replaces name
  and user id under anonymous grading. The students are keyed by Canvas's
  user id. Canvas renames a file uploaded again under a name the student
  already used to ``<stem>-1<ext>``, ``-2``, …; such a file counts as the
  notebook it was named for, and of several uploads of one name the latest
  (highest attachment id) is graded.
- **Moodle** ("Download all submissions"): one folder per participant,
  ``<Full name>_<participant id>_assignsubmission_file`` (Moodle 3.x adds a
  trailing ``_``), or, with "Download submissions in folders" off, flat files
  ``<Full name>_<participant id>_assignsubmission_file_<file name>``. The
  students are keyed by the participant id, the number Moodle's grading
  worksheet shows as "Participant <id>".
- **One folder per student** (anything else, e.g. ``course/submitted`` after
  ``nbgrader collect``): the folder's name is the student's id, and nbgrader's
  ``timestamp.txt`` gives the submission time.

Everything is read through :mod:`nnkit.course.download` (names checked,
links skipped, sizes capped) and copied into a staging folder, one folder per
student key; a plain folder-per-student download is graded in place.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nnkit.course.download import Caps, Download, File, Skipped, open_download
from nnkit.course.folders import scan

IGNORED = ("__MACOSX", ".DS_Store", "Thumbs.db")
TIMESTAMP_BYTES = 200

CANVAS_FILE = re.compile(r"(?:^|_)(?P<late>LATE_)?(?P<user>\d+|anon_[0-9A-Za-z]+)"
                         r"_(?P<attachment>\d+)_(?P<file>.+)$", re.DOTALL)
CANVAS_ENTRY = re.compile(r"(?:^|_)(?P<late>LATE_)?(?P<user>\d+|anon_[0-9A-Za-z]+)"
                          r"_(?P<kind>text|link)\.html$")
MOODLE = re.compile(r"^(?P<name>[^_]*)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)"
                    r"(?:_(?P<file>.*))?$", re.DOTALL)
# Canvas's Attachment.make_unique_filename: "<stem>-<n><extensions>" (app/models/attachment.rb)
CANVAS_RENAMED = re.compile(r"^(?P<stem>.*?)-(?P<n>\d+)(?P<ext>(?:\.[A-Za-z][A-Za-z0-9]*)*"
                            r"\.[A-Za-z0-9]*)$")


class IntakeError(ValueError):
    """Nothing gradable was recognised; the message names the layouts expected."""


@dataclass
class Student:
    """One student of the download: the LMS's key, their folder, and what the LMS said."""

    key: str
    folder: Path
    name: str = ""
    late_marker: bool | None = None
    submitted_at: datetime | None = None
    time_note: str = ""
    notes: list = field(default_factory=list)
    refused: str = ""  # why the folder is not graded (a link, a second folder of one student)
    flagged: bool = False


@dataclass
class Intake:
    """What a download held: its layout, its students, and what belonged to none of them."""

    layout: str
    lms: str
    students: list
    skipped: list = field(default_factory=list)

    def summary(self) -> str:
        """One sentence for the instructor.

        >>> Intake("Canvas submissions", "canvas", [None] * 3, ["x"]).summary()
        'recognised Canvas submissions: 3 students; 1 entry belongs to no student (listed below)'
        """
        text = f"recognised {self.layout}: {len(self.students)} students"
        if self.skipped:
            entries = "entry belongs" if len(self.skipped) == 1 else "entries belong"
            text += f"; {len(self.skipped)} {entries} to no student (listed below)"
        return text


# --- reading names ---------------------------------------------------------------------

def canvas_name(file_name: str) -> dict | None:
    """The parts of a file name in Canvas's submissions zip, or ``None``.

    The first ``_<digits>_<digits>_`` is taken as user and attachment id, as
    Canvas itself does (it removes ``_<digits>_`` from names for this reason).

    >>> canvas_name("müllerjosé_LATE_4711_90125_01-neuron-1.ipynb")
    {'name': 'müllerjosé', 'late': True, 'user': '4711', 'attachment': 90125, \
'file': '01-neuron-1.ipynb'}
    >>> canvas_name("anon_Xb12c_90126_my notebook.ipynb")["user"]
    'anon_Xb12c'
    >>> canvas_name("01-neuron.ipynb") is None
    True
    """
    found = CANVAS_FILE.search(file_name)
    if found is None:
        return None
    return {"name": file_name[:found.start()], "late": bool(found["late"]),
            "user": found["user"], "attachment": int(found["attachment"]),
            "file": found["file"]}


def moodle_name(part: str) -> dict | None:
    """The parts of a Moodle download folder (or flat file) name, or ``None``.

    >>> moodle_name("Zoë de la Cruz_1042_assignsubmission_file")
    {'name': 'Zoë de la Cruz', 'id': '1042', 'plugin': 'file', 'file': ''}
    >>> moodle_name("Zoë de la Cruz_1042_assignsubmission_file_01-neuron.ipynb")["file"]
    '01-neuron.ipynb'
    """
    found = MOODLE.match(part)
    if found is None:
        return None
    return {"name": found["name"], "id": found["id"], "plugin": found["plugin"],
            "file": found["file"] or ""}


def canvas_original(file_name: str, notebook_names: set) -> str:
    """The name a Canvas ``-<n>`` rename was made from, when it names one of the notebooks.

    >>> canvas_original("01-neuron-2.ipynb", {"01-neuron.ipynb"})
    '01-neuron.ipynb'
    >>> canvas_original("part-2.ipynb", {"01-neuron.ipynb"})
    'part-2.ipynb'
    """
    found = CANVAS_RENAMED.match(file_name)
    if found and (found["stem"] + found["ext"]).lower() in {n.lower() for n in notebook_names}:
        return found["stem"] + found["ext"]
    return file_name


# --- recognising the layout ------------------------------------------------------------

def _top_level(files: list[File], folders: list) -> tuple[dict, int]:
    """``{first part: is a folder}`` after dropping one wrapping folder, and the depth dropped."""
    def level(depth):
        items = {}
        for file in files:
            if len(file.parts) > depth and file.parts[depth] not in IGNORED:
                items[file.parts[depth]] = items.get(file.parts[depth], False) or \
                    len(file.parts) > depth + 1
        items.update({parts[depth]: True for parts in folders
                      if len(parts) > depth and parts[depth] not in IGNORED})
        return items

    items = level(0)
    if len(items) == 1 and all(items.values()) and all(len(f.parts) > 1 for f in files):
        inner = level(1)
        folders = sum(inner.values())
        if _counts(inner)[0][1] and (_best(inner) != "folders" or folders >= 2):
            return inner, 1
    return items, 0


def _counts(items: dict) -> list:
    counts = {"canvas": 0, "moodle": 0, "moodle-flat": 0, "folders": 0}
    for name, is_folder in items.items():
        moodle = moodle_name(name)
        if is_folder:
            key = "moodle" if moodle and not moodle["file"] else "folders"
            counts[key] += not name.startswith((".", "__"))
        elif canvas_name(name) or CANVAS_ENTRY.search(name):
            counts["canvas"] += 1
        elif moodle and moodle["file"]:
            counts["moodle-flat"] += 1
    return sorted(counts.items(), key=lambda kv: -kv[1])


def _best(items: dict) -> str:
    return _counts(items)[0][0]


LAYOUTS = {
    "canvas": ("Canvas submissions", "canvas"),
    "moodle": ("Moodle assignment download, one folder per participant", "moodle"),
    "moodle-flat": ("Moodle assignment download, files not in folders", "moodle"),
    "folders": ("one folder per student", "folders"),
}


def read_submissions(source: Path, workdir: Path, assignment: str,
                     notebook_names: set, caps: Caps | None = None) -> Intake:
    """The students of the download at ``source``, staged under ``workdir`` where needed."""
    with open_download(source, caps or Caps()) as download:
        items, depth = _top_level(download.files, download.folders)
        best, count = _counts(items)[0]
        if not count:
            raise IntakeError(_nothing_found(source, items))
        layout, lms = LAYOUTS[best]
        shown = f"{layout} ({'zip' if download.kind == 'zip' else 'folder'})"
        intake = Intake(shown, lms, [], [f"{name}: {why}" for name, why in download.skipped])
        files = [f for f in download.files if len(f.parts) > depth
                 and f.parts[depth] not in IGNORED]
        if best == "folders" and download.kind == "folder" and depth == 0:
            _folders_in_place(intake, source, items, files)
        else:
            reader = {"canvas": _canvas, "moodle": _moodle, "moodle-flat": _moodle,
                      "folders": _folders}[best]
            reader(intake, download, files, depth, workdir, notebook_names)
    for student in intake.students:
        if lms != "canvas":
            _read_timestamp(student, assignment, lms)
    intake.students.sort(key=lambda s: s.key)
    return intake


def _nothing_found(source: Path, items: dict) -> str:
    found = ", ".join(sorted(items)[:5]) or "nothing"
    return (f"no submissions recognised in {source}: expected a Canvas submissions zip "
            "(files named <name>_<user id>_<attachment id>_<file>), a Moodle download "
            "(folders <Full name>_<id>_assignsubmission_file) or one folder per student; "
            f"found {found}")


# --- each layout -------------------------------------------------------------------------

def _canvas(intake, download, files, depth, workdir, notebook_names):
    uploads = defaultdict(list)
    for file in files:
        if len(file.parts) != depth + 1:
            intake.skipped.append(f"{file.name}: not in Canvas's naming (a folder)")
            continue
        parsed = canvas_name(file.parts[depth])
        if parsed is None:
            entry = CANVAS_ENTRY.search(file.parts[depth])
            why = (f"a Canvas {'text entry' if entry['kind'] == 'text' else 'web link'}, "
                   "not a notebook") if entry else "not in Canvas's naming"
            intake.skipped.append(f"{file.name}: {why}")
            continue
        uploads[parsed["user"]].append((parsed, file))
    for user, found in uploads.items():
        student = Student(key=user, folder=workdir / user, name=found[0][0]["name"],
                          late_marker=any(p["late"] for p, _ in found))
        student.time_note = ("late per Canvas (LATE in the file name), which gives no time"
                             if student.late_marker else "on time per Canvas (no LATE marker)")
        _stage_canvas(download, student, found, notebook_names)
        intake.students.append(student)


def _stage_canvas(download, student, found, notebook_names):
    by_name = defaultdict(list)
    for parsed, file in found:
        by_name[canvas_original(parsed["file"], notebook_names)].append((parsed, file))
    order = sorted(parsed["attachment"] for parsed, _ in found)
    for original, versions in by_name.items():
        parsed, file = max(versions, key=lambda pf: pf[0]["attachment"])
        if len(versions) > 1:
            student.notes.append(
                f"{len(versions)} uploads named {original}; graded the latest "
                f"({parsed['file']}, Canvas attachment {parsed['attachment']})")
        elif parsed["file"] != original:
            student.notes.append(f"Canvas renamed {original} to {parsed['file']} "
                                 "(uploaded again under the same name); graded as "
                                 f"{original}")
        # Later uploads (higher attachment ids) get later times, so that when two
        # notebooks are equally complete the choice of notebook takes the latest.
        when = (file.modified.timestamp() if file.modified else 0.0) + \
            order.index(parsed["attachment"])
        _copy(download, file, student, student.folder / original, when)


def _moodle(intake, download, files, depth, workdir, notebook_names):
    students = {}
    for file in files:
        parsed = moodle_name(file.parts[depth])
        folder_form = len(file.parts) > depth + 1
        if parsed is None or bool(parsed["file"]) == folder_form:
            intake.skipped.append(f"{file.name}: not in Moodle's naming")
            continue
        student = students.setdefault(parsed["id"], Student(
            key=parsed["id"], folder=workdir / parsed["id"], name=parsed["name"],
            time_note="Moodle's download gives no submission times"))
        if parsed["plugin"] != "file":
            what = "online text" if parsed["plugin"] == "onlinetext" else parsed["plugin"]
            student.notes.append(f"{file.parts[-1]} ({what}) not graded: not a file submission")
            continue
        relative = file.parts[depth + 1:] if folder_form else (parsed["file"],)
        modified = file.modified.timestamp() if file.modified else None
        _copy(download, file, student, student.folder.joinpath(*relative), modified)
    intake.students.extend(students.values())


def _folders(intake, download, files, depth, workdir, notebook_names):
    students = {}

    def student(key):
        if key not in students:
            students[key] = Student(key=key, folder=workdir / key)
            students[key].folder.mkdir(parents=True, exist_ok=True)  # an empty one counts too
        return students[key]

    for parts in download.folders:
        if len(parts) > depth and not parts[depth].startswith((".", "__")):
            student(parts[depth])
    for file in files:
        if len(file.parts) == depth + 1:
            intake.skipped.append(f"{file.name}: a file outside any student folder")
            continue
        if file.parts[depth].startswith((".", "__")):
            continue
        modified = file.modified.timestamp() if file.modified else None
        owner = student(file.parts[depth])
        _copy(download, file, owner, owner.folder.joinpath(*file.parts[depth + 1:]), modified)
    intake.students.extend(students.values())


def _folders_in_place(intake, source: Path, items: dict, files):
    """Every sub-folder is a student (an empty one too), graded where it is.

    :func:`nnkit.course.folders.scan` sorts the entries: a link instead of a
    folder, or two folders of one student, is a refused student with a row;
    a file or a hidden folder is named in a warning.
    """
    found = scan(source)
    intake.skipped.extend(found.warnings)
    intake.students.extend(Student(key=entry.student, folder=entry.path, refused=entry.refused,
                                   flagged=entry.flagged) for entry in found.students)


def _copy(download: Download, file: File, student: Student, target: Path, modified):
    try:
        download.copy(file, target, modified)
    except Skipped as reason:
        student.notes.append(f"{target.name} skipped: {reason}")
    except FileExistsError:
        student.notes.append(f"{target.name} skipped: a file of the same name came first")
    except OSError as error:
        student.notes.append(f"{target.name} skipped: {error.strerror}")


# --- submission times -----------------------------------------------------------------

def _read_timestamp(student: Student, assignment: str, lms: str) -> None:
    """nbgrader's ``timestamp.txt`` (in the student's folder or its assignment folder)."""
    for place in (student.folder / assignment / "timestamp.txt",
                  student.folder / "timestamp.txt"):
        text = _small_text(place)
        if text is None:
            continue
        try:
            from nbgrader.utils import parse_utc

            student.submitted_at = parse_utc(text.strip()).replace(tzinfo=UTC)
            student.time_note = f"submitted at the time in {place.parent.name}/timestamp.txt"
        except (ValueError, OverflowError, TypeError):
            student.time_note = f"timestamp.txt is not a time ({text.strip()[:40]!r})"
        return
    if lms == "folders":
        student.time_note = "no timestamp.txt in the folder"


def _small_text(path: Path) -> str | None:
    """A short text file's content, read without following links; ``None`` when absent."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read(TIMESTAMP_BYTES).decode("utf-8", "replace")
