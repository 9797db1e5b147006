# The commands the README names. Each one sets up what it needs first, so that
# on a fresh clone `make lab` or `make test` is all it takes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST := $(BIN)/python -m pytest
# JupyterLab refuses to run as root unless told that it is meant.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test test-library test-lessons test-solutions system-deps bench bench-smoke clean

lab: $(STAMP)  ## start JupyterLab on lesson 1
	$(BIN)/jupyter lab lessons/01-neuron.ipynb $(ROOT_FLAG) \
		--LabApp.news_url=None \
		--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

test: $(STAMP) test-library test-lessons test-solutions  ## run every test

test-library: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(PYTEST) -n 2 --dist loadscope --cov=nnkit --cov-report=term:skip-covered

test-lessons: $(STAMP)
	$(PYTEST) -n 2 --dist loadscope --nbval lessons \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -o addopts=

test-solutions: $(STAMP)
	$(PYTEST) -n 2 --dist loadscope --nbval-lax solutions -o addopts=

# System packages the browser, sandbox and JupyterHub tests use (chromium,
# bubblewrap, JupyterHub's proxy, acl's setfacl for the hub test's users);
# the tests skip with a clear reason without them. Needs root, as in CI.
system-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		chromium bubblewrap acl >/dev/null
	command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
	command -v configurable-http-proxy >/dev/null || \
		npm install --global --silent configurable-http-proxy >/dev/null

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The README's benchmark table (a few minutes; PyTorch rows need the bench extra).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]' || echo "without torch: its rows are skipped"
	$(BIN)/python -m benchmarks.run

# Every benchmark once, in seconds: the code still runs.
bench-smoke: $(STAMP)
	$(BIN)/python -m benchmarks.run --smoke --json artifacts/benchmarks-smoke.json

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache .hypothesis
