"""The README's promises: two commands first, both real, and CI runs the test one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def first_code_block(text):
    return re.search(r"```(?:bash)?\n(.*?)```", text, re.S).group(1)


def commands(block):
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def makefile_targets():
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][\w-]*):", text, re.M))


def test_the_first_code_block_is_the_two_commands():
    assert commands(first_code_block(README)) == ["make lab", "make test"]


def test_both_commands_are_makefile_targets_that_set_themselves_up():
    targets = makefile_targets()
    assert {"lab", "test"} <= targets
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test"):
        prerequisites = re.search(rf"^{target}:([^\n#]*)", makefile, re.M).group(1)
        assert "$(STAMP)" in prerequisites, f"make {target} does not install first"


def test_ci_runs_the_readme_test_command_and_only_readme_commands():
    ci = [line for line in (ROOT / ".ci/run").read_text().splitlines()
          if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert ci[-1] == "make test"
    for line in ci:
        assert line in README, f".ci/run runs `{line}`, which the README does not name"


def test_binder_badge_opens_lesson_one_in_jupyterlab():
    badge = re.search(r"\(https://mybinder\.org/v2/[^)]*\)", README).group(0)
    assert "urlpath=lab/tree/lessons/01-neuron.ipynb" in badge


def test_every_linked_file_exists():
    for target in re.findall(r"\]\(((?:lessons|docs|exercises)/[^)#]*)\)", README):
        assert (ROOT / target).exists(), target
