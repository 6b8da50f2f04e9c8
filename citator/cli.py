"""The `citator` command line.

Every command takes --db and --config; expected faults (network down, rate limits, missing token,
bad configuration) end with one line on stderr and a documented exit code, never a traceback.

Exit codes: 0 ok; 1 failed; 2 usage error; 3 partial (finished, but some work failed or was
skipped); 4 another run (refresh, harvest, extract or bulk) holds the lock.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any, Callable

import click
import tomli_w

from citator.config import Config, ConfigError, load_config
from citator.db import store
from citator.db.site import serve_command
from citator.harvest.http import HarvestError
from citator import log, pipeline, refresh, runlock
from citator.refresh import RefreshFailed
from citator.runlock import DatabaseLock, LockHeld

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL, EXIT_LOCKED = 0, 1, 2, 3, 4


def _fail(message: str, code: int = EXIT_FAILED) -> None:
    log.get().error(message, extra={"exit_code": code})
    sys.exit(code)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the faults a user can act on into one line and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            _fail(f"configuration error: {exc}")
        except LockHeld as exc:
            _fail(str(exc), EXIT_LOCKED)
        except RefreshFailed:
            sys.exit(EXIT_FAILED)  # already logged, with the run number
        except HarvestError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted; the next run resumes where this one stopped", 130)
        except OSError as exc:
            _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))

    return wrapper


class Context:
    def __init__(self, config_path: str | None, db: str | None, quiet: bool, log_format: str | None = None) -> None:
        self.config_path = config_path
        self.db_override = db
        self.quiet = quiet
        self.log_format = log_format
        self._config: Config | None = None
        log.configure(quiet=quiet, fmt=log_format)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, db=self.db_override)
            # The token's variable may be renamed in the configuration; never log its value either.
            token = self._config.courtlistener_token
            store.register_secret(token)
            log.configure(quiet=self.quiet, fmt=self.log_format, secrets=[token] if token else [])
        return self._config

    def report(self, message: str) -> None:
        log.get().info(message)

    def open_db(self):
        return store.open_database(self.config.database)


pass_ctx = click.make_pass_decorator(Context)


LOG_FORMAT_OPTION = click.option(
    "--log-format", "log_format", type=click.Choice(["text", "json"]), default=None,
    help="Log lines on stderr as text, or one JSON object per line (default: $CITATOR_LOG_FORMAT or text).",
)


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--db, --config and --quiet on every command (also accepted before the command name)."""

    @click.option("--db", "db", type=click.Path(dir_okay=False), help="SQLite database (default: citator.db, or $CITATOR_DB).")
    @click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (default: ./citator.toml if present).")
    @click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (for cron).")
    @LOG_FORMAT_OPTION
    @click.pass_context
    @functools.wraps(func)
    def wrapper(click_ctx: click.Context, db: str | None, config_path: str | None, quiet: bool,
                log_format: str | None, *args: Any, **kwargs: Any) -> Any:
        ctx = click_ctx.find_object(Context) or Context(None, None, False)
        click_ctx.obj = Context(config_path or ctx.config_path, db or ctx.db_override, quiet or ctx.quiet,
                                log_format or ctx.log_format)
        return click_ctx.invoke(func, *args, **kwargs)

    return wrapper


@click.group()
@click.version_option(package_name="citator")
@click.option("--db", "db", type=click.Path(dir_okay=False), help="SQLite database (default: citator.db, or $CITATOR_DB).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (default: ./citator.toml if present).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (for cron).")
@LOG_FORMAT_OPTION
@click.pass_context
def cli(click_ctx: click.Context, db: str | None, config_path: str | None, quiet: bool, log_format: str | None) -> None:
    """citator: an open citator for First Amendment research.

    Finds the court opinions that cite the seed authorities (by default the Bernstein v. United
    States encryption-code decisions), every reference they make, and how they treat them, and
    publishes the result as a Datasette site.

    \b
    Example:
        export COURTLISTENER_TOKEN=...   # optional; without it CourtListener is skipped
        citator refresh && citator serve
    """
    click_ctx.obj = Context(config_path, db, quiet, log_format)


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


