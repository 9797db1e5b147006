"""The benchmark code runs (smoke mode) and its helpers can tell right from wrong."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import ROW_KEYS, check_same, compare, row, seconds_text  # noqa: E402
from benchmarks.run import areas, format_table  # noqa: E402


def test_smoke_run_of_forward_startup_and_notebooks(tmp_path):
    output = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--smoke", "--json", str(output),
         "--only", "forward", "startup", "notebooks", "--threads", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(output.read_text())
    assert report["smoke"] is True and report["machine"]["blas_threads"] == 1
    rows = report["rows"]
    assert {r["area"] for r in rows} == {"forward", "startup", "notebooks"}
    assert all(set(r) == set(ROW_KEYS) for r in rows)
    ratios = [r for r in rows if r["ratio"] is not None]
    assert ratios and all(r["ratio"] > 0 and r["median_s"] > 0 for r in ratios)
    variants = {r["variant"] for r in rows if r["area"] == "forward"}
    assert {"bare NumPy", "nnkit / bare NumPy", "GFLOP/s"} <= variants
    assert "nnkit / bare NumPy" in result.stdout  # the printed table


def test_every_area_has_a_run_function():
    assert {"forward", "startup", "notebooks"} <= set(areas())
    for area in areas():
        assert callable(importlib.import_module(f"benchmarks.bench_{area}").run)


def test_check_same_refuses_a_fast_wrong_answer():
    check_same({"a": [1.0, 2.0], "b": np.array([1.0, 2.0 + 1e-12])}, rtol=1e-9)
    with pytest.raises(AssertionError, match="b differs from a"):
        check_same({"a": [1.0, 2.0], "b": [1.0, 2.1]}, rtol=1e-3)
    with pytest.raises(AssertionError, match="shapes"):
        check_same({"a": [1.0, 2.0], "b": [[1.0, 2.0]]}, rtol=1e-3)


def test_compare_times_every_variant():
    calls = {"fast": 0, "slow": 0}

    def fast():
        calls["fast"] += 1

    def slow():
        calls["slow"] += 1
        sum(range(2000))

    medians = compare({"fast": fast, "slow": slow}, rounds=3, seconds=0.001)
    assert set(medians) == {"fast", "slow"}
    assert all(m > 0 for m in medians.values())
    assert calls["fast"] >= 4 and calls["slow"] >= 4  # calibration + three rounds


def test_row_meets_its_target_when_the_ratio_is_at_most_the_target():
    assert row("a", "n", "v", 1.0, 1.05, 1.05)["meets_target"] is True
    assert row("a", "n", "v", 1.0, 1.06, 1.05)["meets_target"] is False
    assert row("a", "n", "v", 1.0)["meets_target"] is None


def test_table_and_durations_read_well():
    table = format_table([row("forward", "net", "nnkit / bare NumPy", 2.5e-5, 1.02, 1.05)])
    assert "25 µs" in table and "1.02" in table and "≤ 1.05" in table and "yes" in table
    assert [seconds_text(s) for s in (2.0, 0.0123, 4e-9)] == ["2 s", "12.3 ms", "4 ns"]


def test_widget_benchmark_smoke_run_measures_every_explorer():
    from benchmarks import bench_widgets
    from nnkit.explore import all_explorers

    rows = bench_widgets.run(smoke=True)
    measured = {r["name"].split(":")[0] for r in rows}
    assert measured == set(all_explorers()) and len(measured) >= 7
    ratios = [r for r in rows if r["variant"] == "nnkit in place / naive"]
    assert len(ratios) == len(all_explorers())
    assert all(r["ratio"] > 0 and r["median_s"] > 0 for r in ratios)


def test_browser_latency_smoke_run_moves_every_control_of_every_explorer(tmp_path):
    """Two inputs per control in chromium through JupyterLab: the code runs (times mean nothing)."""
    from benchmarks import browser_latency
    from tests.browser.conftest import CHROMIUM

    if not CHROMIUM.exists():
        reason = f"no chromium at {CHROMIUM} (install the Debian package `chromium`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the browser benchmark's smoke mode")
        pytest.skip(reason)
    output = tmp_path / "latency.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.browser_latency", "--smoke", "--json", str(output)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    report = json.loads(output.read_text())
    expected = {(name, control.name) for name, factory in browser_latency.factories().items()
                for control in browser_latency.controls_of(factory())}
    assert {(r["explorer"], r["control"]) for r in report["results"]} == expected
    assert all(r["n"] == 2 and min(r["times_ms"]) > 0 for r in report["results"])
    assert {row["explorer"] for row in report["explorers"]} == set(browser_latency.factories())
    assert "| neuron_explorer |" in result.stdout  # the README's table
