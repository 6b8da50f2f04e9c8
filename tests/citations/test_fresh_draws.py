"""The seventh, eighth and ninth extraction sets' draws can be redone from ../shared and give the opinions
that were labelled, in draw order (the first ten of twelve), so the sets stay reproducible."""

from __future__ import annotations

import json

import pytest

from tests.citations.fresh_sets import HERE
from tests.citations.fresh_sets.draws import draw
from tests.fakes.paths import require_shared


@pytest.mark.parametrize("name", ["seventh", "eighth", "ninth"])
def test_the_draw_gives_the_labelled_opinions_in_order(name: str) -> None:
    shared = require_shared("bulk").parent
    drawn = [record["resource_uri"] for record in draw(shared, name)]
    labelled = [json.loads(line)["source"]["resource_uri"]
                for line in (HERE / name / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert drawn[:10] == labelled


def test_the_eighth_draw_takes_nothing_the_seventh_took() -> None:
    shared = require_shared("bulk").parent
    seventh = {record["absolute_url"] for record in draw(shared, "seventh")}
    assert not seventh & {record["absolute_url"] for record in draw(shared, "eighth")}


def test_the_ninth_draw_takes_nothing_the_eighth_took() -> None:
    shared = require_shared("bulk").parent
    eighth = {record["absolute_url"] for record in draw(shared, "eighth")}
    assert not eighth & {record["absolute_url"] for record in draw(shared, "ninth")}
