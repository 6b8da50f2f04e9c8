"""A small citator database for the site tests, written through db/store.py.

INVENTED DATA. Every citing case below (names, courts' words, reporter citations such as
9001 F.3d 10) is made up for citator's tests and is not a real decision. Only the seeds'
citations (176 F.3d 1132, 922 F. Supp. 1426) are real; the seed "opinions" are placeholders.
One invented opinion carries hostile markup (a <script>, an onerror= handler) to prove the
site never renders harvested text as live markup.
"""

from __future__ import annotations

import re
from pathlib import Path

from citator.citations.models import TREATMENT_RANKING, Reference
from citator.config import load_config
from citator.derived import rebuild_withdrawn_risk
from citator.db import corpus as db_corpus, records, references, runs as db_runs, store
from citator.db.ranking import store_ranking
from citator.db.web.site import publish_site

#: Hostile markup planted in an invented opinion, its reference context and its case name.
SCRIPT = "<script>alert('planted')</script>"
ONERROR = '<img src="x" onerror="alert(1)">'
HOSTILE_URL = "javascript:alert('planted-link')"

SEED_9TH_CASE = "cl:cluster:100000"
SEED_1_CASE = "cl:cluster:100001"
CASE_A = "cl:cluster:200001"  # follows bernstein-9th, does not note the withdrawal (INVENTED)
CASE_B = "cl:cluster:200002"  # distinguishes it and notes the withdrawal (INVENTED)
CASE_C = "cl:cluster:200003"  # declines to follow it; found by an older run (INVENTED)
CASE_D = "cl:cluster:200004"  # cites case A only: second-degree reliance (INVENTED)
CASE_E = "cl:cluster:200005"  # carries hostile markup (INVENTED)
CASE_F = "cl:cluster:200006"  # a full cite wrapping across a line, a pin range, a repeated name (INVENTED)

# INVENTED opinion texts.
TEXT_A = (
    "<p>INVENTED TEXT FOR TESTS. Source code is an expressive means of exchanging ideas. "
    "<i>See</i> Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999) "
    "(holding that encryption source code is protected speech). We agree. The panel also explained "
    "the licensing scheme, 176 F.3d at 1145, and the district court had said as much, "
    "Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426, 1436 (N.D. Cal. 1996).</p>"
)
TEXT_B = (
    "INVENTED TEXT FOR TESTS. Appellants rely on Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132 "
    "(9th Cir. 1999), reh'g en banc granted, opinion withdrawn, 192 F.3d 1308. That case is "
    "distinguishable: it concerned a licensing scheme, not a disclosure rule. 176 F.3d at 1141."
)
TEXT_C = (
    "INVENTED TEXT FOR TESTS. We decline to follow Bernstein v. U.S. Dep't of Justice, "
    "176 F.3d 1132, 1141 (9th Cir. 1999), whose reasoning we find unpersuasive here."
)
TEXT_D = (
    "INVENTED TEXT FOR TESTS. As the Sixth Circuit explained in Testcase v. Example Agency, "
    "9001 F.3d 10, 14 (6th Cir. 2000), code can be speech."
)
TEXT_E = (
    f"<p>INVENTED TEXT FOR TESTS. {SCRIPT} The court considered Bernstein v. U.S. Dep't of Justice, "
    f"176 F.3d 1132, 1137 (9th Cir. 1999). {ONERROR}</p>"
)
# INVENTED: the full cite wraps across a line in the stored text (its paragraph, as contexts are
# stored, has a space there); "Bernstein" occurs three times and only the last is a reference.
TEXT_F = (
    "INVENTED TEXT FOR TESTS. Bernstein is often cited, and rightly so. The district court in "
    "Bernstein v. U.S. Dep't of State, 945 F. Supp.\n1279, 1289-90 (N.D. Cal. 1996), held that the "
    "regulations were a prior restraint. As Bernstein explained, licensing without standards fails."
)
WRAPPED_CITE = "945 F. Supp.\n1279, 1289-90"


