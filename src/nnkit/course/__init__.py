"""Instructor tooling: build, check and grade the course's nbgrader exercises.

Kept apart from the teaching library: nothing in ``nnkit`` imports this
package, and it is the only part of the project that needs nbgrader. The
command ``nnkit-course`` (see :mod:`nnkit.course.cli`) is its entry point;
``docs/instructors.md`` explains the workflow.
"""
