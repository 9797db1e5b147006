"""Hostile and broken submissions, each written by a small generator function."""