def _ref(text: str, as_written: str, authority_key: str | None, **fields) -> Reference:
    start = text.index(as_written)
    return Reference(start=start, end=start + len(as_written), as_written=as_written,
                     authority_key=authority_key, **fields)


def _case(db, case_id: str, name: str, court_id: str, court: str, date: str, cite: str, depth: int, run_id: int) -> None:
    number = case_id.rsplit(":", 1)[1]
    db_corpus.upsert_case(
        db,
        records.CaseRecord(id=case_id, name=name, source="courtlistener", source_id=number,
                         url=f"https://www.courtlistener.com/opinion/{number}/x/", court_id=court_id, court=court,
                         decision_date=date, citations=[(cite, "official")], depth=depth),
        run_id=run_id,
    )


def _opinion(db, case_id: str, number: int, text: str, fmt: str) -> str:
    opinion_id = f"cl:opinion:{number}"
    db_corpus.upsert_opinion(db, records.OpinionRecord(
        id=opinion_id, case_id=case_id, text=text, text_format=fmt,
        text_field="html_with_citations" if fmt == "html" else "plain_text",
        source="courtlistener", source_id=str(number)))
    return opinion_id


def build_site_db(path: Path) -> Path:
    """Write the invented corpus to `path`, publish it (views, search, metadata) and return the path."""
    db = store.open_database(path)
    store_ranking(db, TREATMENT_RANKING)  # as the glue hands it over at every extraction and publish
    seeds = load_config(None, environ={}).seeds
    old_run = db_runs.start_run(db, "refresh")
    new_run = db_runs.start_run(db, "refresh")
    db["runs"].update(old_run, {"started_at": "2024-01-02T03:04:05+00:00", "ended_at": "2024-01-02T03:05:00+00:00", "status": "ok"})

    _case(db, SEED_9TH_CASE, "Bernstein v. United States Department of Justice", "ca9",
          "Court of Appeals for the Ninth Circuit", "1999-05-06", "176 F.3d 1132", 0, old_run)
    _case(db, SEED_1_CASE, "Bernstein v. United States Department of State", "cand",
          "District Court, N.D. California", "1996-04-15", "922 F. Supp. 1426", 0, old_run)
    _opinion(db, SEED_9TH_CASE, 300000, "<p>[Placeholder text standing in for the panel opinion.]</p>", "html")
    _case(db, CASE_A, "Testcase v. Example Agency", "ca6", "Court of Appeals for the Sixth Circuit",
          "2000-04-04", "9001 F.3d 10", 1, new_run)
    _case(db, CASE_B, "Sample Coders v. Department of Examples", "cadc", "Court of Appeals for the D.C. Circuit",
          "2001-02-03", "9002 F.3d 20", 1, new_run)
    _case(db, CASE_C, "Placeholder v. Hypothetical Board", "nysd", "District Court, S.D. New York",
          "2002-06-07", "9003 F. Supp. 2d 30", 1, old_run)
    _case(db, CASE_D, "Derivative v. Secondary Office", "ca2", "Court of Appeals for the Second Circuit",
          "2005-09-10", "9004 F.3d 40", 2, new_run)
    _case(db, CASE_E, f"Markup v. Injection Board {SCRIPT}", "ca9", "Court of Appeals for the Ninth Circuit",
          "2006-01-01", "9005 F.3d 50", 1, new_run)
    db_corpus.store_authorities(db, seeds)
    cited = {row["key"]: row["case_id"] for row in db.query("select key, case_id from authorities")}

    op_a = _opinion(db, CASE_A, 400001, TEXT_A, "html")
    para_a = re.sub("<[^>]+>", "", TEXT_A)  # contexts are plain text, as the extractor stores them
    references.replace_references(db, op_a, CASE_A, [
        _ref(TEXT_A, "176 F.3d 1132, 1141", "bernstein-9th", kind="full", cite="176 F.3d 1132", pin_cite="1141",
             signal="see", parenthetical="holding that encryption source code is protected speech",
             sentence="See Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999).",
             paragraph=para_a, treatment="followed", confidence=0.9, evidence=("we agree",),
             extra={"relies_on_withdrawn": True}),
        _ref(TEXT_A, "176 F.3d at 1145", "bernstein-9th", kind="short", cite="176 F.3d 1132", pin_cite="1145",
             sentence="The panel also explained the licensing scheme, 176 F.3d at 1145.", paragraph=para_a,
             treatment="relied_on", confidence=0.7, quotation="the licensing scheme", extra={"relies_on_withdrawn": True}),
        _ref(TEXT_A, "922 F. Supp. 1426, 1436", "bernstein-1", kind="full", cite="922 F. Supp. 1426", pin_cite="1436",
             sentence="the district court had said as much", paragraph=para_a, treatment="cited_neutral", confidence=0.6),
    ], cited_case_ids=cited, run_id=new_run)
    db["case_treatments"].upsert({"citing_case_id": CASE_A, "authority_key": "bernstein-9th", "treatment": "followed",
                                  "depth": "examined", "references_count": 2}, pk=("citing_case_id", "authority_key"))

    op_b = _opinion(db, CASE_B, 400002, TEXT_B, "text")
    references.replace_references(db, op_b, CASE_B, [
        _ref(TEXT_B, "176 F.3d 1132", "bernstein-9th", kind="full", cite="176 F.3d 1132",
             subsequent_history="reh'g en banc granted, opinion withdrawn, 192 F.3d 1308",
             sentence=TEXT_B.split(". ")[1], paragraph=TEXT_B, treatment="noted_withdrawn", confidence=0.95),
        _ref(TEXT_B, "176 F.3d at 1141", "bernstein-9th", kind="short", cite="176 F.3d 1132", pin_cite="1141",
             sentence="That case is distinguishable: it concerned a licensing scheme, not a disclosure rule.",
             paragraph=TEXT_B, treatment="distinguished", confidence=0.8, evidence=("distinguishable",)),
    ], cited_case_ids=cited, run_id=new_run)

    op_c = _opinion(db, CASE_C, 400003, TEXT_C, "text")
    references.replace_references(db, op_c, CASE_C, [
        _ref(TEXT_C, "176 F.3d 1132, 1141", "bernstein-9th", kind="full", cite="176 F.3d 1132", pin_cite="1141",
             sentence=TEXT_C, paragraph=TEXT_C, treatment="criticized_or_declined", confidence=0.85,
             evidence=("decline to follow",)),
    ], cited_case_ids=cited, run_id=old_run)

    op_d = _opinion(db, CASE_D, 400004, TEXT_D, "text")
    references.replace_references(db, op_d, CASE_D, [
        _ref(TEXT_D, "9001 F.3d 10, 14", None, kind="full", cite="9001 F.3d 10", pin_cite="14",
             sentence=TEXT_D, paragraph=TEXT_D, treatment="followed", confidence=0.6),
    ], cited_case_ids=cited, run_id=new_run)

    op_e = _opinion(db, CASE_E, 400005, TEXT_E, "html")
    hostile_paragraph = TEXT_E[3:-4]
    references.replace_references(db, op_e, CASE_E, [
        _ref(TEXT_E, "176 F.3d 1132, 1137", "bernstein-9th", kind="full", cite="176 F.3d 1132", pin_cite="1137",
             parenthetical=f"describing {ONERROR} code", sentence=f"{SCRIPT} The court considered it.",
             paragraph=hostile_paragraph, treatment="cited_neutral", confidence=0.5),
    ], cited_case_ids=cited, run_id=new_run)

    _case(db, CASE_F, "Wrapped v. Linebreak Authority", "ca1", "Court of Appeals for the First Circuit",
          "2010-03-04", "9006 F.3d 60", 1, new_run)
    op_f = _opinion(db, CASE_F, 400006, TEXT_F, "text")
    para_f = TEXT_F.replace("\n", " ")
    name_at = TEXT_F.rindex("Bernstein")
    references.replace_references(db, op_f, CASE_F, [
        _ref(TEXT_F, WRAPPED_CITE, "bernstein-2", kind="full", cite="945 F. Supp. 1279", pin_cite="1289-90",
             sentence="The district court in Bernstein v. U.S. Dep't of State, 945 F. Supp. 1279, 1289-90 (N.D. Cal. 1996), "
                      "held that the regulations were a prior restraint.", paragraph=para_f, treatment="followed", confidence=0.7),
        Reference(start=name_at, end=name_at + len("Bernstein"), as_written="Bernstein", authority_key="bernstein-2",
                  kind="name_only", sentence="As Bernstein explained, licensing without standards fails.",
                  paragraph=para_f, treatment="relied_on", confidence=0.6),
    ], cited_case_ids=cited, run_id=new_run)

    # A hostile source address (a sidecar's "url", an absolute_url kept by urljoin): shown as text, never a link.
    db.execute("update cases set url = ? where id = ?", [HOSTILE_URL, CASE_E])
    db_runs.finish_run(db, new_run, "ok")
    rebuild_withdrawn_risk(db)  # as extraction does
    db.close()
    publish_site(path)
    return path


