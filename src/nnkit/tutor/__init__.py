"""The exercises' tutor: checks that explain a wrong answer, challenges, progress, variants.

Built on :mod:`nnkit` and :mod:`nnkit.explore`, never imported by them.
"""
