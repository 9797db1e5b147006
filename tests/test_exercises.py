"""The six exercises grade what they should.

Each notebook is run in-process, cell by cell, the way a kernel would: the
setup and answer cells define the functions, then every test cell runs and
either passes (its points are earned) or raises. Swapping the code of an answer
cell shows what a learner's version would score:

- the solutions pass every test, hidden ones included;
- the student versions' visible tests pass with the solutions' code, and fail
  on the blank notebook with a tutor's message or NotImplementedError, never a
  bare AssertionError;
- plausible wrong answers lose the points of what they get wrong, and correct
  answers written another way (a loop, np.where, a lookup table) lose nothing.

Autograding the same notebooks end to end with nbgrader is tested with the
grading command.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from nnkit.checking import CheckFailed
from nnkit.contract import ASSIGNMENT_IDS

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = list(ASSIGNMENT_IDS)


@dataclass
class Cell:
    name: str
    source: str
    points: float
    graded: bool
    answer: bool


@dataclass
class Outcome:
    points: float
    max_points: float
    errors: dict  # test cell name -> the exception it raised

    def lost(self) -> set[str]:
        return set(self.errors)


def cells_of(folder: str, assignment: str) -> list[Cell]:
    nb = nbformat.read(ROOT / folder / assignment / f"{assignment}.ipynb", as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        cells.append(Cell(name=meta.get("grade_id", cell.get("id", "")), source=cell.source,
                          points=float(meta.get("points", 0) or 0),
                          graded=bool(meta.get("grade")), answer=bool(meta.get("solution"))))
    return cells


def run(cells: list[Cell], answers: dict[str, str] | None = None) -> Outcome:
    """Run the cells in one namespace; ``answers`` replaces answer cells' code by name."""
    answers = answers or {}
    namespace: dict = {"__name__": "__main__"}
    points = max_points = 0.0
    errors = {}
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("default")
        for cell in cells:
            source = textwrap.dedent(answers.get(cell.name, cell.source))
            max_points += cell.points
            try:
                exec(compile(source, f"<cell {cell.name}>", "exec"), namespace)
            except Exception as error:
                if not cell.graded:
                    raise
                errors[cell.name] = error
            else:
                points += cell.points
    return Outcome(points, max_points, errors)


def solution_answers(assignment: str) -> dict[str, str]:
    return {cell.name: cell.source for cell in cells_of("solutions", assignment) if cell.answer}


@pytest.fixture(autouse=True)
def _own_working_folder(tmp_path, monkeypatch):
    """Each test in its own folder: answers a solution stores for a slider challenge
    (challenge-answers/ in the working folder) never reach a blank notebook's run."""
    monkeypatch.chdir(tmp_path)


# --------------------------------------------------------------------------- solutions, blanks

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_passes_every_test(assignment):
    outcome = run(cells_of("solutions", assignment))
    assert outcome.errors == {}
    assert outcome.points == outcome.max_points
    assert 9 <= outcome.max_points <= 12


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_tests_pass_on_the_solution(assignment):
    outcome = run(cells_of("exercises", assignment), solution_answers(assignment))
    assert outcome.errors == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_tests_fail_helpfully_on_the_blank(assignment):
    outcome = run(cells_of("exercises", assignment))
    graded = [cell.name for cell in cells_of("exercises", assignment) if cell.graded]
    assert outcome.points == 0
    assert set(outcome.errors) == set(graded)
    for name, error in outcome.errors.items():
        tutor = isinstance(error, CheckFailed) and len(str(error)) > 40
        assert isinstance(error, NotImplementedError) or tutor, (name, type(error), str(error))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_hides_hidden_tests_and_solutions(assignment):
    for cell in cells_of("exercises", assignment):
        assert "BEGIN HIDDEN TESTS" not in cell.source
        assert "BEGIN SOLUTION" not in cell.source
        if cell.answer:
            assert "raise NotImplementedError()" in cell.source


# --------------------------------------------------------------------------- wrong answers

