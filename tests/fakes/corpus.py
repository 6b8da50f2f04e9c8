"""Invented test cases served by the fake CourtListener.

Everything here is written for citator's tests. The citing "opinions" below are INVENTED TEXT: the
case names (Testcase v. Example Agency, ...), courts' words and citations of the citing cases are
made up and are not real decisions. Only the seed citations they point to (176 F.3d 1132,
922 F. Supp. 1426) are real reporter citations of the Bernstein litigation; the seed "opinions"
served here are short placeholders, not the courts' text.
"""

from __future__ import annotations

from tests.fakes.courtlistener import FakeCluster

SEED_9TH = FakeCluster(
    id=100000,
    case_name="Bernstein v. United States Department of Justice",
    court_id="ca9",
    court="Court of Appeals for the Ninth Circuit",
    date_filed="1999-05-06",
    citations=["176 F.3d 1132"],
    opinions=[{"id": 300000, "type": "020lead", "author_str": "Fletcher",
               "html_with_citations": "<p>[Placeholder text standing in for the panel opinion.]</p>"}],
)

SEED_1 = FakeCluster(
    id=100001,
    case_name="Bernstein v. United States Department of State",
    court_id="cand",
    court="District Court, N.D. California",
    date_filed="1996-04-15",
    citations=["922 F. Supp. 1426"],
    opinions=[{"id": 300001, "type": "010combined", "plain_text": "[Placeholder text standing in for the opinion.]"}],
)

CITING_A = FakeCluster(
    id=200001,
    case_name="Testcase v. Example Agency",
    court_id="ca6",
    court="Court of Appeals for the Sixth Circuit",
    date_filed="2000-04-04",
    citations=["9001 F.3d 10"],
    docket_number="00-0001",
    opinions=[{
        "id": 400001, "type": "020lead", "author_str": "Invented", "cites": [300000],
        "html_with_citations": (
            "<p>INVENTED TEXT FOR TESTS. Source code is an expressive means of exchanging ideas. "
            "<i>See</i> <i>Bernstein v. U.S. Dep't of Justice</i>, "
            "<a href=\"/opinion/100000/bernstein/\">176 F.3d 1132</a>, 1141 (9th Cir. 1999). "
            "The panel later noted the point again. 176 F.3d at 1145.</p>"
        ),
    }],
)

CITING_B = FakeCluster(
    id=200002,
    case_name="Sample Coders v. Department of Examples",
    court_id="cadc",
    court="Court of Appeals for the D.C. Circuit",
    date_filed="2001-02-03",
    citations=["9002 F.3d 20"],
    opinions=[
        {"id": 400002, "type": "020lead", "author_str": "Invented", "cites": [300001],
         "plain_text": ("INVENTED TEXT FOR TESTS. The district court in Bernstein v. U.S. Dep't of State, "
                        "922 F. Supp. 1426, 1436 (N.D. Cal. 1996), found the claims justiciable.")},
        {"id": 400003, "type": "040dissent", "author_str": "Invented", "cites": [300000],
         "plain_text": ("INVENTED TEXT FOR TESTS. I would follow Bernstein v. U.S. Dep't of Justice, "
                        "176 F.3d 1132 (9th Cir. 1999).")},
    ],
)

CITING_C = FakeCluster(
    id=200003,
    case_name="Placeholder v. Hypothetical Board",
    court_id="nysd",
    court="District Court, S.D. New York",
    date_filed="2002-06-07",
    citations=["9003 F. Supp. 2d 30"],
    opinions=[{"id": 400004, "type": "010combined", "cites": [300000, 300001],
               "html_lawbox": ("<div>INVENTED TEXT FOR TESTS. <em>Compare</em> Bernstein v. U.S. Dep't of State, "
                               "922 F. Supp. 1426 (N.D. Cal. 1996), <em>with</em> an unrelated point.</div>"
                               "<div>We agree with and follow <em>Testcase v. Example Agency</em>, 9001 F.3d 10, 12 "
                               "(6th Cir. 2000), and apply its rule here.</div>")}],
)

UNRELATED = FakeCluster(
    id=200004,
    case_name="Nobody v. Nothing",
    court_id="ca1",
    court="Court of Appeals for the First Circuit",
    date_filed="2003-01-01",
    citations=["9004 F.3d 40"],
    opinions=[{"id": 400005, "type": "010combined", "cites": [], "plain_text": "INVENTED TEXT FOR TESTS. Nothing cited."}],
)

ALL_CLUSTERS = [SEED_9TH, SEED_1, CITING_A, CITING_B, CITING_C, UNRELATED]
