"""The `citator` command line.

Every command takes the shared options (--db, --config, --quiet, --log-format; SHARED_OPTIONS),
after its name or before it; expected faults (network down, rate limits, missing token,
bad configuration, a missing, locked, damaged, foreign or newer database, bad paths, a port in use,
bad arguments) end with one line on stderr and a documented exit code, never a traceback: every
command runs inside one error boundary (`CitatorGroup.main`, and `handle_errors` on each command),
and the exit codes are defined once, in `citator.errors.ExitCode`.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click
import tomli_w

from citator import cli_options
from citator.cli_options import Context, SharedOptionsGroup, common_options, pass_ctx
from citator import log, runlock
from citator.cli_boundary import exit_for as _exit_for, fail as _fail, handle_errors
from citator.collector import collector_for_commands
from citator.errors import ExitCode, UserError
from citator.runlock import DatabaseLock

if TYPE_CHECKING:  # the commands import the pipeline when they run: `--help` and `status` stay light
    from citator import pipeline

# The database, HTTP and pipeline modules are imported where a command uses them: `status`,
# `config` and `--help` start without requests, sqlite_utils or numpy (tests/test_cli_startup.py).

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL, EXIT_LOCKED = (
    ExitCode.OK, ExitCode.FAILED, ExitCode.USAGE, ExitCode.PARTIAL, ExitCode.LOCKED)


class CitatorGroup(SharedOptionsGroup):
    """The error boundary around every command, those registered by other modules included:
    usage errors become one line and exit 2, anything else goes through `citator.errors.describe`."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        cli_options.active = None
        log.configure()  # until the command's options configure it: usage errors are logged too
        try:
            code = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                standalone_mode=False, **extra)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "citator"
            _usage_line(f"{exc.format_message()} (see `{command} --help`)")
            sys.exit(ExitCode.USAGE)
        except click.Abort:
            _exit_for(KeyboardInterrupt())
        except click.ClickException as exc:
            if not log.get().handlers:
                log.configure()
            log.get().error(exc.format_message(), extra={"exit_code": exc.exit_code})
            sys.exit(exc.exit_code)
        except SystemExit:
            raise
        except BaseException as exc:  # noqa: BLE001 - the boundary
            _exit_for(exc)
        if not standalone_mode:
            return code
        sys.exit(int(code) if isinstance(code, int) else 0)


def _usage_line(message: str) -> None:
    if not log.get().handlers:
        log.configure()
    log.get().error(message, extra={"exit_code": int(ExitCode.USAGE)})


INIT_OPTION = click.option(
    "--init", "adopt", is_flag=True,
    help="Make the --db file a citator database even though it already holds other tables "
         "(citator refuses such a file otherwise).",
)


