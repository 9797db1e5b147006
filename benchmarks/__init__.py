"""Benchmarks behind the README's performance table.

Each ``benchmarks/bench_<area>.py`` has ``run(smoke: bool) -> list[dict]``;
``python -m benchmarks.run`` runs them all, prints one table and writes it as
JSON. The helpers here keep every area honest in the same way:

- ``check_same`` first: every variant must give the same numbers (within float
  tolerance) before it is timed, so a fast wrong answer is never reported;
- ``compare`` times the variants *alternately*, round after round, and quotes
  the median, because the machine is shared and its speed drifts;
- ``row`` builds one table row; targets are ratios, ``meets_target`` is
  ``ratio <= target``.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import numpy as np

ROW_KEYS = ("area", "name", "variant", "median_s", "ratio", "target", "meets_target", "note")


def row(area, name, variant, median_s, ratio=None, target=None, note="") -> dict:
    """One row of the table; ``meets_target`` is ``None`` when there is no target."""
    meets = None if ratio is None or target is None else bool(ratio <= target)
    return {
        "area": area,
        "name": name,
        "variant": variant,
        "median_s": None if median_s is None else float(median_s),
        "ratio": None if ratio is None else float(ratio),
        "target": None if target is None else float(target),
        "meets_target": meets,
        "note": note,
    }


def check_same(results: dict[str, object], rtol: float, atol: float = 0.0) -> None:
    """Raise ``AssertionError`` unless every variant's result equals the first one's.

    Results are compared as float arrays (shape and values, NaN counts as equal).
    """
    (reference_name, reference), *others = results.items()
    expected = np.asarray(reference, dtype=float)
    for name, result in others:
        got = np.asarray(result, dtype=float)
        if got.shape != expected.shape or not np.allclose(
            got, expected, rtol=rtol, atol=atol, equal_nan=True
        ):
            worst = np.max(np.abs(got - expected)) if got.shape == expected.shape else "n/a"
            raise AssertionError(
                f"{name} differs from {reference_name}: shapes {got.shape} and "
                f"{expected.shape}, largest difference {worst} (rtol={rtol}, atol={atol})"
            )


def calls_per_round(function: Callable[[], object], seconds: float) -> int:
    """How many calls of ``function`` take about ``seconds`` (at least one)."""
    start = time.perf_counter()
    function()
    once = max(time.perf_counter() - start, 1e-7)
    return max(1, int(seconds / once))


def compare(variants: dict[str, Callable[[], object]], rounds: int, seconds: float = 0.02):
    """Median seconds per call of each variant, timed alternately.

    Each round times every variant once (``number`` calls in a row, ``number``
    fixed per variant so that one timing lasts about ``seconds``); the order
    rotates from round to round so that no variant always runs first after
    another. Returns ``{name: median seconds per call}``.
    """
    names = list(variants)
    number = {name: calls_per_round(variants[name], seconds) for name in names}
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            function, n = variants[name], number[name]
            start = time.perf_counter()
            for _ in range(n):
                function()
            times[name].append((time.perf_counter() - start) / n)
    return {name: statistics.median(values) for name, values in times.items()}


def blas_threads() -> int:
    """The number of threads NumPy's BLAS uses (from the usual variables, else all cores)."""
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        value = os.environ.get(variable, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return os.cpu_count() or 1


def seconds_text(seconds) -> str:
    """``1.2e-05`` → ``"12.0 µs"``: a duration in the unit that reads best."""
    if seconds is None:
        return ""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"