WRONG = {
    "01-neuron": {
        "weighted_sum truncates to the shorter of x and w": ("weighted_sum", """
            def weighted_sum(x, w, b):
                return float(sum(wi * xi for wi, xi in zip(w, x)) + b)
            """, {"test_weighted_sum_lengths"}),
        "neuron returns z and forgets the activation": ("neuron", """
            def neuron(x, w, b, activation):
                return weighted_sum(x, w, b)
            """, {"test_neuron"}),
        "and_gate puts the border too low (that is OR)": ("and_gate", """
            def and_gate():
                return [1.0, 1.0], -0.5
            """, {"test_and_gate"}),
    },
    "02-activations": {
        "sigmoid overflows for large negative z": ("sigmoid", """
            def sigmoid(z):
                return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
            """, {"test_sigmoid", "test_tanh", "test_sigmoid_derivative"}),
        "softmax does not subtract the maximum": ("softmax", """
            def softmax(z):
                exps = np.exp(np.asarray(z, dtype=float))
                return exps / exps.sum(axis=-1, keepdims=True)
            """, {"test_softmax"}),
        "softmax normalises over the whole batch": ("softmax", """
            def softmax(z):
                z = np.asarray(z, dtype=float)
                exps = np.exp(z - z.max())
                return exps / exps.sum()
            """, {"test_softmax"}),
        "relu_derivative is 1 at z = 0, leaky_relu ignores alpha": ("derivatives", """
            def sigmoid_derivative(z):
                s = sigmoid(z)
                return s * (1.0 - s)

            def relu_derivative(z):
                return np.where(np.asarray(z, dtype=float) >= 0, 1.0, 0.0)
            """, {"test_relu_derivative"}),
        "leaky_relu ignores alpha": ("relu", """
            def relu(z):
                return np.maximum(np.asarray(z, dtype=float), 0.0)

            def leaky_relu(z, alpha=0.01):
                z = np.asarray(z, dtype=float)
                return np.where(z > 0, z, 0.01 * z)
            """, {"test_leaky_relu"}),
    },
    "03-layers": {
        "dense works for one input only": ("dense", """
            def dense(x, W, b, activation=None):
                z = np.asarray(W, dtype=float) @ np.asarray(x, dtype=float) + np.asarray(b)
                return z if activation is None else activation(z)
            """, {"test_dense_batch", "test_dense_activation", "test_dense_shapes"}),
        "collapse_linear adds the biases": ("collapse_linear", """
            def collapse_linear(W1, b1, W2, b2):
                return np.asarray(W2) @ np.asarray(W1), np.asarray(b1) + np.asarray(b2)
            """, {"test_collapse_linear"}),
        "collapse_linear multiplies in the wrong order": ("collapse_linear", """
            def collapse_linear(W1, b1, W2, b2):
                W1, W2 = np.asarray(W1, dtype=float), np.asarray(W2, dtype=float)
                return W1 @ W2, W2 @ np.asarray(b1, dtype=float) + np.asarray(b2, dtype=float)
            """, {"test_collapse_linear"}),
        "xor_network computes OR": ("xor_network", """
            def xor_network():
                hidden = (np.array([[1.0, 1.0]]), np.array([0.0]))
                return [hidden, (np.array([[1.0]]), np.array([0.0]))]
            """, {"test_xor_network"}),
    },
    "04-forward-pass": {
        "forward ignores the activations": ("forward", """
            def forward(x, layers):
                a = np.asarray(x, dtype=float)
                for W, b, activation in layers:
                    a = a @ np.asarray(W).T + b
                return a
            """, {"test_forward", "test_forward_batch", "test_predict"}),
        "forward_trace leaves out the input": ("forward_trace", """
            def forward_trace(x, layers):
                a, outputs = np.asarray(x, dtype=float), []
                for W, b, activation in layers:
                    z = a @ np.asarray(W).T + b
                    a = z if activation is None else activation(z)
                    outputs.append(a)
                return outputs
            """, {"test_forward_trace"}),
        "predict takes the argmax of the flattened batch": ("predict", """
            def predict(x, layers):
                return int(np.argmax(forward(x, layers)))
            """, {"test_predict"}),
    },
    "05-universal-approximation": {
        "sigmoid_bump with an overflowing sigmoid": ("sigmoid_bump", """
            def sigmoid_bump(x, left, right, height, steepness=50.0):
                x = np.asarray(x, dtype=float)
                s = lambda t: 1.0 / (1.0 + np.exp(-t))
                return height * (s(steepness * (x - left)) - s(steepness * (x - right)))
            """, {"test_sigmoid_bump"}),
        "relu_hat assumes the peak is in the middle": ("relu_hat", """
            def relu_hat(x, left, peak, right, height):
                x = np.asarray(x, dtype=float)
                middle = (left + right) / 2
                slope = height / (middle - left)
                return slope * (relu(x - left) - 2 * relu(x - middle) + relu(x - right))
            """, {"test_relu_hat"}),
        "approximate ignores a and b": ("approximate", """
            def approximate(f, a, b, n_hidden):
                knots = np.linspace(-np.pi, np.pi, n_hidden + 1)
                values = np.asarray(f(knots), dtype=float)
                slopes = np.diff(values) / np.diff(knots)
                W1 = np.ones((n_hidden, 1))
                b1 = -knots[:-1]
                W2 = np.diff(slopes, prepend=0.0).reshape(1, n_hidden)
                return W1, b1, W2, np.array([values[0]])
            """, {"test_approximate"}),
    },
    "06-parameter-counting": {
        "mlp_params forgets the biases": ("mlp_params", """
            def mlp_params(sizes):
                sizes = list(sizes)
                if len(sizes) < 2 or min(sizes) < 1:
                    raise ValueError(f"bad sizes {sizes}")
                return sum(a * b for a, b in zip(sizes, sizes[1:]))
            """, {"test_mlp_params"}),
        "memory_bytes rounds int4 down": ("memory_bytes", """
            BYTES = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int8": 1,
                     "int4": 0.5}

            def memory_bytes(n_params, dtype):
                if dtype not in BYTES:
                    raise ValueError(f"unknown dtype {dtype}; known: {', '.join(BYTES)}")
                return int(n_params * BYTES[dtype])
            """, {"test_memory_bytes"}),
        "gpt2_params counts the tied output head again": ("gpt2_params", """
            def gpt2_params(n_layers, d_model, vocab_size, n_positions):
                d = d_model
                block = 4 * d + 4 * (d * d + d) + 8 * d * d + 5 * d
                return 2 * vocab_size * d + n_positions * d + n_layers * block + 2 * d
            """, {"test_gpt2_params"}),
    },
}

