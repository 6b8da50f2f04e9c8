"""Invented cases served by the fake CAP static site.

Everything here is written for citator's tests. The citing cases (Testcase v. Example Agency,
Invented Archive v. Sample Bureau, ...) are INVENTED: their names, courts' words, volumes (9001 F.3d,
9005 F. Supp. 2d, ...) and CAP ids are made up and are not real decisions. Only the seed citations
they point to (922 F. Supp. 1426, 176 F.3d 1132) are real reporter citations of the Bernstein
litigation; the seed "opinions" served here are short placeholders, not the courts' text.
Testcase v. Example Agency (9001 F.3d 10) is also served by the fake CourtListener (tests/fakes/corpus.py),
so the same case reaches citator from both sources.
"""

from __future__ import annotations

from tests.fakes.cap import FakeCapCase

NINTH = "United States Court of Appeals for the Ninth Circuit"
SIXTH = "United States Court of Appeals for the Sixth Circuit"
NDCAL = "United States District Court for the Northern District of California"
SDNY = "United States District Court for the Southern District of New York"
DDC = "United States District Court for the District of Columbia"

SEED_1 = FakeCapCase(
    id=5001, slug="f-supp", volume="922", year=1996, file_name="1426-01",
    name="Bernstein v. United States Department of State", court=NDCAL, decision_date="1996-04-15",
    citations=["922 F. Supp. 1426"],
    opinions=[{"type": "majority", "author": "PATEL, District Judge.", "text": "[Placeholder text standing in for the opinion.]"}],
)

SEED_9TH = FakeCapCase(
    id=5002, slug="f3d", volume="176", year=1999, file_name="1132-01",
    name="Bernstein v. United States Department of Justice", court=NINTH, decision_date="1999-05-06",
    citations=["176 F.3d 1132"],
    cites_to=[{"cite": "922 F. Supp. 1426", "category": "reporters:federal", "reporter": "F. Supp.",
               "case_ids": [5001], "opinion_index": 0, "case_paths": ["/f-supp/922/1426-01"]}],
    opinions=[
        {"type": "majority", "author": "FLETCHER, Circuit Judge.", "text": "[Placeholder for the panel opinion.]"},
        {"type": "concurrence", "author": "BRIGHT, Circuit Judge.", "text": "[Placeholder for the concurrence.]"},
        {"type": "dissent", "author": "NELSON, Circuit Judge.", "text": "[Placeholder for the dissent.]"},
    ],
)

# The same invented case as CITING_A in tests/fakes/corpus.py (shares the citation 9001 F.3d 10).
CITING_A = FakeCapCase(
    id=6001, slug="f3d", volume="9001", year=2000, file_name="0010-01",
    name="Testcase v. Example Agency", court=SIXTH, decision_date="2000-04-04",
    citations=["9001 F.3d 10"], docket_number="No. 00-0001", pagerank=0.9,
    cites_to=[{"cite": "176 F.3d 1132", "category": "reporters:federal", "reporter": "F.3d",
               "case_ids": [5002], "weight": 2, "pin_cites": [{"page": "1141"}, {"page": "1145"}],
               "opinion_index": 0, "case_paths": ["/f3d/176/1132-01"]}],
    opinions=[{"type": "majority", "author": "INVENTED, Circuit Judge.",
               "text": "INVENTED TEXT FOR TESTS. See Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999)."}],
)

UNRELATED = FakeCapCase(
    id=6002, slug="f3d", volume="9001", year=2000, file_name="0099-01",
    name="Nobody v. Nothing Corp.", court=SIXTH, decision_date="2000-05-05", citations=["9001 F.3d 99"],
    cites_to=[{"cite": "9004 F.3d 40", "category": "reporters:federal", "reporter": "F.3d", "opinion_index": 0}],
    opinions=[{"type": "majority", "author": None, "text": "INVENTED TEXT FOR TESTS. Nothing relevant cited."}],
)

# CAP only; cites the seed in the raw spacing CAP keeps for older cites ("922 F.Supp. 1426").
CITING_CAP = FakeCapCase(
    id=6003, slug="f-supp-2d", volume="9005", year=2002, file_name="0050-01",
    name="Invented Archive v. Sample Bureau", court=SDNY, decision_date="2002-03-04",
    citations=["9005 F. Supp. 2d 50"], pagerank=0.4,
    cites_to=[{"cite": "922 F.Supp. 1426", "category": "reporters:federal", "reporter": "F. Supp.",
               "case_ids": [5001], "opinion_index": 1, "pin_cites": [{"page": "1436", "parenthetical": "source code is speech"}]},
              {"cite": "5 U.S.C. § 552", "category": "laws:leg_statute", "reporter": "U.S.C.", "opinion_index": 0}],
    opinions=[
        {"type": "majority", "author": "INVENTED, District Judge.", "text": "INVENTED TEXT FOR TESTS. The statute governs."},
        {"type": "dissent", "author": "OTHER, District Judge.",
         "text": "INVENTED TEXT FOR TESTS. Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426, 1436 (N.D. Cal. 1996)."},
    ],
)

# Depth 2: cites the depth-1 case 9001 F.3d 10, not a seed.
DEPTH_2 = FakeCapCase(
    id=6004, slug="f-supp-2d", volume="9006", year=2003, file_name="0060-01",
    name="Second Hop v. Example Agency", court=DDC, decision_date="2003-07-08",
    citations=["9006 F. Supp. 2d 60"],
    cites_to=[{"cite": "9001 F.3d 10", "category": "reporters:federal", "reporter": "F.3d",
               "case_ids": [6001], "opinion_index": 0, "case_paths": ["/f3d/9001/0010-01"]}],
    opinions=[{"type": "majority", "author": "INVENTED, District Judge.",
               "text": "INVENTED TEXT FOR TESTS. Following Testcase v. Example Agency, 9001 F.3d 10 (6th Cir. 2000)."}],
)

# Published before the earliest seed: outside the scanned years, so never found.
TOO_EARLY = FakeCapCase(
    id=6005, slug="f3d", volume="50", year=1995, file_name="0005-01",
    name="Anachronism v. Calendar", court=NINTH, decision_date="1995-01-01", citations=["50 F.3d 5"],
    cites_to=[{"cite": "176 F.3d 1132", "category": "reporters:federal", "reporter": "F.3d", "opinion_index": 0}],
    opinions=[{"type": "majority", "author": None, "text": "INVENTED TEXT FOR TESTS."}],
)

ALL_CAP_CASES = [SEED_1, SEED_9TH, CITING_A, UNRELATED, CITING_CAP, DEPTH_2, TOO_EARLY]
#: Volumes listed in VolumesMetadata.json whose files are missing (404), like real gaps.
MISSING_VOLUMES = {"f-supp": [("945", 1996), ("974", 1997)]}
