"""Slider challenges: a task solved with an explorer, checked at once, graded later.

Each lesson ends with a challenge: a goal ("make the 2-2-1 network compute
XOR") reached by moving an explorer's controls. :func:`challenge` shows the
explorer with a **Check my answer** button and a status line. Pressing the
button reads the explorer's ``values()`` (nothing is copied by hand), checks
them, says what is right or wrong like a tutor, and stores them in
``challenge-answers/<id>.json`` beside the notebook. An exercise's graded cell
calls :func:`check_stored`, which reads that file and checks the values again,
so grading needs no browser: nbgrader collects the whole assignment folder, and
``nnkit-course grade`` copies the student's folder into the sandbox it runs in.

The checkers take plain values (the dict ``values()`` returns) and never trust
a stored verdict: the stored numbers are checked afresh every time.

>>> verdict = check_answer("xor", {"w11": 1.0, "w12": 1.0, "w21": 1.0, "w22": 1.0,
...                                "b1": 0.0, "b2": -1.0, "v1": 1.0, "v2": -2.0, "c": 0.0})
>>> verdict.passed
True
"""

from __future__ import annotations

import base64
import json
import math
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnkit.tutor.checking import CheckFailed

ANSWER_FOLDER = "challenge-answers"
"""The folder, beside the notebook, that holds one ``<id>.json`` per stored answer."""


class NoAnswerStored(CheckFailed, NotImplementedError):
    """The challenge was not answered yet: like an answer cell still raising NotImplementedError."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: passed or not, and the sentence that says why."""

    passed: bool
    message: str


@dataclass(frozen=True)
class Challenge:
    """One slider challenge: what to do, with which explorer, and how it is checked."""

    id: str
    lesson: int
    statement: str
    explorer: str
    start: dict
    checker: object

    def check(self, values) -> Verdict:
        """Check the explorer's plain values; a missing control is a failed check."""
        try:
            return self.checker(_plain_values(values))
        except (KeyError, TypeError, ValueError, OverflowError) as problem:
            return Verdict(False, f"The stored values do not fit this challenge ({problem!r}); "
                                  f"use the {self.explorer} it shows and press Check again.")


def _plain_values(values):
    """Only numbers and short strings: stored answers are read back from a file."""
    plain = {}
    for name, value in dict(values).items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise TypeError(f"{name} should be a number or a choice, got {type(value).__name__}")
        if isinstance(value, str) and len(value) > 200:
            raise ValueError(f"{name} is {len(value)} characters long")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{name} is {value}")
        plain[name] = value
    return plain


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


# --- lesson 1 --------------------------------------------------------------------------------

def _check_neuron_switch(v):
    if v["activation"] != "sigmoid":
        return Verdict(False, f"The activation is {v['activation']}; this challenge is about "
                              "the sigmoid neuron: choose sigmoid again.")
    high = _sigmoid(2.0 * v["w1"] + v["b"])
    low = _sigmoid(-2.0 * v["w1"] + v["b"])
    shown = f"output {high:.3f} at x = (2, 0) and {low:.3f} at x = (−2, 0)"
    if high > 0.9 and low < 0.1:
        return Verdict(True, f"Right: {shown}. A large w1 makes the sigmoid steep, a small "
                             "b keeps the switch near x1 = 0.")
    if v["w1"] <= 0:
        hint = "w1 is not positive, so larger x1 cannot give a larger output: make w1 positive."
    elif high <= 0.9 and low >= 0.1:
        hint = "both are too close to 0.5: make w1 larger so the sigmoid is steeper."
    elif high <= 0.9:
        hint = "the output at x1 = 2 is too low: raise b or w1."
    else:
        hint = "the output at x1 = −2 is too high: lower b or raise w1."
    return Verdict(False, f"Not yet: {shown}; {hint}")


# --- lesson 2 --------------------------------------------------------------------------------

SOFTMAX_LOGITS = (2.0, 1.0, 0.1, -1.0)


