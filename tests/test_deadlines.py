"""Due dates, extensions and late penalties: the rules, then whole batches in a real gradebook.

The ``grading`` tests grade submissions whose nbgrader ``timestamp.txt`` is on
time, late by one minute, late beyond the cap, late but within an extension,
and late past a too-short extension, then read the gradebook back with
nbgrader's own API (its CSV export plugin and its ``AssignLatePenalties``
step) to check that nbgrader counts what ``grades.csv`` says.
"""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from traitlets.config import Config

from nnkit.course import grade
from nnkit.course.deadlines import (
    LatePenalty,
    LatePolicy,
    parse_due,
    parse_duration,
    read_extensions,
)
from tests.commands import run_command
from tests.hostile.cases import good_answers
from tests.hostile.course import ASSIGNMENT, MAX_SCORE, make_course, student_notebook
from tests.lms import formats

DUE = "2025-03-14 23:59 Europe/Berlin"          # 22:59 UTC
POLICY = "10% per day up to 50%"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
GOOD = student_notebook(good_answers())


# --- the rules -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "seconds", "share"), [
    ("10% per day up to 50%", 0, 0.0),
    ("10% per day up to 50%", 1, 0.1),
    ("10% per day up to 50%", 86400, 0.1),
    ("10% per day up to 50%", 86401, 0.2),
    ("10% per day up to 50%", 30 * 86400, 0.5),
    ("2 % per started hour", 3601, 0.04),
    ("5% per hour, up to 30%", 100 * 3600, 0.3),
    ("25% per day", 10 * 86400, 1.0),
    ("zero", 1, 1.0),
    ("none", 10**7, 0.0),
])
def test_a_policy_takes_its_share_per_started_period_up_to_its_cap(text, seconds, share):
    assert LatePolicy.parse(text).fraction(seconds) == share


@pytest.mark.parametrize("text", ["ten percent", "10% per week", "0% per day", "150% per day",
                                  "10% per day up to 200%"])
def test_a_policy_that_is_not_understood_says_what_is(text):
    with pytest.raises(ValueError, match=r"'none', 'zero'|between 0% and 100%"):
        LatePolicy.parse(text)


def test_due_dates_need_their_time_zone():
    assert parse_due(DUE).isoformat() == "2025-03-14T23:59:00+01:00"
    assert parse_due("2025-07-01 09:00 America/New_York").utcoffset() == timedelta(hours=-4)
    assert parse_due("2025-03-14T23:59+01:00") == parse_due(DUE)
    for text in ("2025-03-14 23:59", "tomorrow", "2025-03-14 23:59 Mars/Olympus"):
        with pytest.raises(ValueError, match=r"e\.g\. '2025-03-14 23:59 Europe/Berlin'"):
            parse_due(text)


def test_extensions_are_read_per_student_and_assignment(tmp_path):
    path = tmp_path / "extensions.csv"
    path.write_text("\ufeffstudent,extension,assignment,reason\n4711,2 days,,illness\n"
                    f"4712,36 hours,{ASSIGNMENT},\n4713,1 week,02-other,\n", encoding="utf-8")
    assert read_extensions(path, ASSIGNMENT) == {"4711": timedelta(days=2),
                                                 "4712": timedelta(hours=36)}
    path.write_text("student,extension\n4711,2 days\n4712,a while\n")
    with pytest.raises(ValueError, match="line 3: 'a while' is not a duration"):
        read_extensions(path, ASSIGNMENT)
    path.write_text("id,days\n4711,2\n")
    with pytest.raises(ValueError, match="needs the columns student and extension"):
        read_extensions(path, ASSIGNMENT)
    assert parse_duration("1 day, 2 hours and 30 minutes") == timedelta(hours=26, minutes=30)


