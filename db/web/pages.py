"""What the site's own pages show, read from the database: a case, the citation network, charts.

Functions here take a plain sqlite3 connection (Datasette hands one over through `execute_fn`) and
return plain data; rendering and escaping happen in the templates and in `render.py`. Keeping the
queries out of the plugin lets tests and other tools call them without a web server.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from citator.db.web.render import highlight_opinion, locate, mark_spans, plain_before, safe_href
from citator.db.ranking import stored_ranking, strongest

#: Edge width in the network view by depth of engagement.
DEPTH_WEIGHT = {"mentioned": 1, "cited": 2, "discussed": 3, "examined": 4}

#: Most cases the network view reads; the nearest cases are kept.
MAX_NODES = 400
#: Most boxes the network view draws one per case; beyond, cases are grouped by court and year
#: (then by court alone), so that every label stays legible.
MAX_DRAWN = 200


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return bool(conn.execute("select 1 from sqlite_master where name = ?", [name]).fetchone())


def seeds(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every seed authority, for pickers."""
    return _rows(conn, "select key, name, citation, status from authorities order by decided, key")


# ---- treatment model (about page) ------------------------------------------------------------------


def treatment_model(conn: sqlite3.Connection) -> dict[str, Any]:
    """Which treatment model labelled the references (recorded by the extraction in citator_meta as
    `treatment_model`; None before the first one) and how many labels researchers corrected."""
    row = conn.execute("select value from citator_meta where key = 'treatment_model'").fetchone()
    try:
        model = json.loads(row[0]) if row else None
    except ValueError:
        model = None
    corrected = conn.execute("select count(*) from corrections").fetchone()[0] if _has_table(conn, "corrections") else 0
    return {"model": model if isinstance(model, dict) else None, "corrections": corrected}


# ---- case page ----------------------------------------------------------------------------------


def case_page(conn: sqlite3.Connection, case_id: str) -> dict[str, Any] | None:
    """Everything the case page shows, or None when there is no such case."""
    found = _rows(conn, "select * from cases where id = ?", [case_id])
    if not found:
        return None
    case = found[0]
    cites = [r["cite"] for r in _rows(conn, "select cite from case_citations where case_id = ? order by cite", [case_id])]
    sources = _rows(conn, "select source, source_id, url, fetched_at from case_sources where case_id = ? order by source", [case_id])
    for source in sources:
        source["href"] = safe_href(source["url"])
    authorities = _rows(
        conn,
        "select authority_key, authority_status, treatment, depth, references_count, pin_cites, parentheticals, "
        "relies_on_withdrawn from reliance where citing_case_id = ? order by authority_key",
        [case_id],
    )
    references = _rows(
        conn,
        "select c.id, c.opinion_id, c.authority_key, c.as_written, c.kind, c.pin_cite, c.signal, c.parenthetical, "
        "c.quotation, c.treatment, c.confidence, c.sentence, c.context, c.in_footnote, c.opinion_part, "
        "c.relies_on_withdrawn, c.span_start, c.span_end, c.evidence "
        "from citations c where c.citing_case_id = ? and c.authority_key is not null "
        "order by c.opinion_id, c.span_start",
        [case_id],
    )
    opinions = _rows(
        conn, "select id, type, author, text, text_format, url from opinions where case_id = ? order by ordinal, id", [case_id]
    )
    texts = {o["id"]: (o["text"] or "", o["text_format"]) for o in opinions}
    for ref in references:
        ref["evidence"] = _json_list(ref["evidence"])
        text, text_format = texts.get(ref["opinion_id"], ("", None))
        ref["before"] = plain_before(text, ref["span_start"], text_format) if text and ref["span_start"] is not None else None
    contexts = context_blocks(references)
    seed_of = _rows(conn, "select key, name, citation, status, history from authorities where case_id = ?", [case_id])
    for seed in seed_of:
        seed["events"] = _history(seed["history"])
    placeholders = ",".join("?" for _ in cites) or "null"
    citing = _rows(
        conn,
        "select c.citing_case_id, k.name as case_name, k.court, k.year, c.authority_key, c.as_written, c.pin_cite, "
        "c.treatment, c.sentence, c.context from citations c join cases k on k.id = c.citing_case_id "
        f"where (c.cited_case_id = ? or c.cite in ({placeholders})) and c.citing_case_id != ? "
        "order by k.decision_date, c.citing_case_id, c.span_start limit 500",
        [case_id, *cites, case_id],
    )
    citing_blocks = context_blocks(citing, key=("citing_case_id", "context"))
    for opinion in opinions:
        spans = [(r["span_start"], r["span_end"]) for r in references
                 if r["opinion_id"] == opinion["id"] and r["span_start"] is not None and r["span_end"] is not None]
        opinion["html"] = highlight_opinion(opinion.pop("text"), opinion["text_format"], spans)
    return {
        "case": case,
        "cites": cites,
        "sources": sources,
        "authorities": authorities,
        "references": references,
        "contexts": contexts,
        "seed_of": seed_of,
        "citing": citing,
        "citing_blocks": citing_blocks,
        "paths": second_degree_paths(conn, case_id) if not authorities else [],
        "withdrawn_risk_path": _risk_path(conn, case),
        "opinions": opinions,
    }


