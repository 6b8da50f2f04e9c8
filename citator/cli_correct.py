"""`citator correct REF_ID LABEL --note ...`: a researcher's treatment for one reference."""

from __future__ import annotations

import click

from citator.citations.models import TREATMENTS
from citator.cli_boundary import fail as _fail, handle_errors
from citator.cli_options import Context, common_options, pass_ctx
from citator.runlock import DatabaseLock


@click.command("correct")
@common_options
@click.argument("ref_id")
@click.argument("label", type=click.Choice(TREATMENTS), metavar="LABEL")
@click.option("--note", default=None, help="Why: shown with the correction on the site.")
@pass_ctx
@handle_errors
def correct_command(ctx: Context, ref_id: str, label: str, note: str | None) -> None:
    """Correct the treatment of reference REF_ID to LABEL.

    REF_ID is the reference's id (column `id` of citations, `reference_id` of citing_references).
    The correction overrides the model on the site at once, survives every refresh and
    re-extraction, and is a training row for `citator train`.

    \b
    Example:
        citator correct 3f9a0c1d2e4b5a6c7d8e distinguished --note "facts differ: export licensing, not code"
    """
    from citator.corrections import UnknownReference, correct

    database = ctx.config.database
    if not database.exists():
        _fail(f"no database at {database}; run `citator refresh` first")
    with DatabaseLock(database, command="correct"):
        db = ctx.open_db()
        try:
            stored = correct(db, ref_id, label, note)
        except UnknownReference:
            _fail(f"no reference {ref_id} in {database}: reference ids are the id column of citations")
            return
    ctx.report(f"corrected {ref_id} ({stored['as_written']}): {stored['model_treatment']} -> {label}")
