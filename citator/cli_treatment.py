"""`citator eval treatment PATH`: score the treatment classifier on a labelled corpus.

The lead wires `treatment` into the `eval` group of citator/cli.py; the command object is usable on
its own (and is tested with click's CliRunner).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from citator.citations.models import TREATMENTS

_SHORT = {
    "followed": "foll",
    "relied_on": "reli",
    "cited_neutral": "neut",
    "distinguished": "dist",
    "criticized_or_declined": "crit",
    "noted_withdrawn": "wdrn",
}


def render_report(result: dict) -> str:
    """Human-readable confusion matrix (rows = truth, columns = predicted) and per-label table."""
    lines = [
        f"mode: {result['mode']}   scored: {result['scored']}   missed: {result['missed']}   "
        f"accuracy: {result['accuracy']:.3f}   macro-F1: {result['macro_f1']:.3f}",
        f"followed/relied_on <-> criticized_or_declined confusions: {result['forbidden_confusions']}",
        "",
        "confusion (rows: truth, columns: predicted)",
        " " * 24 + "".join(f"{_SHORT[p]:>6}" for p in TREATMENTS),
    ]
    for truth in TREATMENTS:
        row = result["confusion"][truth]
        lines.append(f"{truth:<24}" + "".join(f"{row[p]:>6}" for p in TREATMENTS))
    lines += ["", f"{'label':<24}{'prec':>7}{'rec':>7}{'f1':>7}{'support':>9}"]
    for label in TREATMENTS:
        stats = result["per_label"][label]
        lines.append(
            f"{label:<24}{stats['precision']:>7.3f}{stats['recall']:>7.3f}{stats['f1']:>7.3f}{stats['support']:>9}"
        )
    per_doc = result.get("per_document") or {}
    if per_doc:
        lines += ["", f"{'document':<34}{'refs':>6}{'right':>7}{'acc':>7}{'m-F1':>7}"]
        for slug, stats in per_doc.items():
            lines.append(
                f"{slug:<34}{stats['scored']:>6}{stats['correct']:>7}{stats['accuracy']:>7.3f}{stats['macro_f1']:>7.3f}"
            )
    return "\n".join(lines)


@click.command(name="treatment")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option("--gold", is_flag=True, help="Classify the labelled spans themselves (no extraction).")
@click.option("--errors", "show_errors", is_flag=True, help="Also list misclassified references with evidence.")
def treatment(path: Path, as_json: bool, gold: bool, show_errors: bool) -> None:
    """Score the treatment classifier against the labelled corpus at PATH.

    PATH holds documents.jsonl, references.jsonl and texts/ (the layout of shared/corpus). By
    default the real extractor finds the references and labelled references it misses are
    counted as `missed`; --gold classifies the labelled spans directly. The table ends with a
    per-document breakdown: a rule that only helps one opinion's wording shows up there.

    \b
    Example:
      citator eval treatment ../shared/corpus --gold
      citator eval treatment ../shared/corpus --json > treatment.json
    """
    from citator.evaluate_treatment import score_treatment

    result = score_treatment(path, gold=gold)
    if as_json:
        if not show_errors:
            result = {k: v for k, v in result.items() if k != "errors"}
        click.echo(json.dumps(result, indent=None, sort_keys=True))
        return
    click.echo(render_report(result))
    if show_errors:
        click.echo("")
        for err in result["errors"]:
            click.echo(
                f"{err['doc']}@{err['start']} {' '.join(err['as_written'].split())!r}: "
                f"{err['truth']} -> {err['predicted']}"
            )
            for item in err["evidence"]:
                click.echo(f"    {item}")
