"""The hostile corpus, graded as ONE batch with good students mixed in.

Every case of ``tests/hostile/cases.py`` gets its expected score, status,
flags and named limits; the good students graded in the same batch still get
full marks; one worker is killed in the middle of the batch; nothing outside
the students' folders changes and nothing of the grader's reaches a page.
Cases that only the sandbox can stop are skipped (with the reason) where
bubblewrap is missing, and fail instead when ``CI=true``.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import signal
import threading
from html.parser import HTMLParser

import pytest

from nnkit.course import cli, grade, sandbox, workers
from nnkit.course.outcome import Flag
from tests.hostile.cases import CASES
from tests.hostile.course import ASSIGNMENT, MAX_SCORE, make_course

pytestmark = pytest.mark.grading

GOOD_STUDENTS = ["good-student-1", "good-student-2", "good-student-3"]
HIDDEN_SOURCE_FRAGMENTS = ["BEGIN HIDDEN TESTS", "0.25, -2.0", "[4.5, -0.5]"]
MAX_FEEDBACK_BYTES = 1_000_000
GRADER_SECRET = "grader-secret-6b1f"
FORMULA_STARTS = ("=", "+", "-", "@")


def sandbox_or_skip():
    """Skip a sandbox-only check where bubblewrap is missing; in CI that is a failure."""
    if sandbox.sandbox_works():
        return
    reason = "bubblewrap (bwrap) is missing or cannot create namespaces here"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must install it (make system-deps)")
    pytest.skip(reason)


def student_of(case) -> str:
    return case.student or case.name


def snapshot(folder):
    """Every path under ``folder`` (links not followed) with its size and modification time."""
    found = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            info = os.lstat(os.path.join(top, name))
            found[os.path.join(top, name)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _killing_doomed_workers(doomed):
    """``workers.grade_all`` that kills the worker of each doomed student half a second in."""
    original = workers.grade_all

    def grade_all(jobs, at_once, on_result, on_start=None):
        def started(job, pid):
            if job.student in doomed:
                threading.Timer(0.5, os.kill, (pid, signal.SIGKILL)).start()

        return original(jobs, at_once, on_result, started)

    return grade_all


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Grade every case and the good students together, with two jobs."""
    root = tmp_path_factory.mktemp("hostile")
    course = make_course(root)
    submissions = root / "submissions"
    submissions.mkdir()
    context = {"instructor_paths": [
        root / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
        course / "gradebook.db",
        submissions / GOOD_STUDENTS[0] / f"{ASSIGNMENT}.ipynb",
    ], "classmate": GOOD_STUDENTS[0]}
    sandboxed = sandbox.sandbox_works()
    for student in GOOD_STUDENTS:
        CASES["good"].make(submissions / student, context)
    for name, case in CASES.items():
        if case.sandbox and not sandboxed:
            continue
        case.make(submissions / name, context)
    before = snapshot(root / "solutions") | snapshot(submissions)
    out = root / "out"
    args = cli.parse_args(["grade", ASSIGNMENT, str(submissions), "--course", str(course),
                           "--out", str(out), "--jobs", "2", "--no-progress"])
    doomed = {name for name, case in CASES.items() if case.kill_worker}
    handler = _Warnings()
    logging.getLogger().addHandler(handler)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NNKIT_TEST_SECRET", GRADER_SECRET)
        patch.setattr(workers, "grade_all", _killing_doomed_workers(doomed))
        try:
            assert grade.run(args) == 0
        finally:
            logging.getLogger().removeHandler(handler)
    with (out / "grades.csv").open(encoding="utf-8", newline="") as handle:
        raw = list(csv.reader(handle))
    rows = {row["student"]: row for row in csv.DictReader(
        (out / "grades.csv").open(encoding="utf-8", newline=""))}
    after = snapshot(root / "solutions") | snapshot(submissions)
    return {"rows": rows, "raw": raw, "out": out, "submissions": submissions,
            "warnings": handler.messages, "before": before, "after": after,
            "sandboxed": sandboxed}


def feedback_of(batch, student):
    path = batch["out"] / "feedback" / student / f"{ASSIGNMENT}.html"
    return path.read_text(encoding="utf-8") if path.exists() else None


