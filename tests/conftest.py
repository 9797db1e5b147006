"""Fixtures shared by the library's tests."""

import warnings

import numpy as np
import pytest


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
