"""Slider challenges: a task solved with an explorer, checked at once, graded later.

Each lesson ends with a challenge, defined in its exercise's spec
(:mod:`nnkit.tutor.exercises`): a goal ("make the 2-2-1 network compute
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

>>> verdict = check_answer("xor", {"W1[0,0]": 1.0, "W1[0,1]": -1.0, "b1[0]": 0.0,
...                                "W1[1,0]": -1.0, "W1[1,1]": 1.0, "b1[1]": 0.0,
...                                "W2[0,0]": 1.0, "W2[0,1]": 1.0, "b2[0]": 0.0})
>>> verdict.passed
True

Checking an answer imports neither matplotlib nor ipywidgets: a grader needs
only the stored numbers.
"""

from __future__ import annotations

import base64
import importlib
import json
import math
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nnkit.tutor.messages import CheckFailed

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
    """One slider challenge: what to do, with which explorer, and how it is checked.

    ``explorer`` names the explorer's factory as ``"module:function"``; it is
    imported only to show the challenge. ``start`` are the factory's
    arguments, ``checker`` turns the explorer's plain values into a
    :class:`Verdict`.
    """

    id: str
    statement: str
    explorer: str
    start: dict
    checker: object

    @property
    def lesson(self) -> int:
        """The lesson whose exercise holds this challenge.

        >>> get_challenge("xor").lesson
        3
        """
        return next(e.lesson for e in _exercises() if e.challenge is self)

    @property
    def explorer_name(self) -> str:
        """The factory's name, e.g. ``"xor_explorer"``."""
        return self.explorer.rpartition(":")[2]

    def check(self, values) -> Verdict:
        """Check the explorer's plain values; a missing control is a failed check."""
        try:
            return self.checker(_plain_values(values))
        except (KeyError, TypeError, ValueError, OverflowError) as problem:
            return Verdict(False, f"The stored values do not fit this challenge ({problem!r}); "
                                  f"use the {self.explorer_name} it shows and press Check "
                                  "again.")


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


def _exercises():
    from nnkit.tutor import exercises

    return exercises.all_exercises()


def all_challenges() -> dict[str, Challenge]:
    """Every exercise's challenge, by id, in teaching order.

    >>> list(all_challenges())[2]
    'xor'
    """
    return {e.challenge.id: e.challenge for e in _exercises() if e.challenge is not None}


def get_challenge(challenge_id) -> Challenge:
    """The challenge with this id; ValueError naming the known ids otherwise.

    >>> get_challenge("xor").explorer
    'nnkit.explore.layers:xor_explorer'
    """
    challenges = all_challenges()
    if challenge_id not in challenges:
        raise ValueError(f"expected a challenge id, one of {sorted(challenges)}; "
                         f"got {challenge_id!r}")
    return challenges[challenge_id]


def check_answer(challenge_id, values) -> Verdict:
    """Check plain values (an explorer's ``values()``) against a challenge.

    >>> check_answer("softmax-shift", {"z1": 2.0, "z2": 1.0, "z3": 0.1, "z4": -1.0,
    ...                                "temperature": 1.0}).passed
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
    ...     _ = save_answer("softmax-shift", {"temperature": 0.4}, folder)
    ...     load_answer("softmax-shift", folder)
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
    """Every challenge answer stored in ``folder``, by id (for graders).

    >>> stored_answers("/nonexistent")
    {}
    """
    answers = {}
    for challenge_id in all_challenges():
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
    module, _, factory = spec.explorer.partition(":")
    return getattr(importlib.import_module(module), factory)(**spec.start)


def _factory_name(explorer_class_name):
    """``XorExplorer`` → ``xor_explorer``: each explorer class has a factory of that name."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", explorer_class_name).lower()


def _challenge_for_explorer(explorer):
    factory = _factory_name(type(explorer).__name__)
    for spec in all_challenges().values():
        if spec.explorer_name == factory:
            return spec
    with_one = ", ".join(spec.explorer_name for spec in all_challenges().values())
    raise ValueError(f"expected a challenge id, one of {sorted(all_challenges())}, or an "
                     f"explorer that has a challenge ({with_one}); got {type(explorer).__name__}")


def challenge(explorer_or_id, challenge_id=None, folder=None):
    """Show a challenge: its statement, the explorer, a Check button, a status line.

    ``explorer_or_id`` is a challenge id (a new explorer is made) or an explorer
    already on the page (its challenge is found by its kind, or named by
    ``challenge_id``). Pressing the button checks ``explorer.values()`` and stores
    them with :func:`save_answer`; ``view.check()`` does the same from code.

    >>> view = challenge("xor")
    >>> view.explorer.set(**{"b1[1]": 0.0}).values()["b1[1]"]
    0.0
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
        from nnkit.tutor.check_button import CheckButton

        self.spec = spec
        self.explorer = explorer
        self.folder = folder
        self.statement = widgets.HTML(f"<b>Challenge ({spec.id}).</b> {spec.statement}")
        self.button = CheckButton(explorer.controls)
        self.status = widgets.HTML("Move the controls, then press <i>Check my answer</i>.")
        self.button.on_click(self._check_as_shown)
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

    def _check_as_shown(self, values):
        # a slider's newest value may still be on its way from the browser: take the
        # click's, which is what the learner sees, so the check is of that
        from nnkit.explore.ahead import same_state

        current = self.explorer.values()
        moved = {name: value for name, value in values.items()
                 if not same_state([value], [current[name]])}
        if moved:
            self.explorer.set(**moved)
        return self.check()

    def _repr_mimebundle_(self, **kwargs):
        # the live widget; a static viewer gets the statement and the explorer's picture
        bundle = self.box._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = f"Challenge ({self.spec.id}): {self.spec.statement}"
            bundle["image/png"] = base64.b64encode(self.explorer.png()).decode("ascii")
        return bundle

    def __repr__(self):
        return f"ChallengeView({self.spec.id!r}, {self.explorer!r})"
