"""Reading Canvas's and Moodle's downloads as they come, safely, and the whole round trip.

The downloads are built by ``tests/lms/formats.py`` from the LMSs' own rules,
with the names real classes have: accents, spaces, apostrophes, two students
of the same name. The ``grading`` tests take each download through
``nnkit-course grade`` and ``nnkit-course export`` with a real gradebook and
read the file written as the LMS would, column by column.
"""

from __future__ import annotations

import logging
import os
import stat
import zipfile
from pathlib import Path

import nbformat
import pytest

from nnkit.course import export, grade
from nnkit.course.download import Caps, DownloadError
from nnkit.course.lms import IntakeError, read_submissions
from tests.commands import run_command
from tests.hostile.cases import WRONG_RELU, good_answers
from tests.hostile.course import ASSIGNMENT, MAX_SCORE, make_course, student_notebook
from tests.lms import formats

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
NAMES = {NOTEBOOK}
GOOD = student_notebook(good_answers())
HALF = student_notebook(good_answers(relu=WRONG_RELU))   # loses relu's 2 of 5 points
BLANK = student_notebook()




def read(intake_folder: Path) -> str:
    return (intake_folder / NOTEBOOK).read_text(encoding="utf-8")


def canvas_class() -> dict:
    """A Canvas submissions zip's members: accents, a late one, two Anna Müllers, a re-upload."""
    jose = formats.canvas_prefix("Müller, José", 4711)
    zoe = formats.canvas_prefix("de la Cruz, Zoë", 4712, late=True)
    anna = formats.canvas_prefix("Müller, Anna", 4713)
    other_anna = formats.canvas_prefix("Müller, Anna", 4714)
    return {
        formats.canvas_member(jose, 90001, NOTEBOOK): GOOD,
        formats.canvas_member(zoe, 90002, NOTEBOOK): HALF,
        formats.canvas_member(anna, 90003, NOTEBOOK): GOOD,
        formats.canvas_member(other_anna, 90004, NOTEBOOK): BLANK,
        # the second Anna uploaded the same name again later: Canvas renamed it
        formats.canvas_member(other_anna, 90010, formats.canvas_renamed(NOTEBOOK, 1)): GOOD,
        f"{formats.canvas_prefix('Smith, Sam', 4715)}_text.html": "<p>my answer</p>",
    }


# --- Canvas ----------------------------------------------------------------------------------

def test_a_canvas_zip_is_recognised_and_keyed_by_user_id(tmp_path):
    source = formats.write_zip(tmp_path / "submissions.zip", canvas_class())
    intake = read_submissions(source, tmp_path / "staged", ASSIGNMENT, NAMES)
    assert intake.layout == "Canvas submissions (zip)"
    assert [s.key for s in intake.students] == ["4711", "4712", "4713", "4714"]
    assert [s.name for s in intake.students] == ["müllerjosé", "delacruzzoë", "mülleranna",
                                                 "mülleranna"]
    assert [s.late_marker for s in intake.students] == [False, True, False, False]
    assert "LATE in the file name" in intake.students[1].time_note
    assert intake.skipped == ["smithsam_4715_text.html: a Canvas text entry, not a notebook"]


def test_of_two_uploads_of_one_name_canvas_keeps_the_latest(tmp_path):
    source = formats.write_zip(tmp_path / "submissions.zip", canvas_class())
    intake = read_submissions(source, tmp_path / "staged", ASSIGNMENT, NAMES)
    second_anna = intake.students[3]
    assert sorted(p.name for p in second_anna.folder.iterdir()) == [NOTEBOOK]
    assert read(second_anna.folder) == nbformat.writes(GOOD)
    assert second_anna.notes == [f"2 uploads named {NOTEBOOK}; graded the latest "
                                 f"(00-tiny-1.ipynb, Canvas attachment 90010)"]


