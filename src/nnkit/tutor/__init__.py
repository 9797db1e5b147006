"""The exercises' tutor: checks that explain a wrong answer, challenges, progress, variants.

Built on :mod:`nnkit` and :mod:`nnkit.explore`, never imported by them. A
test cell of an exercise starts with ``from nnkit.tutor import check_function``;
checks special to one exercise come from its spec
(``from nnkit.tutor.exercises.e01_neuron import check_gate``).

>>> from nnkit.tutor import check_function
>>> check_function("relu", lambda z: [max(0.0, v) for v in z], ([-1.0, 2.0],)).tolist()
[0.0, 2.0]
"""

from nnkit.tutor import exercises
from nnkit.tutor.checks import (
    check_count,
    check_function,
    check_no_warnings,
    check_raises,
    check_stable,
)
from nnkit.tutor.messages import CheckFailed

# Every spec is imported now, with the checks: NumPy's functions are bound
# before any learner code that might replace them runs.
exercises.all_exercises()
