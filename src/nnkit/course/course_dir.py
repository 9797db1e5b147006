"""Where the course lives: its root folder, nbgrader configuration and assignments.

The course root is the folder holding ``nbgrader_config.py`` (``course/`` in
the repository). That file names the source folder (``../solutions``), the
release folder (``../exercises``) and, in its ``NnkitCourse`` section, the
assignments in teaching order. Every ``nnkit-course`` subcommand starts from
:func:`load_course`.
"""

from __future__ import annotations

import copy
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

CONFIG_NAME = "nbgrader_config.py"
COURSE_FOLDER = "course"


class CourseError(RuntimeError):
    """A problem the instructor can fix; ``nnkit-course`` prints it without a traceback."""


class CourseNotFound(CourseError):
    """No nbgrader course root (a folder with ``nbgrader_config.py``) was found."""


@dataclass(frozen=True)
class Course:
    """An nbgrader course: its root, its loaded configuration, its assignments.

    >>> config = Config()
    >>> config.CourseDirectory.source_directory = "../solutions"
    >>> course = Course(Path("/repo/course"), config, ("01-neuron", "02-activations"))
    >>> course.source_notebook("01-neuron").as_posix()
    '/repo/solutions/01-neuron/01-neuron.ipynb'
    >>> course.release_dir.as_posix()  # nbgrader's default name, as none is configured
    '/repo/course/release'
    >>> course.select(["02-activations"])
    ['02-activations']
    """

    root: Path
    config: Config
    assignments: tuple[str, ...]

    @property
    def source_dir(self) -> Path:
        """The folder of instructor notebooks (nbgrader's source step)."""
        return self._step_dir("source_directory", "source")

    @property
    def release_dir(self) -> Path:
        """The folder of student notebooks (nbgrader's release step)."""
        return self._step_dir("release_directory", "release")

    def _step_dir(self, trait: str, default: str) -> Path:
        folder = self.config.CourseDirectory.get(trait, default)
        return Path(os.path.normpath(self.root / folder))

    def source_notebook(self, assignment: str) -> Path:
        """The instructor notebook of ``assignment``."""
        return self.source_dir / assignment / f"{assignment}.ipynb"

    def release_notebook(self, assignment: str) -> Path:
        """The student notebook of ``assignment``."""
        return self.release_dir / assignment / f"{assignment}.ipynb"

    def config_with(self, **course_directory: str) -> Config:
        """A copy of the configuration with some ``CourseDirectory`` traits replaced."""
        config = copy.deepcopy(self.config)
        for name, value in course_directory.items():
            config.CourseDirectory[name] = value
        return config

    def select(self, requested: list[str] | None) -> list[str]:
        """The assignments asked for (all when none), refusing unknown ids."""
        if not requested:
            return list(self.assignments)
        unknown = [name for name in requested if name not in self.assignments]
        if unknown:
            raise CourseError(
                f"unknown assignment {', '.join(unknown)}; "
                f"this course has {', '.join(self.assignments)}"
            )
        return list(requested)


def find_course_root(start: str | os.PathLike | None = None) -> Path:
    """The course root at or above ``start`` (default: the working directory).

    Accepts the course folder itself or any folder that has a ``course/``
    child with an ``nbgrader_config.py`` (such as the repository root).
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
        if (folder / COURSE_FOLDER / CONFIG_NAME).is_file():
            return folder / COURSE_FOLDER
    raise CourseNotFound(
        f"no {CONFIG_NAME} found in {here} or above it (nor in a {COURSE_FOLDER}/ "
        "folder there); run inside the repository or pass --course DIR"
    )


def put_environment_scripts_on_path() -> None:
    """Let nbgrader find the command-line tools installed beside this Python.

    nbgrader's gradebook runs ``alembic`` (installed with it) as a program, so
    the environment's script folder must be on ``PATH`` even when the
    environment was not activated (``.venv/bin/python -m ...``).
    """
    scripts = os.path.dirname(sys.executable)
    path = os.environ.get("PATH", "")
    if scripts not in path.split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join(filter(None, [scripts, path]))


def load_course(course: str | os.PathLike | None = None) -> Course:
    """Load the course whose root is ``course`` (searched for when ``None``)."""
    put_environment_scripts_on_path()
    if course is not None and not (Path(course) / CONFIG_NAME).is_file():
        raise CourseNotFound(f"{course} has no {CONFIG_NAME}; expected an nbgrader course root")
    root = Path(course).resolve() if course is not None else find_course_root()
    config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    # The configuration may set its own root; a root it does not set is the folder.
    config.CourseDirectory.root = str(Path(config.CourseDirectory.get("root", root)).resolve())
    assignments = tuple(config.NnkitCourse.get("assignments", ()))
    if not assignments:
        source = Path(os.path.normpath(root / config.CourseDirectory.get("source_directory",
                                                                          "source")))
        assignments = tuple(sorted(p.name for p in source.iterdir() if p.is_dir()))
    return Course(root=Path(config.CourseDirectory.root), config=config,
                  assignments=assignments)
