"""The `citator` command line.

Every command takes --db and --config; expected faults (network down, rate limits, missing token,
bad configuration) end with one line on stderr and a documented exit code, never a traceback.

Exit codes: 0 ok; 1 failed; 2 usage error; 3 partial (finished, but some work failed or was
skipped); 4 another refresh holds the lock.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import click
import tomli_w

from citator.config import Config, ConfigError, load_config
from citator.db import store
from citator.db.site import serve_command
from citator.harvest.http import HarvestError
from citator import pipeline

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL, EXIT_LOCKED = 0, 1, 2, 3, 4


def _fail(message: str, code: int = EXIT_FAILED) -> None:
    click.echo(f"citator: {message}", err=True)
    sys.exit(code)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the faults a user can act on into one line and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            _fail(f"configuration error: {exc}")
        except HarvestError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted; the next run resumes where this one stopped", 130)
        except OSError as exc:
            _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))

    return wrapper


class Context:
    def __init__(self, config_path: str | None, db: str | None, quiet: bool) -> None:
        self.config_path = config_path
        self.db_override = db
        self.quiet = quiet
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, db=self.db_override)
        return self._config

    def report(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)

    def open_db(self):
        return store.open_database(self.config.database)


pass_ctx = click.make_pass_decorator(Context)


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--db, --config and --quiet on every command (also accepted before the command name)."""

    @click.option("--db", "db", type=click.Path(dir_okay=False), help="SQLite database (default: citator.db, or $CITATOR_DB).")
    @click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (default: ./citator.toml if present).")
    @click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (for cron).")
    @click.pass_context
    @functools.wraps(func)
    def wrapper(click_ctx: click.Context, db: str | None, config_path: str | None, quiet: bool, *args: Any, **kwargs: Any) -> Any:
        ctx = click_ctx.find_object(Context) or Context(None, None, False)
        click_ctx.obj = Context(config_path or ctx.config_path, db or ctx.db_override, quiet or ctx.quiet)
        return click_ctx.invoke(func, *args, **kwargs)

    return wrapper


@click.group()
@click.version_option(package_name="citator")
@click.option("--db", "db", type=click.Path(dir_okay=False), help="SQLite database (default: citator.db, or $CITATOR_DB).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (default: ./citator.toml if present).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (for cron).")
@click.pass_context
def cli(click_ctx: click.Context, db: str | None, config_path: str | None, quiet: bool) -> None:
    """citator: an open citator for First Amendment research.

    Finds the court opinions that cite the seed authorities (by default the Bernstein v. United
    States encryption-code decisions), every reference they make, and how they treat them, and
    publishes the result as a Datasette site.

    \b
    Example:
        export COURTLISTENER_TOKEN=...   # optional; without it CourtListener is skipped
        citator refresh && citator serve
    """
    click_ctx.obj = Context(config_path, db, quiet)


@cli.command("config")
@common_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of TOML.")
@pass_ctx
@handle_errors
def config_command(ctx: Context, as_json: bool) -> None:
    """Print the effective configuration (defaults, file, environment). Never prints a token.

    \b
    Example:
        CITATOR_DB=/srv/citator/citator.db citator config
    """
    data = ctx.config.printable()
    click.echo(json.dumps(data, indent=2) if as_json else tomli_w.dumps(data))


@cli.command("harvest")
@common_options
@pass_ctx
@handle_errors
def harvest_command(ctx: Context) -> None:
    """Fetch the seed authorities and the opinions that cite them.

    \b
    Example:
        COURTLISTENER_TOKEN=... citator harvest --db citator.db
    """
    db = ctx.open_db()
    result = pipeline.harvest(ctx.config, db, report=ctx.report)
    _summarise(ctx, "harvest", result)


@cli.command("extract")
@common_options
@pass_ctx
@handle_errors
def extract_command(ctx: Context) -> None:
    """Find every reference to the seeds in the stored opinions.

    \b
    Example:
        citator extract --db citator.db
    """
    db = ctx.open_db()
    result = pipeline.extract(ctx.config, db, report=ctx.report)
    _summarise(ctx, "extract", result)


@cli.command("publish")
@common_options
@pass_ctx
@handle_errors
def publish_command(ctx: Context) -> None:
    """Write the Datasette metadata next to the database.

    \b
    Example:
        citator publish --db citator.db   # writes citator-metadata.json
    """
    ctx.open_db()
    pipeline.publish(ctx.config, ctx.config.database, report=ctx.report)


