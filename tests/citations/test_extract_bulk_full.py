"""Every full case citation that plain eyecite finds in real opinions is found by citator's
`--all` mode too (issue 14, item 8): citator's reading of names, pins, parallels and repairs
never loses a citation eyecite sees. Reads the first 40 opinions of ../shared/bulk."""

from __future__ import annotations

import pytest

import gzip
import itertools
import json
import logging

from eyecite import get_citations
from eyecite.models import FullCaseCitation

from citator.citations import read_opinion
from citator.citations.text import prepare_text
from tests.fakes.paths import require_shared

pytestmark = pytest.mark.slow


def test_every_full_case_citation_eyecite_finds_is_a_reference(caplog) -> None:
    caplog.set_level(logging.ERROR, logger="eyecite")
    bulk = require_shared("bulk") / "ca1-opinions.jsonl.gz"
    checked, missed = 0, []
    with gzip.open(bulk, "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, 40):
            text = json.loads(line).get("plain_text") or ""
            if not text.strip():
                continue
            refs = read_opinion(text, [], all_cases=True, classify=False)
            prepared = prepare_text(text, "text")
            for citation in get_citations(prepared.text):
                if not isinstance(citation, FullCaseCitation) or not str(citation.groups.get("page") or "").isdigit():
                    continue
                checked += 1
                at = prepared.offsets[citation.span()[0]]
                if not any(r.start <= at < r.end for r in refs):
                    missed.append(text[max(0, at - 60) : at + 40])
    assert checked > 500
    assert missed == []