def writer_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--init, for commands that may create or upgrade the database."""

    @INIT_OPTION
    @functools.wraps(func)
    def wrapper(*args: Any, adopt: bool = False, **kwargs: Any) -> Any:
        click_ctx = click.get_current_context()
        if adopt and isinstance(click_ctx.obj, Context):
            click_ctx.obj.adopt = True
        return func(*args, **kwargs)

    return wrapper


@click.group(cls=CitatorGroup)
@click.version_option(package_name="citator")
@common_options
def cli() -> None:
    """citator: an open citator for First Amendment research.

    Finds the court opinions that cite the seed authorities (by default the Bernstein v. United
    States encryption-code decisions), every reference they make, and how they treat them, and
    publishes the result as a Datasette site.

    \b
    Example:
        export COURTLISTENER_TOKEN=...   # optional; without it CourtListener is skipped
        citator refresh && citator serve
    """
    # fewer, larger garbage collections for the whole command (see citator.collector)
    click.get_current_context().with_resource(collector_for_commands())


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
@writer_options
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
    from citator import pipeline

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
        _summarise(ctx, "harvest", result, db)


@cli.command("extract")
@common_options
@writer_options
@pass_ctx
@handle_errors
def extract_command(ctx: Context) -> None:
    """Find every reference to the seeds in the stored opinions.

    \b
    Example:
        citator extract --db citator.db
    """
    from citator import pipeline

    with DatabaseLock(ctx.config.database, command="extract"):
        db = ctx.open_db(existing=True)
        result = pipeline.extract(ctx.config, db, report=ctx.report)
        _summarise(ctx, "extract", result, db)


@cli.command("publish")
@common_options
@writer_options
@pass_ctx
@handle_errors
def publish_command(ctx: Context) -> None:
    """Build the site's views and full-text search, and write the Datasette metadata.

    \b
    Example:
        citator publish --db citator.db   # writes citator-metadata.json
    """
    from citator import pipeline

    ctx.open_db(existing=True).close()
    pipeline.publish(ctx.config, ctx.config.database, report=ctx.report)


@cli.command("refresh")
@common_options
@writer_options
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
    from citator import refresh

    signal.signal(signal.SIGTERM, _terminate)  # systemd stop / docker stop: clean up like Ctrl-C
    bars = ProgressBars(not ctx.quiet and sys.stderr.isatty())
    try:
        result = refresh.run_refresh(ctx.config, progress=bars, report=bars.report if bars.enabled else None,
                                     adopt=ctx.adopt)
    finally:
        bars.close()
    if result.status == "partial":
        sys.exit(EXIT_PARTIAL)


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@cli.command("bulk")
@common_options
@writer_options
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


def _summarise(ctx: Context, name: str, result: pipeline.StepResult, db: Any = None) -> None:
    """The command's last line. A partial run is a warning (so `--quiet` still shows it) naming each
    failing source and its first error."""
    line = f"{name} {result.status}: " + ", ".join(f"{k} {v}" for k, v in result.counts.items())
    if result.status != "partial":
        ctx.report(line)
        return
    from citator.db import runs as db_runs
    from citator.refresh import failure_summary

    failures = db_runs.run_failures(db, result.run_id) if db is not None else []
    reasons = [m for m in result.messages if m] if ctx.quiet else []  # otherwise already printed
    if reasons:
        line += "; " + "; ".join(reasons)
    if failures:
        line += "; " + failure_summary(failures)
    log.get().warning(line, extra={"run_id": result.run_id, "event": "finished", "status": result.status,
                                   "failures": failures})
    sys.exit(EXIT_PARTIAL)


@cli.command("serve")
@common_options
@writer_options
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
    from citator import pipeline
    from citator.db.web.site import serve_command

    database = ctx.config.database
    ctx.open_db(existing=True).close()
    check_can_listen(host, port)
    pipeline.publish(ctx.config, database)
    args = serve_command(database, host, port, immutable=immutable, allow_sql=not no_sql)
    # Become Datasette (same process id), so a service manager's stop signal reaches the server.
    os.execv(args[0], args)


@cli.command("status")
@common_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("-n", "--runs", "limit", default=5, show_default=True, type=click.IntRange(min=1),
              help="How many recent runs to show.")
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
    from citator.db import frontier

    database = ctx.config.database
    db = ctx.open_db(readonly=True)  # looking never writes: no migration, no mark
    data = status_report(db, database, limit)
    data["frontier"] = frontier.frontier_summary(db, int(ctx.config.crawl["depth"]))
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"database: {database}")
    for name, value in data["counts"].items():
        click.echo(f"  {name:<12} {value}")
    click.echo(_model_line(data["treatment_model"]))
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


def check_can_listen(host: str, port: int) -> None:
    """Bind (host, port) once before publishing and handing over to Datasette, so a port in use or
    out of range is one clear line and exit 1 (Datasette's server would exit 3, "partial")."""
    where = f"{host}:{port}"
    if not 0 <= port <= 65535:
        raise UserError(f"cannot serve on {where}: a port is a number from 0 to 65535; choose one with --port")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UserError(f"cannot serve on {where}: unknown host ({exc.strerror}); check --host") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind(address)
        except PermissionError:
            raise UserError(f"cannot serve on {where}: ports below 1024 need root; choose another with --port") from None
        except OSError as exc:
            if exc.errno in (98, 48):  # EADDRINUSE on Linux, macOS
                raise UserError(f"cannot serve on {where}: the port is in use (another server?); stop it or "
                                "choose another with --port") from None
            raise UserError(f"cannot serve on {where}: {exc.strerror or exc}; check --host and --port") from None


def status_report(db: Any, database: Path, limit: int = 5) -> dict[str, Any]:
    """Counts, lock holder and recent runs; `running` runs nobody is running become `interrupted`."""
    from citator.db import runs as db_runs, store

    holder = runlock.holder(database)
    runs = db_runs.recent_runs(db, limit)
    newest_running = max((r["id"] for r in runs if r["status"] == "running"), default=None)
    for run in runs:
        if run["status"] == "running" and not run["ended_at"] and (holder is None or run["id"] != newest_running):
            run["status"] = "interrupted"
        run["error_list"] = db_runs.run_errors(db, run["id"]) if run["errors"] else []
    from citator.derived import model_status

    corrections = db["corrections"].count if db["corrections"].exists() else 0  # a v8 file, read as it is
    return {"database": str(database), "counts": {**store.counts(db), "corrections": corrections},
            "lock_holder": holder, "runs": runs, "treatment_model": model_status(db)}


def _model_line(model: dict[str, Any]) -> str:
    """Which treatment model labels the references, and whether the stored labels are its."""
    line = f"treatment model: {model['installed']['description']}"
    labelled = model["labelled_with"]
    if labelled is not None and not model["current"]:
        line += f" (stored labels are from {labelled['description']}; the next refresh re-labels them)"
    return line


@cli.group("eval", cls=SharedOptionsGroup)
def eval_group() -> None:
    """Score citator against a labelled corpus (format of ../shared/corpus)."""


# Commands defined in their own modules (they import this one, so they are registered last).
from citator.cli_citations import cite as _cite, extraction as _eval_extraction  # noqa: E402
from citator.cli_correct import correct_command as _correct  # noqa: E402
from citator.cli_resolution import footnotes as _eval_footnotes, resolution as _eval_resolution  # noqa: E402
from citator.cli_treatment import train_group as _train, treatment as _eval_treatment  # noqa: E402

cli.add_command(_cite)
cli.add_command(_correct)
cli.add_command(_train)
eval_group.add_command(_eval_extraction)
eval_group.add_command(_eval_treatment)
eval_group.add_command(_eval_resolution)
eval_group.add_command(_eval_footnotes)


def main() -> None:  # pragma: no cover - console entry point
    cli()
