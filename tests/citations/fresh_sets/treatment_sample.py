"""How the treatment set's candidate references were drawn (issue 13), kept so the draw can be
redone: python -m tests.citations.fresh_sets.treatment_sample ../shared OUT

The way ../shared/treatment was drawn: plain eyecite 2.7.8 finds and resolves the case citations of
each opinion; per opinion one reference at random and up to two more near a stance word (in the 300
characters before or 500 after), or a second random one when none is near. The pool: plain-text
../shared/bulk records of 8,000-120,000 characters outside ../shared/treatment, ../shared/corpus,
the extraction sets here and the twelve opinions drawn for the fifth extraction set (FIFTH_DRAW),
shuffled with random.Random(20261208) after sorting by absolute_url; opinions are taken in that order
until 300 references are drawn, and dealt to five batches (one labeller each). Fifteen references of
../shared/treatment per batch (random.Random(7)) were labelled blind, with their labels withheld, to
measure agreement with the original labellers. The labellers read only the guideline and the text.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import sys
from pathlib import Path

from eyecite import get_citations, resolve_citations
from eyecite.models import FullCaseCitation, IdCitation, ShortCaseCitation, SupraCitation

HERE = Path(__file__).resolve().parent
FIFTH_DRAW = (
    "/opinion/183307/farmers-ins-exchange-v-rnk-inc/",
    "/opinion/194475/united-states-v-echeverri/",
    "/opinion/195477/united-states-v-consoro-familia/",
    "/opinion/194775/skidgel-v-maine-hhs/",
    "/opinion/194752/united-states-v-carty/",
    "/opinion/195092/united-states-v-ramirez/",
    "/opinion/194629/achilli-v-baking-co/",
    "/opinion/195260/moret-rivera-v-shhs/",
    "/opinion/150524/ahmed-v-holder/",
    "/opinion/147478/united-states-v-al-rikabi/",
    "/opinion/195452/tillett-v-united-states/",
    "/opinion/181336/united-states-v-ramos/",
)


def main(shared: Path, out: Path) -> None:
    used: set = set(FIFTH_DRAW)
    for line in open(shared / "treatment/documents.jsonl"):
        used.add(json.loads(line)["absolute_url"])
    for line in open(shared / "corpus/documents.jsonl"):
        used.add(json.loads(line).get("absolute_url"))
    for name in ("first", "second", "third", "fourth", "ids"):
        for line in open(HERE / name / "documents.jsonl"):
            d = json.loads(line)
            used.add(d.get("absolute_url"))
            used.add((d.get("source") or {}).get("resource_uri"))
    recs = [json.loads(line) for line in gzip.open(shared / "bulk/ca1-opinions.jsonl.gz", "rt")]
    pool = [r for r in recs if r.get("plain_text") and r["absolute_url"] not in used and r["resource_uri"] not in used
            and 8000 <= len(r["plain_text"]) <= 120000]
    pool.sort(key=lambda r: r["absolute_url"])
    rng = random.Random(20261208)
    draw = rng.sample(pool, len(pool))
    out.mkdir(parents=True, exist_ok=True)
    CUE = re.compile(r"distinguish|inapposite|\bunlike\b|by contrast|in contrast|\bdisagree|decline[sd]? to (?:follow|adopt|extend)|\breject|unpersuasive|not persuaded|criticiz|wrongly decided|abrogat|overrul|\bbut see\b|\bcontra\b|we adopt|we follow|controlled by|bound by|vacated|rev'd|reversed|withdrawn|not apply|does not control|different fact|factually", re.I)
    KIND = {FullCaseCitation: 'full', ShortCaseCitation: 'short', IdCitation: 'id', SupraCitation: 'supra'}
    rows, docs = [], []
    for rec in draw:
        text = rec['plain_text']
        cites = get_citations(text)
        res = resolve_citations(cites)
        cands = []
        for resource, group in res.items():
            full = getattr(resource, 'citation', None)
            if not isinstance(full, FullCaseCitation):
                continue
            g = full.groups
            md = full.metadata
            name = ' v. '.join(x for x in (md.plaintiff, md.defendant) if x)
            seed = f"{g.get('volume')} {full.corrected_reporter()} {g.get('page')} | {name}"
            for c in group:
                kind = KIND.get(type(c))
                if not kind:
                    continue
                a, b = c.span()
                cands.append((a, b, kind, seed))
        if not cands:
            continue
        cands.sort()
        near = [c for c in cands if CUE.search(text[max(0, c[0] - 300): c[1] + 500])]
        pick = []
        r1 = rng.choice(cands); pick.append(r1)
        near = [c for c in near if c != r1]
        rng.shuffle(near)
        for c in near:
            if len(pick) >= 3: break
            if all(abs(c[0] - p[0]) > 150 for p in pick):
                pick.append(c)
        if len(pick) < 2:
            rest = [c for c in cands if all(abs(c[0] - p[0]) > 150 for p in pick)]
            if rest:
                r2 = rng.choice(rest); pick.append(r2)
        slug = 'x' + rec['absolute_url'].strip('/').split('/')[1] + '-' + rec['absolute_url'].strip('/').split('/')[2]
        docs.append({'slug': slug, 'absolute_url': rec['absolute_url'], 'resource_uri': rec['resource_uri'],
                     'text_sha256': hashlib.sha256(text.encode()).hexdigest(), 'text_chars': len(text)})
        for a, b, kind, seed in sorted(pick):
            rows.append({'doc': slug, 'absolute_url': rec['absolute_url'], 'start': a, 'end': b, 'as_written': text[a:b],
                         'kind': kind, 'seed': seed, 'sampled': 'stance word nearby' if (a, b, kind, seed) in near else 'random'})
        if len(rows) >= 300:
            break
    print('docs', len(docs), 'rows', len(rows))
    # deal whole documents to 5 batches
    batches = [[] for _ in range(5)]
    for i, d in enumerate(docs):
        batches[i % 5].extend(r for r in rows if r['doc'] == d['slug'])
    for i, b in enumerate(batches, 1):
        with open(out / f'batch{i}.jsonl', 'w') as f:
            for r in b: f.write(json.dumps(r) + '\n')
        print(i, len(b), len({r['doc'] for r in b}))
    with open(out / 'documents.jsonl', 'w') as f:
        for d in docs: f.write(json.dumps(d) + '\n')
    # blind agreement check: 15 treatment references per batch, labels withheld
    trows = [json.loads(l) for l in open(shared / 'treatment/references.jsonl')]
    trng = random.Random(7)
    blind = trng.sample(trows, 75)
    for i in range(5):
        with open(out / f'blind{i+1}.jsonl', 'w') as f:
            for r in blind[i*15:(i+1)*15]:
                f.write(json.dumps({k: r[k] for k in ('doc', 'id', 'seed', 'start', 'end', 'as_written', 'kind')}) + '\n')
        with open(out / f'.blind_truth{i+1}.jsonl', 'w') as f:
            for r in blind[i*15:(i+1)*15]:
                f.write(json.dumps({k: r[k] for k in ('id', 'treatment', 'resolution_ok', 'in_footnote')}) + '\n')


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m tests.citations.fresh_sets.treatment_sample ../shared OUT")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