def context_blocks(references: list[dict[str, Any]], key: tuple[str, ...] = ("opinion_id", "context")) -> list[dict[str, Any]]:
    """One block per paragraph: its text with every reference in it marked where it stands (cites
    wrapping across lines included; a repeated name marked only where the reference is), and the
    references in the order they appear. A reference without a paragraph gets its sentence."""
    blocks: dict[tuple[Any, ...], dict[str, Any]] = {}
    for ref in references:
        text = ref.get("context") or ref.get("sentence") or ""
        block = blocks.setdefault(tuple(ref.get(k) for k in key[:-1]) + (text,), {"text": text, "refs": [], "spans": []})
        block["refs"].append(ref)
        span = locate(text, ref.get("as_written") or "", ref.get("before")) if text else None
        if span:
            block["spans"].append(span)
        ref["marked"] = span is not None
    for block in blocks.values():
        block["html"] = mark_spans(block["text"], block["spans"])
        block["first"] = block["refs"][0]
    return list(blocks.values())


def _history(value: str | None) -> list[dict[str, Any]]:
    """A seed's subsequent history (JSON list of events) as dicts, oldest first."""
    if not value:
        return []
    try:
        data = json.loads(value)
    except ValueError:
        return [{"note": value}]
    events = [e if isinstance(e, dict) else {"note": str(e)} for e in (data if isinstance(data, list) else [data])]
    return sorted(events, key=lambda e: str(e.get("date") or ""))


def second_degree_paths(conn: sqlite3.Connection, case_id: str) -> list[dict[str, Any]]:
    """How a case that cites no seed came in: the cases it cites that cite a seed (second_degree_links)."""
    if not _has_table(conn, "second_degree_links"):
        return []
    return _rows(
        conn,
        "select l.via_case_id, l.via_case_name, l.via_treatment, l.via_depth, l.authority_key, l.references_count, "
        "a.name as seed_name, a.citation as seed_citation, a.status as seed_status "
        "from second_degree_links l left join authorities a on a.key = l.authority_key "
        "where l.citing_case_id = ? order by l.authority_key, l.via_case_id",
        [case_id],
    )


def _risk_path(conn: sqlite3.Connection, case: dict[str, Any]) -> list[dict[str, Any]]:
    """The chain of reliance behind a withdrawn-risk flag, as names (ids kept for links)."""
    ids = _json_list(case.get("withdrawn_risk_path")) if case.get("withdrawn_risk") else []
    if not ids:
        return []
    names = {r["id"]: r["name"] for r in _rows(conn, f"select id, name from cases where id in ({','.join('?' for _ in ids)})", ids)}
    return [{"case_id": i, "name": names.get(i, i)} for i in ids]


def _json_list(value: str | None) -> list[str]:
    """A JSON list column as strings; anything unreadable is shown as it is rather than dropped."""
    if not value:
        return []
    try:
        data = json.loads(value)
    except ValueError:
        return [value]
    return [str(item) for item in data] if isinstance(data, list) else [str(data)]


# ---- network view -------------------------------------------------------------------------------


