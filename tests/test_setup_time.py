"""benchmarks/setup_time.py: the environment it sets up in and the rows it writes.

The benchmark itself takes minutes and PyPI (``make bench-setup``); these
tests check its parts that need neither.
"""

import os
from pathlib import Path

from benchmarks import setup_time


def test_packages_come_from_pypi_alone_with_caches_of_the_rounds_own(monkeypatch, tmp_path):
    monkeypatch.setenv("UV_INDEX_URL", "https://mirror.invalid/simple")
    monkeypatch.setenv("PIP_CONFIG_FILE", "/etc/pip.conf")
    monkeypatch.setenv("VIRTUAL_ENV", "/somewhere/.venv")
    env = setup_time.learner_environment(tmp_path)
    assert env["PIP_CONFIG_FILE"] == os.devnull
    assert env["UV_CACHE_DIR"] == str(tmp_path / "uv")
    assert env["PIP_CACHE_DIR"] == str(tmp_path / "pip")
    assert "UV_INDEX_URL" not in env and "VIRTUAL_ENV" not in env


def test_the_table_gives_median_and_range_per_installer_and_cache():
    rounds = {
        "uv": [{"cold": 14.2, "warm": 10.7, "cache only": 10.3},
               {"cold": 17.4, "warm": 16.5, "cache only": 17.4},
               {"cold": 26.3, "warm": 27.2, "cache only": 15.4}],
        "pip": [{"cold": 44.7, "warm": 65.2}, {"cold": 96.0, "warm": 153.6},
                {"cold": 98.8, "warm": 133.0}],
    }
    assert setup_time.table(rounds).splitlines()[2:] == [
        "| `make lab` with uv | 17 s (14–26) | 16 s (11–27) | 15 s (10–17) |",
        "| `make lab` with pip | 96 s (45–99) | 133 s (65–154) |  |",
    ]


def test_the_readme_quotes_the_table():
    readme = (Path(setup_time.ROOT) / "README.md").read_text(encoding="utf-8")
    assert "python3 benchmarks/setup_time.py" in readme
    assert "| fresh clone → lesson 1 served | cold cache | warm cache | warm cache only |" in readme
