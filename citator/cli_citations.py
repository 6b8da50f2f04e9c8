"""Command-line commands of the citations stage: `citator cite` and `citator eval extraction`.

Wiring note for the lead engineer: `citator/cli.py` did not exist on the `citations` branch when
these commands were written, so they are not registered anywhere yet. Register them with::

    from citator.cli_citations import cite, extraction
    cli.add_command(cite)
    eval_group.add_command(extraction)      # under an `eval` group: `citator eval extraction`

(`eval_group` below is a ready-made group holding `extraction`, usable as
`cli.add_command(eval_group)` if no other `eval` group exists.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


__all__ = ["cite", "extraction", "eval_group"]

_FORMATS = ("text", "html", "xml", "auto")


def _read_input(path: str) -> tuple[str, str | None]:
    """The file's text (newlines untranslated, so offsets match the file) and its suffix."""
    if path == "-":
        data = sys.stdin.buffer.read()
        return data.decode("utf-8", errors="replace"), None
    file = Path(path)
    return file.read_bytes().decode("utf-8", errors="replace"), file.suffix.lower()


def _format_for(text: str, suffix: str | None, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    if suffix in (".html", ".htm"):
        return "html"
    if suffix == ".xml":
        return "xml"
    from citator.citations.text import detect_format

    return detect_format(text)


@click.command("cite")
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--all", "all_cases", is_flag=True, help="Report references to every case, not only the seeds.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="auto",
    show_default=True,
    help="Input format; auto decides by file suffix, then by content.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="citator.toml to read seeds from.",
)
def cite(file: str, all_cases: bool, fmt: str, config_path: str | None) -> None:
    """Print the references in one opinion FILE (or - for standard input) as JSON lines.

    Each line is one reference to a configured seed authority: its offsets into the file,
    the text as written, kind, pin cite, signal, parenthetical, footnote flag and more.

    \b
    Example:
        citator cite opinion.txt
        citator cite --all --format html opinion.html | jq .cite
    """
    from citator.citations.extract import find_references
    from citator.config import ConfigError, load_config

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        text, suffix = _read_input(file)
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from None
    references = find_references(
        text,
        config.seeds,
        fmt=_format_for(text, suffix, fmt),
        all_cases=all_cases,
    )
    for ref in references:
        data = ref.to_dict()
        data.pop("paragraph", None)  # long; the sentence gives the context
        click.echo(json.dumps(data, ensure_ascii=False))


@click.command("extraction")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option(
    "--details", is_flag=True, help="With --json, keep the lists of missed and spurious references."
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
        raise click.ClickException(f"{path} has no documents.jsonl; is it a labelled corpus?")
    scores = score_extraction(path)
    if as_json:
        if not details:
            scores = {k: v for k, v in scores.items() if k not in ("missed", "spurious")}
        click.echo(json.dumps(scores, ensure_ascii=False))
    else:
        click.echo(format_table(scores))


@click.group("eval")
def eval_group() -> None:
    """Measure citator's stages against labelled data."""


eval_group.add_command(extraction)
