"""Binder: the repository builds the intended image, checked without Docker or network.

repo2docker chooses a build pack from the files at the top of the repository;
these tests ask it which one it picks, parse every conda spec the way conda
does, and check that ``environment.yml`` asks for what ``pyproject.toml`` says
nnkit needs at run time.
"""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from rattler import MatchSpec
from repo2docker.app import Repo2Docker

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_EXTRAS = ("lab", "grading")


@pytest.fixture(scope="module")
def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def conda_specs(environment):
    return [spec for spec in environment["dependencies"] if isinstance(spec, str)]


def pip_specs(environment):
    nested = [spec for spec in environment["dependencies"] if isinstance(spec, dict)]
    return [line for block in nested for line in block.get("pip", [])]


def runtime_requirements(pyproject):
    """The requirements a learner's or an instructor's image needs (not the test tools)."""
    project = pyproject["project"]
    lines = list(project["dependencies"])
    for extra in RUNTIME_EXTRAS:
        lines += project["optional-dependencies"][extra]
    return {Requirement(line).name.lower(): SpecifierSet(str(Requirement(line).specifier))
            for line in lines}


def environment_requirements(environment):
    """environment.yml's packages as PEP 440 specifier sets (conda's '=3.11' means 3.11.*)."""
    found = {}
    for spec in conda_specs(environment):
        match = MatchSpec(spec)
        name = match.name.normalized
        if name in {"python", "pip"}:
            continue
        found[name] = SpecifierSet(str(match.version) if match.version else "")
    for line in pip_specs(environment):
        requirement = Requirement(line)
        found[requirement.name.lower()] = requirement.specifier
    return found


def test_repo2docker_picks_the_conda_build_pack_with_python_3_11():
    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        app = Repo2Docker()
        chosen = next(pack(app.base_image) for pack in app.buildpacks
                      if pack(app.base_image).detect())
    finally:
        os.chdir(previous)
    assert type(chosen).__name__ == "CondaBuildPack", type(chosen).__name__
    assert chosen.python_version == "3.11"


def test_repo2docker_no_build_accepts_the_repository_and_runs_post_build():
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug", str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dockerfile = result.stdout + result.stderr
    assert "RUN ./postBuild" in dockerfile
    assert "environment.yml" in dockerfile


def test_every_conda_spec_parses(environment):
    for spec in conda_specs(environment):
        assert MatchSpec(spec).name.normalized, spec
    for line in pip_specs(environment):
        Requirement(line)


def test_environment_asks_for_exactly_the_runtime_requirements(environment, pyproject):
    wanted = runtime_requirements(pyproject)
    given = environment_requirements(environment)
    assert sorted(given) == sorted(wanted), "environment.yml and pyproject.toml list other packages"
    for name, specifier in wanted.items():
        assert given[name] == specifier, f"{name}: environment.yml {given[name]} ≠ {specifier}"


def test_python_version_matches_requires_python(environment, pyproject):
    python = next(MatchSpec(s) for s in conda_specs(environment)
                  if MatchSpec(s).name.normalized == "python")
    assert SpecifierSet(pyproject["project"]["requires-python"]).contains(
        str(python.version).rstrip(".*"))


def test_post_build_installs_nnkit_without_resolving_dependencies_again():
    post_build = (ROOT / "postBuild").read_text()
    assert os.access(ROOT / "postBuild", os.X_OK)
    assert "pip install --no-deps" in post_build


def test_repo2docker_starts_binder_through_the_start_script():
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug", str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert 'R2D_ENTRYPOINT="${REPO_DIR}/start"' in result.stdout + result.stderr


def _started_with(environment):
    """JUPYTER_CONFIG_PATH as the `start` script leaves it for the command it starts."""
    probe = [sys.executable, "-c", "import os; print(os.environ.get('JUPYTER_CONFIG_PATH'))"]
    result = subprocess.run(["bash", str(ROOT / "start"), *probe], env=environment,
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.strip()


def test_binder_gets_the_learners_jupyterlab_configuration():
    assert os.access(ROOT / "start", os.X_OK)
    environment = {"PATH": os.environ["PATH"], "REPO_DIR": "/home/jovyan"}
    assert _started_with(environment) == "/home/jovyan/deploy/learner-config"
    assert (ROOT / "deploy" / "learner-config" / "jupyter_server_config.json").exists()


def test_a_hub_that_chose_a_configuration_keeps_it():
    environment = {"PATH": os.environ["PATH"], "REPO_DIR": "/home/jovyan",
                   "JUPYTER_CONFIG_PATH": "/etc/jupyter/nnkit-students:/etc/jupyter"}
    assert _started_with(environment) == "/etc/jupyter/nnkit-students:/etc/jupyter"


def test_binder_files_sit_at_the_top_level():
    assert not (ROOT / "binder").exists(), "a binder/ folder would hide the top-level files"
