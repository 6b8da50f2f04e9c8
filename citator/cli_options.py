"""What every citator command shares: the options declared once (SHARED_OPTIONS: --db, --config,
--quiet, --log-format) and the Context a command reads them through (`pass_ctx`).

Each option is accepted after the command's name or before it (`citator --db X status` and
`citator status --db X`); the one after the name wins. citator/cli.py's group gives every command
it registers these options (`share_options`), those defined in other modules included.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import click

from citator import log, runlock
from citator.citations import hscache
from citator.config import Config, hyperscan_cache_dir, load_config
from citator.db.scrub import register_secret
from citator.errors import UserError

#: The Context of the command running, so the error boundary can name its database.
active: "Context | None" = None


class Context:
    """What one command was asked to work on: the shared options' values, the configuration they
    name (loaded on first use, so commands that never read it never fail on it) and its database."""

    def __init__(self, config_path: str | None, db: str | None, quiet: bool, log_format: str | None = None,
                 adopt: bool = False) -> None:
        self.config_path = config_path
        self.db_override = db
        self.quiet = quiet
        self.log_format = log_format
        self.adopt = adopt
        self._config: Config | None = None
        hscache.use_directory(hyperscan_cache_dir)  # found only if a command compiles (extraction)
        log.configure(quiet=quiet, fmt=log_format)
        global active  # noqa: PLW0603 - the boundary reads it (see the module's `active`)
        active = self

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, db=self.db_override)
            # The token's variable may be renamed in the configuration; never log its value either.
            token = self._config.courtlistener_token
            register_secret(token)
            log.configure(quiet=self.quiet, fmt=self.log_format, secrets=[token] if token else [])
        return self._config

    def report(self, message: str) -> None:
        log.get().info(message)

    def open_db(self, *, readonly: bool = False, existing: bool = False):
        """The database, opened read-only (never created, marked or migrated) or for writing.

        `existing`: a writing command with nothing to do on a missing database says so instead
        of creating an empty one. A writer holding the run lock marks runs whose process died as
        `interrupted`.
        """
        from citator.db import runs as db_runs, store  # here, not at import: `config` and `--help` never open a database

        database = self.config.database
        if existing and not database.exists():
            raise UserError(f"no database at {database}; run `citator refresh` (or `citator harvest`) first, "
                            "or check --db (or $CITATOR_DB)")
        db = store.open_database(database, readonly=readonly, adopt=self.adopt)
        if not readonly and runlock.holds_lock(database):
            db_runs.close_interrupted_runs(db)
        return db


pass_ctx = click.make_pass_decorator(Context)


#: The options every command takes, declared once: (declarations, attributes) of each.
#: --db and --config name what a command reads; --quiet and --log-format shape what it logs.
DB_HELP = "SQLite database (default: citator.db, or $CITATOR_DB)."
SHARED_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (("--db", "db"), {"type": click.Path(dir_okay=False), "default": None, "help": DB_HELP}),
    (("--config", "config_path"), {"type": click.Path(dir_okay=False), "default": None,
                                   "help": "Configuration file (default: $CITATOR_CONFIG, or ./citator.toml if present)."}),
    (("-q", "--quiet"), {"is_flag": True, "default": False, "help": "Print nothing but errors (for cron)."}),
    (("--log-format", "log_format"), {"type": click.Choice(["text", "json"]), "default": None,
                                      "help": "Log lines on stderr as text, or one JSON object per line "
                                              "(default: $CITATOR_LOG_FORMAT or text)."}),
)
_SHARED_NAMES = ("db", "config_path", "quiet", "log_format")


def _shared_attrs(decls: tuple[str, ...], attrs: dict[str, Any], db_help: str) -> dict[str, Any]:
    return {**attrs, "help": db_help} if decls[0] == "--db" else attrs


def _enter(click_ctx: click.Context, values: dict[str, Any]) -> None:
    """Make the command's Context: its own shared options, else those given before the command name."""
    outer = click_ctx.find_object(Context) or Context(None, None, False)
    click_ctx.obj = Context(values.get("config_path") or outer.config_path, values.get("db") or outer.db_override,
                            bool(values.get("quiet")) or outer.quiet, values.get("log_format") or outer.log_format)


def common_options(func: Callable[..., Any] | None = None, *, db_help: str = DB_HELP) -> Any:
    """The shared options (SHARED_OPTIONS) on a command, also accepted before the command name;
    the command reads them through its Context (`pass_ctx`). `db_help` words --db for a command
    that uses the database differently (`cite` only consults one)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @click.pass_context
        @functools.wraps(func)
        def wrapper(click_ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
            _enter(click_ctx, {name: kwargs.pop(name, None) for name in _SHARED_NAMES})
            return click_ctx.invoke(func, *args, **kwargs)

        for decls, attrs in reversed(SHARED_OPTIONS):
            wrapper = click.option(*decls, **_shared_attrs(decls, attrs, db_help))(wrapper)
        return wrapper

    return decorate(func) if func is not None else decorate


def share_options(command: click.Command) -> click.Command:
    """Give a command built elsewhere (and each command of a group) the shared options, unless it
    declares them: SharedOptionsGroup (and so citator's root group) calls this on every command it registers, so none can miss them."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            share_options(sub)
        return command
    if any(p.name == "log_format" for p in command.params) or command.callback is None:
        return command
    callback = command.callback

    @functools.wraps(callback)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _enter(click.get_current_context(), {name: kwargs.pop(name, None) for name in _SHARED_NAMES})
        return callback(*args, **kwargs)

    command.callback = wrapper
    command.params.extend(click.Option(list(decls), **attrs) for decls, attrs in SHARED_OPTIONS)
    return command


class SharedOptionsGroup(click.Group):
    """A group whose every command takes the shared options (`share_options`), those registered
    by other modules included, so that no command can miss them."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(share_options(cmd), name)