@cli.command("refresh")
@common_options
@pass_ctx
@handle_errors
def refresh_command(ctx: Context) -> None:
    """Harvest, extract and publish in one go: the command for cron and CI.

    \b
    Example (crontab, every night at 03:17):
        17 3 * * * cd /srv/citator && citator refresh --quiet
    """
    db = ctx.open_db()
    harvested = pipeline.harvest(ctx.config, db, report=ctx.report)
    extracted = pipeline.extract(ctx.config, db, report=ctx.report)
    pipeline.publish(ctx.config, ctx.config.database, report=ctx.report)
    status = "partial" if "partial" in (harvested.status, extracted.status) else "ok"
    ctx.report(f"refresh {status}: " + json.dumps(store.counts(db)))
    if status == "partial":
        sys.exit(EXIT_PARTIAL)


@cli.command("bulk")
@common_options
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--all", "full_graph", is_flag=True, help="Full graph: store every case citation of every opinion, not only the seeds'.")
@click.option("-j", "--workers", type=click.IntRange(min=1), help="Local worker processes (default: one per core).")
@click.option("--dask-scheduler", metavar="ADDRESS", help="Run the scan on a Dask distributed cluster, e.g. tcp://10.0.0.5:8786.")
@click.option("--no-prefilter", is_flag=True, help="Run full extraction on every opinion (slow; for checking the prefilter).")
@pass_ctx
@handle_errors
def bulk_command(ctx: Context, inputs: tuple[str, ...], full_graph: bool, workers: int | None, dask_scheduler: str | None, no_prefilter: bool) -> None:
    """Scan bulk dumps: CAP volume zips and CourtListener CSVs (opinions, citation map; bz2 or plain).

    Files are read as streams; only opinions the seed prefilter flags go through full extraction.
    Folders are walked for bulk files. A citation map, when given, marks opinions citing a seed
    opinion held in the database so they are always extracted.

    \b
    Example:
        citator bulk opinions-2024-12-31.csv.bz2 citation-map-2024-12-31.csv.bz2
        citator bulk cap/f3d/ --workers 8
        citator bulk cap/ --dask-scheduler tcp://scheduler:8786 --all
    """
    from citator import bulk

    db = ctx.open_db()
    try:
        result = bulk.run(
            db, ctx.config.seeds, inputs, full_graph=full_graph, workers=workers,
            dask_scheduler=dask_scheduler, use_prefilter=not no_prefilter, report=ctx.report,
        )
    except (bulk.BulkError, bulk.BulkFileError) as exc:
        _fail(str(exc))
    if result.status == "failed":
        _fail(result.errors[0].splitlines()[0] if result.errors else "bulk scan failed")
    stats = result.stats
    ctx.report(
        f"bulk {result.status}: {stats.documents} opinions ({stats.bytes / 1e6:.1f} MB) in {result.seconds:.1f} s, "
        f"{stats.candidates} candidates, {stats.with_references} with references; new cases {result.new_cases}, "
        f"new opinions {result.new_opinions}, new references {result.new_references}"
    )
    if result.status == "partial":
        sys.exit(EXIT_PARTIAL)


def _summarise(ctx: Context, name: str, result: pipeline.StepResult) -> None:
    ctx.report(f"{name} {result.status}: " + ", ".join(f"{k} {v}" for k, v in result.counts.items()))
    if result.status == "partial":
        sys.exit(EXIT_PARTIAL)


@cli.command("serve")
@common_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("-p", "--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--immutable/--mutable", default=False, show_default=True, help="Serve the database read-only and immutable.")
@pass_ctx
@handle_errors
def serve_command_cli(ctx: Context, host: str, port: int, immutable: bool) -> None:
    """Serve the database with Datasette and citator's metadata.

    \b
    Example:
        citator serve --port 8001   # then open http://127.0.0.1:8001/
    """
    database = ctx.config.database
    if not database.exists():
        _fail(f"no database at {database}; run `citator refresh` first")
    ctx.open_db()
    pipeline.publish(ctx.config, database)
    sys.exit(subprocess.call(serve_command(database, host, port, immutable=immutable)))


@cli.command("status")
@common_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@handle_errors
def status_command(ctx: Context, as_json: bool) -> None:
    """Show what the database holds and the last runs.

    \b
    Example:
        citator status --db citator.db
    """
    database = ctx.config.database
    if not database.exists():
        _fail(f"no database at {database}; run `citator refresh` first")
    db = ctx.open_db()
    data = {"database": str(database), "counts": store.counts(db), "runs": store.recent_runs(db)}
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"database: {database}")
    for name, value in data["counts"].items():
        click.echo(f"  {name:<12} {value}")
    click.echo("recent runs:")
    for run in data["runs"]:
        click.echo(
            f"  #{run['id']:<4} {run['command']:<8} {run['status']:<8} {run['started_at']}  "
            f"fetched {run['documents_fetched']}, new cases {run['new_cases']}, "
            f"new references {run['new_references']}, errors {run['errors']}"
            + (f"  ({run['message']})" if run["message"] else "")
        )


@cli.group("eval")
def eval_group() -> None:
    """Score citator against a labelled corpus (format of ../shared/corpus)."""


def main() -> None:  # pragma: no cover - console entry point
    cli()