def test_a_renamed_upload_counts_as_the_notebook_it_was_named_for(tmp_path):
    prefix = formats.canvas_prefix("Ng, Mei", 4720)
    members = {formats.canvas_member(prefix, 5, formats.canvas_renamed(NOTEBOOK, 2)): GOOD,
               formats.canvas_member(prefix, 6, "part-1.ipynb"): BLANK}
    intake = read_submissions(formats.write_zip(tmp_path / "s.zip", members),
                              tmp_path / "staged", ASSIGNMENT, NAMES)
    (mei,) = intake.students
    assert sorted(p.name for p in mei.folder.iterdir()) == [NOTEBOOK, "part-1.ipynb"]
    assert mei.notes == [f"Canvas renamed {NOTEBOOK} to 00-tiny-2.ipynb (uploaded again "
                         f"under the same name); graded as {NOTEBOOK}"]


def test_anonymous_grading_keys_by_canvas_anonymous_id(tmp_path):
    name = formats.canvas_member(formats.canvas_prefix("", 0, late=True, anonymous_id="Xb12c"),
                                 77, NOTEBOOK)
    assert name == "LATE_anon_Xb12c_77_00-tiny.ipynb"
    intake = read_submissions(formats.write_zip(tmp_path / "s.zip", {name: GOOD}),
                              tmp_path / "staged", ASSIGNMENT, NAMES)
    assert [(s.key, s.name, s.late_marker) for s in intake.students] == \
        [("anon_Xb12c", "", True)]


def test_an_unpacked_canvas_folder_is_read_the_same_and_links_are_not_followed(tmp_path):
    folder = formats.write_folder(tmp_path / "download", canvas_class())
    secret = tmp_path / "secret.txt"
    secret.write_text("instructor only")
    os.symlink(secret, folder / formats.canvas_member(formats.canvas_prefix("Eve, E", 4799),
                                                      1, NOTEBOOK))
    intake = read_submissions(folder, tmp_path / "staged", ASSIGNMENT, NAMES)
    assert intake.layout == "Canvas submissions (folder)"
    assert "4799" not in [s.key for s in intake.students]
    assert "evee_4799_1_00-tiny.ipynb: a symbolic link" in intake.skipped


# --- Moodle ----------------------------------------------------------------------------------

def moodle_class(moodle3: bool = False) -> dict:
    """A Moodle download: a participant folder each, a sub-folder kept, an online text."""
    return {
        f"{formats.moodle_folder('José Müller', 1042, moodle3)}/{NOTEBOOK}": GOOD,
        f"{formats.moodle_folder('Zoë de la Cruz', 1043, moodle3)}/work/{NOTEBOOK}": HALF,
        f"{formats.moodle_folder('Anna Müller', 1044, moodle3)}/{NOTEBOOK}": BLANK,
        f"{formats.moodle_folder('Anna Müller', 1045, moodle3)}/{NOTEBOOK}": GOOD,
        f"{formats.moodle_folder('Anna Müller', 1045, moodle3, 'onlinetext')}/"
        "onlinetext.html": "<p>see notebook</p>",
    }


@pytest.mark.parametrize("moodle3", [False, True], ids=["moodle4", "moodle3"])
def test_a_moodle_download_is_keyed_by_participant_id(tmp_path, moodle3):
    source = formats.write_zip(tmp_path / "download.zip", moodle_class(moodle3))
    intake = read_submissions(source, tmp_path / "staged", ASSIGNMENT, NAMES)
    assert intake.layout == "Moodle assignment download, one folder per participant (zip)"
    assert [(s.key, s.name) for s in intake.students] == [
        ("1042", "José Müller"), ("1043", "Zoë de la Cruz"), ("1044", "Anna Müller"),
        ("1045", "Anna Müller")]
    assert (intake.students[1].folder / "work" / NOTEBOOK).is_file()
    assert intake.students[3].notes == ["onlinetext.html (online text) not graded: not a "
                                        "file submission"]
    assert intake.students[0].late_marker is None
    assert intake.students[0].time_note == "Moodle's download gives no submission times"


def test_a_moodle_download_without_folders_is_recognised(tmp_path):
    members = {formats.moodle_flat("José Müller", 1042, NOTEBOOK): GOOD,
               formats.moodle_flat("Ana María García", 1046, NOTEBOOK): HALF}
    intake = read_submissions(formats.write_zip(tmp_path / "d.zip", members),
                              tmp_path / "staged", ASSIGNMENT, NAMES)
    assert intake.layout == "Moodle assignment download, files not in folders (zip)"
    assert [(s.key, s.name) for s in intake.students] == [("1042", "José Müller"),
                                                          ("1046", "Ana María García")]
    assert read(intake.students[1].folder) == nbformat.writes(HALF)


