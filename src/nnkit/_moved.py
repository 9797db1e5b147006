"""Old import paths that still work: exercise notebooks already handed out use them.

Before the package was laid out around the lessons, the tutor and the
explorers sat beside the concepts (``nnkit.checking``, ``nnkit.widgets``,
...). Importing an old name gives a module of that name holding everything
the module at the new place holds; nothing here is meant for new code.

>>> from nnkit.checking import check_function
>>> from nnkit.tutor.checks import check_function as at_the_new_place
>>> check_function is at_the_new_place
True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types

MOVED = {
    "nnkit.checking": ("nnkit.tutor.checks", "nnkit.tutor.exercises.e01_neuron",
                       "nnkit.tutor.exercises.e03_layers", "nnkit.tutor.exercises.e04_forward_pass",
                       "nnkit.tutor.exercises.e05_universal_approximation"),
    "nnkit.misconceptions": ("nnkit.tutor.misconceptions",),
    "nnkit.challenges": ("nnkit.tutor.challenges",),
    "nnkit.progress": ("nnkit.tutor.progress",),
    "nnkit.variants": ("nnkit.tutor.variants",),
    "nnkit.contract": ("nnkit.tutor.exercises",),
    "nnkit.plotting": tuple(f"nnkit.explore.{name}" for name in (
        "style", "neuron", "activations", "layers", "network", "approximation", "counting")),
    "nnkit.widgets": tuple(f"nnkit.explore.{name}" for name in (
        "explorer", "neuron", "activations", "layers", "network", "approximation", "counting")),
}
"""Each old module name and the modules that now hold what it held."""


class _OldPathFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``nnkit.checking`` and the others of :data:`MOVED` from their new places."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec):
        return None  # a plain new module

    def exec_module(self, module):
        for new_name in MOVED[module.__name__]:
            new = importlib.import_module(new_name)
            if hasattr(new, "__all__"):
                names = {name: getattr(new, name) for name in new.__all__}
            else:
                names = {name: value for name, value in vars(new).items()
                         if not name.startswith("__")}
            vars(module).update(names)
            if type(new) is not types.ModuleType:
                module.__class__ = type(new)  # nnkit.progress() stays callable


def install() -> None:
    """Let the old names import (done once by ``import nnkit``)."""
    if not any(isinstance(finder, _OldPathFinder) for finder in sys.meta_path):
        sys.meta_path.append(_OldPathFinder())