CASES = [(assignment, label) for assignment, wrongs in WRONG.items() for label in wrongs]


@pytest.mark.parametrize(("assignment", "label"), CASES)
def test_a_wrong_answer_loses_the_points_of_what_it_gets_wrong(assignment, label):
    cell, code, expected_lost = WRONG[assignment][label]
    outcome = run(cells_of("solutions", assignment), {cell: code})
    assert outcome.lost() == expected_lost, {k: str(v)[:200] for k, v in outcome.errors.items()}
    assert outcome.points < outcome.max_points
    for error in outcome.errors.values():
        assert isinstance(error, CheckFailed), (type(error), str(error))


def test_every_assignment_has_wrong_answers_to_two_functions():
    for assignment in ASSIGNMENTS:
        cells = {cell for cell, _, _ in WRONG[assignment].values()}
        assert len(cells) >= 2, assignment


# --------------------------------------------------------------------------- other correct answers

ALTERNATIVES = {
    "01-neuron": {
        "weighted_sum": """
            def weighted_sum(x, w, b):
                x, w = list(x), list(w)
                if len(x) != len(w):
                    raise ValueError(f"{len(x)} inputs but {len(w)} weights")
                total = b
                for xi, wi in zip(x, w):
                    total += xi * wi
                return total
            """,
        "neuron": """
            def neuron(x, w, b, activation):
                z = weighted_sum(x, w, b)
                a = activation(z)
                return a
            """,
        "and_gate": """
            def and_gate():
                return np.array([2.0, 2.0]), -3.0
            """,
        "or_gate": """
            def or_gate():
                return (0.7, 0.7), np.float64(-0.2)
            """,
    },
    "02-activations": {
        "sigmoid": """
            def sigmoid(z):
                return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))
            """,
        "tanh": """
            def tanh(z):
                return np.tanh(z)
            """,
        "relu": """
            def relu(z):
                z = np.asarray(z, dtype=float)
                return np.where(z > 0, z, 0.0)

            def leaky_relu(z, alpha=0.01):
                z = np.asarray(z, dtype=float)
                return np.maximum(z, 0.0) + alpha * np.minimum(z, 0.0)
            """,
        "gelu": """
            def gelu(z):
                z = np.asarray(z, dtype=float)
                inner = np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)
                return 0.5 * z * (1.0 + np.tanh(inner))
            """,
        "softmax": """
            def softmax(z):
                z = np.asarray(z, dtype=float)
                log_norm = z.max(axis=-1, keepdims=True)
                log_norm = log_norm + np.log(np.exp(z - log_norm).sum(axis=-1, keepdims=True))
                return np.exp(z - log_norm)
            """,
        "derivatives": """
            def sigmoid_derivative(z):
                return sigmoid(z) * sigmoid(-np.asarray(z, dtype=float))

            def relu_derivative(z):
                return (np.asarray(z) > 0).astype(float)
            """,
    },
    "03-layers": {
        "dense": """
            def dense(x, W, b, activation=None):
                W = [list(map(float, row)) for row in W]
                b = list(map(float, b))
                single = np.ndim(x) == 1
                rows = [list(x)] if single else [list(r) for r in x]
                if len(b) != len(W) or any(len(r) != len(W[0]) for r in rows):
                    raise ValueError(f"x of shape {np.shape(x)} does not fit W of shape "
                                     f"{np.shape(W)} and b of shape {np.shape(b)}")
                out = []
                for r in rows:
                    z = [sum(w * v for w, v in zip(wr, r)) + bi for wr, bi in zip(W, b)]
                    out.append(z)
                out = np.array(out)
                if activation is not None:
                    out = activation(out)
                return out[0] if single else out
            """,
        "collapse_linear": """
            def collapse_linear(W1, b1, W2, b2):
                W = np.einsum("ij,jk->ik", W2, W1)
                b = np.einsum("ij,j->i", W2, b1) + b2
                return W.tolist(), b.tolist()
            """,
        "xor_network": """
            def xor_network():
                W1 = [[1.0, -1.0], [-1.0, 1.0], [0.0, 0.0]]
                b1 = [0.0, 0.0, 0.0]
                W2 = [[1.0, 1.0, 0.0]]
                b2 = [0.0]
                return [(W1, b1), (W2, b2)]
            """,
    },
    "04-forward-pass": {
        "forward": """
            def forward(x, layers):
                x = np.asarray(x, dtype=float)
                batch = np.atleast_2d(x)
                for W, b, activation in layers:
                    batch = np.stack([np.asarray(W) @ row + b for row in batch])
                    if activation is not None:
                        batch = activation(batch)
                return batch if x.ndim == 2 else batch[0]
            """,
        "forward_trace": """
            def forward_trace(x, layers):
                trace = [np.asarray(x, dtype=float)]
                for depth in range(1, len(layers) + 1):
                    trace.append(forward(x, layers[:depth]))
                return trace
            """,
        "predict": """
            def predict(x, layers):
                out = np.asarray(forward(x, layers))
                if out.ndim == 1:
                    return int(np.argsort(out)[-1])
                return np.array([max(range(len(row)), key=lambda i: row[i]) for row in out])
            """,
    },
    "05-universal-approximation": {
        "sigmoid_bump": """
            def sigmoid_bump(x, left, right, height, steepness=50.0):
                x = np.asarray(x, dtype=float)
                return height * (sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right)))
            """,
        "relu_hat": """
            def relu_hat(x, left, peak, right, height):
                return height * np.interp(x, [left, peak, right], [0.0, 1.0, 0.0])
            """,
        "approximate": """
            def approximate(f, a, b, n_hidden):
                knots = np.linspace(a, b, n_hidden + 1)[:-1]
                x = np.linspace(a, b, 4001)
                features = np.maximum(x[:, None] - knots[None, :], 0.0)
                design = np.hstack([features, np.ones((x.size, 1))])
                coef, *_ = np.linalg.lstsq(design, f(x), rcond=None)
                return (np.ones((n_hidden, 1)), -knots, coef[:-1].reshape(1, -1),
                        coef[-1:].copy())
            """,
    },
    "06-parameter-counting": {
        "dense_params": """
            def dense_params(n_in, n_out):
                return (n_in + 1) * n_out
            """,
        "mlp_params": """
            def mlp_params(sizes):
                sizes = [int(s) for s in sizes]
                if len(sizes) < 2:
                    raise ValueError("need at least an input and an output size")
                for s in sizes:
                    if s < 1:
                        raise ValueError(f"layer size {s} is below 1")
                total = 0
                for i in range(len(sizes) - 1):
                    total += dense_params(sizes[i], sizes[i + 1])
                return total
            """,
        "memory_bytes": """
            import math
            from fractions import Fraction

            BYTES = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int8": 1,
                     "int4": Fraction(1, 2)}

            def memory_bytes(n_params, dtype):
                try:
                    size = BYTES[dtype]
                except KeyError:
                    raise ValueError(f"dtype must be one of {sorted(BYTES)}, "
                                     f"not {dtype!r}") from None
                return math.ceil(n_params * size)
            """,
        "gpt2_params": """
            def gpt2_params(n_layers, d_model, vocab_size, n_positions):
                d = d_model
                parts = {
                    "wte": vocab_size * d, "wpe": n_positions * d,
                    "ln_1": 2 * d, "attn.c_attn": d * 3 * d + 3 * d, "attn.c_proj": d * d + d,
                    "ln_2": 2 * d, "mlp.c_fc": d * 4 * d + 4 * d, "mlp.c_proj": 4 * d * d + d,
                    "ln_f": 2 * d,
                }
                block_parts = ("ln_1", "ln_2", "attn", "mlp")
                per_block = sum(v for k, v in parts.items() if k.startswith(block_parts))
                return parts["wte"] + parts["wpe"] + n_layers * per_block + parts["ln_f"]
            """,
    },
}

