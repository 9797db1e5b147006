"""Fixtures shared by the library's tests."""

import os
import tempfile
import warnings

import numpy as np
import pytest

# Checks that pass record progress; tests (and the notebooks nbval runs) keep it out of $HOME.
os.environ.setdefault("NNKIT_PROGRESS", os.path.join(tempfile.mkdtemp(prefix="nnkit-progress-"),
                                                     "progress.json"))


@pytest.fixture
def rng():
    """A seeded random generator: the same numbers on every run."""
    return np.random.default_rng(12345)


@pytest.fixture(params=["float64", "float32"])
def float_dtype(request):
    """Each float type the library promises to keep, in turn."""
    return np.dtype(request.param)


@pytest.fixture
def warnings_as_errors():
    """Any warning raised inside the test fails it (for the stability promises)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