# --- one folder per student --------------------------------------------------------------

def test_folders_per_student_are_graded_in_place_with_nbgraders_timestamp(tmp_path):
    members = {f"alice/{ASSIGNMENT}/{NOTEBOOK}": GOOD,
               f"alice/{ASSIGNMENT}/timestamp.txt": "2025-03-14 22:59:30.000000 UTC",
               f"bob/{NOTEBOOK}": GOOD, "bob/timestamp.txt": "not a time",
               f"carol/{NOTEBOOK}": GOOD, "loose.ipynb": GOOD}
    folder = formats.write_folder(tmp_path / "submitted", members)
    intake = read_submissions(folder, tmp_path / "staged", ASSIGNMENT, NAMES)
    assert intake.layout == "one folder per student (folder)"
    alice, bob, carol = intake.students
    assert alice.folder == folder / "alice"
    assert alice.submitted_at.isoformat() == "2025-03-14T22:59:30+00:00"
    assert bob.submitted_at is None and "not a time" in bob.time_note
    assert carol.time_note == "no timestamp.txt in the folder"
    assert intake.skipped == ["skipped loose.ipynb: a file, not a student folder"]


def test_an_empty_student_folder_still_gets_its_row(tmp_path):
    folder = formats.write_folder(tmp_path / "submitted", {f"alice/{NOTEBOOK}": GOOD})
    (folder / "bob").mkdir()
    intake = read_submissions(folder, tmp_path / "staged", ASSIGNMENT, NAMES)
    assert [s.key for s in intake.students] == ["alice", "bob"]
    source = tmp_path / "s.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(f"alice/{NOTEBOOK}", nbformat.writes(GOOD))
        archive.writestr("bob/", "")
    intake = read_submissions(source, tmp_path / "staged", ASSIGNMENT, NAMES)
    assert [(s.key, sorted(p.name for p in s.folder.iterdir())) for s in intake.students] == \
        [("alice", [NOTEBOOK]), ("bob", [])]


def test_a_zip_wrapping_the_download_in_one_folder_is_looked_through(tmp_path):
    members = {f"Exercise 0 submissions/{name}": content
               for name, content in canvas_class().items()}
    intake = read_submissions(formats.write_zip(tmp_path / "s.zip", members),
                              tmp_path / "staged", ASSIGNMENT, NAMES)
    assert [s.key for s in intake.students] == ["4711", "4712", "4713", "4714"]


def test_a_download_with_nothing_recognisable_says_what_was_expected(tmp_path):
    source = formats.write_zip(tmp_path / "s.zip", {"notes.txt": "hello"})
    with pytest.raises(IntakeError, match=r"expected a Canvas submissions zip.*Moodle.*one "
                                          r"folder per student; found notes\.txt"):
        read_submissions(source, tmp_path / "staged", ASSIGNMENT, NAMES)


# --- zips that try to escape, to hide a link or to blow up ------------------------------------

def test_paths_that_leave_the_folder_are_skipped_and_nothing_is_written_outside(tmp_path):
    jose = formats.canvas_member(formats.canvas_prefix("Müller, José", 4711), 1, NOTEBOOK)
    members = {jose: GOOD, f"../../{jose}": BLANK, "/tmp/evil_4_5_x.ipynb": BLANK,
               f"..\\..\\{jose}": BLANK}
    source = formats.write_zip(tmp_path / "deep" / "s.zip", members)
    staged = tmp_path / "deep" / "staged"
    intake = read_submissions(source, staged, ASSIGNMENT, NAMES)
    assert [s.key for s in intake.students] == ["4711"]
    assert sorted(reason.split(": ")[-1] for reason in intake.skipped) == [
        "the path goes up with '..'", "the path goes up with '..'", "the path is absolute"]
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["deep/s.zip", f"deep/staged/4711/{NOTEBOOK}"]