def build_empty_db(path: Path, failed_run: bool = True) -> Path:
    """A database as a first refresh leaves it when every source failed: the schema and the seeds,
    one failed run, nothing harvested; published like any other."""
    db = store.open_database(path)
    db_corpus.store_authorities(db, load_config(None, environ={}).seeds)
    if failed_run:
        run = db_runs.start_run(db, "refresh")
        db_runs.finish_run(db, run, "failed", "courtlistener: could not reach 127.0.0.1:9 (INVENTED failure for tests)")
    db.close()
    publish_site(path)
    return path


#: Courts the crowded network spreads its invented cases over.
CROWD_COURTS = (("ca1", "First"), ("ca2", "Second"), ("ca3", "Third"), ("ca4", "Fourth"), ("ca5", "Fifth"),
                ("ca6", "Sixth"), ("ca7", "Seventh"), ("ca8", "Eighth"))
CROWD_TREATMENTS = ("followed", "relied_on", "cited_neutral", "distinguished", "criticized_or_declined")


def build_crowded_db(path: Path, cases: int) -> Path:
    """`cases` INVENTED cases each citing the ninth circuit's Bernstein once, with long names, over
    eight courts and twelve years: a network as crowded as a real seed's. Published like any other."""
    db = store.open_database(path)
    db.execute("PRAGMA synchronous = OFF")  # a throwaway test database: no fsync per write
    seeds = load_config(None, environ={}).seeds
    run = db_runs.start_run(db, "refresh")
    _case(db, SEED_9TH_CASE, "Bernstein v. United States Department of Justice", "ca9",
          "Court of Appeals for the Ninth Circuit", "1999-05-06", "176 F.3d 1132", 0, run)
    db_corpus.store_authorities(db, seeds)
    cited = {row["key"]: row["case_id"] for row in db.query("select key, case_id from authorities")}
    for n in range(cases):
        case_id = f"cl:cluster:{300000 + n}"
        court_id, ordinal = CROWD_COURTS[n % len(CROWD_COURTS)]
        _case(db, case_id, f"Invented Crowd Plaintiff Number {n} v. Hypothetical Regulatory Agency of Examples",
              court_id, f"Court of Appeals for the {ordinal} Circuit", f"{2000 + n % 12}-01-01",
              f"{9100 + n} F.3d 1", 1, run)
        text = f"INVENTED TEXT FOR TESTS. See Bernstein, 176 F.3d 1132, {1135 + n % 9}."
        opinion = _opinion(db, case_id, 500000 + n, text, "text")
        references.replace_references(db, opinion, case_id, [
            _ref(text, f"176 F.3d 1132, {1135 + n % 9}", "bernstein-9th", kind="full", cite="176 F.3d 1132",
                 pin_cite=str(1135 + n % 9), sentence=text, paragraph=text,
                 treatment=CROWD_TREATMENTS[n % len(CROWD_TREATMENTS)], confidence=0.7),
        ], cited_case_ids=cited, run_id=run)
    db_runs.finish_run(db, run, "ok")
    rebuild_withdrawn_risk(db)
    db.close()
    publish_site(path)
    return path
