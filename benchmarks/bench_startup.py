"""Start-up: how long ``import nnkit`` takes next to ``import numpy``.

Each import runs in a fresh Python process (nothing cached in memory), the two
alternating, and the time of the ``import`` statement itself is measured inside
the process. ``import nnkit`` includes NumPy, so the ratio shows what nnkit
adds on top. Before timing, the child process also checks that ``import nnkit``
pulled in neither matplotlib nor ipywidgets.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

from benchmarks import row

AREA = "startup"
TARGET = 1.2
HEAVY = ("matplotlib", "ipywidgets", "IPython", "torch")

_CHILD = """
import json, sys, time
start = time.perf_counter()
import {module}
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def time_import(module: str) -> tuple[float, list[str]]:
    """Seconds to import ``module`` in a fresh interpreter, and heavy modules it loaded."""
    code = _CHILD.format(module=module, heavy=HEAVY)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report["seconds"], report["heavy"]


def run(smoke: bool) -> list[dict]:
    rounds = 2 if smoke else 15
    _, heavy = time_import("nnkit")
    if heavy:
        raise AssertionError(f"import nnkit also imported {', '.join(heavy)}")
    times: dict[str, list[float]] = {"numpy": [], "nnkit": []}
    for round_number in range(rounds):
        order = ["numpy", "nnkit"] if round_number % 2 == 0 else ["nnkit", "numpy"]
        for module in order:
            times[module].append(time_import(module)[0])
    numpy_s = statistics.median(times["numpy"])
    nnkit_s = statistics.median(times["nnkit"])
    return [
        row(AREA, "import in a fresh process", "import numpy", numpy_s),
        row(AREA, "import in a fresh process", "import nnkit / import numpy", nnkit_s,
            nnkit_s / numpy_s, TARGET, note="nnkit imports NumPy only"),
    ]
