"""Notebooks already handed out keep working: the import paths they use still import.

Before the package was laid out around the lessons, exercise notebooks
imported the tutor from ``nnkit.checking``, ``nnkit.challenges`` and
``nnkit.variants``, and lessons drew with ``nnkit.plotting`` and
``nnkit.widgets``. Those names now lead to the modules' new places.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

# Every import line of the exercise notebooks as they were handed out.
HANDED_OUT = [
    "from nnkit import relu, sigmoid, softmax, step",
    "from nnkit.challenges import challenge",
    "from nnkit.challenges import check_stored",
    "from nnkit.checking import check_approximation",
    "from nnkit.checking import check_collapse",
    "from nnkit.checking import check_count",
    "from nnkit.checking import check_forward_trace",
    "from nnkit.checking import check_function",
    "from nnkit.checking import check_gate",
    "from nnkit.checking import check_predict",
    "from nnkit.checking import check_raises",
    "from nnkit.checking import check_stable",
    "from nnkit.checking import check_xor_network",
    "from nnkit.variants import for_student",
]


@pytest.mark.parametrize("line", HANDED_OUT)
def test_an_import_of_a_handed_out_notebook_still_works(line):
    subprocess.run([sys.executable, "-c", line], check=True, capture_output=True)


def test_the_old_names_give_the_new_functions():
    from nnkit.challenges import check_stored
    from nnkit.checking import check_function, check_gate
    from nnkit.variants import for_student

    from nnkit.tutor.challenges import check_stored as new_check_stored
    from nnkit.tutor.checks import check_function as new_check_function
    from nnkit.tutor.exercises.e01_neuron import check_gate as new_check_gate
    from nnkit.tutor.variants import for_student as new_for_student

    assert check_function is new_check_function and check_gate is new_check_gate
    assert check_stored is new_check_stored and for_student is new_for_student


def test_an_old_check_still_checks():
    from nnkit.checking import CheckFailed, check_function

    check_function("relu", lambda z: np.maximum(z, 0.0), ([-1.0, 2.0],))
    with pytest.raises(CheckFailed, match="absolute value"):
        check_function("relu", np.abs, ([-1.0, 2.0],))


def test_the_start_pages_progress_call_and_the_old_drawing_modules():
    import nnkit
    from nnkit.explore.approximation import plot_approximation
    from nnkit.explore.neuron import neuron_explorer

    assert "graded functions passed" in str(nnkit.progress())
    assert callable(nnkit.progress.widget)
    assert nnkit.plotting.plot_approximation is plot_approximation
    assert nnkit.widgets.neuron_explorer is neuron_explorer


def test_import_nnkit_does_not_load_the_tutor_or_the_explorers():
    code = ("import sys, nnkit; "
            "print(sorted(m for m in sys.modules if m.startswith(('nnkit.tutor', "
            "'nnkit.explore', 'nnkit.checking'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_an_unknown_name_is_still_an_attribute_error():
    import nnkit

    with pytest.raises(AttributeError, match="no attribute 'checkin'"):
        nnkit.checkin  # noqa: B018