def test_a_symbolic_link_inside_a_zip_is_not_extracted(tmp_path):
    source = tmp_path / "s.zip"
    with zipfile.ZipFile(source, "w") as archive:
        link = zipfile.ZipInfo(formats.canvas_member(formats.canvas_prefix("Eve", 4799), 2,
                                                     NOTEBOOK))
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr(formats.canvas_member(formats.canvas_prefix("Ok", 4800), 3, NOTEBOOK),
                         nbformat.writes(GOOD))
    intake = read_submissions(source, tmp_path / "staged", ASSIGNMENT, NAMES)
    assert [s.key for s in intake.students] == ["4800"]
    assert intake.skipped == ["eve_4799_2_00-tiny.ipynb: a symbolic link"]
    assert not any(p.is_symlink() for p in (tmp_path / "staged").rglob("*"))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    ok = formats.canvas_member(formats.canvas_prefix("Ok", 4800), 3, NOTEBOOK)
    bomb = formats.canvas_member(formats.canvas_prefix("Bomb", 4801), 4, NOTEBOOK)
    source = formats.write_zip(tmp_path / "s.zip", {ok: GOOD, bomb: b"\0" * 20_000_000})
    intake = read_submissions(source, tmp_path / "staged", ASSIGNMENT, NAMES)
    assert [s.key for s in intake.students] == ["4800"]
    (reason,) = intake.skipped
    assert reason.startswith(f"{bomb}: compressed ") and reason.endswith("like a zip bomb")
    small = Caps(max_file_bytes=1_000_000, max_ratio=10**9)
    intake = read_submissions(source, tmp_path / "staged-2", ASSIGNMENT, NAMES, small)
    assert intake.skipped == [f"{bomb}: unpacks to 20 MB, more than 1 MB"]
    with pytest.raises(DownloadError, match="unpacks to 20 MB, more than the 10 kB"):
        read_submissions(source, tmp_path / "staged-3", ASSIGNMENT, NAMES,
                         Caps(max_total_bytes=10_000, max_ratio=10**9))
    with pytest.raises(DownloadError, match="holds 2 files, more than the 1"):
        read_submissions(source, tmp_path / "staged-4", ASSIGNMENT, NAMES, Caps(max_files=1))


def test_a_damaged_member_costs_its_student_that_file_and_no_one_else(tmp_path):
    ok = formats.canvas_member(formats.canvas_prefix("Ok", 4800), 3, NOTEBOOK)
    damaged = formats.canvas_member(formats.canvas_prefix("Bad", 4801), 4, NOTEBOOK)
    source = tmp_path / "s.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(ok, nbformat.writes(GOOD))
        archive.writestr(damaged, "DAMAGED-" + nbformat.writes(BLANK))
    source.write_bytes(source.read_bytes().replace(b"DAMAGED-", b"damaged-"))  # bad CRC
    intake = read_submissions(source, tmp_path / "staged", ASSIGNMENT, NAMES)
    assert [s.key for s in intake.students] == ["4800", "4801"]
    assert read(intake.students[0].folder) == nbformat.writes(GOOD)
    (note,) = intake.students[1].notes
    assert note.startswith(f"{NOTEBOOK} skipped: damaged in the zip (Bad CRC-32")
    assert not (intake.students[1].folder / NOTEBOOK).exists()


def test_a_file_that_is_not_a_zip_is_refused_with_what_was_expected(tmp_path):
    source = tmp_path / "submissions.zip"
    source.write_bytes(b"<html>Session expired</html>")
    with pytest.raises(DownloadError, match=r"is not a zip file .*expected the LMS's download"):
        read_submissions(source, tmp_path / "staged", ASSIGNMENT, NAMES)


def _zip_with_raw_name(path: Path, placeholder: str, raw: bytes, utf8_flag: bool) -> Path:
    """A zip whose member name is ``raw`` bytes (Python itself only writes valid names)."""
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo(placeholder)
        archive.writestr(info, nbformat.writes(GOOD))
    data = path.read_bytes().replace(placeholder.encode("ascii"), raw)
    if utf8_flag:  # general purpose bit 11 of the local and central headers
        data = data.replace(b"PK\x03\x04\x14\x00\x00\x00", b"PK\x03\x04\x14\x00\x00\x08")
        data = data.replace(b"PK\x01\x02\x14\x03\x14\x00\x00\x00",
                            b"PK\x01\x02\x14\x03\x14\x00\x00\x08")
    path.write_bytes(data)
    return path


