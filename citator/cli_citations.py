"""Command-line commands of the citations stage: `citator cite` (checking a brief) and
`citator eval extraction`.

`cite` only wires options to the brief-checking modules: `citator.brief_input` (reading the
file), `citator.brief_check` (references, statuses, warnings, quotations), `citator.brief_toa`
(table of authorities), `citator.brief_report` (output) and `citator.db.brief_lookup` (--db).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from citator.brief_report import OUTPUTS
from citator.cli_options import Context, common_options, pass_ctx

__all__ = ["cite", "extraction"]

_FORMATS = ("text", "html", "xml", "auto")

#: Exit codes of `citator cite`: 1 also for --strict with warnings; 2 for input it cannot read.
EXIT_WARNINGS, EXIT_UNREADABLE = 1, 2


#: The help's example; tests/cli/test_cite_report.py runs it and compares the output.
CITE_EXAMPLE_BRIEF = """\
Source code is speech. See Bernstein v. U.S. Dep't of Justice, 176 F.3d
1132, 1141 (9th Cir. 1999). Cryptographers use it "to express their
scientific ideas." Id. at 1141.
"""

CITE_EXAMPLE_OUTPUT = """\
line:col  authority                  form  pin   signal  parenthetical  warnings
--------  -------------------------  ----  ----  ------  -------------  ----------------------------
1:28      Bernstein v. U.S. Dep't …  full  1141  see                    WITHDRAWN, history not given
3:20      Bernstein v. U.S. Dep't …  id    1141                         WITHDRAWN, history not given

brief.txt (text): 2 references to 1 authority; 1 warning (add --db for the database's treatment and quotation checks)
WARNING: 176 F.3d 1132 was withdrawn (rehearing en banc granted; panel opinion withdrawn, 192 F.3d 1308); the brief cites it without that history at lines 1 and 3
1 quotation captured, not checked (--db checks them against the cited opinions)
"""


def _example() -> str:
    """The help's epilog; every paragraph is marked (\\b) so that click prints it unwrapped."""

    def indent(text: str) -> str:
        return "".join(("    " + line if line else "\b") + "\n" for line in text.splitlines())

    return (
        "\b\nExample (brief.txt holds the three lines cat prints):\n"
        "    $ cat brief.txt\n" + indent(CITE_EXAMPLE_BRIEF)
        + "    $ citator cite brief.txt --output table\n" + indent(CITE_EXAMPLE_OUTPUT)
        + "\n\b\nMore:\n"
        "    citator cite brief.docx --db citator.db --strict   # CI: exit 1 on any warning\n"
        "    citator cite brief.pdf --all --toa                  # table of authorities, by page\n"
        "    citator cite - --output json < brief.md | jq '.summary'\n"
    )


@click.command("cite", epilog=_example())
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--all", "all_cases", is_flag=True,
              help="Report references to every case, not only the seeds (and, with --toa, statutes and articles).")
@click.option("--output", "output", type=click.Choice(OUTPUTS), default=None,
              help="table (the default on a terminal), json, jsonl (the default otherwise: one reference a line) or csv.")
@click.option("--toa", is_flag=True, help="Print a table of authorities instead of the references.")
@click.option("--passim", type=click.IntRange(min=0), default=None,
              help="With --toa, write \"passim\" for an authority cited in this many places or more "
                   "(default 5, or [cite] passim in citator.toml; 0: never).")
@click.option("--strict", is_flag=True, help="Exit 1 when any warning is raised (for CI checks of briefs).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="auto",
    show_default=True,
    help="How to read a text input; auto decides by content (.docx and .pdf are always recognised).",
)
@common_options(db_help="citator database to consult, read-only: statuses, negative treatment, withdrawn risk "
                        "and the cited opinions' text for quotation checks (none unless given).")
