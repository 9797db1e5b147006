"""``nnkit-course demo-class``: a made-up class as an LMS hands it over, to try the round trip.

The class's notebooks are the instructor's solutions with some answers
replaced by typical wrong ones — each a mistake the checks name (see
:data:`PLANTED`), given to a known number of students. The command writes
the LMS's download of that class (Canvas's submissions zip or Moodle's
assignment download) with names as real classes have them (accents, spaces,
two students of the same name), the file the LMS would export for the grades
to go back into (Canvas's gradebook export or Moodle's grading worksheet),
and ``planted-mistakes.csv``, the truth a ``nnkit-course report`` can be
checked against.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
import zipfile
from pathlib import Path

import nbformat

from nnkit.course.repair import nbgrader_info, without_hidden_tests

SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n?", re.MULTILINE)

# Per graded function: the wrong answers planted, each with how many of 24 students give it.
# Each wrong answer fails only the tests of its own function, with the mistake it names.
PLANTED = {
    "01-neuron": {
        "weighted_sum": [
            ("weighted_sum.forgot_bias", 8, '''def weighted_sum(x, w, b):
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    if x.shape != w.shape:
        raise ValueError(f"x has {x.size} values but w has {w.size}")
    return float(np.dot(w, x))
'''),
            ("weighted_sum.lengths_not_checked", 5, '''def weighted_sum(x, w, b):
    return float(sum(wi * xi for wi, xi in zip(w, x)) + b)
'''),
            ("weighted_sum.bias_per_input", 2, '''def weighted_sum(x, w, b):
    if len(x) != len(w):
        raise ValueError(f"x has {len(x)} values but w has {len(w)}")
    return float(sum(wi * xi + b for wi, xi in zip(w, x)))
'''),
        ],
        "neuron": [
            ("neuron.activation_not_applied", 4, '''def neuron(x, w, b, activation):
    return float(np.dot(np.asarray(w, dtype=float), np.asarray(x, dtype=float)) + b)
'''),
            ("neuron.forgot_bias", 2, '''def neuron(x, w, b, activation):
    return activation(float(np.dot(np.asarray(w, dtype=float), np.asarray(x, dtype=float))))
'''),
        ],
        "and_gate": [
            ("and_gate.computes_or", 6, "def and_gate():\n    return [1.0, 1.0], -0.5\n"),
            ("and_gate.threshold_on_input", 2, "def and_gate():\n    return [1.0, 1.0], -2.0\n"),
        ],
        "or_gate": [
            ("or_gate.computes_and", 3, "def or_gate():\n    return [1.0, 1.0], -1.5\n"),
        ],
    },
}
# A right answer that does not lean on another graded function, so that each
# planted mistake shows in its own test only.
INDEPENDENT = {
    "neuron": '''def neuron(x, w, b, activation):
    return activation(float(np.dot(np.asarray(w, dtype=float), np.asarray(x, dtype=float)) + b))
''',
}
FIRST = ["José", "Zoë", "Anna", "Łukasz", "Mei", "Ana María", "Jean-Luc", "Søren", "Aïsha",
         "Noah", "Chloé", "Björn", "Fatima", "Ömer", "Maria", "Kai", "Élodie", "Ravi", "Nguyễn",
         "Lena", "Tomás", "Yuki", "Olga", "Sam"]
LAST = ["Müller", "de la Cruz", "Müller", "Wiśniewski", "Li", "García Márquez", "O'Neil",
        "Kierkegaard", "Ben Salah", "Smith", "Lefèvre", "Åström", "Haddad", "Yılmaz", "Müller",
        "Tanaka", "Dupont", "Iyer", "Văn An", "Schmidt", "Ibáñez", "Sato", "Ivanova", "Smith"]


def plan(assignment: str, students: int, seed: int) -> dict[int, dict[str, str]]:
    """``{student number: {function: planted mistake id}}`` for a class of ``students``."""
    if assignment not in PLANTED:
        raise ValueError(f"no planted mistakes for {assignment}; a demo class can be made for "
                         f"{', '.join(PLANTED)}")
    rng = random.Random(seed)
    mistakes: dict[int, dict[str, str]] = {n: {} for n in range(students)}
    for function, wrong in PLANTED[assignment].items():
        given = [mistake for mistake, count, _ in wrong
                 for _ in range(round(count * students / 24))][:students]
        order = list(range(students))
        rng.shuffle(order)
        for number, mistake in zip(order, given, strict=False):
            mistakes[number][function] = mistake
    return mistakes


def student_notebook(source: nbformat.NotebookNode, assignment: str, mistakes: dict):
    """The instructor's notebook as a student with ``mistakes`` hands it in."""
    codes = {m: code for wrong in PLANTED[assignment].values() for m, _, code in wrong}
    notebook = nbformat.from_dict(source)
    for cell in notebook.cells:
        info = nbgrader_info(cell)
        grade_id = info.get("grade_id")
        if info.get("solution") and cell.cell_type == "code":
            cell.source = codes[mistakes[grade_id]] if grade_id in mistakes else \
                INDEPENDENT.get(grade_id, SOLUTION_MARKERS.sub("", cell.source))
        elif info.get("grade"):
            cell.source = without_hidden_tests(cell.source)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return notebook