def test_names_that_are_not_utf8(tmp_path):
    placeholder = "mxller_4711_9_00-tiny.ipynb"
    latin1 = "m\xfcller_4711_9_00-tiny.ipynb".encode("latin-1")
    source = _zip_with_raw_name(tmp_path / "latin1.zip", placeholder, latin1, utf8_flag=False)
    intake = read_submissions(source, tmp_path / "staged", ASSIGNMENT, NAMES)
    (student,) = intake.students    # read as the zip format says (CP437): still 4711
    assert (student.key, student.name) == ("4711", "m\u207fller")
    broken = _zip_with_raw_name(tmp_path / "flagged.zip", placeholder, latin1, utf8_flag=True)
    with pytest.raises(DownloadError, match="marks its file names as UTF-8 but they are not"):
        read_submissions(broken, tmp_path / "staged-2", ASSIGNMENT, NAMES)


# --- the round trip, end to end ----------------------------------------------------------------

@pytest.fixture()
def tiny(tmp_path):
    return {"course": make_course(tmp_path), "out": tmp_path / "out", "root": tmp_path}


def grade_download(tiny, source, *extra):
    code = run_command(grade, [ASSIGNMENT, str(source), "--course", str(tiny["course"]),
                               "--out", str(tiny["out"]), "--jobs", "2", "--no-progress",
                               *extra])
    assert code == 0
    rows, _, _ = formats.read_rows(tiny["out"] / "grades.csv")
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


@pytest.mark.grading
def test_canvas_round_trip_zip_to_gradebook_import(tiny, caplog):
    caplog.set_level(logging.INFO)
    source = formats.write_zip(tiny["root"] / "submissions.zip", canvas_class())
    grades = grade_download(tiny, source)
    assert "recognised Canvas submissions (zip): 4 students" in caplog.text
    assert {k: float(r["score"]) for k, r in grades.items()} == {
        "4711": MAX_SCORE, "4712": 3.0, "4713": MAX_SCORE, "4714": MAX_SCORE}
    assert grades["4714"]["message"].startswith("2 uploads named 00-tiny.ipynb; graded the "
                                                "latest (00-tiny-1.ipynb")
    assert grades["4712"]["name"] == "delacruzzoë"
    students = [
        {"name": "de la Cruz, Zoë", "id": "4712", "sis": "S12", "login": "zdlc",
         "section": "A", "scores": ["4.00", ""]},
        {"name": "=cmd|'/C calc'!A0", "id": "4790", "sis": "S90", "login": "x", "section": "B",
         "scores": ["", "9.00"]},
        {"name": "Müller, Anna", "id": "4713", "sis": "S13", "login": "am1", "section": "A"},
        {"name": "Müller, Anna", "id": "4714", "sis": "S14", "login": "am2", "section": "A"},
        {"name": "Müller, José", "id": "4711", "sis": "S11", "login": "jm", "section": "B"},
    ]
    lms_file = formats.canvas_gradebook(
        tiny["root"] / "canvas.csv", students, [("Tiny exercise", 501, 10.0),
                                                ("Essay", 502, 20.0)],
        delimiter=";", bom=False, manual_posting=True)
    before, _, _ = formats.read_rows(lms_file)
    output = tiny["root"] / "import.csv"
    assert run_command(export, [ASSIGNMENT, "--to", "canvas", "--lms-file", str(lms_file),
                                "--course", str(tiny["course"]), "--output", str(output),
                                "--column", "Tiny exercise (501)"]) == 0
    after, bom, delimiter = formats.read_rows(output)
    assert (bom, delimiter) == (False, ";")                  # the file's own dialect is kept
    assert len(after) == len(before) and after[0] == before[0]
    column = after[0].index("Tiny exercise (501)")
    for old, new in zip(before, after, strict=True):         # only that column changes
        assert old[:column] + old[column + 1:] == new[:column] + new[column + 1:]
    by_id = {row[1]: row[column] for row in after[3:]}
    # 5-point scores scaled to the column's 10 points possible; no submission: blank
    assert by_id == {"4712": "6", "4790": "", "4713": "10", "4714": "10", "4711": "10"}
    assert [row[0] for row in after[:3]] == ["Student", "", "    Points Possible"]


