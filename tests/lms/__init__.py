"""LMS files as Canvas and Moodle write them, built from their documented rules."""
