"""Per-student variants: each student's exercise tests use their own numbers.

The graded functions are general (``weighted_sum`` works for any ``x``), so a
correct function passes every variant. What a variant defeats is copying
*answers*: numbers printed in someone else's notebook, or a table of the
default tests' inputs and outputs. The hidden tests draw their random inputs
from a generator seeded by a stable hash of the student's id and the
assignment, and the first exercise's worked example is drawn the same way;
the expected values are always computed by nnkit's reference functions.

Where the id comes from, first found wins:

1. ``student_id`` given to :func:`for_student`;
2. ``NNKIT_STUDENT_ID`` (set by ``nnkit-course grade`` for each student folder;
   a learner may set it too, e.g. ``%env NNKIT_STUDENT_ID=alice``);
3. while ``nbgrader autograde`` runs: the student folder of
   ``autograded/<student>/<assignment>/``;
4. ``JUPYTERHUB_USER`` (on the course's JupyterHub);
5. none: the default variant, the numbers printed in the released exercises.

Introduced with the exercises; ``docs/variants.md`` explains it.

>>> for_student("01-neuron").is_default
True
>>> v = for_student("01-neuron", "alice")
>>> v.student, v.is_default, v.seed == for_student("01-neuron", "alice").seed
('alice', False, True)
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnkit.tutor import exercises

ID_VARIABLE = "NNKIT_STUDENT_ID"

_DEFAULT_NEURON_EXAMPLE = ([2.0, 3.0, -1.0], [0.5, -0.2, 0.8], 0.1)


def _autograded_student() -> str | None:
    if os.environ.get("NBGRADER_EXECUTION") != "autograde":
        return None
    here = Path.cwd()
    if here.parent.parent.name in ("autograded", "submitted"):
        return here.parent.name
    return None


def student_id(given: str | None = None) -> str | None:
    """The student id the variant is drawn for, or None for the default (exercises).

    >>> student_id("bob")
    'bob'
    """
    for candidate in (given, os.environ.get(ID_VARIABLE), _autograded_student(),
                      os.environ.get("JUPYTERHUB_USER")):
        if candidate is not None and str(candidate).strip():
            return str(candidate).strip()
    return None


def seed_for(assignment: str, student: str) -> int:
    """A stable 63-bit seed from the assignment and the student id (same on every machine).

    >>> seed_for("01-neuron", "alice") == seed_for("01-neuron", "alice")
    True
    >>> seed_for("01-neuron", "alice") == seed_for("02-activations", "alice")
    False
    """
    digest = hashlib.sha256(f"nnkit:{assignment}:{student}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@dataclass(frozen=True)
class Variant:
    """One student's numbers for one assignment.

    ``rng(stream)`` is the generator a hidden test draws from: for the default
    variant exactly ``np.random.default_rng(stream)``, otherwise seeded by the
    student's seed as well.
    """

    assignment: str
    student: str | None
    seed: int | None

    @property
    def is_default(self) -> bool:
        """True when no student id was found (the released exercise's numbers)."""
        return self.student is None

    def rng(self, stream: int) -> np.random.Generator:
        """The generator of test ``stream`` (each test cell uses its own number).

        >>> float(for_student("01-neuron").rng(101).normal()) == \\
        ...     float(np.random.default_rng(101).normal())
        True
        """
        if self.seed is None:
            return np.random.default_rng(stream)
        return np.random.default_rng([stream, self.seed])

    def neuron_example(self) -> tuple[list[float], list[float], float]:
        """The worked example ``(x, w, b)`` of exercise 1 (lesson 1's is the default).

        >>> for_student("01-neuron").neuron_example()
        ([2.0, 3.0, -1.0], [0.5, -0.2, 0.8], 0.1)
        >>> x, w, b = for_student("01-neuron", "alice").neuron_example()
        >>> len(x) == len(w) == 3
        True
        """
        if self.seed is None:
            x, w, b = _DEFAULT_NEURON_EXAMPLE
            return list(x), list(w), b
        rng = self.rng(0)
        x = rng.integers(-4, 5, size=3).astype(float)
        w = np.round(rng.uniform(-1.0, 1.0, size=3), 1) + 0.0  # + 0.0: no "-0.0" shown
        b = float(np.round(rng.uniform(-1.0, 1.0), 1)) + 0.0
        return x.tolist(), w.tolist(), b


def for_student(assignment: str, student_id: str | None = None) -> Variant:
    """The variant of ``assignment`` for ``student_id`` (or the id found, see the module).

    >>> for_student("03-layers", "carol").assignment
    '03-layers'
    >>> try:
    ...     for_student("07-transformers")
    ... except ValueError as e:
    ...     print(str(e)[:48])
    expected an assignment id such as '01-neuron', g
    """
    if assignment not in exercises.ASSIGNMENT_IDS:
        raise ValueError(f"expected an assignment id such as '01-neuron', got {assignment!r}; "
                         f"known: {', '.join(exercises.ASSIGNMENT_IDS)}")
    student = _resolve(student_id)
    seed = None if student is None else seed_for(assignment, student)
    return Variant(assignment, student, seed)


_resolve = student_id
