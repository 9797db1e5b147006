"""Run the benchmarks, print one table, write it as JSON.

    python -m benchmarks.run [--smoke] [--only AREA ...] [--json PATH] [--threads N]

Each ``benchmarks/bench_<area>.py`` provides ``run(smoke) -> list[dict]``.
``--smoke`` runs every area in seconds (for the test suite: the code must not
rot); the full run is what the README's table comes from. Targets are ratios
(this machine is shared, so absolute times drift); a row meets its target when
``ratio <= target``. An area that fails gives a row saying why, and the command
exits with status 1.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

from benchmarks import ROW_KEYS, blas_threads, row, seconds_text

HERE = Path(__file__).resolve().parent
DEFAULT_JSON = HERE.parent / "artifacts" / "benchmarks.json"


def areas() -> list[str]:
    """Every ``bench_<area>.py`` next to this file, in alphabetical order."""
    return sorted(path.stem.removeprefix("bench_") for path in HERE.glob("bench_*.py"))


def run_area(area: str, smoke: bool) -> tuple[list[dict], bool]:
    """The rows of one area and whether it ran without an error."""
    try:
        module = importlib.import_module(f"benchmarks.bench_{area}")
        rows = module.run(smoke)
    except Exception as error:  # one broken area must not hide the others' results
        traceback.print_exc()
        note = f"{type(error).__name__}: {error}"
        return [row(area, "(area failed)", "", None, note=note)], False
    for item in rows:
        missing = set(ROW_KEYS) - set(item)
        if missing:
            raise ValueError(f"bench_{area} gave a row without {sorted(missing)}: {item}")
    return rows, True


def machine() -> dict:
    """What the numbers were measured on."""
    import numpy as np

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "blas_threads": blas_threads(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(),
    }
    try:
        import torch

        info["torch"] = torch.__version__
    except ImportError:
        info["torch"] = None
    return info


def format_table(rows: list[dict]) -> str:
    """The rows as an aligned text table."""
    header = ("area", "name", "variant", "median", "ratio", "target", "ok", "note")
    lines = [header]
    for item in rows:
        ok = {True: "yes", False: "NO", None: ""}[item["meets_target"]]
        lines.append((
            item["area"], item["name"], item["variant"], seconds_text(item["median_s"]),
            "" if item["ratio"] is None else f"{item['ratio']:.2f}",
            "" if item["target"] is None else f"≤ {item['target']:.2f}",
            ok, item["note"],
        ))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join(f"{cell!s:<{width}}" for cell, width in zip(line, widths, strict=False))
        + "  " + str(line[-1])
        for line in lines
    )


def _rerun_with_threads(threads: int, argv: list[str]) -> int:
    """Run again in a fresh process whose BLAS uses ``threads`` threads.

    BLAS libraries read their thread count once, when NumPy is imported, so the
    variables must be set before that: in a new process.
    """
    env = dict(os.environ)
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[variable] = str(threads)
    command = [sys.executable, "-m", "benchmarks.run", *argv]
    return subprocess.call(command, env=env, cwd=HERE.parent)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--smoke", action="store_true", help="run every area in seconds")
    parser.add_argument("--only", nargs="+", metavar="AREA", choices=areas(),
                        help=f"run only these areas ({', '.join(areas())})")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, metavar="PATH",
                        help=f"where to write the table (default {DEFAULT_JSON})")
    parser.add_argument("--threads", type=int, metavar="N",
                        help="BLAS and PyTorch threads (default: all cores); on a busy shared "
                        "machine 1 gives steadier numbers")
    args = parser.parse_args(argv)
    if args.threads and blas_threads() != args.threads:
        return _rerun_with_threads(args.threads, sys.argv[1:] if argv is None else argv)

    start = time.perf_counter()
    rows, all_ran = [], True
    for area in args.only or areas():
        print(f"running {area} ...", file=sys.stderr, flush=True)
        area_rows, ran = run_area(area, args.smoke)
        rows.extend(area_rows)
        all_ran &= ran
    elapsed = time.perf_counter() - start

    print(format_table(rows))
    missed = [r for r in rows if r["meets_target"] is False]
    print(f"\n{len(rows)} rows in {elapsed:.0f} s; {len(missed)} miss their target.")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {"smoke": args.smoke, "seconds": elapsed, "machine": machine(), "rows": rows}
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {args.json}")
    return 0 if all_ran else 1


if __name__ == "__main__":
    sys.exit(main())
