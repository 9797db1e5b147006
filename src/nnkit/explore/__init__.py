"""Figures and explorers for the lessons: the concepts drawn, sliders that move them.

Built on the concept modules of :mod:`nnkit` and never imported by them, so
``import nnkit`` needs neither matplotlib nor ipywidgets.
"""

import importlib
import pkgutil
import re


def all_explorers() -> dict:
    """Every explorer of the lessons, by the name of its factory (``"xor_explorer"``, ...).

    Found in this package's modules: each :class:`~nnkit.explore.explorer.Explorer`
    subclass comes with a factory function named after it (``XorExplorer`` →
    ``xor_explorer``), which builds it with the lesson's settings.

    >>> sorted(all_explorers())[:2]
    ['activation_explorer', 'approximation_explorer']
    """
    from nnkit.explore.explorer import Explorer

    factories = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, value in vars(module).items():
            if (isinstance(value, type) and issubclass(value, Explorer) and value is not Explorer
                    and value.__module__ == module.__name__):
                factory = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
                factories[factory] = getattr(module, factory)
    return factories
