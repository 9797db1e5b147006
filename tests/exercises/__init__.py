"""Test data of each exercise, one module per spec of ``nnkit.tutor.exercises``.

``tests/exercises/e01_neuron.py`` holds, for the spec of the same name, a failing
check per recognised mistake (``MISTAKES``), wrong answers to the notebook and
what they lose (``WRONG_ANSWERS``), correct answers written another way
(``OTHER_CORRECT_ANSWERS``) and a second way to solve the challenge
(``CHALLENGE_ANSWER``). The tests loop over the registry of exercises and read
the module named after each spec; ``generic.py`` holds the mistakes of any function.
"""

from __future__ import annotations

import importlib


def for_exercise(exercise):
    """The test data module of an exercise (named after its spec module)."""
    return importlib.import_module(f"{__name__}.{exercise.module.rpartition('.')[2]}")
