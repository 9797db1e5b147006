"""nnkit.challenges: the checkers, storing answers, the view, and grading a saved folder."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from nnkit import challenges
from nnkit.challenges import (
    CHALLENGES,
    NoAnswerStored,
    answer_path,
    answers_given,
    check_answer,
    check_stored,
    load_answer,
    save_answer,
    stored_answers,
)
from nnkit.checking import CheckFailed

REPOSITORY = Path(__file__).resolve().parents[1]

XOR_START = {"w11": 1.0, "w12": 1.0, "w21": 1.0, "w22": 1.0, "b1": 0.0, "b2": -1.0,
             "v1": 1.0, "v2": -1.0, "c": 0.0}
SOFTMAX = {"z1": 2.0, "z2": 1.0, "z3": 0.1, "z4": -1.0}
NEURON = {"w1": 1.0, "w2": 0.0, "b": 0.5, "activation": "sigmoid", "x1": 2.0, "x2": 0.0}
COUNTER = {"sizes": "1, 3500000000", "model": "(your layer sizes)"}

# challenge id -> (a right answer, [(a wrong answer, words its message must contain)])
CASES = {
    "neuron-switch": (
        {**NEURON, "w1": 2.0, "b": 0.0},
        [(NEURON, "lower b"),
         ({**NEURON, "w1": -2.0}, "make w1 positive"),
         ({**NEURON, "w1": 0.2, "b": 0.0}, "steeper"),
         ({**NEURON, "w1": 2.0, "b": 0.0, "activation": "tanh"}, "choose sigmoid")],
    ),
    "softmax-temperature": (
        {**SOFTMAX, "temperature": 0.398},
        [({**SOFTMAX, "temperature": 1.0}, "lower the temperature"),
         ({**SOFTMAX, "temperature": 0.2}, "raise the temperature"),
         ({**SOFTMAX, "z1": 5.0, "temperature": 1.0}, "logits were moved")],
    ),
    "xor": (
        {**XOR_START, "v2": -2.0},
        [(XOR_START, "right on 3 of 4"),
         ({**XOR_START, "v1": 0.0, "v2": 0.0}, "right on 2 of 4")],
    ),
    "forward-prediction": (
        {"layer": 3, "x1": 1.0, "x2": -0.4},
        [({"layer": 0, "x1": 1.0, "x2": -0.4}, "step to the output"),
         ({"layer": 3, "x1": -1.231, "x2": 0.515}, "predicted class 0")],
    ),
    "sin-hats": (
        {"target": "sin", "n_hidden": 10, "spacing": "uniform", "parts": "hats"},
        [({"target": "sin", "n_hidden": 8, "spacing": "uniform", "parts": "hats"},
          "not below 0.05"),
         ({"target": "sin", "n_hidden": 32, "spacing": "uniform", "parts": "hats"},
          "not between 1 and 10"),
         ({"target": "sin", "n_hidden": 10, "spacing": "uniform", "parts": "bumps"},
          "parts hats")],
    ),
    "dtype-7b": (
        {**COUNTER, "dtype": "float16"},
        [({**COUNTER, "dtype": "float32"}, "28.0 GB, more than 16 GB"),
         ({**COUNTER, "dtype": "int8"}, "keeps more precision"),
         ({**COUNTER, "sizes": "784, 10", "dtype": "float16"}, "about 7 billion")],
    ),
}


def test_every_challenge_has_cases_and_one_per_lesson():
    assert sorted(CASES) == sorted(CHALLENGES)
    assert sorted(c.lesson for c in CHALLENGES.values()) == [1, 2, 3, 4, 5, 6]


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
    path = save_answer("xor", {**XOR_START, "v2": -2.0}, tmp_path)
    assert path == tmp_path / "challenge-answers" / "xor.json"
    assert json.loads(path.read_text())["challenge"] == "xor"
    assert load_answer("xor", tmp_path)["v2"] == -2.0
    assert stored_answers(tmp_path) == {"xor": {**XOR_START, "v2": -2.0}}
    assert "Right" in check_stored("xor", tmp_path)


def test_no_stored_answer_counts_as_not_implemented(tmp_path):
    with pytest.raises(NoAnswerStored, match="press 'Check my answer'") as failure:
        check_stored("xor", tmp_path)
    assert isinstance(failure.value, NotImplementedError)
    assert isinstance(failure.value, CheckFailed)


def test_a_wrong_stored_answer_fails_with_the_tutors_message(tmp_path):
    save_answer("xor", XOR_START, tmp_path)
    with pytest.raises(CheckFailed, match=r"does not pass yet\. Not yet, right on 3 of 4"):
        check_stored("xor", tmp_path)


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"values": 3}', "x" * 200_000])
def test_a_damaged_answer_file_is_no_answer(tmp_path, content):
    path = answer_path("xor", tmp_path)
    path.parent.mkdir()
    path.write_text(content)
    assert load_answer("xor", tmp_path) is None


def test_answers_given_replace_the_files_only_inside_the_block(tmp_path):
    save_answer("xor", XOR_START, tmp_path)
    with answers_given({"xor": {**XOR_START, "v2": -2.0}}):
        assert "Right" in check_stored("xor", tmp_path)
    with pytest.raises(CheckFailed):
        check_stored("xor", tmp_path)


def test_the_check_button_reads_the_sliders_and_stores_them(tmp_path):
    pytest.importorskip("ipywidgets")
    view = challenges.challenge("xor", folder=tmp_path)
    view.button.click()
    assert not view.verdict.passed
    assert "3 of 4" in view.status.value
    view.explorer.controls["v2"].value = -2.0  # as a learner drags the slider
    view.button.click()
    assert view.verdict.passed
    assert "xor.json" in view.status.value
    assert load_answer("xor", tmp_path)["v2"] == -2.0


def test_an_explorer_on_the_page_finds_its_challenge(tmp_path):
    widgets = pytest.importorskip("nnkit.widgets")
    view = challenges.challenge(widgets.approximation_explorer(n_hidden=10), folder=tmp_path)
    assert view.spec.id == "sin-hats"
    assert view.check().passed
    with pytest.raises(ValueError, match="explorer that has a challenge"):
        challenges.challenge(widgets.activation_explorer())


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
    rows = _grade(tmp_path, {"solved": {**XOR_START, "v2": -2.0}, "wrong": XOR_START,
                             "none": None})
    assert float(rows["solved"]["score"]) == 1.0, rows["solved"]
    assert "suspected tampering" not in rows["solved"]["flags"]
    assert float(rows["wrong"]["score"]) == 0.0, rows["wrong"]
    assert float(rows["none"]["score"]) == 0.0, rows["none"]