def _check_softmax_temperature(v):
    logits = np.array([v[f"z{i + 1}"] for i in range(len(SOFTMAX_LOGITS))])
    if not np.allclose(logits, SOFTMAX_LOGITS, atol=1e-9):
        return Verdict(False, f"The logits were moved (now {np.round(logits, 2).tolist()}); "
                              f"put them back to {list(SOFTMAX_LOGITS)} and use the "
                              "temperature alone.")
    scaled = logits / v["temperature"]
    probabilities = np.exp(scaled - scaled.max())
    top = float(probabilities.max() / probabilities.sum())
    shown = f"at T = {v['temperature']:.3f} the top class gets {top:.3f}"
    if 0.9 <= top <= 0.95:
        return Verdict(True, f"Right: {shown}. Dividing the logits by T < 1 widens their gaps, "
                             "so the largest one takes more of the probability.")
    direction = "lower the temperature" if top < 0.9 else "raise the temperature a little"
    return Verdict(False, f"Not yet: {shown}, outside 0.90–0.95; {direction}.")


# --- lesson 3 --------------------------------------------------------------------------------

XOR_CASES = ((0.0, 0.0, 0), (0.0, 1.0, 1), (1.0, 0.0, 1), (1.0, 1.0, 0))


def _check_xor(v):
    wrong = []
    for x1, x2, target in XOR_CASES:
        h1 = max(0.0, v["w11"] * x1 + v["w12"] * x2 + v["b1"])
        h2 = max(0.0, v["w21"] * x1 + v["w22"] * x2 + v["b2"])
        output = v["v1"] * h1 + v["v2"] * h2 + v["c"]
        if int(output > 0.5) != target:
            wrong.append(f"({x1:g}, {x2:g}) gives {output:.2f} but XOR is {target}")
    if not wrong:
        return Verdict(True, "Right: the network computes XOR on all four inputs. One hidden "
                             "unit counts the ones, the other subtracts the (1, 1) case.")
    return Verdict(False, f"Not yet, right on {4 - len(wrong)} of 4 inputs: "
                          f"{'; '.join(wrong)}. Output above 0.5 counts as 1; watch the "
                          "second hidden unit, which fires only for (1, 1).")


# --- lesson 4 --------------------------------------------------------------------------------

def _check_forward_prediction(v):
    from nnkit.examples import two_moons_network

    network = two_moons_network()[0]
    n_layers = len(network.layers)
    x = np.array([v["x1"], v["x2"]])
    predicted = int(np.argmax(network.forward(x)))
    if int(v["layer"]) != n_layers:
        return Verdict(False, f"The stepper shows layer {int(v['layer'])}; step to the output "
                              f"(layer {n_layers}) to see the prediction.")
    if predicted != 1:
        return Verdict(False, f"The input ({x[0]:.2f}, {x[1]:.2f}) is predicted class "
                              f"{predicted}; move x1 and x2 into the lower moon (class 1).")
    return Verdict(True, f"Right: the input ({x[0]:.2f}, {x[1]:.2f}) flows through "
                         f"{n_layers} layers and the output layer predicts class 1.")


# --- lesson 5 --------------------------------------------------------------------------------

MAX_HATS = 10
TARGET_ERROR = 0.05


def _check_sin_hats(v):
    from nnkit.explore.approximation import TARGETS, approximation_curves

    if v["target"] != "sin" or v["parts"] != "hats":
        return Verdict(False, f"The explorer shows {v['target']} with {v['parts']}; choose the "
                              "target sin and the parts hats.")
    n_hidden = int(v["n_hidden"])
    if not 1 <= n_hidden <= MAX_HATS:
        return Verdict(False, f"{n_hidden} hidden units is not between 1 and {MAX_HATS}; "
                              "find the fewest that are enough.")
    if v["spacing"] not in ("uniform", "adaptive"):
        raise ValueError(f"unknown spacing {v['spacing']!r}")
    f, a, b = TARGETS["sin"]
    error = approximation_curves(f, a, b, n_hidden, "hats", spacing=v["spacing"]).max_error
    shown = f"{n_hidden} hats ({v['spacing']} knots) leave a maximum error of {error:.4f}"
    if error >= TARGET_ERROR:
        return Verdict(False, f"Not yet: {shown}, not below {TARGET_ERROR}; more hats, or "
                              "knots placed differently, shrink the gaps between the chords.")
    return Verdict(True, f"Right: {shown}, below {TARGET_ERROR} with at most {MAX_HATS} units.")


