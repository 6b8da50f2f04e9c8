"""The error boundary every command runs inside: an expected fault becomes one line on stderr and
an exit code (`citator.errors.describe`), never a traceback.

Kept apart from citator/cli.py so the modules that add commands (citator/cli_correct.py, ...) can
use it without importing the command group that imports them.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Callable

import click

from citator import cli_options, log
from citator.errors import ExitCode, describe


def fail(message: str, code: int = ExitCode.FAILED) -> None:
    """Log `message` as the command's one error line and exit with `code`."""
    log.get().error(message, extra={"exit_code": int(code)})
    sys.exit(int(code))


def _database_for_messages() -> Path | None:
    try:
        active = cli_options.active
        return active.config.database if active is not None else None
    except Exception:  # the configuration itself is what failed
        return None


def exit_for(exc: BaseException) -> None:
    """Log `exc` as one line (see citator.errors.describe) and exit with its code."""
    if not log.get().handlers:
        log.configure()
    message, code = describe(exc, _database_for_messages())
    if message:
        log.get().error(message, extra={"exit_code": int(code)})
    sys.exit(int(code))


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the faults a user can act on into one line and an exit code (see citator.errors)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (SystemExit, click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BaseException as exc:  # noqa: BLE001 - the boundary: every fault becomes one line
            exit_for(exc)

    return wrapper
