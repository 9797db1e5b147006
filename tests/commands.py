"""Running an ``nnkit-course`` subcommand from a test, parsed exactly as the command line is."""

from __future__ import annotations

from nnkit.course import cli


def run_command(module, argv):
    """Run the subcommand that ``module`` implements with ``argv``; return its exit code."""
    command = next(name for name, (path, _) in cli.SUBCOMMANDS.items() if path == module.__name__)
    return module.run(cli.parse_args([command, *argv]))
