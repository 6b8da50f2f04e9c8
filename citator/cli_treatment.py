"""`citator eval treatment CORPUS...` and `citator train treatment CORPUS...`.

The eval scores the treatment classifier on labelled corpora (the layout of shared/corpus):
on the extractor's references (default) or on the labelled spans (`--gold`), under grouped K-fold
cross-validation by document (`--cv K`), or trained on some corpora and tested on others
(`--train A --test B`). Cross-validated runs also score the hand-set rule baseline on the same
documents so the two read side by side. The train command rebuilds citations/treatment_model.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from citator.citations.models import TREATMENTS
from citator.cli_options import Context, common_options, pass_ctx
from citator.errors import ExitCode

_SHORT = {
    "followed": "foll",
    "relied_on": "reli",
    "cited_neutral": "neut",
    "distinguished": "dist",
    "criticized_or_declined": "crit",
    "noted_withdrawn": "wdrn",
}
EXIT_FAILED = ExitCode.FAILED
EXIT_USAGE = ExitCode.USAGE


def render_report(result: dict) -> str:
    """Human-readable confusion matrix (rows = truth, columns = predicted) and per-label table."""
    interval = result.get("macro_f1_95")
    macro = f"macro-F1: {result['macro_f1']:.3f}" + (f" (95% CI over documents {interval[0]:.3f}-{interval[1]:.3f})" if interval else "")
    lines = [
        f"mode: {result['mode']}   scored: {result['scored']}   missed: {result['missed']}   "
        f"accuracy: {result['accuracy']:.3f}   {macro}",
    ]
    if "brier" in result:
        lines.append(f"calibration: Brier {result['brier']:.4f}   expected calibration error {result['ece']:.4f}")
    lines += [
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


def render_comparison(model: dict, rules: dict) -> str:
    """The trained model and the hand-set rules on the same documents, side by side."""
    def row(name: str, a: float, b: float) -> str:
        return f"{name:<28}{a:>10.3f}{b:>10.3f}"

    lines = ["", f"{'same documents, same folds':<28}{'model':>10}{'rules':>10}"]
    lines.append(f"{'macro-F1':<28}{model['macro_f1']:>10.3f}{rules['macro_f1']:>10.3f}")
    lines.append(
        f"{'  95% interval':<28}{'%.3f-%.3f' % tuple(model['macro_f1_95']):>12}{'%.3f-%.3f' % tuple(rules['macro_f1_95']):>12}"
    )
    lines.append(row("accuracy", model["accuracy"], rules["accuracy"]))
    for label in TREATMENTS:
        lines.append(row(f"F1 {label}", model["per_label"][label]["f1"], rules["per_label"][label]["f1"]))
    lines.append(row("Brier", model["brier"], rules["brier"]))
    lines.append(row("ECE", model["ece"], rules["ece"]))
    lines.append(f"{'forbidden confusions':<28}{model['forbidden_confusions']:>10}{rules['forbidden_confusions']:>10}")
    return "\n".join(lines)


def _fail(message: str, code: int) -> None:
    if code == EXIT_USAGE:
        context = click.get_current_context(silent=True)
        message += f"; see `{context.command_path if context else 'citator'} --help`"
    click.echo(f"citator: {message}", err=True)
    sys.exit(code)


def _check(paths: tuple[Path, ...]) -> None:
    from citator.evaluate_treatment import CorpusError, check_corpus

    for path in paths:
        try:
            check_corpus(path)
        except CorpusError as exc:
            _fail(str(exc), EXIT_USAGE)


@click.command(name="treatment")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option("--gold", is_flag=True, help="Classify the labelled spans themselves (no extraction).")
@click.option("--cv", "folds", type=click.IntRange(min=2), help="Grouped K-fold cross-validation by document (implies --gold).")
@click.option("--train", "train_paths", multiple=True, type=click.Path(path_type=Path), help="Train on this corpus (repeatable) ...")
@click.option("--test", "test_paths", multiple=True, type=click.Path(path_type=Path), help="... and score on this one (implies --gold).")
@click.option("--train-also", "extra_paths", multiple=True, type=click.Path(path_type=Path),
              help="With --cv: add this corpus (repeatable) to every training fold; it is never scored.")
@click.option("--no-baseline", is_flag=True, help="With --cv or --train/--test: skip scoring the hand-set rules.")
@click.option("--errors", "show_errors", is_flag=True, help="Also list misclassified references with evidence.")
def treatment(paths: tuple[Path, ...], as_json: bool, gold: bool, folds: int | None, train_paths: tuple[Path, ...],
              test_paths: tuple[Path, ...], extra_paths: tuple[Path, ...], no_baseline: bool, show_errors: bool) -> None:
    """Score the treatment classifier against labelled corpora at PATHS.

    Each PATH holds documents.jsonl, references.jsonl and texts/ (the layout of shared/corpus).
    Without --cv the shipped model labels the corpus: if the model was trained on it, that is a
    training-set score, not accuracy. --cv K trains on K-1 groups of documents and scores the
    held-back group, over all PATHS together; --train/--test trains on some corpora and scores
    others. Both also score the hand-set rules on the same documents (the baseline). Rows whose
    resolution_ok is false count as references to actually_refers_to. --train-also adds corpora to
    every training fold of --cv without scoring them, so a new labelled set can be judged by what it
    adds on the documents the figures have always been taken on.

    \b
    Example:
      citator eval treatment ../shared/treatment ../shared/corpus --cv 5
      citator eval treatment --train ../shared/treatment --test ../shared/corpus
      citator eval treatment ../shared/corpus --gold
      citator eval treatment ../shared/treatment ../shared/corpus --cv 5 --train-also NEW
    """
    from citator.citations.treatment_model import ModelError, load_model
    from citator.evaluate_treatment import CorpusError, cross_validate, load_corpora, score_treatment, train_test
    from citator.train_treatment import fit_model

    _check(paths + train_paths + test_paths + extra_paths)
    if not paths and not (train_paths and test_paths):
        _fail("give a corpus folder, or both --train and --test", EXIT_USAGE)
    if extra_paths and not folds:
        _fail("--train-also needs --cv (with --train/--test, give the corpus as one more --train)", EXIT_USAGE)
    try:
        if folds or (train_paths and test_paths):
            if folds:
                docs = load_corpora(paths)
                result = cross_validate(docs, folds, fit=fit_model, extra=load_corpora(extra_paths))
                baseline = None if no_baseline else cross_validate(docs, folds, rules=True)
            else:
                train, test = load_corpora(train_paths), load_corpora(test_paths)
                result = train_test(train, test, fit=fit_model)
                baseline = None if no_baseline else train_test(train, test, rules=True)
            _print(result, baseline, as_json, show_errors)
            return
        if len(paths) != 1:
            _fail("without --cv, give one corpus folder", EXIT_USAGE)
        result = score_treatment(paths[0], gold=gold)
        if _trained_on(paths[0], load_model().data.get("trained_on", [])):
            result["note"] = (f"the shipped model was trained on {paths[0].resolve().name}: this is a training-set "
                              "score, not accuracy; use --cv or --train/--test")
    except (CorpusError, ValueError) as exc:
        _fail(str(exc), EXIT_USAGE)
    except ModelError as exc:
        _fail(str(exc), EXIT_FAILED)
    _print(result, None, as_json, show_errors)


def _trained_on(corpus: Path, trained_on: list[dict[str, Any]]) -> bool:
    """Whether the model's training data holds this corpus: the same folder name with the same
    number of labelled documents and references (a name alone would flag any folder that happens to
    share it, such as a test set called "treatment")."""
    rows = [json.loads(line) for line in (corpus / "references.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    mine = {"corpus": corpus.resolve().name, "documents": len({row.get("doc") for row in rows}), "references": len(rows)}
    return any(all(entry.get(k) == v for k, v in mine.items()) for entry in trained_on)


def _print(result: dict[str, Any], baseline: dict[str, Any] | None, as_json: bool, show_errors: bool) -> None:
    if as_json:
        out = {k: v for k, v in result.items() if show_errors or k != "errors"}
        if baseline is not None:
            out["baseline_rules"] = {k: v for k, v in baseline.items() if k != "errors"}
        click.echo(json.dumps(out, indent=None, sort_keys=True))
        return
    if result.get("note"):
        click.echo(f"note: {result['note']}")
    click.echo(render_report(result))
    if baseline is not None:
        click.echo(render_comparison(result, baseline))
    if show_errors:
        click.echo("")
        for err in result["errors"]:
            click.echo(
                f"{err['doc']}@{err['start']} {' '.join(err['as_written'].split())!r}: "
                f"{err['truth']} -> {err['predicted']}"
            )
            for item in err["evidence"]:
                click.echo(f"    {item}")


@click.group(name="train")
def train_group() -> None:
    """Fit citator's trained components from labelled corpora."""


