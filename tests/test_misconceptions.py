"""Every recognised misconception: a wrong implementation, fed to its check, is named.

Each exercise's test data (``tests/exercises/``) runs a check on a plausible
wrong answer per recognised mistake; the test asserts that the check fails
with a CheckFailed whose first line is that misconception's sentence. A test
also makes sure no registered misconception is left without its wrong answer,
and that docs/checks.md lists them all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nnkit.tutor import catalogue, exercises
from nnkit.tutor.messages import CheckFailed
from nnkit.tutor.misconceptions import Attempt, all_misconceptions, diagnose
from tests import exercises as test_data
from tests.exercises import generic
from tests.exercises.common import Z, relu

DOCS = Path(__file__).resolve().parents[1] / "docs" / "checks.md"


def _examples():
    examples = dict(generic.MISTAKES)
    for exercise in exercises.all_exercises():
        examples.update(test_data.for_exercise(exercise).MISTAKES)
    return examples


WRONG_ANSWERS = _examples()


def _fragments(template):
    """The literal parts of an explanation template (between its {placeholders})."""
    return [part.strip() for part in re.split(r"\{[^}]*\}", template) if len(part.strip()) > 3]


@pytest.mark.parametrize("misconception_id", sorted(WRONG_ANSWERS))
def test_the_wrong_answer_is_named(misconception_id):
    with pytest.raises(CheckFailed) as failure:
        WRONG_ANSWERS[misconception_id]()
    error = failure.value
    assert error.misconception is not None, str(error)
    assert error.misconception.id == misconception_id, str(error)
    message = str(error)
    assert message.splitlines()[0] == f"Likely mistake: {error.diagnosis}"
    for fragment in _fragments(error.misconception.explanation):
        assert fragment in message
    assert error.misconception.hint in message


def test_every_registered_misconception_has_a_wrong_answer_here():
    registered = {m.id for m in all_misconceptions()}
    assert registered == set(WRONG_ANSWERS)


def test_misconception_ids_are_unique():
    ids = [m.id for m in all_misconceptions()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("assignment", list(exercises.ASSIGNMENT_IDS))
def test_at_least_three_misconceptions_per_assignment(assignment):
    assert sum(m.assignment == assignment for m in all_misconceptions()) >= 3


@pytest.mark.parametrize("name", [n for names in exercises.ASSIGNMENTS.values() for n in names])
def test_every_graded_function_has_a_misconception_and_a_hint(name):
    owner = exercises.owner_of(name)
    assert owner.mistakes.of(name)
    assert name in owner.hints


@pytest.mark.parametrize("phrase, misconception_id", [
    ("the 394 biases", "mlp_params.forgot_biases"),
    ("38,597,376 too high", "gpt2_params.head_counted_twice"),
    ("absolute value", "relu.absolute_value"),
    ("maximum was not subtracted", "softmax.max_not_subtracted"),
    ("wrong axis", "softmax.wrong_axis"),
    ("relu_derivative(0) gave 1", "relu_derivative.one_at_zero"),
    ("single input but not for a batch", "dense.no_batch"),
    ("without the bias", "weighted_sum.forgot_bias"),
    ("1 / (1 + e^z)", "sigmoid.exponent_sign"),
    ("alpha = 0.2 was passed", "leaky_relu.alpha_ignored"),
    ("rounded up", "memory_bytes.int4_rounds_down"),
    ("first layer's output", "forward.first_layer_only"),
    ("the list of every layer's output", "forward.returns_trace"),
    ("a float", "predict.float_for_single"),
    ("two sigmoids are swapped", "sigmoid_bump.swapped_sigmoids"),
])
def test_the_messages_named_in_the_course_plan(phrase, misconception_id):
    with pytest.raises(CheckFailed) as failure:
        WRONG_ANSWERS[misconception_id]()
    assert phrase in str(failure.value).splitlines()[0]


def test_a_right_answer_matches_no_value_misconception():
    attempt = Attempt("relu", args=(Z,), got=relu(Z), expected=relu(Z))
    assert diagnose(attempt) is None


def test_a_predicate_that_breaks_matches_nothing():
    attempt = Attempt("mlp_params", args=("not sizes",), got=3, expected=4)
    assert diagnose(attempt) is None


@pytest.mark.parametrize("name", ["checks.md", "instructors.md", "challenges.md"])
def test_the_docs_catalogue_is_up_to_date(name):
    text = (DOCS.parent / name).read_text(encoding="utf-8")
    assert catalogue.updated(text) == text, (
        f"docs/{name} is out of date: run `python -m nnkit.tutor.catalogue --update "
        f"docs/{name}`")


def test_the_docs_list_every_check_misconception_and_assignment():
    checks = DOCS.read_text(encoding="utf-8")
    assert "`weighted_sum.forgot_bias`" in checks and "`check_gate(" in checks
    instructors = (DOCS.parent / "instructors.md").read_text(encoding="utf-8")
    for exercise in exercises.all_exercises():
        assert f"| `{exercise.id}` |" in instructors


def test_the_catalogue_names_every_exercise_and_its_checks(capsys):
    catalogue.main([])
    out = capsys.readouterr().out
    for exercise in exercises.all_exercises():
        assert f"### {exercise.id}" in out
    assert "`gpt2_params.head_counted_twice`" in out
    assert "| `check_approximation(" in out


def test_a_file_without_the_markers_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no section marked"):
        catalogue.updated("no markers here")
