"""The hostile corpus, graded as ONE batch with good students mixed in.

Every case of ``tests/hostile/cases.py`` gets its expected score, status and
flags, and the good students graded in the same batch still get full marks.
Cases that only the sandbox can stop are skipped (with the reason) where
bubblewrap is missing, and fail instead when ``CI=true``.
"""

from __future__ import annotations

import csv
import os
import re

import pytest

from nnkit.course import cli, grade, sandbox
from tests.hostile.cases import CASES
from tests.hostile.course import ASSIGNMENT, MAX_SCORE, make_course

pytestmark = pytest.mark.grading

GOOD_STUDENTS = ["good-student-1", "good-student-2", "good-student-3"]
HIDDEN_SOURCE_FRAGMENTS = ["BEGIN HIDDEN TESTS", "0.25, -2.0", "[4.5, -0.5]"]
MAX_FEEDBACK_BYTES = 1_000_000


def sandbox_or_skip():
    """Skip a sandbox-only check where bubblewrap is missing; in CI that is a failure."""
    if sandbox.sandbox_works():
        return
    reason = "bubblewrap (bwrap) is missing or cannot create namespaces here"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must install it (make system-deps)")
    pytest.skip(reason)


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
    ]}
    sandboxed = sandbox.sandbox_works()
    for name, case in CASES.items():
        if case.sandbox and not sandboxed:
            continue
        case.make(submissions / name, context)
    for student in GOOD_STUDENTS:
        CASES["good"].make(submissions / student, context)
    out = root / "out"
    args = cli.parse_args(["grade", ASSIGNMENT, str(submissions), "--course", str(course),
                              "--out", str(out), "--jobs", "2", "--no-progress"])
    assert grade.run(args) == 0
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {"rows": rows, "out": out, "submissions": submissions}


def feedback_of(batch, student):
    path = batch["out"] / "feedback" / student / f"{ASSIGNMENT}.html"
    return path.read_text(encoding="utf-8") if path.exists() else None


def visible_text(html):
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_is_graded_as_expected(batch, name):
    case = CASES[name]
    if case.sandbox:
        sandbox_or_skip()
    row = batch["rows"][name]
    score, max_score = float(row["score"]), float(row["max_score"])
    assert max_score == MAX_SCORE
    expected = {"full": score == max_score, "zero": score == 0.0,
                "partial": 0.0 < score < max_score}[case.score]
    assert expected, f"{name}: score {score} is not {case.score}; {row}"
    assert row["status"] == case.status, row
    if case.flagged is not None:
        assert ("suspected tampering" in row["flags"]) == case.flagged, row
    assert case.message_has in row["message"], row
    html = feedback_of(batch, name)
    if "*" in case.feedback_lacks:
        assert html is None
        return
    assert html is not None, f"{name} has no feedback page"
    text = visible_text(html)
    for wanted in case.feedback_has:
        assert wanted in text, f"{name}: {wanted!r} missing from the feedback"
    for unwanted in case.feedback_lacks:
        assert unwanted not in text, f"{name}: {unwanted!r} in the feedback"


def test_every_folder_has_exactly_one_row(batch):
    folders = sorted(p.name for p in batch["submissions"].iterdir())
    assert sorted(batch["rows"]) == folders


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


def test_feedback_stays_small(batch):
    for page in (batch["out"] / "feedback").rglob("*.html"):
        assert page.stat().st_size < MAX_FEEDBACK_BYTES, page


def test_failed_hidden_check_still_says_what_failed(batch):
    text = visible_text(feedback_of(batch, "half-right"))
    assert "a negative number gives 0" in text or "AssertionError" in text
    assert "test_relu" in text


def test_stderr_warning_does_not_cost_points(batch):
    assert float(batch["rows"]["warning-on-stderr"]["score"]) == MAX_SCORE


def test_nothing_was_written_outside_the_sandbox(batch):
    sandbox_or_skip()
    planted = [p for p in batch["submissions"].parent.rglob("planted.txt")]
    assert planted == []