@pass_ctx
def cite(ctx: Context, file: str, all_cases: bool, output: str | None, toa: bool, passim: int | None,
         strict: bool, fmt: str) -> None:
    """Check a brief (FILE, or - for standard input): every reference to the seed authorities
    (with --all, to every case), where it is, and what is wrong with it.

    Reads .txt, .md, .html, .docx and .pdf, recognised by content. Each reference carries its
    line and column (in a .docx its paragraph, in a PDF its page and the line on that page),
    its offsets, the text as written, form, pin cite, signal, parenthetical and warnings: a
    withdrawn, vacated or reversed authority cited without that history, an authority that
    relies on a withdrawn one, a quotation the cited opinion does not hold as written. A
    summary of the warnings ends the report (on standard error for jsonl and csv).

    The seeds come from --config (or $CITATOR_CONFIG, or ./citator.toml). With --db the database
    is opened read-only and never changed; $CITATOR_DB is not consulted. --quiet leaves out the
    summary that jsonl and csv print on standard error. Exit codes: 0 checked,
    warnings or not; 1 with --strict when any warning was raised, or when the database cannot
    be read; 2 when FILE is not a brief citator can read (binary or unsupported).
    """
    from citator.brief_check import check_brief
    from citator.brief_input import UnsupportedInput, read_brief
    from citator.brief_report import render_references, render_toa
    from citator.brief_toa import build_toa
    from citator.config import ConfigError

    try:
        config = ctx.config
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    settings = config.data["cite"]  # every key present: defaults come from default_config.toml
    try:
        max_bytes = int(float(settings["max_input_mb"]) * 1048576)
        default_passim = int(settings["passim"])
    except (TypeError, ValueError):
        raise click.ClickException("configuration error: [cite] max_input_mb and passim must be numbers") from None
    name = "standard input" if file == "-" else file
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from None
    try:
        document = read_brief(data, name, max_bytes=max_bytes)
    except UnsupportedInput as exc:
        click.echo(f"citator cite: {name} is {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    if fmt != "auto" and document.kind in ("text", "html", "xml", "markdown"):
        document.fmt = fmt
    lookup = None
    db_path = ctx.db_override  # only a database named on the command line
    if db_path:
        from citator.db.brief_lookup import BriefLookup, DatabaseUnavailable, open_read_only

        try:
            lookup = BriefLookup(open_read_only(db_path))
        except DatabaseUnavailable as exc:
            raise click.ClickException(str(exc)) from None
    import sqlite3

    try:
        check = check_brief(document, config.seeds, all_cases=all_cases, lookup=lookup)
    except sqlite3.Error as exc:  # a database locked or changed under us
        raise click.ClickException(f"cannot read the database {db_path}: {exc}") from None
    finally:
        if lookup is not None:
            lookup.conn.close()
    if output is None:
        output = "table" if sys.stdout.isatty() else "jsonl"
    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100
    if toa:
        threshold = passim if passim is not None else default_passim
        out, err = render_toa(check, build_toa(check, threshold), output, width)
    else:
        out, err = render_references(check, output, width)
    click.echo(out, nl=False)
    if err and not ctx.quiet:
        sys.stdout.flush()
        click.echo(err, nl=False, err=True)
    if strict and check.warning_count:
        sys.exit(EXIT_WARNINGS)


@click.command("extraction")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option(
    "--details",
    is_flag=True,
    help="With --json, keep the lists of missed and spurious references, and of found ones whose pin, signal, "
    "kind, parenthetical, footnote flag or opinion part disagree with the label.",
)
def extraction(path: str, as_json: bool, details: bool) -> None:
    """Score citation extraction against a labelled corpus at PATH.

    PATH holds documents.jsonl, references.jsonl, negatives.jsonl and texts/ (the format of
    the project's shared corpus). Prints recall, precision, pin-cite, kind and signal accuracy,
    overall and per reference kind.

    \b
    Example:
        citator eval extraction ../shared/corpus
        citator eval extraction ../shared/corpus --json | jq .recall
    """
    from citator.evaluate import format_table, score_extraction

    if not (Path(path) / "documents.jsonl").exists():
        raise click.BadParameter(f"{path} has no documents.jsonl; is it a labelled corpus?", param_hint="PATH")
    scores = score_extraction(path)
    if as_json:
        if not details:
            scores = {k: v for k, v in scores.items() if k not in ("missed", "spurious", "mismatched")}
        click.echo(json.dumps(scores, ensure_ascii=False))
    else:
        click.echo(format_table(scores))