@train_group.command(name="treatment")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the model (default: the shipped citations/treatment_model.json).")
@common_options(db_help="Also train on the researcher corrections (`citator correct`) stored in this citator "
                        "database (only when given; $CITATOR_DB is not read).")
@pass_ctx
def train_treatment_command(ctx: Context, paths: tuple[Path, ...], output: Path | None) -> None:
    """Rebuild the treatment model from labelled corpora, deterministically.

    Fits the weights of every named feature (lexicon cues, signal, speaker, contrast, n-grams,
    ...) on all references of the corpora, computes grouped 5-fold cross-validated figures, and
    writes both to the model file. Run it after adding a cue to citations/treatment_lexicon.toml:
    until then the new cue is reported as untrained and does not change labels.

    With --db, every correction in that database becomes one more labelled reference (its
    opinion is one more document in the cross-validation); the model file then names the
    corrections among what it was trained on, so it is no longer the shipped one.

    \b
    Example:
      citator train treatment ../shared/treatment ../shared/corpus
      citator train treatment ../shared/treatment ../shared/corpus --db citator.db --output my_model.json
    """
    from citator.citations.treatment_model import model_path
    from citator.evaluate_treatment import CorpusError
    from citator.train_treatment import dumps, train

    _check(paths)
    db_path = Path(ctx.db_override) if ctx.db_override else None
    extra = _correction_documents(db_path) if db_path is not None else []
    try:
        model = train(paths, extra=extra)
    except (CorpusError, ValueError) as exc:
        _fail(str(exc), EXIT_USAGE)
    target = output or model_path()
    try:
        target.write_text(dumps(model), encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {target}: {exc.strerror or exc}", EXIT_FAILED)
    cv = model["cross_validation"]
    click.echo(
        f"wrote {target}: {len(model['features'])} features, trained on "
        + ", ".join(f"{t['corpus']} ({t['documents']} documents, {t['references']} references)" for t in model["trained_on"])
        + f"; grouped {cv['folds']}-fold CV macro-F1 {cv['macro_f1']:.3f} "
        f"(95% {cv['macro_f1_95'][0]:.3f}-{cv['macro_f1_95'][1]:.3f}), accuracy {cv['accuracy']:.3f}"
    )


def _correction_documents(db_path: Path) -> list[Any]:
    """The corrections of a citator database as training documents; one line and exit 2 when
    the file is missing or is not a citator database."""
    import sqlite3

    from citator.db.files import open_readonly_as_is
    from citator.train_treatment import correction_documents

    if not db_path.is_file():
        _fail(f"{db_path}: no such database (give the citator database whose corrections to train on)", EXIT_USAGE)
    try:
        db = open_readonly_as_is(db_path)
        if "corrections" not in db.table_names():
            _fail(f"{db_path}: not a citator database with corrections (no corrections table)", EXIT_USAGE)
        return correction_documents(db)
    except sqlite3.DatabaseError as exc:
        _fail(f"{db_path}: cannot read corrections ({exc})", EXIT_USAGE)
    return []
