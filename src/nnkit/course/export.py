"""``nnkit-course export``: the grades back into the LMS, as the file its importer reads.

The scores come from the course's nbgrader gradebook (so a score changed in
the formgrader is exported as changed), after the late penalty nbgrader
holds. Three targets (docs/instructors.md, "Grades back into the LMS", gives
the source of each format):

- ``--to canvas``: Canvas's gradebook CSV — ``Student, ID, SIS User ID, SIS
  Login ID, Section``, a ``Points Possible`` row and one column per
  assignment, named ``Title (assignment id)``. Canvas finds each student by
  ``ID`` (the user id its submissions zip carries).
- ``--to moodle``: the assignment's grading worksheet with its ``Grade``
  column filled (rows are ``Participant <id>``, the id of Moodle's download),
  or, with the worksheet as ``--roster``, a gradebook import CSV keyed by
  e-mail address or ID number (merged into a gradebook export when given).
- ``--to csv``: a plain table (student, name, score, maximum, raw score,
  penalty), or the column of any CSV keyed by student id.

Given the file the instructor downloaded from the LMS (``--lms-file``), only
the assignment's column changes: every row and every other cell stays, in its
order, with the file's own separator and byte-order mark. Students without a
submission get the configured value (blank or 0). Scores are scaled when the
LMS's column has another maximum, and the command says so, and how many rows
it changed. Text that came from students (names) is written so that no
spreadsheet runs it as a formula.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from nnkit.course import gradebook

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CANVAS_ID = re.compile(r"^(?P<title>.*?)\s*\((?P<id>\d+)\)$")
CANVAS_ROWS_SKIPPED = re.compile(r"^\s*(Muted|Manual Posting.*)?\s*$", re.IGNORECASE)
PARTICIPANT = re.compile(r"(\d+)\s*$")


class ExportError(ValueError):
    """An LMS file that cannot be merged; the message names what was expected."""


# --- the grades --------------------------------------------------------------------------

@dataclass(frozen=True)
class Grade:
    """One student's final score for the assignment (``None``: no submission)."""

    student: str
    name: str
    score: float | None
    raw: float | None = None
    penalty: float = 0.0


def grades_from_gradebook(db_url: str, assignment: str) -> tuple[dict, float]:
    """``{student id: Grade}`` for every student in the gradebook, and the maximum score."""
    from nbgrader.api import Gradebook, MissingEntry

    grades = {}
    with Gradebook(db_url) as book:
        try:
            maximum = float(book.find_assignment(assignment).max_score)
        except MissingEntry:
            raise ExportError(f"no {assignment} in the gradebook; run `nnkit-course grade "
                              f"{assignment} …` first") from None
        for student in book.students:
            name = " ".join(filter(None, (student.first_name, student.last_name)))
            try:
                submission = book.find_submission(assignment, student.id)
            except MissingEntry:
                grades[student.id] = Grade(student.id, name, None)
                continue
            raw = float(submission.score)
            penalty = float(submission.late_submission_penalty or 0.0)
            grades[student.id] = Grade(student.id, name, max(0.0, raw - penalty), raw, penalty)
    return grades, maximum


def number(value: float) -> str:
    """A score as Canvas and Moodle read it: at most two decimals, a point.

    >>> number(7.0), number(6.666666), number(0.5)
    ('7', '6.67', '0.5')
    """
    return f"{value:.2f}".rstrip("0").rstrip(".")


