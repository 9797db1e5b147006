# nbgrader configuration of the nnkit course.
#
# This folder is the nbgrader course root. The instructor notebooks live in
# ../solutions (nbgrader's "source" step) and the student notebooks nbgrader
# generates from them in ../exercises (its "release" step), both tracked by
# git. Everything nbgrader creates here (gradebook.db, submitted/, autograded/,
# feedback/) belongs to the instructor and is git-ignored.
#
# nbgrader finds this file when it runs with course/ as its working directory
# (`cd course && nbgrader ...`); `nnkit-course` loads it from any directory.

import os

from nnkit.tutor.exercises import ASSIGNMENT_IDS

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

# ---------------------------------------------------------------------------
# Course layout
# ---------------------------------------------------------------------------

c.CourseDirectory.course_id = "nnkit"

# The root is this folder wherever the repository was cloned, so that the
# configuration works from any working directory.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# Step folders are relative to the root (nbgrader joins them onto it).
c.CourseDirectory.source_directory = os.path.join("..", "solutions")
c.CourseDirectory.release_directory = os.path.join("..", "exercises")
# A learner's stored slider-challenge answers (docs/challenges.md) never go into a release.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                            "challenge-answers"]

# The assignments, one per exercise spec (nnkit/tutor/exercises/), in teaching
# order; each is one notebook named after its folder
# (solutions/01-neuron/01-neuron.ipynb). `nnkit-course` builds, checks and
# grades these; nbgrader itself ignores this section.
c.NnkitCourse.assignments = list(ASSIGNMENT_IDS)

# ---------------------------------------------------------------------------
# Grading
# ---------------------------------------------------------------------------
# `nnkit-course grade` runs every submission in a sandbox with these limits,
# each one for the student as a whole (all its processes together); see
# docs/security.md. Time limits follow the instructor's solution, timed once
# per batch: a cell may take `time_factor` times what the solution's cell
# took, between `min_cell_timeout` and `cell_timeout` (the notebook likewise).
# The options --cell-timeout, --notebook-timeout and --memory-mb override
# them for one run.
c.NnkitGrading.limits = {
    "cell_timeout": 30,             # most seconds a cell may run before it is interrupted
    "notebook_timeout": 300,        # most seconds for the whole notebook; then it is stopped
    "time_factor": 10,              # ... times what the solution needs,
    "min_cell_timeout": 2,          # but at least this per cell
    "min_notebook_timeout": 60,     # and this per notebook
    "memory_mb": 1024,              # memory of each of the student's processes
    "disk_mb": 100,                 # everything the student's code writes, together
    "shm_mb": 16,                   # /dev/shm
    "max_processes": 64,            # processes and threads at once
    "cell_output_bytes": 10_000,    # output (printed, shown, errors) kept per cell in the feedback
    "notebook_output_bytes": 100_000,  # ... and for the whole notebook
    "max_cells": 500,               # cells of a submitted notebook that are read
    "notebook_file_mb": 300,        # a larger submitted file is not read at all
    "file_write_mb": 50,            # largest single file student code may write
}

# Deadlines (docs/instructors.md, "Deadlines"): `nnkit-course grade` writes the
# due date, each submission's time and extension and the late penalty into the
# gradebook; its options --due, --late-policy and --extensions override these.
c.NnkitGrading.due_dates = {
    # "01-neuron": "2025-03-14 23:59 Europe/Berlin",
}
# "none", "zero", or a share of the score per started hour or day, with a cap:
c.NnkitGrading.late_policy = "none"     # e.g. "10% per day up to 50%"
# c.NnkitGrading.extensions = "extensions.csv"   # student,extension (e.g. 4711,2 days)
# `nbgrader autograde` applies the same policy through nbgrader's own late-penalty step:
c.AssignLatePenalties.plugin_class = "nnkit.course.deadlines.LatePenalty"

# Grades back into the LMS (`nnkit-course export`): what students without a
# submission get ("blank" or "zero"), and, where its title does not name the
# assignment, the LMS's column of each assignment.
c.NnkitGrading.missing_grade = "blank"
c.NnkitGrading.lms_columns = {
    # "01-neuron": "Exercise 1: the neuron (48213)",
}

# Plain nbgrader commands (`nbgrader autograde`, the formgrader) get the same
# safety nets as far as nbgrader allows:
# a cell that runs longer than this is interrupted and fails, instead of hanging the batch;
c.Execute.timeout = 30
# a deleted test cell is put back from the gradebook instead of leaving the student ungraded;
c.OverwriteCells.add_missing_cells = True
# anything a cell writes to stderr (a warning printed by correct code) is dropped
# before scoring, so it costs no points (nbgrader scores a cell with stderr as failed);
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"[\s\S]"
# long outputs are cut, so feedback pages stay small.
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
