"""Figures and explorers for the lessons: the concepts drawn, sliders that move them.

Built on the concept modules of :mod:`nnkit` and never imported by them, so
``import nnkit`` needs neither matplotlib nor ipywidgets.
"""
