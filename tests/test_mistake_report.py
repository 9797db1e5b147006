"""The class report by mistake: which named mistakes the grader saw, and how often.

The ``grading`` test grades a made-up class of the real 01-neuron exercise
whose mistakes were planted (``nnkit-course demo-class``) and checks that
``nnkit-course report`` counts each planted mistake for exactly the students
who made it, most common first.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
from nnkit.checking import CheckFailed, check_function
from nnkit.misconceptions import Misconception

from nnkit.course import demo, grade, mistakes, report
from tests.commands import run_command

REPOSITORY = Path(__file__).resolve().parents[1]




# --- naming one failure ---------------------------------------------------------------------

def test_a_failed_check_is_named_by_its_misconception():
    def weighted_sum(x, w, b):
        return float(sum(wi * xi for wi, xi in zip(w, x, strict=True)))

    with pytest.raises(CheckFailed) as failure:
        check_function("weighted_sum", weighted_sum, ([2.0, 3.0], [0.5, 1.0], 0.25))
    assert mistakes.named(failure.value) == "weighted_sum.forgot_bias"


def test_only_registered_mistakes_of_real_checks_count():
    assert mistakes.named(AssertionError("plain assert")) == ""
    assert mistakes.named(CheckFailed("no diagnosis")) == ""
    made_up = Misconception("relu", "made_up", "t", "e", "h", lambda attempt: True)
    assert mistakes.named(CheckFailed("x", misconception=made_up)) == ""
    impostor = AssertionError("looks like one")
    impostor.misconception = mistakes.registry()["relu.absolute_value"]
    assert mistakes.named(impostor) == ""


def test_the_tally_counts_students_not_failures(tmp_path):
    path = tmp_path / "mistakes.csv"
    path.write_text("student,notebook,test,mistake\n"
                    "a,n,test_weighted_sum,weighted_sum.forgot_bias\n"
                    "a,n,test_neuron,neuron.forgot_bias\n"
                    "b,n,test_weighted_sum,weighted_sum.forgot_bias\n"
                    "c,n,test_relu,\n"
                    "d,n,test_relu,not.a.mistake\n", encoding="utf-8")
    rows, unnamed = mistakes.tally(path)
    assert [(r["mistake"], r["students"]) for r in rows] == [
        ("weighted_sum.forgot_bias", 2), ("neuron.forgot_bias", 1)]
    assert unnamed == 2
    assert mistakes.table(rows, class_size=4, unnamed=unnamed).splitlines()[1:] == [
        "the bias was left out (weighted_sum.forgot_bias)         2       50%",
        "the bias was left out (neuron.forgot_bias)               1       25%",
        "2 more students failed a test with no named mistake."]


# --- a generated class, end to end -----------------------------------------------------------

@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """A class of 12 with planted mistakes in 01-neuron, downloaded from Canvas and graded."""
    root = tmp_path_factory.mktemp("class")
    for folder in ("course", "solutions", "exercises"):
        shutil.copytree(REPOSITORY / folder, root / folder,
                        ignore=shutil.ignore_patterns("gradebook.db", "grading-output"))
    course = root / "course"
    assert run_command(demo, ["01-neuron", str(root / "class"), "--students", "12",
                              "--course", str(course)]) == 0
    out = root / "out"
    assert run_command(grade, ["01-neuron", str(root / "class" / "submissions.zip"),
                               "--course", str(course), "--out", str(out), "--jobs", "2",
                               "--no-progress"]) == 0
    with (root / "class" / "planted-mistakes.csv").open(encoding="utf-8") as handle:
        planted = list(csv.DictReader(handle))
    return {"course": course, "out": out, "planted": planted}


@pytest.mark.grading
def test_the_report_names_each_planted_mistake_for_exactly_its_students(graded_class, capsys):
    assert run_command(report, ["01-neuron", "--course", str(graded_class["course"]),
                                "--out", str(graded_class["out"])]) == 0
    printed = capsys.readouterr().out
    expected = Counter(row["mistake"] for row in graded_class["planted"])
    with (graded_class["out"] / "report-mistakes.csv").open(encoding="utf-8") as handle:
        found = list(csv.DictReader(handle))
    assert {row["mistake"]: int(row["students"]) for row in found} == dict(expected)
    most_common, count = expected.most_common(1)[0]
    assert found[0]["mistake"] == most_common == "weighted_sum.forgot_bias"
    line = next(line for line in printed.splitlines()
                if line.startswith("the bias was left out (weighted_sum.forgot_bias)"))
    assert line.split()[-2:] == [str(count), f"{count / 12:.0%}"]
    assert printed.index("named mistake") > printed.index("test cell")
    assert (graded_class["out"] / "report-mistakes.png").read_bytes()[:4] == b"\x89PNG"
    with (graded_class["out"] / "mistakes.csv").open(encoding="utf-8") as handle:
        per_student = {(r["student"], r["mistake"]) for r in csv.DictReader(handle)}
    assert per_student == {(r["student"], r["mistake"]) for r in graded_class["planted"]}


@pytest.mark.grading
def test_a_class_graded_before_mistakes_were_kept_gets_a_hint(graded_class, capsys, tmp_path):
    shutil.copytree(graded_class["out"], tmp_path / "old")
    (tmp_path / "old" / mistakes.CSV_NAME).unlink()
    assert run_command(report, ["01-neuron", "--course", str(graded_class["course"]),
                                "--out", str(tmp_path / "old")]) == 0
    assert "no mistakes.csv" in capsys.readouterr().out


def test_the_demo_plan_gives_each_mistake_its_share_of_the_class():
    plan = demo.plan("01-neuron", students=24, seed=7)
    counts = Counter(m for chosen in plan.values() for m in chosen.values())
    assert counts["weighted_sum.forgot_bias"] == 8 and counts["or_gate.computes_and"] == 3
    with pytest.raises(ValueError, match="a demo class can be made for 01-neuron"):
        demo.plan("04-forward-pass", 10, 1)
