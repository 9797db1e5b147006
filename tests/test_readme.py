"""The README's promises: two commands first, both real, and CI runs the test one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def first_code_block(text):
    return re.search(r"```(?:bash)?\n(.*?)```", text, re.S).group(1)


def commands(block):
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def makefile_recipes():
    """Each Makefile target's recipe lines, with the Makefile's variables written out."""
    text = (ROOT / "Makefile").read_text()
    variables = dict(re.findall(r"^([A-Z_]+)\s*[:?]?=\s*(.*)$", text, re.M))
    recipes = {}
    for targets, body in re.findall(r"^([a-z][\w\- ]*):[^\n]*\n((?:\t[^\n]*\n)*)", text, re.M):
        lines = [line.strip() for line in body.splitlines()]
        for _ in range(2):  # $(MAKE_PY) holds $(PYTHON)
            lines = [re.sub(r"\$\((\w+)\)", lambda m: variables.get(m[1], m[0]), line)
                     for line in lines]
        for target in targets.split():
            recipes[target] = lines
    return recipes


def test_the_first_code_block_is_the_two_commands():
    assert commands(first_code_block(README)) == ["make lab", "make test"]


def test_make_lab_and_make_test_run_make_py_which_sets_itself_up():
    """One implementation: the Makefile's two commands are make.py's."""
    recipes = makefile_recipes()
    assert recipes["lab"] == ["python3 make.py lab"]
    assert recipes["test"] == ["python3 make.py test"]


def test_the_readme_names_the_same_commands_without_make():
    for command in ("python make.py lab", "python make.py test"):
        assert f"`{command}`" in README


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