def network(conn: sqlite3.Connection, seed: str) -> dict[str, Any] | None:
    """The citation network around `seed`: the seed, the cases citing it, the other seeds those cases
    cite, and the cases citing the citing cases. None when the seed is unknown.

    Node ids are case ids; a seed citator holds no text for is a node `authority:<key>`.
    """
    found = _rows(conn, "select key, name, citation, status, case_id from authorities where key = ?", [seed])
    if not found:
        return None
    authorities = {a["key"]: a for a in _rows(conn, "select key, name, citation, status, case_id from authorities")}
    ranking = stored_ranking(conn)  # which treatment an edge shows when a case's references disagree
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []

    def seed_node(key: str) -> str:
        a = authorities[key]
        node_id = a["case_id"] or f"authority:{key}"
        if node_id not in nodes:
            nodes[node_id] = {
                "id": node_id, "label": f"{a['name']}, {a['citation'] or key}", "kind": "seed",
                "authority_key": key, "withdrawn": a["status"] == "withdrawn", "status": a["status"],
                "case_id": a["case_id"], "ring": 0 if key == seed else 1,
            }
        return node_id

    seed_cases = {a["case_id"]: key for key, a in authorities.items() if a["case_id"]}

    def case_node(row: dict[str, Any], ring: int) -> str:
        node_id = row["id"]
        if node_id in seed_cases:  # a seed citing the seed (e.g. the en banc order): draw it as a seed
            seed_node(seed_cases[node_id])
            nodes[node_id].update(court_id=row["court_id"], year=row["year"])
            return node_id
        if node_id not in nodes:
            nodes[node_id] = {
                "id": node_id, "label": row["name"], "kind": "case", "court_id": row["court_id"],
                "year": row["year"], "withdrawn": False, "case_id": node_id, "ring": ring,
                "withdrawn_risk": bool(risk.get(node_id)),
            }
        return node_id

    risk: dict[str, int] = {}

    centre = seed_node(seed)
    first = _rows(
        conn,
        "select r.citing_case_id, r.authority_key, r.treatment, r.depth, r.references_count, "
        "k.id, k.name, k.court_id, k.year from reliance r join cases k on k.id = r.citing_case_id "
        "where r.authority_key = ? order by k.decision_date limit ?",
        [seed, MAX_NODES],
    )
    ring1 = []
    for row in first:
        node = case_node(row, 1)
        if node == centre:
            continue
        ring1.append(node)
        edges.append({"source": node, "target": centre, "treatment": row["treatment"], "depth": row["depth"],
                      "weight": DEPTH_WEIGHT.get(row["depth"] or "", 1), "references": row["references_count"]})
    if ring1:
        marks = ",".join("?" for _ in ring1)
        others = _rows(
            conn,
            f"select citing_case_id, authority_key, treatment, depth, references_count from reliance "
            f"where citing_case_id in ({marks}) and authority_key != ?",
            [*ring1, seed],
        )
        for row in others:
            if row["authority_key"] not in authorities:
                continue
            target = seed_node(row["authority_key"])
            if target == row["citing_case_id"]:
                continue
            edges.append({"source": row["citing_case_id"], "target": target, "treatment": row["treatment"],
                          "depth": row["depth"], "weight": DEPTH_WEIGHT.get(row["depth"] or "", 1),
                          "references": row["references_count"]})
        second = _rows(
            conn,
            f"""
            with links as (
              select x.id, x.citing_case_id, x.cited_case_id as target, x.treatment from citations x
              where x.cited_case_id in ({marks})
              union
              -- cross join: read the ring's own cites first, then their citations by cite (the planner
              -- otherwise read every citation and looked each up among the ring's cites)
              select x.id, x.citing_case_id, cc.case_id, x.treatment
              from case_citations cc cross join citations x on x.cite = cc.cite where cc.case_id in ({marks})
            )
            select l.citing_case_id, l.target, group_concat(l.treatment) as treatments, count(*) as n,
              k.id, k.name, k.court_id, k.year
            from links l join cases k on k.id = l.citing_case_id
            where l.citing_case_id != l.target
            group by l.citing_case_id, l.target
            limit ?
            """,
            [*ring1, *ring1, MAX_NODES],
        )
        for row in second:
            if row["id"] not in nodes and len(nodes) >= MAX_NODES:
                continue
            source = case_node(row, 2)
            depth = "examined" if row["n"] >= 5 else "discussed" if row["n"] >= 2 else "cited"
            edges.append({"source": source, "target": row["target"],
                          "treatment": strongest((row["treatments"] or "").split(","), ranking),
                          "depth": depth, "weight": DEPTH_WEIGHT[depth], "references": row["n"]})
    if risk_known(conn):
        ids = [n for n, v in nodes.items() if v["kind"] == "case"]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for case_id, flag in conn.execute(
                    f"select id, withdrawn_risk from cases where id in ({','.join('?' for _ in chunk)})", chunk):
                nodes[case_id]["withdrawn_risk"] = bool(flag)
    return cluster_graph({"seed": seed, "centre": centre, "nodes": list(nodes.values()), "edges": edges})