def visible_text(html):
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_is_graded_as_expected(batch, name):
    case = CASES[name]
    if case.sandbox:
        sandbox_or_skip()
    if not case.row:
        assert any(case.warning_has in warning for warning in batch["warnings"]), \
            batch["warnings"]
        assert not any(student.endswith(name) for student in batch["rows"])
        return
    row = batch["rows"][student_of(case)]
    score, max_score = float(row["score"]), float(row["max_score"])
    assert max_score == MAX_SCORE
    expected = {"full": score == max_score, "zero": score == 0.0,
                "partial": 0.0 < score < max_score}[case.score]
    assert expected, f"{name}: score {score} is not {case.score}; {row}"
    assert row["status"] == case.status, row
    if case.flagged is not None:
        assert (Flag.TAMPERING in row["flags"]) == case.flagged, row
    assert case.message_has in row["message"], row
    for limit in case.limits:
        assert f"limit: {limit}" in row["flags"], row
    html = feedback_of(batch, student_of(case))
    if "*" in case.feedback_lacks:
        assert html is None
        return
    assert html is not None, f"{name} has no feedback page"
    text = visible_text(html)
    for wanted in case.feedback_has:
        assert wanted in text, f"{name}: {wanted!r} missing from the feedback"
    for unwanted in case.feedback_lacks:
        assert unwanted not in text, f"{name}: {unwanted!r} in the feedback"


def test_every_student_has_exactly_one_row(batch):
    expected = [student_of(case) for case in CASES.values()
                if case.row and (batch["sandboxed"] or not case.sandbox)]
    assert sorted(batch["rows"]) == sorted(expected + GOOD_STUDENTS)
    assert len(batch["raw"]) == len(expected) + len(GOOD_STUDENTS) + 1


@pytest.mark.parametrize("student", GOOD_STUDENTS)
def test_good_students_in_the_same_batch_get_full_marks(batch, student):
    row = batch["rows"][student]
    flags = row["flags"].replace("unsandboxed", "").strip("; ")
    assert (float(row["score"]), row["status"], flags) == (MAX_SCORE, "graded", ""), row


def test_no_feedback_shows_hidden_test_source(batch):
    pages = list((batch["out"] / "feedback").rglob("*.html"))
    assert len(pages) >= len(GOOD_STUDENTS) + 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for fragment in HIDDEN_SOURCE_FRAGMENTS:
            assert fragment not in html, f"{page}: hidden test source {fragment!r} shown"


def test_nothing_of_the_graders_environment_reaches_a_page_or_the_csv(batch):
    sandbox_or_skip()
    for page in (batch["out"] / "feedback").rglob("*.html"):
        assert GRADER_SECRET not in page.read_text(encoding="utf-8"), page
    assert GRADER_SECRET not in (batch["out"] / "grades.csv").read_text(encoding="utf-8")


def test_feedback_stays_small(batch):
    for page in (batch["out"] / "feedback").rglob("*.html"):
        assert page.stat().st_size < MAX_FEEDBACK_BYTES, page


class _Markup(HTMLParser):
    """Elements and attributes a student's text would have created."""

    def __init__(self):
        super().__init__()
        self.planted = []

    def handle_starttag(self, tag, attrs):
        values = " ".join(f"{k}={v}" for k, v in attrs)
        if "nnkit-xss" in values or any(k.startswith("on") for k, _ in attrs):
            self.planted.append((tag, attrs))

    def handle_data(self, data):
        if "alert('nnkit-xss')" in data and self.lasttag == "script":
            self.planted.append(("script", data))


def test_student_text_never_becomes_markup(batch):
    for page in (batch["out"] / "feedback").rglob("*.html"):
        parser = _Markup()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.planted == [], page


def test_no_grades_csv_cell_can_start_a_formula(batch):
    for row in batch["raw"]:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), row
    assert "'=HYPERLINK" in (batch["out"] / "grades.csv").read_text(encoding="utf-8")


def test_nothing_outside_the_students_folders_changed(batch):
    sandbox_or_skip()
    assert batch["after"] == batch["before"]
    planted = list(batch["submissions"].parent.rglob("planted.txt"))
    assert planted == []


def test_failed_hidden_check_still_says_what_failed(batch):
    text = visible_text(feedback_of(batch, "half-right"))
    assert "a negative number gives 0" in text or "AssertionError" in text
    assert "test_relu" in text


def test_stderr_warning_does_not_cost_points(batch):
    assert float(batch["rows"]["warning-on-stderr"]["score"]) == MAX_SCORE