# --- lesson 6 --------------------------------------------------------------------------------

GPU_BYTES = 16 * 10**9
MODEL_PARAMS = 7 * 10**9


def _check_dtype_7b(v):
    from nnkit.counting import DTYPE_BYTES, human_bytes, memory_bytes, mlp_params

    sizes = [int(part) for part in str(v["sizes"]).replace("→", ",").split(",") if part.strip()]
    n_params = int(mlp_params(sizes)) if len(sizes) >= 2 else 0
    if v["model"] != "(your layer sizes)" or abs(n_params - MODEL_PARAMS) > 0.05 * MODEL_PARAMS:
        return Verdict(False, "Type layer sizes with about 7 billion parameters (for example "
                              "1, 3500000000) and keep the model at (your layer sizes); "
                              f"now there are {n_params:,}.")
    dtype = v["dtype"]
    needed = int(memory_bytes(n_params, dtype))
    if needed > GPU_BYTES:
        return Verdict(False, f"In {dtype} the {n_params:,} parameters need "
                              f"{human_bytes(needed)}, more than 16 GB: choose a smaller dtype.")
    wider = [d for d, size in DTYPE_BYTES.items() if size > DTYPE_BYTES[dtype]
             and memory_bytes(n_params, d) <= GPU_BYTES]
    if wider:
        return Verdict(False, f"{dtype} fits ({human_bytes(needed)}), but {wider[0]} fits too "
                              "and keeps more precision: choose the widest dtype that fits.")
    return Verdict(True, f"Right: in {dtype} the model needs {human_bytes(needed)}, which fits "
                         "in 16 GB; float32 would need twice as much.")


CHALLENGES: dict[str, Challenge] = {c.id: c for c in [
    Challenge("neuron-switch", 1,
              "With the sigmoid activation, set w1 and b so that the neuron outputs more than "
              "0.9 at x = (2, 0) and less than 0.1 at x = (−2, 0).",
              "neuron_explorer", {"w1": 1.0, "w2": 0.0, "b": 0.5, "x": (2.0, 0.0)},
              _check_neuron_switch),
    Challenge("softmax-temperature", 2,
              "Leave the logits (2, 1, 0.1, −1) as they are and set the temperature so that "
              "the most likely class gets between 0.90 and 0.95 of the probability.",
              "softmax_explorer", {}, _check_softmax_temperature),
    Challenge("xor", 3, "Move the weights so that the 2-2-1 ReLU network computes XOR: output "
                        "above 0.5 exactly for (0, 1) and (1, 0).",
              "xor_explorer", {"W2": ((1.0, -1.0),)}, _check_xor),
    Challenge("forward-prediction", 4,
              "Move the input to a point the two-moons network classifies as class 1, and "
              "step to the output layer to see the prediction.",
              "forward_pass_stepper", {}, _check_forward_prediction),
    Challenge("sin-hats", 5,
              f"Approximate sin on [−π, π] with ReLU hats so that the maximum error is below "
              f"{TARGET_ERROR} using at most {MAX_HATS} hidden units.",
              "approximation_explorer", {"n_hidden": 4}, _check_sin_hats),
    Challenge("dtype-7b", 6,
              "A model has 7 billion parameters (type the sizes 1, 3500000000). Choose the widest "
              "dtype in which its weights fit in a 16 GB GPU.",
              "parameter_counter", {"sizes": "1, 3500000000", "dtype": "float64"},
              _check_dtype_7b),
]}
"""Every challenge by id; ``lesson`` says where it is taught."""


