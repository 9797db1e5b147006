# The commands the README names. Each one sets up what it needs first, so that
# on a fresh clone `make lab` or `make test` is all it takes. The set-up and
# the commands themselves live in make.py, which also runs without make
# (`python make.py lab`, `python make.py test`), e.g. on Windows.

PYTHON ?= python3
MAKE_PY := $(PYTHON) make.py
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: lab test test-library test-lessons test-solutions install lock system-deps \
	bench bench-smoke bench-setup bench-browser clean $(STAMP)

lab:  ## install the lab extra, open lesson 1 in the learner's JupyterLab
	$(MAKE_PY) lab

test:  ## install the test extra, run every test
	$(MAKE_PY) test

test-library test-lessons test-solutions:
	$(MAKE_PY) test $(@:test-%=%)

# The test extra installed (make.py installs again only when the pins change).
install $(STAMP):
	$(MAKE_PY) install test

# Pin the extras' versions again after editing pyproject.toml (needs PyPI).
lock:
	$(MAKE_PY) lock

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

# The README's benchmark table (a few minutes; PyTorch rows need the bench extra).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]' || echo "without torch: its rows are skipped"
	$(BIN)/python -m benchmarks.run

# Every benchmark once, in seconds: the code still runs.
bench-smoke: $(STAMP)
	$(BIN)/python -m benchmarks.run --smoke --json artifacts/benchmarks-smoke.json

# Fresh clone to lesson 1 served, with uv and with pip, cold and warm (minutes; PyPI).
bench-setup:
	$(PYTHON) benchmarks/setup_time.py

# Key press to new picture on screen, every control of every explorer, in
# chromium through JupyterLab (about ten minutes; needs chromium).
bench-browser: $(STAMP)
	$(BIN)/python -m benchmarks.browser_latency

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache .hypothesis
