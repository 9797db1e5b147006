"""Canvas's and Moodle's files, written here from their rules, independently of nnkit.

Each function follows the code that makes the file in the LMS itself, so
that the tests check nnkit against the format and not against itself:

- Canvas's submissions zip: ``lib/content_zipper.rb`` (``get_filename``,
  ``sanitize_user_name``, ``sanitize_file_name``, ``add_upload_submission``)
  and ``Attachment.make_unique_filename`` for re-uploaded names;
- Canvas's gradebook export: ``lib/gradebook_exporter.rb``;
- Moodle's download: ``mod/assign/classes/downloader.php`` (Moodle 4; Moodle
  3.x added a trailing ``_`` to the folder);
- Moodle's grading worksheet: the columns of ``mod/assign/gradingtable.php``
  when downloading; its gradebook export: ``grade/export/txt``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import nbformat


def canvas_prefix(sortable_name: str, user_id: int, late: bool = False,
                  anonymous_id: str | None = None) -> str:
    """``<name>[_LATE]_<user id>`` as content_zipper.rb builds it."""
    name = re.sub(r"_(\d+)_", r"\1", sortable_name).lower()   # sanitize_user_name
    parts = [] if anonymous_id else [name]
    parts += ["LATE"] if late else []
    parts.append(f"anon_{anonymous_id}" if anonymous_id else str(user_id))
    return re.sub(r"[^\w]", "", "_".join(parts))                 # sanitize_file_name


UNSAFE_IN_NAME = re.compile(r'[\x00/\\:*?"<>|]+')   # sanitize_attachment_filename


def canvas_member(prefix: str, attachment_id: int, display_name: str) -> str:
    """One file of the zip: ``<prefix>_<attachment id>_<display name>``."""
    return f"{prefix}_{attachment_id}_{UNSAFE_IN_NAME.sub('_', display_name)}"


def canvas_renamed(display_name: str, n: int) -> str:
    """Attachment.make_unique_filename: ``-<n>`` before the extensions."""
    found = re.search(r"(\.[A-Za-z][A-Za-z0-9]*)*(\.[A-Za-z0-9]*)$", display_name)
    extensions = found.group(0) if found else ""
    return f"{display_name[:len(display_name) - len(extensions)]}-{n}{extensions}"


def moodle_prefix(full_name: str, participant: int) -> str:
    """``<Full name>_<participant id>`` (underscores in the name become spaces)."""
    return re.sub(r'[/\\:*?"<>|]', "", f"{full_name.replace('_', ' ')}_{participant}")


def moodle_folder(full_name: str, participant: int, moodle3: bool = False,
                  plugin: str = "file") -> str:
    """The participant's folder of the download."""
    return f"{moodle_prefix(full_name, participant)}_assignsubmission_{plugin}" + \
        ("_" if moodle3 else "")


def moodle_flat(full_name: str, participant: int, file_name: str) -> str:
    """A file of the download with "Download submissions in folders" off."""
    return f"{moodle_prefix(full_name, participant)}_assignsubmission_file_{file_name}"


def write_zip(path: Path, members: dict) -> Path:
    """A zip with ``{name: bytes or notebook}``, as the LMS streams it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if isinstance(content, nbformat.NotebookNode):
                content = nbformat.writes(content)
            archive.writestr(name, content)
    return path


def write_folder(root: Path, members: dict) -> Path:
    """The same members unpacked into ``root``."""
    for name, content in members.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, nbformat.NotebookNode):
            content = nbformat.writes(content)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def _csv_text(rows, delimiter=",", newline="\r\n", bom=False) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return ("\ufeff" if bom else "") + buffer.getvalue()


def canvas_gradebook(path: Path, students: list[dict], assignments: list[tuple],
                     delimiter: str = ",", bom: bool = True, manual_posting: bool = False):
    """A Canvas gradebook export: ``students`` have name, id, sis, login, section, scores."""
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    header += [f"{title} ({number})" for title, number, _ in assignments]
    header += ["Current Points", "Final Points", "Current Score", "Unposted Current Score",
               "Final Score", "Unposted Final Score"]
    rows = [header]
    if manual_posting:
        rows.append(["", "", "", "", ""] + ["Manual Posting"] * len(assignments) + [""] * 6)
    rows.append(["    Points Possible", "", "", "", ""]
                + [f"{points:.2f}" for _, _, points in assignments] + ["(read only)"] * 6)
    for s in students:
        name = s["name"] if not s["name"].startswith("=") else f'="{s["name"]}"'
        rows.append([name, s["id"], s.get("sis", ""), s.get("login", ""), s.get("section", "")]
                    + list(s.get("scores", [""] * len(assignments))) + ["0.00"] * 6)
    path.write_text(_csv_text(rows, delimiter, bom=bom), encoding="utf-8", newline="")
    return path


WORKSHEET = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
             "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
             "Feedback comments"]


def moodle_worksheet(path: Path, participants: list[dict], maximum: float = 100.0,
                     id_number: bool = False):
    """A Moodle grading worksheet (Moodle: Download grading worksheet)."""
    header = list(WORKSHEET)
    if id_number:
        header.insert(3, "ID number")
    rows = [header]
    for p in participants:
        row = [f"Participant {p['participant']}", p["name"], p["email"], "Submitted for grading",
               "", f"{maximum:.2f}", "Yes", "Thursday, 13 March 2025, 9:15 PM", "-", ""]
        if id_number:
            row.insert(3, p.get("idnumber", ""))
        rows.append(row)
    path.write_text(_csv_text(rows, newline="\n"), encoding="utf-8", newline="")
    return path


def moodle_gradebook(path: Path, people: list[dict], items: list[str]):
    """A Moodle gradebook export (Grades → Export → Plain text file)."""
    rows = [["First name", "Last name", "ID number", "Institution", "Department",
             "Email address", *(f"Assignment: {item} (Real)" for item in items),
             "Course total (Real)", "Last downloaded from this course"]]
    for p in people:
        rows.append([p["first"], p["last"], p.get("idnumber", ""), "", "", p["email"],
                     *(["-"] * len(items)), "-", "1741900000"])
    path.write_text(_csv_text(rows, newline="\n"), encoding="utf-8", newline="")
    return path


def read_rows(path: Path) -> tuple[list[list[str]], bool, str]:
    """The rows of a CSV file, whether it starts with a BOM, and its separator."""
    text = Path(path).read_bytes().decode("utf-8")
    bom = text.startswith("\ufeff")
    text = text.removeprefix("\ufeff")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), bom, delimiter
