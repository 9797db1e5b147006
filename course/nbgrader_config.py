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

# The six assignments, in teaching order; each is one notebook named after
# its folder (solutions/01-neuron/01-neuron.ipynb). `nnkit-course` builds,
# checks and grades these; nbgrader itself ignores this section.
c.NnkitCourse.assignments = [
    "01-neuron",
    "02-activations",
    "03-layers",
    "04-forward-pass",
    "05-universal-approximation",
    "06-parameter-counting",
]

# ---------------------------------------------------------------------------
# Grading
# ---------------------------------------------------------------------------
# Settings of autograding, feedback and limits go here.