def get_challenge(challenge_id) -> Challenge:
    """The challenge with this id; ValueError naming the known ids otherwise (lessons 1–6).

    >>> get_challenge("xor").lesson
    3
    """
    if challenge_id not in CHALLENGES:
        raise ValueError(f"expected a challenge id, one of {sorted(CHALLENGES)}; "
                         f"got {challenge_id!r}")
    return CHALLENGES[challenge_id]


def check_answer(challenge_id, values) -> Verdict:
    """Check plain values (an explorer's ``values()``) against a challenge (lessons 1–6).

    >>> check_answer("softmax-temperature", {"z1": 2.0, "z2": 1.0, "z3": 0.1, "z4": -1.0,
    ...                                      "temperature": 1.0}).passed
    False
    """
    return get_challenge(challenge_id).check(values)


def answer_path(challenge_id, folder=None) -> Path:
    """Where a challenge's answer is stored: ``challenge-answers/<id>.json`` in ``folder``.

    ``folder`` defaults to the working directory, which is the notebook's folder
    in Jupyter and in nbgrader. Introduced with the lesson 1 challenge.

    >>> answer_path("xor", "course").as_posix()
    'course/challenge-answers/xor.json'
    """
    get_challenge(challenge_id)
    base = Path(folder if folder is not None else os.getcwd())
    return base / ANSWER_FOLDER / f"{challenge_id}.json"


def save_answer(challenge_id, values, folder=None) -> Path:
    """Store the chosen values of a challenge as JSON beside the notebook; return the path.

    Introduced with the lesson 1 challenge.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = save_answer("softmax-temperature", {"temperature": 0.4}, folder)
    ...     load_answer("softmax-temperature", folder)
    {'temperature': 0.4}
    """
    path = answer_path(challenge_id, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"challenge": challenge_id, "values": dict(values)}
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


MAX_ANSWER_BYTES = 100_000
_given_answers = None  # set by answers_given() while a grader replays the checks


def load_answer(challenge_id, folder=None):
    """The stored values of a challenge as a dict, or ``None`` when none are stored (lesson 1).

    >>> print(load_answer("xor", "/nonexistent"))
    None
    """
    if _given_answers is not None:
        return _given_answers.get(challenge_id)
    path = answer_path(challenge_id, folder)
    try:
        if path.stat().st_size > MAX_ANSWER_BYTES:
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    values = record.get("values") if isinstance(record, dict) else None
    return values if isinstance(values, dict) else None


def stored_answers(folder) -> dict:
    """Every challenge answer stored in ``folder``, by id (for graders; lessons 1–6).

    >>> stored_answers("/nonexistent")
    {}
    """
    answers = {}
    for challenge_id in CHALLENGES:
        values = load_answer(challenge_id, folder)
        if values is not None:
            answers[challenge_id] = values
    return answers


@contextmanager
def answers_given(answers):
    """Within the block, :func:`load_answer` returns these answers instead of reading files.

    A grader that replays the checks in its own process (``nnkit-course grade``)
    hands over the answers read from the student's folder this way.

    >>> with answers_given({}):
    ...     print(load_answer("xor"))
    None
    """
    global _given_answers
    previous, _given_answers = _given_answers, dict(answers)
    try:
        yield
    finally:
        _given_answers = previous


def check_stored(challenge_id, folder=None) -> str:
    """The graded check: the stored answer passes, or :class:`CheckFailed` says why (lesson 1).

    Returns the tutor's message of a passing answer.

    >>> try:
    ...     check_stored("xor", "/nonexistent")
    ... except AssertionError as failure:
    ...     print(str(failure)[:39])
    No answer is stored for the challenge '
    """
    values = load_answer(challenge_id, folder)
    if values is None:
        raise NoAnswerStored(
            f"No answer is stored for the challenge {challenge_id!r} (looked for "
            f"{ANSWER_FOLDER}/{challenge_id}.json beside the notebook): solve it with the "
            "sliders above and press 'Check my answer', which stores the values.",
            call=f"check_stored({challenge_id!r})",
        ) from NotImplementedError("the challenge has not been answered yet")
    verdict = check_answer(challenge_id, values)
    if not verdict.passed:
        raise CheckFailed(f"The stored answer of {challenge_id!r} does not pass yet. "
                          f"{verdict.message}", call=f"check_stored({challenge_id!r})",
                          returned=values)
    return verdict.message