class ProgressBars:
    """One click progress bar per source on a terminal; nothing when quiet or not a TTY.

    The harvesters report (source, done, known) as their frontier grows, so each bar's length
    follows the number of items known so far.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bars: dict[str, Any] = {}

    def __call__(self, source: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self.bars.get(source)
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label=f"{source:<13}", file=sys.stderr, show_pos=True)
            bar.__enter__()
            self.bars[source] = bar
        bar.length = max(total, done, 1)
        bar.update(max(0, done - bar.pos))

    def report(self, message: str) -> None:
        """Print a message on its own line, above the bars (which redraw on their next update)."""
        if self.bars:
            sys.stderr.write("\r\033[K")
        click.echo(message, err=True)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.__exit__(None, None, None)
        self.bars.clear()


@cli.command("harvest")
@common_options
@click.option("--from", "from_paths", multiple=True, type=click.Path(exists=True),
              help="Import a folder (or file) of .txt, .html, .json or .pdf opinions; repeatable. "
                   "Only these are harvested unless --source is given.")
@click.option("--source", "sources", multiple=True, type=click.Choice(["courtlistener", "cap", "local"]),
              help="Harvest only from this source; repeatable (default: every enabled source).")
@click.option("--depth", type=click.IntRange(min=1), help="Snowball depth: 1 = cases citing a seed, 2 = also cases citing those, ...")
@click.option("--max-cases", type=click.IntRange(min=0), help="Stop adding citing cases once the database holds this many.")
@pass_ctx
@handle_errors
def harvest_command(ctx: Context, from_paths: tuple[str, ...], sources: tuple[str, ...], depth: int | None,
                    max_cases: int | None) -> None:
    """Fetch the seed authorities and the opinions that cite them.

    Without COURTLISTENER_TOKEN, CourtListener is skipped and the Caselaw Access Project is used.
    A crawl larger than a source's daily request budget stops cleanly and continues on the next run
    (`citator status` shows what is left).

    \b
    Examples:
        COURTLISTENER_TOKEN=... citator harvest --db citator.db
        citator harvest --source cap --depth 2 --max-cases 1000
        citator harvest --from ~/opinions/   # see README: local folders and .meta.json sidecars
    """
    with DatabaseLock(ctx.config.database, command="harvest"):
        db = ctx.open_db()
        bars = ProgressBars(not ctx.quiet and sys.stderr.isatty())
        try:
            result = pipeline.harvest(
                ctx.config, db, report=bars.report if bars.enabled else ctx.report, progress=bars,
                local_paths=from_paths, sources=sources or None, depth=depth, max_cases=max_cases,
            )
        finally:
            bars.close()
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
    with DatabaseLock(ctx.config.database, command="extract"):
        db = ctx.open_db()
        result = pipeline.extract(ctx.config, db, report=ctx.report)
    _summarise(ctx, "extract", result)


@cli.command("publish")
@common_options
@pass_ctx
@handle_errors
def publish_command(ctx: Context) -> None:
    """Build the site's views and full-text search, and write the Datasette metadata.

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
    """Harvest, extract and publish in one go: the command for cron, systemd and CI.

    The work happens in a copy of the database that is checked and then published in one
    transaction, so a running `citator serve` never shows half a refresh and a failed run changes
    nothing. Only opinions that are new or changed are read again; a refresh with nothing new says
    so. One refresh at a time: a second one exits at once with code 4.

    Exit codes: 0 ok, 1 failed (the published database is unchanged), 3 partial, 4 locked,
    130 stopped by SIGINT/SIGTERM.

    \b
    Example (crontab, every night at 03:17; see recipes/ for systemd and CI):
        17 3 * * * cd "$HOME/citator" && set -a && . ./citator.env && set +a && .venv/bin/citator refresh --quiet
    Example (CI logs):
        citator refresh --log-format json
    """
    signal.signal(signal.SIGTERM, _terminate)  # systemd stop / docker stop: clean up like Ctrl-C
    bars = ProgressBars(not ctx.quiet and sys.stderr.isatty())
    try:
        result = refresh.run_refresh(ctx.config, progress=bars, report=bars.report if bars.enabled else None)
    finally:
        bars.close()
    if result.status == "partial":
        sys.exit(EXIT_PARTIAL)


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


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

    # one writer at a time: a refresh publishing over a load in progress would lose it
    with DatabaseLock(ctx.config.database, command="bulk"):
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
        f"bulk {result.status}: {stats.scanned()}; {stats.bytes / 1e6:.1f} MB of opinion text read in {result.seconds:.1f} s, "
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
@click.option("--immutable/--mutable", default=False, show_default=True,
              help="--immutable for a published snapshot that never changes (cached, faster); the default "
                   "reads the file read-only and shows each scheduled refresh as soon as it is published.")
