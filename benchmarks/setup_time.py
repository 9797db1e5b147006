"""How long a learner waits: from a fresh clone to lesson 1 served, with uv and with pip.

    python3 benchmarks/setup_time.py [--installers uv pip] [--repeat 3] [--json PATH]

(``make bench-setup`` runs it with the defaults.) Each round clones the
repository afresh and times ``python make.py lab`` from its start until the
server answers HTTP 200 for ``lessons/01-neuron.ipynb`` through the contents
API: creating ``.venv``, installing uv (for uv), installing the ``lab`` extra
and starting JupyterLab. Every round starts with an empty package cache of its
own (cold), then clones again and sets up with the cache the cold run filled
(warm); for uv a third clone sets up from that cache alone (``UV_OFFLINE=1``:
what a warm cache gives where nothing needs to be asked again). Packages come
from PyPI alone, as on a learner's computer: the machine's pip configuration
files are ignored (``PIP_CONFIG_FILE`` is the null device). The clones, caches
and servers are removed afterwards.

Standard library only, so that any Python 3.11 runs it; it needs git and PyPI.
Not a test: it takes minutes and the network's speed varies.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JSON = ROOT / "artifacts" / "setup-time.json"
LESSON = "lessons/01-neuron.ipynb"
TIMEOUT = 1200.0


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def learner_environment(cache):
    """This environment with its own package caches and pip's configuration files off."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("UV_") and key not in {"VIRTUAL_ENV", "PIP_CONFIG_FILE"}}
    env.update({"UV_CACHE_DIR": str(cache / "uv"), "PIP_CACHE_DIR": str(cache / "pip"),
                "PIP_CONFIG_FILE": os.devnull, "JUPYTER_RUNTIME_DIR": str(cache / "runtime")})
    return env


def time_to_lesson_one(clone, installer, env, log):
    """Seconds from ``python make.py lab`` to lesson 1 answering 200; the server is stopped."""
    port, token = _free_port(), secrets.token_hex(16)
    command = [sys.executable, "make.py", "lab", "--installer", installer, "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"]
    url = f"http://127.0.0.1:{port}/api/contents/{LESSON}?content=0"
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=clone, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            while not _answers(url, token):
                if process.poll() is not None or time.perf_counter() - started > TIMEOUT:
                    raise RuntimeError(f"no lesson 1 from {' '.join(command)}; see {log}")
                time.sleep(0.2)
            return time.perf_counter() - started
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def clone(source, destination):
    subprocess.run(["git", "clone", "--quiet", str(source), str(destination)], check=True)
    return destination


STATES = {"uv": ("cold", "warm", "cache only"), "pip": ("cold", "warm")}


def one_round(source, installer, scratch, number):
    """{state: seconds} for one installer, with a package cache of this round's own."""
    cache = scratch / f"cache-{installer}-{number}"
    seconds = {}
    for state in STATES[installer]:
        env = learner_environment(cache)
        if state == "cache only":
            env["UV_OFFLINE"] = "1"
        folder = clone(source, scratch / f"clone-{installer}-{number}-{state.replace(' ', '-')}")
        seconds[state] = time_to_lesson_one(folder, installer, env,
                                            scratch / f"{folder.name}.log")
        print(f"{installer}, {state}, round {number}: {seconds[state]:.1f} s", flush=True)
    return seconds


def versions():
    """Python, and the uv make.py installs."""
    uv = next(line.split('"')[1] for line in (ROOT / "make.py").read_text().splitlines()
              if line.startswith("UV = "))
    return {"python": platform.python_version(), "uv": uv}


def table(results):
    """The README's rows: median (min–max) seconds per installer and cache state."""
    lines = ["| fresh clone → lesson 1 served | cold cache | warm cache | warm cache only |",
             "|---|---|---|---|"]
    for installer, rounds in results.items():
        cells = []
        for state in STATES["uv"]:
            values = [one[state] for one in rounds if state in one]
            cells.append(f"{statistics.median(values):.0f} s ({min(values):.0f}–"
                         f"{max(values):.0f})" if values else "")
        lines.append(f"| `make lab` with {installer} | {' | '.join(cells)} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--installers", nargs="+", choices=("uv", "pip"), default=["uv", "pip"])
    parser.add_argument("--repeat", type=int, default=3, help="rounds per installer")
    parser.add_argument("--source", default=str(ROOT), help="the repository to clone")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    arguments = parser.parse_args(argv)
    results = {installer: [] for installer in arguments.installers}
    with tempfile.TemporaryDirectory(prefix="nnkit-setup-time-") as scratch:
        for number in range(1, arguments.repeat + 1):
            for installer in arguments.installers:  # alternating, as the network drifts
                results[installer].append(one_round(arguments.source, installer,
                                                    Path(scratch), number))
        print(table(results), flush=True)  # before the clones and caches are removed
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        arguments.json.write_text(json.dumps(
            {"versions": versions(), "cpus": os.cpu_count(), "load_average": os.getloadavg(),
             "seconds": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