def risk_known(conn: sqlite3.Connection) -> bool:
    """Whether the cases table carries the withdrawn-risk flag (schema v8 and later)."""
    return any(r[1] == "withdrawn_risk" for r in conn.execute("pragma table_info(cases)"))


def cluster_graph(graph: dict[str, Any], limit: int = MAX_DRAWN) -> dict[str, Any]:
    """The graph as drawn: unchanged up to `limit` nodes; beyond, the cases of each ring grouped by
    court and year (or by court alone, when that is still too many), edges merged between groups.
    Seeds are never grouped."""
    if len(graph["nodes"]) <= limit:
        return {**graph, "clustered": None}
    for level, key in (("court and year", lambda n: (n["ring"], n.get("court_id"), n.get("year"))),
                       ("court", lambda n: (n["ring"], n.get("court_id"), None))):
        groups: dict[Any, list[dict[str, Any]]] = {}
        for node in graph["nodes"]:
            if node["kind"] != "seed":
                groups.setdefault(key(node), []).append(node)
        seeds = [n for n in graph["nodes"] if n["kind"] == "seed"]
        if len(groups) + len(seeds) <= limit or level == "court":
            break
    member_of: dict[str, str] = {}
    nodes = list(seeds)
    for (ring, court, year), members in sorted(groups.items(), key=lambda kv: tuple(str(x) for x in kv[0])):
        group_id = f"group:{ring}:{court}:{year}"
        names = sorted(m["label"] or m["id"] for m in members)
        nodes.append({
            "id": group_id, "kind": "cluster", "ring": ring, "court_id": court, "year": year,
            "label": f"{court or 'court unknown'}{', ' + str(year) if year else ''}: {len(members)} case{'s' if len(members) != 1 else ''}",
            "members": len(members), "member_names": names[:20], "withdrawn": False,
            "withdrawn_risk": any(m.get("withdrawn_risk") for m in members), "case_id": None,
        })
        for m in members:
            member_of[m["id"]] = group_id
    merged: dict[tuple[str, str, Any], dict[str, Any]] = {}
    for edge in graph["edges"]:
        source, target = member_of.get(edge["source"], edge["source"]), member_of.get(edge["target"], edge["target"])
        if source == target:
            continue
        key3 = (source, target, edge["treatment"])
        if key3 in merged:
            merged[key3]["references"] += edge["references"] or 0
            merged[key3]["weight"] = max(merged[key3]["weight"], edge["weight"])
        else:
            merged[key3] = {**edge, "source": source, "target": target}
    return {**graph, "nodes": nodes, "edges": list(merged.values()), "clustered": level}


# ---- charts -------------------------------------------------------------------------------------


def chart_counts(conn: sqlite3.Connection, seed: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """References and citing cases by year and by court, for every seed or one."""
    # Counted from the references, not summed from the per-seed view, so that a case citing two
    # seeds counts once.
    where, params = ("and c.authority_key = ?", [seed]) if seed else ("", [])
    base = f"from citations c join cases k on k.id = c.citing_case_id where c.authority_key is not null {where}"
    by_year = _rows(
        conn,
        f"select k.year as label, count(*) as refs, count(distinct c.citing_case_id) as cases {base} "
        f"group by k.year order by k.year",
        params,
    )
    by_court = _rows(
        conn,
        f"select coalesce(k.court, k.court_id) as label, k.court_id, count(*) as refs, "
        f"count(distinct c.citing_case_id) as cases {base} group by k.court_id order by refs desc, label",
        params,
    )
    for rows in (by_year, by_court):
        peak = max((r["refs"] or 0 for r in rows), default=0) or 1
        for r in rows:
            r["share"] = (r["refs"] or 0) / peak  # bar length relative to the longest
    return {"by_year": by_year, "by_court": by_court}