def neutral(text: str) -> str:
    """Student text made safe for a spreadsheet: a leading formula character is escaped.

    >>> neutral("=HYPERLINK(\\"http://x\\")"), neutral("Zoë")
    ('\\'=HYPERLINK("http://x")', 'Zoë')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def simplified(text: str) -> str:
    """Lower case letters and digits only, for matching column titles.

    >>> simplified("Assignment: 01 Neuron (Real)")
    'assignment01neuronreal'
    """
    return re.sub(r"[^0-9a-z]", "", text.lower())


# --- an LMS's CSV file, kept as it came --------------------------------------------------

@dataclass
class Sheet:
    """A CSV file's rows with its separator, line ending and byte-order mark."""

    rows: list
    delimiter: str = ","
    bom: bool = True
    newline: str = "\r\n"

    @classmethod
    def read(cls, path: Path) -> Sheet:
        """Read an LMS export; UTF-8 (with or without BOM), comma, semicolon or tab."""
        try:
            raw = Path(path).read_bytes()
            text = raw.decode("utf-8")
        except OSError as error:
            raise ExportError(f"cannot read {path}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise ExportError(f"{path} is not UTF-8 text; download it again from the LMS "
                              "as CSV in UTF-8") from None
        bom = text.startswith(BOM)
        text = text.removeprefix(BOM)
        first = text.splitlines()[0] if text.strip() else ""
        delimiter = max(",;\t", key=first.count)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        if not rows:
            raise ExportError(f"{path} is empty")
        return cls(rows, delimiter, bom, "\r\n" if "\r\n" in text else "\n")

    def write(self, path: Path) -> None:
        """Write the rows back in the same dialect."""
        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline).writerows(
            self.rows)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text((BOM if self.bom else "") + buffer.getvalue(), encoding="utf-8",
                              newline="")

    @property
    def header(self) -> list:
        return self.rows[0]

    def column(self, *names: str) -> int | None:
        """The index of the first header cell equal to one of ``names``."""
        for index, cell in enumerate(self.header):
            if cell.strip() in names:
                return index
        return None


# --- filling one column -------------------------------------------------------------------

