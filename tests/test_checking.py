"""nnkit.tutor's checks: what exercise test cells call."""

from __future__ import annotations

import itertools
import json
import math
import sys
import warnings

import numpy as np
import pytest

import nnkit
from nnkit.tutor import checks, messages, reference
from nnkit.tutor.checks import (
    DEFAULT_TOLERANCE,
    LibraryRefused,
    Tolerance,
    check_count,
    check_function,
    check_no_warnings,
    check_raises,
    check_stable,
    library_refused,
    tolerance_for,
)
from nnkit.tutor.exercises.e01_neuron import check_gate
from nnkit.tutor.exercises.e03_layers import check_collapse, check_xor_network
from nnkit.tutor.exercises.e04_forward_pass import check_forward_trace, check_predict
from nnkit.tutor.exercises.e05_universal_approximation import check_approximation
from nnkit.tutor.messages import CheckFailed


def relu(z):
    return np.maximum(0.0, np.asarray(z, dtype=float))


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def failure(check, *args, **kwargs) -> CheckFailed:
    with pytest.raises(CheckFailed) as caught:
        check(*args, **kwargs)
    return caught.value


# --- comparing numbers --------------------------------------------------------------------


def test_a_right_answer_returns_the_converted_result():
    got = check_function("relu", relu, ([-1.0, 2.0],), expected=[0.0, 2.0])
    assert type(got) is np.ndarray and got.dtype == np.float64
    assert got.tolist() == [0.0, 2.0]


@pytest.mark.parametrize("answer", [
    [0.0, 2.0], (0, 2), np.array([0.0, 2.0], dtype=np.float32), np.array([0, 2])])
def test_lists_tuples_and_other_dtypes_that_convert_to_the_right_numbers_pass(answer):
    assert check_function("relu", lambda z: answer, ([-1.0, 2.0],), expected=[0, 2]).shape == (2,)


@pytest.mark.parametrize("answer", [0.5, np.float64(0.5), np.array(0.5), np.float32(0.5)])
def test_scalars_python_numpy_and_zero_d_pass(answer):
    assert check_function("sigmoid", lambda z: answer, (0.0,), expected=0.5).shape == ()


def test_a_one_element_array_is_not_a_scalar():
    error = failure(check_function, "sigmoid", lambda z: np.array([0.5]), (0.0,), expected=0.5)
    assert "shape (1,)" in str(error) and "single number" in str(error)


def test_an_object_equal_to_everything_is_not_numbers():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

    error = failure(check_function, "relu", lambda z: AlwaysEqual(), ([1.0],), expected=[1.0])
    assert "not numbers" in str(error)


def test_an_array_subclass_that_lies_about_equality_is_compared_by_value():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, dtype=bool)

    def wrong(z):
        return np.array([5.0, 5.0]).view(Liar)

    error = failure(check_function, "relu", wrong, ([1.0, 2.0],), expected=[1.0, 2.0])
    assert "first difference at [0]: got 5.0, expected 1.0" in str(error)


def test_replacing_numpy_comparisons_does_not_fool_the_check(monkeypatch):
    def always(*args, **kwargs):
        return True

    for name in ("allclose", "isclose", "array_equal", "all"):
        monkeypatch.setattr(np, name, always)
    monkeypatch.setattr(np.testing, "assert_allclose", lambda *a, **k: None)
    error = failure(check_function, "relu", lambda z: [9.0, 9.0], ([1.0, 2.0],), expected=[1, 2])
    assert "first difference" in str(error)


