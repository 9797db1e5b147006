"""``nnkit-course export``: the LMS's own export goes in, the same file with one column filled out.

The gradebook is a real nbgrader gradebook filled through nbgrader's API, as
``nnkit-course grade`` or the formgrader would leave it (late penalties
included). The LMS files are built by ``tests/lms/formats.py`` to the LMSs'
formats; each written file is read back the way the LMS's importer reads it.
"""

from __future__ import annotations

import random
import shutil
import warnings

import pytest

from nnkit.course import export, gradebook
from nnkit.course.course_dir import put_environment_scripts_on_path
from tests.commands import run_command
from tests.hostile.course import ASSIGNMENT, MAX_SCORE, make_course
from tests.lms import formats

COLUMN = "00-tiny: neuron and ReLU (501)"




def record(db_url, *students):
    """Graded submissions ``(id, name, score[, penalty])`` as the gradebook holds them."""
    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(db_url) as book:
        warnings.simplefilter("ignore")  # nbgrader's own session handling warns here
        for student, name, score, *penalty in students:
            book.update_or_create_student(student, last_name=name)
            book.update_or_create_submission(ASSIGNMENT, student)
            first = min(score, 3.0)   # test_weighted_sum has 3 points, test_relu 2
            for grade_id, value in (("test_weighted_sum", first), ("test_relu", score - first)):
                book.find_grade(grade_id, ASSIGNMENT, ASSIGNMENT, student).auto_score = value
            book.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student) \
                .late_submission_penalty = penalty[0] if penalty else 0.0
        book.db.commit()