def test_nbgraders_plugin_reads_the_policy_from_the_course_config():
    config = Config({"NnkitGrading": {"late_policy": POLICY}})
    plugin = LatePenalty(config=config)
    assert plugin.late_submission_penalty("4711", 8.0, 3 * 86400 + 1) == pytest.approx(3.2)
    assert plugin.late_submission_penalty("4711", 8.0, 0) == 0.0


# --- whole batches --------------------------------------------------------------------------

SUBMITTED = {  # student: (timestamp.txt in UTC, extension)
    "on-time": ("2025-03-14 22:58:59.000000 UTC", None),
    "one-minute": ("2025-03-14 23:00:00.000000 UTC", None),
    "past-cap": ("2025-03-24 23:00:00.000000 UTC", None),
    "extended": ("2025-03-16 22:00:00.000000 UTC", "3 days"),
    "short-extension": ("2025-03-16 23:00:00.000000 UTC", "2 days"),
    "no-time": (None, None),
}




@pytest.fixture(scope="module")
def deadline_batch(tmp_path_factory):
    """One class graded against DUE with POLICY and an extensions file."""
    root = tmp_path_factory.mktemp("deadlines")
    course = make_course(root)
    members = {}
    for student, (stamp, _) in SUBMITTED.items():
        members[f"{student}/{ASSIGNMENT}/{NOTEBOOK}"] = GOOD
        if stamp:
            members[f"{student}/{ASSIGNMENT}/timestamp.txt"] = stamp
    submissions = formats.write_folder(root / "submitted", members)
    extensions = root / "extensions.csv"
    extensions.write_text("student,extension\n" + "".join(
        f"{s},{e}\n" for s, (_, e) in SUBMITTED.items() if e))
    out = root / "out"
    argv = [ASSIGNMENT, str(submissions), "--course", str(course), "--out", str(out),
            "--jobs", "2", "--no-progress", "--due", DUE, "--late-policy", POLICY,
            "--extensions", str(extensions)]
    assert run_command(grade, argv) == 0
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {"rows": rows, "course": course, "db": f"sqlite:///{course / 'gradebook.db'}",
            "argv": argv, "out": out}


@pytest.mark.grading
@pytest.mark.parametrize(("student", "minutes", "penalty", "note"), [
    ("on-time", "0", 0.0, ""),
    ("one-minute", "1", 0.5, "late by 1 minute; 10% per started day up to 50%: −0.5 points"),
    ("past-cap", "14401", 2.5, "late by 10 days 1 minute; 10% per started day up to 50%: "
                               "−2.5 points"),
    ("extended", "0", 0.0, "on time, with an extension of 3 days"),
    ("short-extension", "1", 0.5, "late by 1 minute, with an extension of 2 days; 10% per "
                                  "started day up to 50%: −0.5 points"),
    ("no-time", "", 0.0, "no timestamp.txt in the folder: not checked against the due date"),
])
def test_grades_csv_shows_raw_score_lateness_penalty_and_final_score(deadline_batch, student,
                                                                      minutes, penalty, note):
    row = deadline_batch["rows"][student]
    assert (row["raw_score"], row["minutes_late"], float(row["late_penalty"])) == \
        (f"{MAX_SCORE:g}", minutes, penalty)
    assert float(row["score"]) == MAX_SCORE - penalty
    assert row["message"] == note


@pytest.mark.grading
def test_submission_times_are_shown_in_the_due_dates_time_zone(deadline_batch):
    assert deadline_batch["rows"]["one-minute"]["submitted_at"] == "2025-03-15T00:00:00+01:00"
    assert deadline_batch["rows"]["no-time"]["submitted_at"] == ""