@dataclass
class Outcome:
    """What an export did, for the summary the command prints."""

    path: Path
    target: str
    column: str
    missing_value: str = ""
    changed: int = 0
    unchanged: int = 0
    missing: int = 0
    scaled: str = ""
    absent: list = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary: what was written, how many rows changed, who is not in the file."""
        shown = "blank" if self.missing_value == "" else self.missing_value
        total = self.changed + self.unchanged + self.missing
        lines = [f"wrote {self.path} ({self.target}, column {self.column!r})",
                 f"  {total} student rows: {self.changed} changed, {self.unchanged} already "
                 f"had these grades, {self.missing} without a submission (set to {shown})"]
        if self.scaled:
            lines.append(f"  {self.scaled}")
        if self.absent:
            lines.append(f"  graded but not in the LMS file, so not exported "
                         f"({len(self.absent)}): " + ", ".join(self.absent[:10])
                         + (", …" if len(self.absent) > 10 else ""))
        return lines


def fill(sheet: Sheet, rows: list, column: int, values: dict, outcome: Outcome) -> None:
    """Set ``values[row index]`` in ``column`` of ``rows``, counting changes."""
    for index in rows:
        row = sheet.rows[index]
        row.extend([""] * (column + 1 - len(row)))
        new = values[index]
        if new is None:
            outcome.missing += 1
            new = outcome.missing_value
        elif _same(row[column], new):
            outcome.unchanged += 1
        else:
            outcome.changed += 1
        row[column] = new


def _same(old: str, new: str) -> bool:
    try:
        return abs(float(old.replace(",", ".")) - float(new)) < 0.005
    except ValueError:
        return old.strip() == new.strip()


def score_text(grade, maximum: float, lms_maximum: float | None) -> str | None:
    """The score to write (scaled to the LMS's maximum), or ``None`` without a submission."""
    if grade is None or grade.score is None:
        return None
    if lms_maximum and maximum and abs(lms_maximum - maximum) > 1e-9:
        return number(grade.score * lms_maximum / maximum)
    return number(grade.score)


def find_column(sheet: Sheet, wanted: str | None, assignment: str, after: int,
                what: str) -> int | None:
    """The column of this assignment: ``wanted`` exactly, else one title naming it."""
    titles = {i: cell for i, cell in enumerate(sheet.header) if i > after}
    if wanted:
        exact = [i for i, cell in titles.items() if cell.strip() == wanted.strip()]
        by_id = [i for i, cell in titles.items() if wanted.isdigit()
                 and (m := CANVAS_ID.match(cell.strip())) and m["id"] == wanted]
        return (exact or by_id or [None])[0]
    key = simplified(assignment)
    named = [i for i, cell in titles.items() if key and key in simplified(
        CANVAS_ID.sub(r"\g<title>", cell.strip()))]
    if len(named) == 1:
        return named[0]
    shown = ", ".join(repr(titles[i]) for i in (named or list(titles)[:8]))
    raise ExportError(f"cannot tell which column of the {what} is {assignment}: "
                      f"{'several name it' if named else 'none names it'} ({shown}); "
                      "give it with --column")


# --- Canvas --------------------------------------------------------------------------------

CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def canvas(args, grades, maximum, missing_value) -> Outcome:
    """Canvas's gradebook import: merged into its export, or a new file of the same form."""
    sheet = Sheet.read(args.lms_file) if args.lms_file else _new_canvas_sheet(grades)
    header = sheet.header
    if not (("Student" in header[0] or "LastName" in header[0])
            and sheet.column("ID") is not None and sheet.column("Section") is not None):
        raise ExportError(f"{args.lms_file} does not look like a Canvas gradebook export: its "
                          "first row should be Student, ID, (SIS User ID,) SIS Login ID, "
                          f"Section, then the assignments; found {', '.join(header[:6])}")
    id_column, section = sheet.column("ID"), sheet.column("Section")
    wanted = args.column or _configured_column(args)
    column = find_column(sheet, wanted, args.assignment, section, "Canvas file") \
        if args.lms_file else None
    if column is None:
        title = wanted or args.assignment
        header.append(title)
        column = len(header) - 1
        for row in sheet.rows[1:]:
            row.extend([""] * (column + 1 - len(row)))
    outcome = Outcome(args.output, "Canvas gradebook import", header[column],
                      missing_value)
    points = [i for i, row in enumerate(sheet.rows) if i and row and "Points Possible" in row[0]]
    for index in points:
        row = sheet.rows[index]
        row.extend([""] * (column + 1 - len(row)))
        row[column] = row[column] or number(maximum)
    lms_maximum = _float(sheet.rows[points[0]][column]) if points else None
    if lms_maximum and abs(lms_maximum - maximum) > 1e-9:
        outcome.scaled = (f"scaled from {number(maximum)} to {number(lms_maximum)} points, the "
                          "Points Possible of the Canvas column")
    students = [i for i, row in enumerate(sheet.rows)
                if i and i not in points and row and not _canvas_skipped(row)]
    values = {i: score_text(grades.get(sheet.rows[i][id_column].strip()), maximum, lms_maximum)
              for i in students}
    fill(sheet, students, column, values, outcome)
    seen = {sheet.rows[i][id_column].strip() for i in students}
    outcome.absent = _absent(grades, seen)
    sheet.write(args.output)
    return outcome


def _new_canvas_sheet(grades) -> Sheet:
    rows = [list(CANVAS_HEADER), ["    Points Possible", "", "", "", ""]]
    for grade in sorted(grades.values(), key=lambda g: (g.name.lower(), g.student)):
        rows.append([neutral(grade.name), grade.student, "", "", ""])
    return Sheet(rows)


def _canvas_skipped(row) -> bool:
    return all(CANVAS_ROWS_SKIPPED.match(cell) for cell in row if cell)


# --- Moodle --------------------------------------------------------------------------------

KEYS = {"email": ("Email address", "email address"), "idnumber": ("ID number", "ID number")}


def moodle(args, grades, maximum, missing_value) -> Outcome:
    """Moodle: the grading worksheet filled in, or a gradebook import keyed by e-mail/ID number."""
    if args.lms_file:
        sheet = Sheet.read(args.lms_file)
        if sheet.column(args.key_column or "Identifier") is not None:
            return _moodle_worksheet(args, sheet, grades, maximum, missing_value)
    if not args.roster:
        raise ExportError("a Moodle export needs the assignment's grading worksheet (Moodle: "
                          "the assignment → View all submissions → Download grading "
                          "worksheet), as --lms-file to fill it in, or as --roster to find "
                          "each participant's e-mail or ID number")
    roster = _moodle_roster(Sheet.read(args.roster), args)
    if args.lms_file:
        return _moodle_gradebook(args, sheet, roster, grades, maximum, missing_value)
    key_header = KEYS[args.key][0]
    sheet = Sheet([[key_header, "Full name", args.column or _configured_column(args)
                    or args.assignment]])
    for key, name in roster.values():
        sheet.rows.append([neutral(key), neutral(name), ""])
    outcome = Outcome(args.output, f"Moodle grade import keyed by {KEYS[args.key][1]}",
                      sheet.header[2],
                      missing_value)
    rows = list(range(1, len(sheet.rows)))
    values = {i: score_text(grades.get(p), maximum, None)
              for i, p in zip(rows, roster, strict=True)}
    fill(sheet, rows, 2, values, outcome)
    outcome.absent = _absent(grades, set(roster))
    sheet.write(args.output)
    return outcome


def _moodle_worksheet(args, sheet, grades, maximum, missing_value) -> Outcome:
    key = sheet.column(args.key_column or "Identifier")
    column = sheet.column(args.column or "Grade")
    if column is None:
        raise ExportError(f"{args.lms_file} has no {args.column or 'Grade'!r} column; on a "
                          "Moodle site in another language, name it with --column (and the "
                          "identifier column with --key-column)")
    outcome = Outcome(args.output, "Moodle grading worksheet", sheet.header[column],
                      missing_value)
    top = sheet.column("Maximum Grade", "Maximum grade")
    rows = [i for i in range(1, len(sheet.rows)) if len(sheet.rows[i]) > key
            and PARTICIPANT.search(sheet.rows[i][key])]
    lms_maximum = _float(sheet.rows[rows[0]][top]) if rows and top is not None else None
    if lms_maximum and abs(lms_maximum - maximum) > 1e-9:
        outcome.scaled = (f"scaled from {number(maximum)} to {number(lms_maximum)} points, the "
                          "worksheet's Maximum Grade")
    ids = {i: PARTICIPANT.search(sheet.rows[i][key])[1] for i in rows}
    values = {i: score_text(grades.get(ids[i]), maximum, lms_maximum) for i in rows}
    fill(sheet, rows, column, values, outcome)
    outcome.absent = _absent(grades, set(ids.values()))
    sheet.write(args.output)
    return outcome


def _moodle_roster(sheet: Sheet, args) -> dict:
    """``{participant id: (e-mail or ID number, full name)}`` from the grading worksheet."""
    key = sheet.column(args.key_column or "Identifier")
    value = sheet.column(*KEYS[args.key])
    name = sheet.column("Full name")
    if key is None or value is None:
        raise ExportError(f"{args.roster} is not a Moodle grading worksheet with an "
                          f"{KEYS[args.key][0]!r} column (found {', '.join(sheet.header)}); "
                          "ask for --key idnumber or email as your site shows it")
    roster = {}
    for row in sheet.rows[1:]:
        found = PARTICIPANT.search(row[key]) if len(row) > max(key, value) else None
        if found:
            roster[found[1]] = (row[value].strip(), row[name] if name is not None else "")
    return roster


def _moodle_gradebook(args, sheet, roster, grades, maximum, missing_value) -> Outcome:
    key = sheet.column(*KEYS[args.key])
    if key is None:
        raise ExportError(f"{args.lms_file} has no {KEYS[args.key][0]!r} column to match "
                          f"students by; found {', '.join(sheet.header[:8])}")
    column = find_column(sheet, args.column or _configured_column(args), args.assignment, key,
                         "Moodle gradebook export")
    if column is None:
        raise ExportError(f"{args.lms_file} has no column {args.column!r}")
    outcome = Outcome(args.output, f"Moodle gradebook import keyed by {KEYS[args.key][1]}",
                      sheet.header[column],
                      missing_value)
    by_key = {value.lower(): participant for participant, (value, _) in roster.items()}
    rows = [i for i in range(1, len(sheet.rows)) if len(sheet.rows[i]) > key
            and sheet.rows[i][key].strip()]
    values = {i: score_text(grades.get(by_key.get(sheet.rows[i][key].strip().lower())),
                            maximum, None) for i in rows}
    fill(sheet, rows, column, values, outcome)
    seen = {by_key.get(sheet.rows[i][key].strip().lower()) for i in rows}
    outcome.absent = _absent(grades, seen)
    sheet.write(args.output)
    return outcome


# --- plain CSV -------------------------------------------------------------------------------

def plain(args, grades, maximum, missing_value) -> Outcome:
    """A plain table of the grades, or one column of any CSV keyed by student id."""
    if args.lms_file:
        sheet = Sheet.read(args.lms_file)
        key = sheet.column(args.key_column or "student")
        if key is None:
            raise ExportError(f"{args.lms_file} has no {args.key_column or 'student'!r} "
                              "column; name the column of student ids with --key-column")
        title = args.column or args.assignment
        column = sheet.column(title)
        if column is None:
            sheet.header.append(title)
            column = len(sheet.header) - 1
        rows = list(range(1, len(sheet.rows)))
        ids = {i: sheet.rows[i][key].strip() for i in rows if len(sheet.rows[i]) > key}
        rows = list(ids)
    else:
        sheet = Sheet([["student", "name", "score", "max_score", "raw_score", "late_penalty"]])
        for grade in sorted(grades.values(), key=lambda g: g.student):
            sheet.rows.append([neutral(grade.student), neutral(grade.name), "", number(maximum),
                               "" if grade.raw is None else number(grade.raw),
                               number(grade.penalty)])
        column, rows = 2, list(range(1, len(sheet.rows)))
        ids = {i: sheet.rows[i][0].removeprefix("'") for i in rows}
    outcome = Outcome(args.output, "CSV", sheet.header[column],
                      missing_value)
    fill(sheet, rows, column, {i: score_text(grades.get(ids[i]), maximum, None) for i in rows},
         outcome)
    outcome.absent = _absent(grades, set(ids.values()))
    sheet.write(args.output)
    return outcome


# --- the command -------------------------------------------------------------------------------

TARGETS = {"canvas": canvas, "moodle": moodle, "csv": plain}


def _absent(grades: dict, seen: set) -> list[str]:
    return [f"{g.student} ({g.name})" if g.name else g.student for g in grades.values()
            if g.score is not None and g.student not in seen]


def _float(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except (ValueError, AttributeError):
        return None


def _configured_column(args) -> str | None:
    return dict(args.config_section.get("lms_columns", {})).get(args.assignment)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options."""
    parser.add_argument("assignment", help="assignment id, e.g. 01-neuron")
    parser.add_argument("--to", required=True, choices=sorted(TARGETS),
                        help="the LMS whose import file to write")
    parser.add_argument("--lms-file", type=Path, default=None,
                        help="the file downloaded from the LMS to merge into (Canvas: the "
                             "gradebook export; Moodle: the grading worksheet or a gradebook "
                             "export)")
    parser.add_argument("--roster", type=Path, default=None,
                        help="Moodle: the grading worksheet, to find each participant's "
                             "e-mail or ID number")
    parser.add_argument("--key", choices=sorted(KEYS), default="email",
                        help="Moodle gradebook import: identify students by e-mail (default) "
                             "or ID number")
    parser.add_argument("--column", default=None,
                        help="the LMS's column of this assignment (default: the one whose "
                             "title names it, else a new column)")
    parser.add_argument("--key-column", default=None,
                        help="the column of student ids, when the LMS file names it otherwise")
    parser.add_argument("--missing", choices=["blank", "zero"], default=None,
                        help="value for students without a submission (default: "
                             "c.NnkitGrading.missing_grade, else blank)")
    parser.add_argument("--output", type=Path, default=None,
                        help="file to write (default: COURSE/grading-output/ASSIGNMENT/"
                             "<lms>-import.csv)")


def run(args) -> int:
    """Write the import file and print what changed; 2 when it cannot be written."""
    from nnkit.course.course_dir import load_course

    course = load_course(args.course)
    args.config_section = course.config.get("NnkitGrading", {})
    missing = args.missing or args.config_section.get("missing_grade", "blank")
    if missing not in ("blank", "zero"):
        print(f"nnkit-course export: c.NnkitGrading.missing_grade is {missing!r}; expected "
              "'blank' or 'zero'", file=sys.stderr)
        return 2
    missing_value = "" if missing == "blank" else "0"
    args.output = args.output or (course.root / "grading-output" / args.assignment
                                  / f"{args.to}-import.csv")
    try:
        grades, maximum = grades_from_gradebook(
            gradebook.database_url(course.root, course.config), args.assignment)
        outcome = TARGETS[args.to](args, grades, maximum, missing_value)
    except ExportError as error:
        print(f"nnkit-course export: {error}", file=sys.stderr)
        return 2
    print("\n".join(outcome.lines()))
    return 0