@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory):
    """A gradebook with the tiny assignment and no student (made once: nbgrader's first
    opening of a new gradebook runs alembic, which takes seconds)."""
    put_environment_scripts_on_path()
    root = tmp_path_factory.mktemp("template")
    course = make_course(root)
    gradebook.prepare(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT,
                      [root / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"])
    return course / "gradebook.db"


@pytest.fixture()
def book(tmp_path, empty_gradebook):
    """The tiny course with its own copy of the gradebook."""
    course = make_course(tmp_path)
    shutil.copy(empty_gradebook, course / "gradebook.db")
    return {"course": course, "db": f"sqlite:///{course / 'gradebook.db'}", "root": tmp_path}


def export_to(book, *argv):
    output = book["root"] / "written.csv"
    code = run_command(export, [ASSIGNMENT, *argv, "--course", str(book["course"]),
                                "--output", str(output)])
    return code, output


def class_of(book, size=30, seed=3):
    """``size`` Canvas students in Canvas's order; two thirds graded, one late."""
    rng = random.Random(seed)
    students = [{"name": f"Müller-{n:02d}, Zoë {chr(65 + n % 26)}", "id": str(5000 + n),
                 "sis": f"S{n}", "login": f"zm{n}", "section": "A and B" if n % 7 else "A",
                 "scores": [rng.choice(["", "3.00", "N/A"]), "12.00"]} for n in range(size)]
    record(book["db"], *[(s["id"], s["name"], float(n % 6), 1.0 if n == 4 else 0.0)
                         for n, s in enumerate(students) if n % 3])
    return students


def test_a_canvas_export_round_trips_without_losing_or_reordering_a_row(book, capsys):
    students = class_of(book)
    lms_file = formats.canvas_gradebook(book["root"] / "canvas.csv", students,
                                        [("00-tiny: neuron and ReLU", 501, MAX_SCORE),
                                         ("Essay", 502, 20)], manual_posting=True)
    before, _, _ = formats.read_rows(lms_file)
    code, output = export_to(book, "--to", "canvas", "--lms-file", str(lms_file))
    assert code == 0
    assert f"column '{COLUMN}'" in capsys.readouterr().out   # found by its title
    after, bom, delimiter = formats.read_rows(output)
    assert (bom, delimiter) == (True, ",")
    assert output.read_bytes().count(b"\r\n") == len(before)
    assert len(after) == len(before) == len(students) + 3
    column = after[0].index(COLUMN)
    for old, new in zip(before, after, strict=True):
        assert old[:column] + old[column + 1:] == new[:column] + new[column + 1:]
    expected = {s["id"]: "" for s in students}
    expected.update({s["id"]: export.number(max(0.0, (int(s["id"]) - 5000) % 6 - (
        1.0 if s["id"] == "5004" else 0.0))) for s in students if (int(s["id"]) - 5000) % 3})
    assert {row[1]: row[column] for row in after[3:]} == expected
    # the same export again changes nothing
    assert export_to(book, "--to", "canvas", "--lms-file", str(output))[0] == 0
    assert "0 changed, 20 already had these grades, 10 without a submission" in \
        capsys.readouterr().out


def test_students_without_a_submission_get_the_configured_value(book, capsys):
    students = class_of(book, size=6)
    lms_file = formats.canvas_gradebook(book["root"] / "canvas.csv", students,
                                        [("00-tiny: neuron and ReLU", 501, MAX_SCORE)])
    code, output = export_to(book, "--to", "canvas", "--lms-file", str(lms_file),
                             "--missing", "zero")
    rows, _, _ = formats.read_rows(output)
    assert [row[5] for row in rows[2:]] == ["0", "1", "2", "0", "3", "5"]
    assert "2 without a submission (set to 0)" in capsys.readouterr().out
    config = book["course"] / "nbgrader_config.py"
    config.write_text(config.read_text() + 'c.NnkitGrading.missing_grade = "zero"\n')
    code, output = export_to(book, "--to", "csv")
    rows, _, _ = formats.read_rows(output)
    assert code == 0
    assert rows[0] == ["student", "name", "score", "max_score", "raw_score", "late_penalty"]
    assert [row[2] for row in rows[1:]] == ["1", "2", "3", "5"]   # graded students only
    config.write_text(config.read_text() + 'c.NnkitGrading.missing_grade = "maybe"\n')
    assert export_to(book, "--to", "csv")[0] == 2
    assert "expected 'blank' or 'zero'" in capsys.readouterr().err


def test_a_new_canvas_file_has_canvass_columns_and_safe_names(book):
    record(book["db"], ("4711", "=HYPERLINK(\"http://evil.example\")", 4.0),
           ("4712", "Zoë de la Cruz", 5.0, 2.0))
    code, output = export_to(book, "--to", "canvas", "--column", COLUMN)
    assert code == 0
    rows, bom, _ = formats.read_rows(output)
    assert bom
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", COLUMN]
    assert rows[1] == ["    Points Possible", "", "", "", "", "5"]
    assert rows[2:] == [["'=HYPERLINK(\"http://evil.example\")", "4711", "", "", "", "4"],
                        ["Zoë de la Cruz", "4712", "", "", "", "3"]]


def test_a_file_that_is_not_a_canvas_export_is_refused_with_what_was_expected(book, capsys):
    record(book["db"], ("4711", "A", 4.0))
    wrong = book["root"] / "wrong.csv"
    wrong.write_text("Name,Grade\nA,4\n")
    assert export_to(book, "--to", "canvas", "--lms-file", str(wrong))[0] == 2
    assert "does not look like a Canvas gradebook export: its first row should be Student, " \
           "ID" in capsys.readouterr().err
    lms_file = formats.canvas_gradebook(book["root"] / "c.csv", [],
                                        [("Tiny one", 1, 5.0), ("Tiny two", 2, 5.0)])
    assert export_to(book, "--to", "canvas", "--lms-file", str(lms_file))[0] == 2
    assert "cannot tell which column of the Canvas file is 00-tiny" in capsys.readouterr().err


def test_moodle_needs_the_grading_worksheet_and_says_where_it_is(book, capsys):
    record(book["db"], ("1042", "José Müller", 4.0))
    assert export_to(book, "--to", "moodle")[0] == 2
    assert "Download grading worksheet" in capsys.readouterr().err


def test_a_moodle_grade_import_neutralises_names(book):
    record(book["db"], ("1042", "José", 4.0))
    worksheet = formats.moodle_worksheet(book["root"] / "ws.csv", [
        {"participant": 1042, "name": "@SUM(1+1)*cmd", "email": "j@uni.example"},
        {"participant": 1043, "name": "+Zoë", "email": "z@uni.example"}])
    code, output = export_to(book, "--to", "moodle", "--roster", str(worksheet))
    rows, _, _ = formats.read_rows(output)
    assert code == 0 and rows == [["Email address", "Full name", ASSIGNMENT],
                    ["j@uni.example", "'@SUM(1+1)*cmd", "4"], ["z@uni.example", "'+Zoë", ""]]


def test_any_csv_keyed_by_student_gets_its_column(book):
    record(book["db"], ("alice", "Alice", 5.0), ("bob", "Bob", 2.0, 0.5))
    sheet = book["root"] / "mine.csv"
    sheet.write_text("login;tutor\nbob;X\ncarol;Y\nalice;X\n", encoding="utf-8")
    code, output = export_to(book, "--to", "csv", "--lms-file", str(sheet),
                             "--key-column", "login")
    rows, bom, delimiter = formats.read_rows(output)
    assert (code, bom, delimiter) == (0, False, ";")
    assert rows == [["login", "tutor", ASSIGNMENT], ["bob", "X", "1.5"], ["carol", "Y", ""],
                    ["alice", "X", "5"]]
