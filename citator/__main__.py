"""`python -m citator` runs the CLI."""

from citator.cli import cli

cli(prog_name="citator")