def _explorer_for(spec):
    from nnkit import widgets

    return getattr(widgets, spec.explorer)(**spec.start)


_BY_EXPLORER = {"NeuronExplorer": "neuron-switch", "SoftmaxExplorer": "softmax-temperature",
                "XorExplorer": "xor", "ForwardPassStepper": "forward-prediction",
                "ApproximationExplorer": "sin-hats", "ParameterCounter": "dtype-7b"}


def _challenge_for_explorer(explorer):
    name = type(explorer).__name__
    if name not in _BY_EXPLORER:
        raise ValueError(f"expected a challenge id, one of {sorted(CHALLENGES)}, or an explorer "
                         f"that has a challenge ({', '.join(_BY_EXPLORER)}); got {name}")
    return CHALLENGES[_BY_EXPLORER[name]]


def challenge(explorer_or_id, challenge_id=None, folder=None):
    """Show a challenge: its statement, the explorer, a Check button, a status line (lessons 1–6).

    ``explorer_or_id`` is a challenge id (a new explorer is made) or an explorer
    already on the page (its challenge is found by its kind, or named by
    ``challenge_id``). Pressing the button checks ``explorer.values()`` and stores
    them with :func:`save_answer`; ``view.check()`` does the same from code.

    >>> view = challenge("xor")
    >>> view.explorer.set(v2=-2.0).values()["v2"]
    -2.0
    """
    import ipywidgets as widgets

    if isinstance(explorer_or_id, str):
        spec = get_challenge(explorer_or_id)
        explorer = _explorer_for(spec)
    else:
        explorer = explorer_or_id
        spec = get_challenge(challenge_id) if challenge_id else _challenge_for_explorer(explorer)
    return ChallengeView(spec, explorer, folder, widgets)


class ChallengeView:
    """A challenge on the page; built by :func:`challenge`, shown as its ``box``."""

    def __init__(self, spec, explorer, folder, widgets):
        self.spec = spec
        self.explorer = explorer
        self.folder = folder
        self.statement = widgets.HTML(f"<b>Challenge ({spec.id}).</b> {spec.statement}")
        self.button = widgets.Button(description="Check my answer", button_style="primary",
                                     icon="check")
        self.status = widgets.HTML("Move the controls, then press <i>Check my answer</i>.")
        self.button.on_click(lambda _button: self.check())
        self.box = widgets.VBox([self.statement, explorer,
                                 widgets.HBox([self.button, self.status])])
        self.verdict = None

    def values(self):
        """The explorer's current values."""
        return self.explorer.values()

    def check(self) -> Verdict:
        """Check the explorer's values now, store them, show the verdict."""
        values = self.explorer.values()
        self.verdict = check_answer(self.spec.id, values)
        path = save_answer(self.spec.id, values, self.folder)
        colour = "#009E73" if self.verdict.passed else "#D55E00"
        self.status.value = (f"<span style='color:{colour}'>{self.verdict.message}</span> "
                             f"<small>(stored in {ANSWER_FOLDER}/{path.name})</small>")
        return self.verdict

    def _repr_mimebundle_(self, **kwargs):
        # the live widget; a static viewer gets the statement and the explorer's picture
        bundle = self.box._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = f"Challenge ({self.spec.id}): {self.spec.statement}"
            bundle["image/png"] = base64.b64encode(self.explorer.png()).decode("ascii")
        return bundle

    def __repr__(self):
        return f"ChallengeView({self.spec.id!r}, {self.explorer!r})"