@pytest.mark.grading
def test_the_gradebook_holds_the_same_as_nbgrader_reads_it(deadline_batch):
    from nbgrader.api import Gradebook
    from nbgrader.plugins.export import CsvExportPlugin

    rows = deadline_batch["rows"]
    with Gradebook(deadline_batch["db"]) as book:
        assert book.find_assignment(ASSIGNMENT).duedate.isoformat() == "2025-03-14T22:59:00"
        extended = book.find_submission(ASSIGNMENT, "extended")
        assert extended.extension == timedelta(days=3) and extended.total_seconds_late == 0
        late = book.find_submission(ASSIGNMENT, "past-cap")
        assert late.total_seconds_late == 10 * 86400 + 60
        for student, row in rows.items():
            submission = book.find_submission(ASSIGNMENT, student)
            assert submission.late_submission_penalty == float(row["late_penalty"])
        exported = deadline_batch["out"] / "nbgrader-export.csv"
        CsvExportPlugin(to=str(exported)).export(book)
    with exported.open(encoding="utf-8") as handle:
        by_nbgrader = {r["student_id"]: r for r in csv.DictReader(handle)}
    for student, row in rows.items():
        assert float(by_nbgrader[student]["score"]) == float(row["score"]), student
        assert float(by_nbgrader[student]["late_submission_penalty"]) == \
            float(row["late_penalty"])


@pytest.mark.grading
def test_nbgraders_own_step_configured_as_the_course_does_gives_the_same_penalties(
        deadline_batch):
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties

    config = Config({"AssignLatePenalties": {"plugin_class": "nnkit.course.deadlines.LatePenalty"},
                     "NnkitGrading": {"late_policy": "zero"}})
    step = AssignLatePenalties(config=config)
    for student in deadline_batch["rows"]:
        step.preprocess(nbformat.v4.new_notebook(), {"nbgrader": {
            "notebook": ASSIGNMENT, "assignment": ASSIGNMENT, "student": student,
            "db_url": deadline_batch["db"]}})
    with Gradebook(deadline_batch["db"]) as book:
        zeroed = {s: book.find_submission(ASSIGNMENT, s).late_submission_penalty
                  for s in deadline_batch["rows"]}
    assert zeroed == {"on-time": 0.0, "one-minute": MAX_SCORE, "past-cap": MAX_SCORE,
                      "extended": 0.0, "short-extension": MAX_SCORE, "no-time": 0.0}
    # grading again restores the course's policy: the gradebook follows grades.csv
    assert run_command(grade, deadline_batch["argv"]) == 0
    with Gradebook(deadline_batch["db"]) as book:
        assert book.find_submission(ASSIGNMENT, "past-cap").late_submission_penalty == 2.5


@pytest.mark.grading
def test_a_canvas_late_marker_without_a_time_is_said_and_penalised_at_the_least(tmp_path):
    course = make_course(tmp_path)
    members = {formats.canvas_member(formats.canvas_prefix("Müller, José", 4711, late=True),
                                     1, NOTEBOOK): GOOD,
               formats.canvas_member(formats.canvas_prefix("Ng, Mei", 4712, late=True), 2,
                                     NOTEBOOK): GOOD,
               formats.canvas_member(formats.canvas_prefix("Li, Kai", 4713), 3, NOTEBOOK): GOOD}
    source = formats.write_zip(tmp_path / "submissions.zip", members)
    (tmp_path / "ext.csv").write_text("student,extension\n4712,1 day\n")
    out = tmp_path / "out"
    assert run_command(grade, [ASSIGNMENT, str(source), "--course", str(course), "--out",
                               str(out), "--no-progress", "--due", DUE, "--late-policy",
                               "20% per day", "--extensions", str(tmp_path / "ext.csv")]) == 0
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert (rows["4711"]["minutes_late"], rows["4711"]["late_penalty"], rows["4711"]["score"]) \
        == ("", "1", "4")
    assert rows["4711"]["message"] == (
        "late per Canvas (LATE in the file name), which gives no time: penalised for one "
        "started day, the least it can be late (20% per started day: −1 points)")
    assert rows["4712"]["late_penalty"] == "0" and "extension of 1 day is granted here" in \
        rows["4712"]["message"]
    assert (rows["4713"]["late_penalty"], rows["4713"]["message"]) == ("0", "")