@click.option("--no-sql", is_flag=True, help="Turn off SQL written by visitors (?sql=, ?_where=); tables, "
                                              "canned queries, feeds and citator's pages still work.")
@pass_ctx
@handle_errors
def serve_command_cli(ctx: Context, host: str, port: int, immutable: bool, no_sql: bool) -> None:
    """Publish, then serve the database with Datasette: metadata, views, search, canned queries,
    feeds, charts, the network view and case pages, with a 3-second SQL time limit.

    \b
    Example:
        citator serve --port 8001   # then open http://127.0.0.1:8001/
    """
    database = ctx.config.database
    if not database.exists():
        _fail(f"no database at {database}; run `citator refresh` first")
    ctx.open_db().close()
    pipeline.publish(ctx.config, database)
    args = serve_command(database, host, port, immutable=immutable, allow_sql=not no_sql)
    # Become Datasette (same process id), so a service manager's stop signal reaches the server.
    os.execv(args[0], args)


@cli.command("status")
@common_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("-n", "--runs", "limit", default=5, show_default=True, type=int, help="How many recent runs to show.")
@pass_ctx
@handle_errors
def status_command(ctx: Context, as_json: bool, limit: int) -> None:
    """Show what the database holds, the last runs and their errors, and whether a refresh is running.

    A run still marked `running` whose process is gone (killed, machine rebooted) is shown as
    `interrupted`; its work was never published.

    \b
    Example:
        citator status --db citator.db --runs 10
    """
    database = ctx.config.database
    if not database.exists():
        _fail(f"no database at {database}; run `citator refresh` first")
    db = ctx.open_db()
    data = status_report(db, database, limit)
    data["frontier"] = store.frontier_summary(db, int(ctx.config.crawl.get("depth", 1)))
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"database: {database}")
    for name, value in data["counts"].items():
        click.echo(f"  {name:<12} {value}")
    if data["lock_holder"]:
        click.echo(f"now running: {runlock.describe(data['lock_holder'])}")
    if data["frontier"]:
        click.echo("left to fetch (crawl frontier):")
        for row in data["frontier"]:
            budget = ctx.config.source(row["source"]).get("daily_request_budget")
            click.echo(
                f"  {row['source']:<13} {row['pending'] or 0} pending, {row['retry'] or 0} to retry, "
                f"{row['given_up'] or 0} given up, {row['done'] or 0} done; "
                f"requests today {row['requests_today']}" + (f" of {budget}" if budget else "")
            )
    click.echo("recent runs:")
    for run in data["runs"]:
        click.echo(
            f"  #{run['id']:<4} {run['command']:<8} {run['status']:<11} {run['started_at']}  "
            f"fetched {run['documents_fetched']}, new cases {run['new_cases']}, "
            f"new references {run['new_references']}, errors {run['errors']}"
            + (f"  ({run['message']})" if run["message"] else "")
        )
        for error in run["error_list"][:5]:
            click.echo(f"        error: [{error['source']}] {error['message']}" + (f" <{error['url']}>" if error["url"] else ""))


def status_report(db: Any, database: Path, limit: int = 5) -> dict[str, Any]:
    """Counts, lock holder and recent runs; `running` runs nobody is running become `interrupted`."""
    holder = runlock.holder(database)
    runs = store.recent_runs(db, limit)
    newest_running = max((r["id"] for r in runs if r["status"] == "running"), default=None)
    for run in runs:
        if run["status"] == "running" and not run["ended_at"] and (holder is None or run["id"] != newest_running):
            run["status"] = "interrupted"
        run["error_list"] = store.run_errors(db, run["id"]) if run["errors"] else []
    return {"database": str(database), "counts": store.counts(db), "lock_holder": holder, "runs": runs}


@cli.group("eval")
def eval_group() -> None:
    """Score citator against a labelled corpus (format of ../shared/corpus)."""


from citator.cli_citations import cite as _cite, extraction as _eval_extraction  # noqa: E402
from citator.cli_treatment import treatment as _eval_treatment  # noqa: E402

cli.add_command(_cite)
eval_group.add_command(_eval_extraction)
eval_group.add_command(_eval_treatment)


def main() -> None:  # pragma: no cover - console entry point
    cli()