def people(students: int) -> list[dict]:
    """Names with accents, spaces, apostrophes and repeats, and the ids an LMS gives them."""
    return [{"first": FIRST[n % len(FIRST)], "last": LAST[n % len(LAST)],
             "user": str(4101 + 7 * n), "attachment": str(880001 + 13 * n),
             "participant": str(1201 + 3 * n)} for n in range(students)]


def canvas_prefix(person: dict) -> str:
    """Canvas's ``<name>`` part: the sortable name in lower case, word characters only."""
    return re.sub(r"[^\w]", "", f"{person['last']}, {person['first']}".lower())


def write_class(course, assignment: str, out: Path, lms: str, students: int = 24,
                seed: int = 1, late: int = 3) -> dict:
    """Write the demo class's download and LMS file under ``out``; the plan it followed."""
    source = nbformat.read(course.source_notebook(assignment), as_version=4)
    mistakes = plan(assignment, students, seed)
    class_ = people(students)
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out / "submissions.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for number, person in enumerate(class_):
            text = nbformat.writes(student_notebook(source, assignment, mistakes[number]))
            archive.writestr(_entry(person, assignment, lms, number < late), text)
    points = sum(float(nbgrader_info(c).get("points", 0) or 0) for c in source.cells
                 if nbgrader_info(c).get("grade"))
    if lms == "canvas":
        _canvas_gradebook(out / "canvas-gradebook.csv", class_, assignment, points)
    else:
        _moodle_worksheet(out / "grading-worksheet.csv", class_, points)
    key = "user" if lms == "canvas" else "participant"
    with (out / "planted-mistakes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "function", "mistake"])
        for number, person in enumerate(class_):
            for function, mistake in sorted(mistakes[number].items()):
                writer.writerow([person[key], function, mistake])
    return {class_[n][key]: m for n, m in mistakes.items()}


def _entry(person, assignment, lms, late) -> str:
    file = f"{assignment}.ipynb"
    if lms == "canvas":
        marker = "_LATE" if late else ""
        return f"{canvas_prefix(person)}{marker}_{person['user']}_{person['attachment']}_{file}"
    return (f"{person['first']} {person['last']}_{person['participant']}"
            f"_assignsubmission_file/{file}")


def _canvas_gradebook(path: Path, class_, assignment, points):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    title = f"{assignment} ({70000 + sum(map(ord, assignment))})"
    writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", title,
                     "Current Score", "Final Score"])
    writer.writerow(["    Points Possible", "", "", "", "", f"{points:.2f}", "(read only)",
                     "(read only)"])
    for person in sorted(class_, key=lambda p: (p["last"], p["first"], p["user"])):
        writer.writerow([f"{person['last']}, {person['first']}", person["user"],
                         f"S{person['user']}", f"{person['first'][0].lower()}{person['user']}",
                         "Neural networks 101", "", "", ""])
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8", newline="")


def _moodle_worksheet(path: Path, class_, points):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Identifier", "Full name", "Email address", "Status", "Grade",
                     "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                     "Last modified (grade)", "Feedback comments"])
    for person in class_:
        writer.writerow([f"Participant {person['participant']}",
                         f"{person['first']} {person['last']}",
                         f"{person['user']}@students.example.org", "Submitted for grading", "",
                         f"{points:.2f}", "Yes", "Friday, 14 March 2025, 11:02 PM", "-", ""])
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options."""
    parser.add_argument("assignment", help="assignment id with planted mistakes, e.g. 01-neuron")
    parser.add_argument("out", type=Path, help="folder to write the class into")
    parser.add_argument("--lms", choices=["canvas", "moodle"], default="canvas",
                        help="whose download to imitate (default: canvas)")
    parser.add_argument("--students", type=int, default=24, help="class size (default: 24)")
    parser.add_argument("--seed", type=int, default=1, help="who makes which mistake")


def run(args) -> int:
    """Write the class and say what to run next."""
    from nnkit.course.course_dir import load_course

    course = load_course(args.course)
    try:
        write_class(course, args.assignment, args.out, args.lms, args.students, args.seed)
    except ValueError as error:
        print(f"nnkit-course demo-class: {error}", file=sys.stderr)
        return 2
    lms_file = "canvas-gradebook.csv" if args.lms == "canvas" else "grading-worksheet.csv"
    print(f"wrote {args.out / 'submissions.zip'}, {args.out / lms_file} and "
          f"{args.out / 'planted-mistakes.csv'}\nnext: nnkit-course grade {args.assignment} "
          f"{args.out / 'submissions.zip'}, then report and export")
    return 0
