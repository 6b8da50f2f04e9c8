"""`citator eval resolution` and `citator eval footnotes`: scores on references read in real text.

Both read a corpus in the format of `../shared/treatment` (documents.jsonl, references.jsonl
with `resolution_ok`, `actually_refers_to` and `in_footnote`, texts/).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import click

__all__ = ["resolution", "footnotes"]


def _check(path: str) -> None:
    if not (Path(path) / "references.jsonl").exists() or not (Path(path) / "documents.jsonl").exists():
        raise click.ClickException(
            f"{path} has no documents.jsonl and references.jsonl; is it a labelled corpus such as ../shared/treatment?"
        )


def _report(scores: dict, render: Callable[[dict], str], as_json: bool, *, details_key: str | None) -> None:
    """Print `scores` as one JSON object (without the list under `details_key`, when given) or as
    `render`'s table."""
    if not as_json:
        click.echo(render(scores))
        return
    if details_key:
        scores.pop(details_key, None)
    click.echo(json.dumps(scores, ensure_ascii=False))


@click.command("resolution")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--details", is_flag=True, help="With --json, keep the list of wrongly resolved references.")
@click.option(
    "--bulk",
    "bulk_dir",
    type=click.Path(exists=True, file_okay=False),
    help="Also count how often each id. rule fires in the opinion dumps of this folder that are not in PATH.",
)
def resolution(path: str, as_json: bool, details: bool, bulk_dir: str | None) -> None:
    """Score short-cite and id. resolution against references labelled in real opinions at PATH.

    For each labelled reference, citator reads the opinion as `citator cite --all` does and is
    right when it resolves the citation to the case the label names (or, for an id. of a statute
    or the record, to no case). Plain eyecite's figures are the labelled ones. Figures are given
    for all documents and for each half of a split by document (dev / held-out). A set labelled
    in full (each row's `refers_to_kind` says "case" or "non-case", as in
    tests/citations/fresh_sets/ids) is scored as a whole against those labels, split by what the
    rows refer to instead of by halves.

    \b
    Example:
        citator eval resolution ../shared/treatment
        citator eval resolution ../shared/treatment --json | jq '.scopes.all.id'
        citator eval resolution ../shared/treatment --bulk ../shared/bulk
        python -m tests.citations.fresh_sets.id_set ../shared/bulk/ca1-opinions.jsonl.gz /tmp/ids
        citator eval resolution /tmp/ids
    """
    from citator.evaluate_resolution import (
        format_id_rule_usage,
        format_resolution,
        id_rule_usage,
        score_resolution,
    )

    _check(path)
    scores = score_resolution(path)
    if bulk_dir is None:
        _report(scores, format_resolution, as_json, details_key="misses" if not details else None)
        return
    scores["id_rules"] = id_rule_usage(path, bulk_dir)
    _report(
        scores,
        lambda s: format_resolution(s) + "\n\n" + format_id_rule_usage(s["id_rules"]),
        as_json,
        details_key="misses" if not details else None,
    )


@click.command("footnotes")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--details", is_flag=True, help="With --json, keep the list of disagreeing references.")
@click.option(
    "--bulk",
    "bulk_dir",
    type=click.Path(exists=True, file_okay=False),
    help="Also count where the footnotes of the opinion dumps in this folder (those not in PATH) are read.",
)
def footnotes(path: str, as_json: bool, details: bool, bulk_dir: str | None) -> None:
    """Score footnote detection against the `in_footnote` labels of a corpus at PATH.

    \b
    Example:
        citator eval footnotes ../shared/treatment
        citator eval footnotes ../shared/treatment --json | jq '.scopes.all.accuracy'
        citator eval footnotes ../shared/treatment --bulk ../shared/bulk
    """
    from citator.evaluate_resolution import (
        format_footnotes,
        format_note_placement,
        note_placement,
        score_footnotes,
    )

    _check(path)
    scores = score_footnotes(path)
    render = format_footnotes
    if bulk_dir is not None:
        scores["placement"] = note_placement(path, bulk_dir)
        render = lambda s: format_footnotes(s) + "\n\n" + format_note_placement(s["placement"])  # noqa: E731
    _report(scores, render, as_json, details_key="wrong" if not details else None)
