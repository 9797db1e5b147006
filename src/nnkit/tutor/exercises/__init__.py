"""The course's exercises: one spec module each, and the registry that finds them.

Everything that belongs to one exercise lives in its spec,
``nnkit/tutor/exercises/eNN_<name>.py``: the assignment id, the graded
functions and their reference answers, tolerances, checks special to it,
its known mistakes and hints, and its slider challenge. The spec defines
``EXERCISE``, an :class:`Exercise`. Everything else that lists exercises
(the course's assignments, the mistakes in ``docs/checks.md``, the
challenges, progress, the grading sandbox, the tests) asks this registry,
so adding an exercise means adding its spec file.

>>> [exercise.id for exercise in all_exercises()][:2]
['01-neuron', '02-activations']
>>> owner_of("softmax").id
'02-activations'
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping

SPEC_NAME = re.compile(r"^e(\d\d)_\w+$")
"""Spec modules are named ``e`` + the lesson number + ``_`` + a name: ``e01_neuron``."""

__all__ = [
    "ASSIGNMENTS",
    "ASSIGNMENT_IDS",
    "SPEC_NAME",
    "Exercise",
    "all_exercises",
    "find",
    "owner_of",
    "reference_for",
    "spec_modules",
]


@dataclasses.dataclass(frozen=True)
class Exercise:
    """One exercise, as its spec describes it.

    ``graded`` maps each graded function's name, in the notebook's order, to
    its reference answer (``None`` when a property is checked instead, such as
    "computes XOR"). ``mistakes`` is a
    :class:`~nnkit.tutor.misconceptions.Misconceptions` list, ``hints`` the
    general hint per function, ``tolerances`` the ones that differ from the
    default, ``challenge`` the lesson's slider challenge, ``module`` the spec's
    module name (filled in by the registry).
    """

    id: str
    title: str
    graded: Mapping[str, Callable | None]
    mistakes: object
    hints: Mapping[str, str]
    tolerances: Mapping[str, object] = dataclasses.field(default_factory=dict)
    challenge: object = None
    module: str = ""

    @property
    def lesson(self) -> int:
        """The lesson this exercise belongs to: the number its id starts with.

        >>> find("03-layers").lesson
        3
        """
        return int(self.id[:2])


def spec_modules() -> list[str]:
    """The names of the spec modules in this package, in lesson order.

    >>> spec_modules()[0]
    'nnkit.tutor.exercises.e01_neuron'
    """
    names = [info.name for info in pkgutil.iter_modules(__path__) if SPEC_NAME.match(info.name)]
    return [f"{__name__}.{name}" for name in sorted(names)]


@functools.cache
def all_exercises() -> tuple[Exercise, ...]:
    """Every exercise, in teaching order (each spec module is imported once)."""
    exercises = [dataclasses.replace(importlib.import_module(name).EXERCISE, module=name)
                 for name in spec_modules()]
    ids = [exercise.id for exercise in exercises]
    if len(set(ids)) != len(ids):
        raise ValueError(f"two exercise specs share an id: {ids}")
    return tuple(exercises)


def find(assignment_id: str) -> Exercise:
    """The exercise with this assignment id; ``ValueError`` naming the known ids otherwise.

    >>> find("06-parameter-counting").graded["mlp_params"]([2, 1])
    3
    """
    for exercise in all_exercises():
        if exercise.id == assignment_id:
            return exercise
    known = ", ".join(exercise.id for exercise in all_exercises())
    raise ValueError(f"expected an assignment id, one of {known}; got {assignment_id!r}")


def owner_of(function_name: str) -> Exercise | None:
    """The exercise that grades ``function_name``, or ``None``.

    >>> owner_of("xor_network").id, owner_of("print")
    ('03-layers', None)
    """
    for exercise in all_exercises():
        if function_name in exercise.graded:
            return exercise
    return None


def reference_for(function_name: str) -> Callable | None:
    """The answer key's version of a graded function, or ``None`` when it has none.

    >>> reference_for("relu")([-1.0, 2.0]).tolist()
    [0.0, 2.0]
    """
    owner = owner_of(function_name)
    return owner.graded[function_name] if owner is not None else None


def __getattr__(name):
    # computed on first use, so that importing the package does not import every spec
    if name == "ASSIGNMENTS":
        return {exercise.id: tuple(exercise.graded) for exercise in all_exercises()}
    if name == "ASSIGNMENT_IDS":
        return tuple(exercise.id for exercise in all_exercises())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
