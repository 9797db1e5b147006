"""nnkit.tutor.challenges: the checkers, storing answers, the view, and grading a saved folder."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nnkit.tutor import challenges, exercises
from nnkit.tutor.challenges import (
    NoAnswerStored,
    all_challenges,
    answer_path,
    answers_given,
    check_answer,
    check_stored,
    load_answer,
    save_answer,
    stored_answers,
)
from nnkit.tutor.messages import CheckFailed
from tests import exercises as test_data
from tests.exercises.e03_layers import XOR_SOLVED, XOR_START

REPOSITORY = Path(__file__).resolve().parents[1]


def _cases():
    return {exercise.challenge.id: test_data.for_exercise(exercise).CHALLENGE_CASES
            for exercise in exercises.all_exercises()}


CASES = _cases()


def test_every_lesson_has_a_challenge_with_cases():
    for exercise in exercises.all_exercises():
        assert exercise.challenge is not None, exercise.id
        assert exercise.challenge.lesson == exercise.lesson
    assert sorted(CASES) == sorted(all_challenges())


@pytest.mark.parametrize("challenge_id", sorted(CASES))
def test_a_right_answer_passes_with_a_sentence_that_says_why(challenge_id):
    verdict = check_answer(challenge_id, CASES[challenge_id][0])
    assert verdict.passed, verdict.message
    assert verdict.message.startswith("Right")


@pytest.mark.parametrize(("challenge_id", "case"),
                         [(c, i) for c in sorted(CASES) for i in range(len(CASES[c][1]))])
def test_a_wrong_answer_fails_and_says_what_to_change(challenge_id, case):
    values, words = CASES[challenge_id][1][case]
    verdict = check_answer(challenge_id, values)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


@pytest.mark.parametrize("values", [
    {}, {"w1": "2", "b": 0.0, "activation": "sigmoid"}, {"w1": float("nan"), "b": 0.0},
    {"w1": [1.0], "b": 0.0, "activation": "sigmoid"},
])
def test_values_that_do_not_fit_fail_without_crashing(values):
    verdict = check_answer("neuron-switch", values)
    assert not verdict.passed
    assert "do not fit this challenge" in verdict.message


def test_an_unknown_challenge_names_the_known_ones():
    with pytest.raises(ValueError, match=r"one of .*xor.*got 'xr'"):
        check_answer("xr", {})


def test_answers_are_stored_beside_the_notebook_and_read_back(tmp_path):
    path = save_answer("xor", XOR_SOLVED, tmp_path)
    assert path == tmp_path / "challenge-answers" / "xor.json"
    assert json.loads(path.read_text())["challenge"] == "xor"
    assert load_answer("xor", tmp_path)["W1[0,1]"] == -1.0
    assert stored_answers(tmp_path) == {"xor": XOR_SOLVED}
    assert "Right" in check_stored("xor", tmp_path)


def test_no_stored_answer_counts_as_not_implemented(tmp_path):
    with pytest.raises(NoAnswerStored, match="press 'Check my answer'") as failure:
        check_stored("xor", tmp_path)
    assert isinstance(failure.value, NotImplementedError)
    assert isinstance(failure.value, CheckFailed)


def test_a_wrong_stored_answer_fails_with_the_tutors_message(tmp_path):
    save_answer("xor", XOR_START, tmp_path)
    with pytest.raises(CheckFailed, match=r"does not pass yet\. Not yet: .*right on 3 of 4"):
        check_stored("xor", tmp_path)


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"values": 3}', "x" * 200_000])
def test_a_damaged_answer_file_is_no_answer(tmp_path, content):
    path = answer_path("xor", tmp_path)
    path.parent.mkdir()
    path.write_text(content)
    assert load_answer("xor", tmp_path) is None


def test_answers_given_replace_the_files_only_inside_the_block(tmp_path):
    save_answer("xor", XOR_START, tmp_path)
    with answers_given({"xor": XOR_SOLVED}):
        assert "Right" in check_stored("xor", tmp_path)
    with pytest.raises(CheckFailed):
        check_stored("xor", tmp_path)


def test_the_check_button_reads_the_sliders_and_stores_them(tmp_path):
    pytest.importorskip("ipywidgets")
    view = challenges.challenge("xor", folder=tmp_path)
    view.button.click()
    assert not view.verdict.passed
    assert "3 of 4" in view.status.value
    for name in ("W1[0,1]", "b1[1]", "W1[1,0]", "W2[0,1]"):  # as a learner drags the sliders
        view.explorer.controls[name].value = XOR_SOLVED[name]
    view.button.click()
    assert view.verdict.passed
    assert "xor.json" in view.status.value
    assert load_answer("xor", tmp_path) == XOR_SOLVED


def test_a_click_checks_the_sliders_as_the_browser_shows_them(tmp_path):
    # ipywidgets may still hold a slider's last value in the browser when the click comes
    pytest.importorskip("ipywidgets")
    from nnkit.explore.ahead import browser_state, values_from_browser

    view = challenges.challenge("xor", folder=tmp_path)
    shown = browser_state(view.explorer.controls, XOR_SOLVED)
    view.button._handle_custom_msg({"type": "click", "state": shown}, [])
    assert view.verdict.passed
    assert view.explorer.values() == XOR_SOLVED
    assert load_answer("xor", tmp_path) == XOR_SOLVED
    with pytest.raises(ValueError, match="expected the browser's state of 9 controls"):
        values_from_browser(view.explorer.controls, shown[:3])


def test_an_explorer_on_the_page_finds_its_challenge(tmp_path):
    explore = pytest.importorskip("nnkit.explore.approximation")
    view = challenges.challenge(explore.approximation_explorer(n_hidden=10), folder=tmp_path)
    assert view.spec.id == "sin-hats"
    assert view.check().passed
    from nnkit.explore.activations import activation_explorer

    with pytest.raises(ValueError, match="explorer that has a challenge"):
        challenges.challenge(activation_explorer())


# --- grading a saved folder with nnkit-course grade ----------------------------------

ASSIGNMENT = "03-layers"


def _grade(tmp_path, students):
    from nnkit.course import cli, grade

    for folder in ("course", "solutions", "exercises"):
        shutil.copytree(REPOSITORY / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("gradebook.db", "grading-output",
                                                      "challenge-answers"))
    submissions = tmp_path / "submissions"
    blank = REPOSITORY / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for student, values in students.items():
        (submissions / student).mkdir(parents=True)
        shutil.copy(blank, submissions / student)
        if values is not None:
            save_answer("xor", values, submissions / student)
    out = tmp_path / "out"
    assert grade.run(cli.parse_args(["grade", ASSIGNMENT, str(submissions), "--course",
                                        str(tmp_path / "course"), "--out", str(out),
                                        "--jobs", "2", "--no-progress"])) == 0
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


@pytest.mark.grading
def test_grading_a_saved_folder_gives_the_challenge_points_only_for_a_right_answer(tmp_path):
    if not (REPOSITORY / "exercises" / ASSIGNMENT).is_dir():
        pytest.skip(f"no {ASSIGNMENT} exercise")
    rows = _grade(tmp_path, {"solved": XOR_SOLVED, "wrong": XOR_START,
                             "none": None})
    assert float(rows["solved"]["score"]) == 1.0, rows["solved"]
    assert "suspected tampering" not in rows["solved"]["flags"]
    assert float(rows["wrong"]["score"]) == 0.0, rows["wrong"]
    assert float(rows["none"]["score"]) == 0.0, rows["none"]


def test_checking_stored_answers_needs_neither_matplotlib_nor_ipywidgets():
    """A grader checks numbers: no challenge's checker may import the drawing libraries."""
    answers = {challenge_id: right for challenge_id, (right, _) in CASES.items()}
    code = (
        "import json, sys\n"
        "from nnkit.tutor.challenges import check_answer\n"
        f"answers = json.loads({json.dumps(json.dumps(answers))})\n"
        "passed = [check_answer(c, v).passed for c, v in answers.items()]\n"
        "print(json.dumps([all(passed), 'matplotlib' in sys.modules,"
        " 'ipywidgets' in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert json.loads(result.stdout) == [True, False, False]