# The slider challenges (nnkit.challenges) reached with other values than the solution's.
CHALLENGE_ALTERNATIVES = {
    "01-neuron": ("challenge_answer_neuron_switch", "view.explorer.set(w1=3.0, b=0.5)"),
    "02-activations": ("challenge_answer_softmax_temperature",
                       "view.explorer.set(temperature=0.36)"),
    "03-layers": ("challenge_answer_xor", "view.explorer.set(v2=-3.0)"),
    "04-forward-pass": ("challenge_answer_forward_prediction",
                        "view.explorer.set(x1=1.3, x2=-0.2, layer=3)"),
    "05-universal-approximation": ("challenge_answer_sin_hats",
                                   "view.explorer.set(n_hidden=10, spacing='uniform')"),
    "06-parameter-counting": ("challenge_answer_dtype_7b",
                              "view.explorer.set(dtype='bfloat16')"),
}
for _assignment, (_name, _moves) in CHALLENGE_ALTERNATIVES.items():
    ALTERNATIVES[_assignment][_name] = f"{_moves}\nview.check()\n"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_correct_answer_written_another_way_gets_full_marks(assignment):
    outcome = run(cells_of("solutions", assignment), ALTERNATIVES[assignment])
    assert outcome.errors == {}, {k: str(v)[:300] for k, v in outcome.errors.items()}
    assert outcome.points == outcome.max_points


def test_alternatives_replace_every_answer_cell():
    for assignment in ASSIGNMENTS:
        answers = {cell.name for cell in cells_of("solutions", assignment) if cell.answer}
        assert set(ALTERNATIVES[assignment]) == answers, assignment