class Hostile:
    """Refuses every way of being looked at."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array")

    def __float__(self):
        raise RuntimeError("no float")

    def __index__(self):
        raise RuntimeError("no index")

    def __iter__(self):
        raise RuntimeError("no iteration")

    def __repr__(self):
        raise RuntimeError("no repr")

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


@pytest.mark.parametrize("check, args", [
    (check_function, ("relu", lambda z: Hostile(), ([1.0],), [1.0])),
    (check_count, ("mlp_params", lambda s: Hostile(), ([2, 1],), 3)),
    (check_gate, (lambda: Hostile(), "and")),
    (check_xor_network, (lambda: Hostile(),)),
    (check_forward_trace, (lambda x, layers: Hostile(), [1.0], [(np.ones((1, 1)), np.zeros(1),
                                                                  None)])),
])
def test_an_object_that_refuses_everything_fails_as_a_check(check, args):
    error = failure(check, *args)
    assert "Hostile" in str(error) or "cannot be shown" in str(error)


def test_an_exception_whose_message_cannot_be_shown():
    class Odd(Exception):
        def __str__(self):
            raise RuntimeError("no str")

    def raises_odd(z):
        raise Odd

    error = failure(check_function, "relu", raises_odd, ([1.0],), expected=[1.0])
    assert "raised Odd: <Odd that cannot be shown>" in str(error)


def test_a_complex_result_is_not_silently_cut_to_its_real_part():
    error = failure(check_function, "relu", lambda z: np.array([1 + 1j]), ([1.0],), expected=[1])
    assert "not numbers" in str(error)


def test_a_string_is_not_a_number():
    error = failure(check_function, "sigmoid", lambda z: "0.5", (0.0,), expected=0.5)
    assert "a str" in str(error)


def test_shapes_are_compared():
    error = failure(check_function, "relu", lambda z: [[0.0, 2.0]], ([-1.0, 2.0],),
                    expected=[0.0, 2.0])
    assert "wrong shape" in str(error) and "(shape (1, 2))" in str(error)


def test_a_transposed_result_gets_a_hint():
    error = failure(check_function, "dense", lambda x, W, b: np.zeros((3, 2)),
                    (np.ones((2, 2)), np.ones((3, 2)), np.zeros(3)), expected=np.zeros((2, 3)))
    assert "transposed" in str(error)


def test_the_first_differing_position_of_a_matrix():
    expected = np.arange(6.0).reshape(2, 3)
    wrong = expected.copy()
    wrong[1, 2] = -1.0
    error = failure(check_function, "softmax", lambda z: wrong, (expected,), expected=expected)
    assert "first difference at [1, 2]: got -1.0, expected 5.0" in str(error)
    assert error.returned == wrong.tolist() and error.expected == expected.tolist()


def test_nan_matches_only_nan_and_inf_only_the_same_inf():
    check_function("relu", lambda z: [math.nan, math.inf], ([0.0],), expected=[math.nan, math.inf])
    failure(check_function, "relu", lambda z: [0.0], ([0.0],), expected=[math.nan])
    failure(check_function, "relu", lambda z: [-math.inf], ([0.0],), expected=[math.inf])


def test_long_arrays_are_cut_in_the_message():
    error = failure(check_function, "relu", lambda z: np.ones(1000), (np.zeros(1000),),
                    expected=np.zeros(1000))
    assert "…" in str(error) and "<array of shape (1000,)>" in str(error)
    assert len(str(error)) < 800


# --- the message ----------------------------------------------------------------------------


def test_a_message_says_what_was_called_returned_expected_and_one_hint():
    error = failure(check_function, "sigmoid", lambda z: [0.1, 0.2], ([0.0, 2.0],),
                    expected=[0.5, 0.8807970779778823])
    message = str(error)
    lines = message.splitlines()
    assert lines[0] == "sigmoid([0.0, 2.0]) did not give the expected answer."
    assert "returned: [0.1, 0.2]  (shape (2,))" in message
    assert "expected: [0.5, 0.880797]  (shape (2,))" in message
    assert "first difference at [0]: got 0.1, expected 0.5" in message
    assert lines[-1].startswith("Hint: ") and sum(line.startswith("Hint") for line in lines) == 1
    assert len(lines) <= 10 and all(len(line) <= 200 for line in lines)


def test_check_failed_is_an_assertion_error_with_plain_json_data():
    error = failure(check_function, "relu", np.abs, ([-2.0, 3.0],), expected=[0.0, 3.0])
    assert isinstance(error, AssertionError)
    data = {"call": error.call, "returned": error.returned, "expected": error.expected,
            "misconception": error.misconception.id, "diagnosis": error.diagnosis}
    assert json.loads(json.dumps(data))["expected"] == [0.0, 3.0]


def test_the_call_shows_functions_by_name_and_big_arrays_by_shape():
    layers = [(np.ones((3, 2)), np.zeros(3), relu)]
    error = failure(check_function, "forward", lambda x, layers: [1.0, 2.0],
                    (np.array([1.0, 2.0]), layers), expected=[3.0, 3.0, 3.0])
    assert "forward(array([1.0, 2.0]), [(<array of shape (3, 2)>, array([0.0, 0.0, 0.0]), " \
           "relu)])" in str(error)
    assert "<list of shape (100,)>" in messages.call_text("relu", ([0.0] * 100,))


def test_an_exception_in_the_learners_code_becomes_a_tutor_message():
    def broken(z):
        return 1 / 0

    error = failure(check_function, "sigmoid", broken, (0.0,), expected=0.5)
    assert str(error).startswith("sigmoid(0.0) raised ZeroDivisionError: division by zero")
    assert "in your code: broken, line" in str(error)
    assert isinstance(error.__cause__, ZeroDivisionError)


def test_not_implemented_error_passes_through_unchanged():
    def untouched(*args):
        raise NotImplementedError

    with pytest.raises(NotImplementedError):
        check_function("sigmoid", untouched, (0.0,), expected=0.5)
    with pytest.raises(NotImplementedError):
        check_gate(untouched, "and")


def test_not_a_function():
    error = failure(check_function, "sigmoid", 0.5, (0.0,), expected=0.5)
    assert "should be a function" in str(error)


# --- warnings and stability ----------------------------------------------------------------


def noisy_but_right(z):
    warnings.warn("a deprecated spelling", DeprecationWarning, stacklevel=1)
    with np.errstate(over="warn"):
        np.exp(1e4)
    return relu(z)


def test_right_code_that_warns_passes_and_nothing_reaches_stderr(capfd):
    check_function("relu", noisy_but_right, ([-1.0, 2.0],), expected=[0.0, 2.0])
    assert capfd.readouterr().err == ""


def test_a_failing_check_names_the_warnings_of_the_learners_code(capfd):
    def wrong_and_noisy(z):
        noisy_but_right(z)
        return np.abs(z)

    error = failure(check_function, "relu", wrong_and_noisy, ([-1.0, 2.0],), expected=[0, 2])
    assert "your code also warned: DeprecationWarning: a deprecated spelling (and 1 more)" \
        in str(error)
    assert capfd.readouterr().err == ""


def test_check_stable_fails_on_a_runtime_warning_and_says_why():
    def where_both_branches(z):
        z = np.asarray(z, dtype=float)
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))

    error = failure(check_stable, "sigmoid", where_both_branches, ([-1e4, 0.0, 1e4],),
                    expected=[0.0, 0.5, 1.0])
    assert "RuntimeWarning: overflow" in str(error)


def test_check_stable_fails_on_nan_and_says_stable():
    def naive_tanh(z):
        z = np.asarray(z, dtype=float)
        with np.errstate(all="ignore"):
            return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))

    error = failure(check_stable, "tanh", naive_tanh, ([-1e4, 1e4],), expected=[-1.0, 1.0])
    assert "inf or nan" in str(error) or "nan" in str(error)
    assert error.misconception.id == "tanh.overflow"


def test_check_stable_sees_warnings_even_when_numpy_errors_were_silenced_globally():
    old = np.seterr(all="ignore")
    try:
        error = failure(check_stable, "sigmoid", lambda z: 1 / (1 + np.exp(-np.asarray(z))),
                        ([-1e4, 1e4],), expected=[0.0, 1.0])
    finally:
        np.seterr(**old)
    assert "RuntimeWarning" in str(error)


def test_check_stable_passes_a_stable_function_and_has_an_alias():
    assert check_stable("sigmoid", sigmoid, ([-1e4, 0.0, 1e4],), expected=[0, 0.5, 1]).shape == (3,)
    assert check_no_warnings is check_stable


def test_warnings_filters_are_restored_after_a_check():
    before = list(warnings.filters)
    check_stable("sigmoid", sigmoid, ([0.0],), expected=[0.5])
    failure(check_function, "relu", noisy_but_right, ([1.0],), expected=[3.0])
    assert warnings.filters == before


# --- tolerances ----------------------------------------------------------------------------


def test_tolerances_are_defined_once_with_gelu_looser():
    assert Tolerance(rtol=1e-6, atol=1e-9) == DEFAULT_TOLERANCE
    assert tolerance_for("gelu").atol == 1e-3
    assert tolerance_for("relu") == DEFAULT_TOLERANCE
    assert tolerance_for("relu", rtol=0.0) == Tolerance(0.0, 1e-9)


def test_the_tanh_approximation_of_gelu_passes_and_a_sloppier_one_does_not():
    z = np.linspace(-5, 5, 101)
    exact = z * np.vectorize(lambda v: 0.5 * (1 + math.erf(v / math.sqrt(2))))(z)
    approx = 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z**3)))
    check_function("gelu", lambda z: approx, (z,), expected=exact)
    failure(check_function, "gelu", lambda z: z * sigmoid(1.702 * z), (z,), expected=exact)


def test_float32_arithmetic_is_within_the_default_tolerance():
    z = np.linspace(-3, 3, 7)
    check_function("sigmoid", lambda z: sigmoid(z).astype(np.float32), (z,), expected=sigmoid(z))


def test_a_difference_just_outside_the_tolerance_fails():
    failure(check_function, "relu", lambda z: [1.0 + 1e-5], ([1.0],), expected=[1.0])


# --- the answer key, and the library's own version refused ------------------------------------


def test_the_expected_answer_comes_from_the_answer_key_by_default():
    assert check_function("relu", lambda z: [0.0, 2.0], ([-1.0, 2.0],)).tolist() == [0.0, 2.0]
    error = failure(check_function, "relu", lambda z: [0.0, 3.0], ([-1.0, 2.0],))
    assert error.expected == [0.0, 2.0]


def test_a_broken_library_cannot_change_the_expected_answer(monkeypatch):
    monkeypatch.setattr(nnkit, "relu", lambda z: np.abs(z))
    monkeypatch.setattr(nnkit.activations, "relu", lambda z: np.abs(z))
    check_function("relu", lambda z: np.maximum(z, 0.0), ([-1.0, 2.0],))


def test_calling_the_library_from_the_learners_function_is_refused():
    error = failure(check_function, "relu", lambda z: nnkit.relu(z), ([1.0],))
    assert "called nnkit.activations.relu" in str(error) and "Write your own relu" in str(error)
    error = failure(check_function, "relu", lambda z: reference.relu(z), ([1.0],))
    assert "Write your own relu" in str(error)


def test_an_alias_taken_before_the_check_is_refused_too():
    library_relu = nnkit.relu  # like `from nnkit import relu as library_relu`

    def my_relu(z):
        return library_relu(z)

    error = failure(check_function, "relu", my_relu, ([1.0],))
    assert "Write your own relu" in str(error)


def test_the_library_called_through_another_of_its_functions_is_refused():
    def sigmoid_from_silu(z):
        z = np.asarray(z, dtype=float)
        return nnkit.silu(z) / z  # silu(z) = z·sigmoid(z) calls nnkit's sigmoid

    error = failure(check_function, "sigmoid", sigmoid_from_silu, ([1.0, 2.0],))
    assert "called nnkit.activations.sigmoid" in str(error)


def test_a_refusal_the_learner_catches_still_fails():
    def stubborn(z):
        try:
            return nnkit.relu(z)
        except Exception:
            return nnkit.relu(z)  # Python removed the hook that raised: this one runs

    error = failure(check_function, "relu", stubborn, ([1.0],))
    assert "Write your own relu" in str(error)


def test_switching_the_hook_off_fails():
    def sneaky(z):
        sys.setprofile(None)
        return nnkit.relu(z)

    error = failure(check_function, "relu", sneaky, ([1.0],))
    assert "switched off Python's profiling hook" in str(error)
    assert sys.getprofile() is None


def test_passing_the_library_function_itself_is_refused():
    error = failure(check_function, "relu", nnkit.relu, ([1.0],))
    assert "nnkit's own relu" in str(error)


def test_nothing_of_the_library_is_replaced_and_the_hook_is_put_back():
    original, code, before = nnkit.relu, nnkit.relu.__code__, sys.getprofile()
    failure(check_function, "relu", lambda z: nnkit.relu(z), ([1.0],))
    assert nnkit.relu is original and nnkit.activations.relu is original
    assert original.__code__ is code and original([-1.0]).tolist() == [0.0]
    assert sys.getprofile() is before


def test_library_refused_as_a_context_manager():
    with library_refused("mlp_params") as watch:
        with pytest.raises(LibraryRefused, match="write your own mlp_params"):
            nnkit.mlp_params([2, 1])
        assert nnkit.dense_params(2, 1) == 3  # another name runs as usual
    assert watch.refused == "nnkit.counting" and nnkit.mlp_params([2, 1]) == 3


def test_a_learners_function_of_the_same_name_runs():
    def mlp_params(sizes):
        return sum((a + 1) * b for a, b in itertools.pairwise(sizes))

    with library_refused("mlp_params") as watch:
        assert mlp_params([2, 1]) == 3
    assert watch.refused is None and not watch.switched_off


def test_without_an_answer_key_or_an_expected_value_the_instructor_is_told():
    with pytest.raises(LookupError, match="pass expected="):
        check_function("no_such_function", relu, ([1.0],))


def test_the_learners_function_gets_copies_of_the_arguments():
    z = np.array([-1.0, 2.0])

    def in_place(z):
        z[z < 0] = 0.0
        return z

    failure(check_function, "relu", in_place, (z,), expected=[0.0, 2.0])
    assert z.tolist() == [-1.0, 2.0]


def test_a_function_that_changes_its_argument_in_place_fails_and_says_so():
    def softmax_in_place(z):
        z -= z.max(axis=-1, keepdims=True)  # right numbers, but the caller's array changed
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)

    error = failure(check_function, "softmax", softmax_in_place, (np.array([1.0, 2.0, 3.0]),))
    assert error.misconception.id == "any.changed_argument"
    assert "softmax changed its argument z in place" in str(error)
    assert "softmax(array([1.0, 2.0, 3.0])) changed its argument z in place." in str(error)


def test_a_changed_layer_list_is_noticed_too():
    W = np.array([[1.0, -1.0]])

    def forward_that_rescales(x, layers):
        for weights, _, _ in layers:
            weights *= 2.0
        return np.asarray(x, dtype=float) @ layers[0][0].T / 2.0

    error = failure(check_function, "forward", forward_that_rescales,
                    ([1.0, 2.0], [(W, np.zeros(1), None)]))
    assert "changed its argument layers in place" in str(error)


# --- counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [235_146, np.int64(235_146), 235_146.0, np.array(235_146)])
def test_counts_accept_whole_numbers(answer):
    got = check_count("mlp_params", lambda s: answer, ([784, 256, 128, 10],), expected=235_146)
    assert got == 235_146 and type(got) is int


@pytest.mark.parametrize("answer", [235_146.5, "235146", True, None, [235_146]])
def test_counts_reject_what_is_not_a_whole_number(answer):
    error = failure(check_count, "mlp_params", lambda s: answer, ([784, 256, 128, 10],),
                    expected=235_146)
    assert "mlp_params([784, 256, 128, 10])" in str(error)


def test_a_wrong_count_says_how_far_off_it_is():
    error = failure(check_count, "dense_params", lambda a, b: a * b + b + 1, (3, 7), expected=28)
    assert "expected: 28 (1 more)" in str(error)


# --- errors the contract names ----------------------------------------------------------------


def checked_weighted_sum(x, w, b):
    if len(x) != len(w):
        raise ValueError(f"x has {len(x)} values but w has {len(w)}")
    return float(np.dot(x, w)) + b


def test_check_raises_returns_the_exception():
    error = check_raises("weighted_sum", checked_weighted_sum, ([1, 2, 3], [1, 2], 0.0),
                         match=r"3 .* 2")
    assert isinstance(error, ValueError)


def test_check_raises_when_nothing_is_raised():
    error = failure(check_raises, "weighted_sum", lambda x, w, b: 0.0, ([1, 2, 3], [1, 2], 0.0),
                    because="x and w differ in length")
    assert "should raise ValueError because x and w differ in length, but it returned 0.0" \
        in str(error)


def test_check_raises_with_the_wrong_exception_type():
    def raises_type_error(x, w, b):
        raise TypeError("nope")

    error = failure(check_raises, "weighted_sum", raises_type_error, ([1], [1, 2], 0.0))
    assert "raised TypeError: nope" in str(error) and "expected: ValueError" in str(error)


def test_check_raises_with_a_message_that_says_too_little():
    def vague(x, w, b):
        raise ValueError("bad input")

    error = failure(check_raises, "weighted_sum", vague, ([1], [1, 2], 0.0), match=r"\b2\b")
    assert "message does not say enough" in str(error)


def test_check_raises_accepts_a_tuple_of_exceptions():
    check_raises("weighted_sum", checked_weighted_sum, ([1], [1, 2], 0.0),
                 exception=(TypeError, ValueError))


# --- gates, XOR, collapse ------------------------------------------------------------------------


def and_gate():
    return [1.0, 1.0], -1.5


def test_check_gate_in_either_argument_order():
    assert check_gate(and_gate, "and") == ([1.0, 1.0], -1.5)
    assert check_gate("and", and_gate) == ([1.0, 1.0], -1.5)
    assert check_gate(lambda: (np.array([2, 2]), np.float64(-1)), {(0, 0): 0, (0, 1): 1,
                                                                   (1, 0): 1, (1, 1): 1})


def test_check_gate_shows_the_truth_table_when_wrong():
    error = failure(check_gate, lambda: ([1.0, 0.0], -0.5), "and", name="and_gate")
    assert "x = (1, 0): w·x + b = 0.5 → 1, want 0" in str(error)


def test_check_gate_rejects_something_that_is_not_a_pair():
    error = failure(check_gate, lambda: [1.0, 1.0, -1.5], "and", name="and_gate")
    assert "should return a pair (w, b)" in str(error)


XOR = [(np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0])),
       (np.array([[1.0, -2.0]]), np.array([0.0]))]


def test_check_xor_network_passes_the_two_unit_network():
    W1, b1, W2, b2 = check_xor_network(lambda: XOR)
    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((2, 2), (2,), (1, 2), (1,))


def test_check_xor_network_shows_the_outputs_when_wrong():
    wrong = [XOR[0], (np.array([[1.0, -1.5]]), np.array([0.0]))]
    error = failure(check_xor_network, lambda: wrong)
    assert "x = (1, 1): output 0.5, want 0" in str(error)


COLLAPSE = (np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros(2),
            np.array([[0.5, -1.0], [1.5, 0.5]]), np.zeros(2))


def test_check_collapse_reproduces_the_worked_example():
    W, b = check_collapse(lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1 + b2), *COLLAPSE)
    assert W.tolist() == [[-2.5, -3.0], [3.0, 5.0]]
    assert (W @ np.ones(2) + b).tolist() == [-5.5, 8.0]


def test_collapse_checked_one_array_at_a_time_still_names_the_mistake():
    W1, b1, W2, b2 = (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, -1.0]),
                      np.array([[0.5, -1.0], [1.5, 0.5]]), np.array([0.25, 2.0]))
    error = failure(check_function, "collapse_linear",
                    lambda *args: (W2 @ W1, b1 + b2)[1], (W1, b1, W2, b2),
                    expected=W2 @ b1 + b2)
    assert error.misconception.id == "collapse_linear.bias_not_through_W2"


# --- forward pass -----------------------------------------------------------------------------


LAYERS = [(np.array([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]]), np.array([0.1, -0.2, 0.0]), relu),
          (np.array([[0.7, -0.3, 0.5]]), np.array([0.1]), None)]


def forward_trace(x, layers):
    trace = [np.asarray(x, dtype=float)]
    for W, b, act in layers:
        z = trace[-1] @ W.T + b
        trace.append(z if act is None else act(z))
    return trace


def test_check_forward_trace_on_the_worked_2_3_1_example():
    trace = check_forward_trace(forward_trace, [1.0, 2.0], LAYERS)
    assert np.round(trace[1], 6).tolist() == [0.1, 0.8, 0.7]
    assert round(float(trace[2][0]), 6) == 0.28


def test_check_forward_trace_names_the_entry_that_differs():
    def off(x, layers):
        trace = forward_trace(x, layers)
        trace[2] = trace[2] + 1
        return trace

    error = failure(check_forward_trace, off, [1.0, 2.0], LAYERS)
    assert "entry 2 (a2)" in str(error)


def test_check_predict_wants_an_int_for_one_input_and_an_int_array_for_a_batch():
    layers = [(np.eye(3), np.zeros(3), None)]
    assert check_predict(lambda x, layers: np.argmax(x), [0.1, 0.7, 0.2], layers) == 1
    got = check_predict(lambda x, layers: np.argmax(x, axis=1), np.eye(3)[[2, 0]], layers)
    assert got.tolist() == [2, 0] and got.dtype.kind == "i"
    failure(check_predict, lambda x, layers: np.array([1]), [0.1, 0.7, 0.2], layers)
    failure(check_predict, lambda x, layers: [2.0, 0.0], np.eye(3)[[2, 0]], layers)


# --- approximation ----------------------------------------------------------------------------


def approximate(f, a, b, n):
    knots = np.linspace(a, b, n + 1)
    slopes = np.diff(f(knots)) / np.diff(knots)
    return (np.ones((n, 1)), -knots[:-1], np.diff(slopes, prepend=0.0).reshape(1, n),
            np.array([f(a)]))


def test_check_approximation_passes_the_interpolant():
    W1, b1, W2, b2 = check_approximation(approximate)
    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((32, 1), (32,), (1, 32), (1,))


def test_check_approximation_fails_when_too_coarse():
    error = failure(check_approximation, lambda f, a, b, n: approximate(f, a, b, max(2, n // 8)))
    assert "asked for n_hidden = 8 units but the network has 2" in str(error)
    error = failure(check_approximation, approximate, n_hidden=8, unit_counts=(8,))
    assert "largest error" in str(error) and "> 0.01" in str(error)


def test_check_approximation_uses_its_own_sine(monkeypatch):
    monkeypatch.setattr(np, "sin", lambda x: np.zeros_like(x))
    def flat_zero(f, a, b, n):
        return np.ones((n, 1)), -np.linspace(a, b, n + 1)[:-1], np.zeros((1, n)), np.zeros(1)

    failure(check_approximation, flat_zero)


def test_checks_are_plain_functions_usable_outside_a_notebook():
    from nnkit import checking  # the old import path of exercises already handed out

    assert checking.__name__ == "nnkit.checking"
    assert all(callable(getattr(checking, name)) for name in (
        "check_function", "check_stable", "check_count", "check_raises", "check_gate",
        "check_xor_network", "check_collapse", "check_forward_trace", "check_predict",
        "check_approximation"))


# --- correct answers written another way, against the answer key -------------------------------


def _gelu_tanh(z):
    z = np.asarray(z, dtype=float)
    return 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z**3)))


def _softmax_loop(z):
    rows = np.atleast_2d(np.asarray(z, dtype=float))
    out = []
    for row in rows:
        e = [math.exp(v - max(row)) for v in row]
        out.append([v / sum(e) for v in e])
    return np.array(out).reshape(np.shape(z))


def _dense_loop(x, W, b, activation=None):
    X = np.atleast_2d(np.asarray(x, dtype=float))
    Z = np.array([[float(np.dot(w, row)) + bi for w, bi in zip(W, b, strict=True)] for row in X])
    Z = Z.reshape((*np.shape(x)[:-1], len(b)))
    return Z if activation is None else activation(Z)


ALTERNATIVES = [
    ("check_function", "sigmoid", lambda z: 0.5 * (1 + np.tanh(0.5 * np.asarray(z))),
     ([-3.0, 0.0, 2.0],)),
    ("check_stable", "sigmoid", sigmoid, ([-1e4, -745.0, 0.0, 745.0, 1e4],)),
    ("check_function", "tanh", lambda z: 2 * sigmoid(2 * np.asarray(z)) - 1, ([-2.0, 0.5],)),
    ("check_function", "relu", lambda z: np.where(np.asarray(z) > 0, z, 0.0), ([-1.0, 0.0, 2.0],)),
    ("check_function", "leaky_relu", lambda z, alpha=0.01: np.maximum(z, alpha * np.asarray(z)),
     ([-2.0, 3.0], 0.2)),
    ("check_stable", "gelu", _gelu_tanh, ([-1e4, -3.0, 0.5, 30.0, 1e4],)),
    ("check_stable", "softmax", _softmax_loop, ([[1e4, 0.0, -1e4], [1.0, 2.0, 3.0]],)),
    ("check_function", "sigmoid_derivative", lambda z: sigmoid(z) * sigmoid(-np.asarray(z)),
     ([-2.0, 0.0, 2.0],)),
    ("check_function", "relu_derivative", lambda z: (np.asarray(z) > 0) * 1.0,
     ([[-2.0, 0.0], [0.0, 1e4]],)),
    ("check_function", "weighted_sum", lambda x, w, b: sum(a * c for a, c in zip(x, w, strict=True))
     + b, ([2, 3, -1], [0.5, -0.2, 0.8], 0.1)),
    ("check_function", "neuron", lambda x, w, b, act: act(float(np.dot(x, w)) + b),
     ([6, 8], [0.7, 0.3], -4, sigmoid)),
    ("check_function", "dense", _dense_loop, (np.ones((4, 2)), np.arange(6.0).reshape(3, 2),
                                              np.ones(3), relu)),
    ("check_function", "sigmoid_bump",
     lambda x, left, right, height, steepness=50.0: height * (
         sigmoid(steepness * (np.asarray(x) - left))
         - sigmoid(steepness * (np.asarray(x) - right))),
     (np.linspace(-1, 2, 7), 0.0, 1.0, 2.0)),
    ("check_function", "relu_hat",
     lambda x, left, peak, right, height: np.interp(x, [left, peak, right], [0.0, height, 0.0]),
     (np.linspace(-3, 3, 13), -2.0, 1.0, 1.5, 0.75)),
    ("check_count", "dense_params", lambda n_in, n_out: (n_in + 1) * n_out, (784, 256)),
    ("check_count", "mlp_params", lambda s: sum((a + 1) * b for a, b in itertools.pairwise(s)),
     ([784, 256, 128, 10],)),
    ("check_count", "memory_bytes", lambda n, dtype: -(-n // 2), (7, "int4")),
    ("check_count", "gpt2_params", lambda L, d, V, P: V * d + P * d + L * (12 * d * d + 13 * d)
     + 2 * d, (12, 768, 50_257, 1_024)),
]


@pytest.mark.parametrize("check, name, implementation, args", ALTERNATIVES,
                         ids=[f"{c}-{n}" for c, n, *_ in ALTERNATIVES])
def test_a_correct_alternative_passes_against_the_answer_key(check, name, implementation, args):
    getattr(checks, check)(name, implementation, args)


def test_a_unit_that_only_touches_zero_does_not_bend_the_xor_network():
    never_bends = [(np.ones((2, 2)), np.array([0.0, 0.5])), (np.array([[1.0, -2.0]]), np.zeros(1))]
    assert failure(check_xor_network, lambda: never_bends).misconception.id == "xor_network.linear"