@pytest.mark.grading
def test_moodle_round_trip_zip_to_worksheet_and_gradebook_import(tiny, capsys):
    source = formats.write_zip(tiny["root"] / "download.zip", moodle_class())
    grades = grade_download(tiny, source)
    assert sorted(grades) == ["1042", "1043", "1044", "1045"]
    assert grades["1043"]["name"] == "Zoë de la Cruz" and float(grades["1043"]["score"]) == 3
    people = [{"participant": 1042, "name": "José Müller", "email": "jose@uni.example",
               "idnumber": "S-1"},
              {"participant": 1043, "name": "Zoë de la Cruz", "email": "zoe@uni.example",
               "idnumber": "S-2"},
              {"participant": 1044, "name": "Anna Müller", "email": "anna1@uni.example",
               "idnumber": "S-3"},
              {"participant": 1045, "name": "Anna Müller", "email": "anna2@uni.example",
               "idnumber": "S-4"},
              {"participant": 1050, "name": "Late Joiner", "email": "lj@uni.example",
               "idnumber": "S-5"}]
    worksheet = formats.moodle_worksheet(tiny["root"] / "worksheet.csv", people, maximum=100,
                                         id_number=True)
    filled = tiny["root"] / "worksheet-filled.csv"
    assert run_command(export, [ASSIGNMENT, "--to", "moodle", "--lms-file", str(worksheet),
                                "--course", str(tiny["course"]), "--output", str(filled)]) == 0
    assert "5 student rows: 4 changed, 0 already had these grades, 1 without a submission " \
           "(set to blank)" in capsys.readouterr().out
    rows, _, _ = formats.read_rows(filled)
    header = rows[0]
    assert header == formats.moodle_worksheet(tiny["root"] / "again.csv", [], 100, True) \
        .read_text().strip().split(",")
    grade_column = header.index("Grade")
    assert [(r[0], r[grade_column]) for r in rows[1:]] == [
        ("Participant 1042", "100"), ("Participant 1043", "60"), ("Participant 1044", "0"),
        ("Participant 1045", "100"), ("Participant 1050", "")]
    # the gradebook import keyed by e-mail, merged into Moodle's gradebook export
    book = formats.moodle_gradebook(
        tiny["root"] / "gradebook.csv",
        [{"first": "Anna", "last": "Müller", "email": "anna2@uni.example"},
         {"first": "José", "last": "Müller", "email": "JOSE@uni.example"},
         {"first": "Zoë", "last": "de la Cruz", "email": "zoe@uni.example"},
         {"first": "Teaching", "last": "Assistant", "email": "ta@uni.example"}],
        ["00 Tiny", "Essay"])
    merged = tiny["root"] / "gradebook-import.csv"
    assert run_command(export, [ASSIGNMENT, "--to", "moodle", "--lms-file", str(book),
                                "--roster", str(worksheet), "--missing", "zero",
                                "--course", str(tiny["course"]), "--output", str(merged)]) == 0
    rows, _, _ = formats.read_rows(merged)
    column = rows[0].index("Assignment: 00 Tiny (Real)")
    assert [(r[5], r[column], r[column + 1]) for r in rows[1:]] == [
        ("anna2@uni.example", "5", "-"), ("JOSE@uni.example", "5", "-"),
        ("zoe@uni.example", "3", "-"), ("ta@uni.example", "0", "-")]
    assert "1044 (Anna Müller)" in capsys.readouterr().out   # graded, not in that export
    # a new grade import keyed by ID number
    fresh = tiny["root"] / "by-idnumber.csv"
    assert run_command(export, [ASSIGNMENT, "--to", "moodle", "--roster", str(worksheet),
                                "--key", "idnumber", "--course", str(tiny["course"]),
                                "--output", str(fresh)]) == 0
    rows, bom, _ = formats.read_rows(fresh)
    assert bom and rows == [["ID number", "Full name", ASSIGNMENT], ["S-1", "José Müller", "5"],
                            ["S-2", "Zoë de la Cruz", "3"], ["S-3", "Anna Müller", "0"],
                            ["S-4", "Anna Müller", "5"], ["S-5", "Late Joiner", ""]]
