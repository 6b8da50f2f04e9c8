/* citator network view: the citation network around a seed, drawn in SVG with no library.
 *
 * Reads the graph from the URL in #network[data-src] (citator's network.json). Cases are laid out
 * in columns by distance from the seed, read left to right in the direction of citation: cases that
 * cite the citing cases, the cases citing the seed, the seeds. Each case is a box holding its name,
 * shortened to fit the box (the full name on hover), stacked in its column by year and court, so no
 * two boxes or labels can overlap; edges run in the gaps between columns and end in arrowheads.
 * Colours are the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
 * Zoom with the wheel or the buttons, pan by dragging; filters hide treatments and courts.
 * Every label is set with textContent, never as markup: case names come from outside sources.
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var TREATMENTS = [
    ["followed", "#0072B2", "followed"],
    ["relied_on", "#009E73", "relied on"],
    ["cited_neutral", "#7f7f7f", "cited (neutral)"],
    ["distinguished", "#E69F00", "distinguished"],
    ["criticized_or_declined", "#D55E00", "criticized or declined"],
    ["noted_withdrawn", "#CC79A7", "noted withdrawn"],
    ["none", "#b3b3b3", "not labelled"]
  ];
  var COLOURS = {};
  TREATMENTS.forEach(function (t) { COLOURS[t[0]] = t[1]; });
  var BOX_H = 22, ROW = 30, GAP = 110, MARGIN = 12, TOP = 34;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function treatmentOf(edge) { return COLOURS[edge.treatment] ? edge.treatment : "none"; }

  /* Columns, left to right: ring 2 (cite the citing cases), ring 1 (cite the seed), seeds. */
  function columns(graph) {
    var cols = [[], [], []];
    graph.nodes.forEach(function (n) {
      if (n.kind === "seed") { cols[2].push(n); } else if (n.ring >= 2) { cols[0].push(n); } else { cols[1].push(n); }
    });
    var byYear = function (a, b) {
      return (a.year || 0) - (b.year || 0) || String(a.court_id || "").localeCompare(String(b.court_id || "")) ||
        String(a.label || "").localeCompare(String(b.label || ""));
    };
    cols[0].sort(byYear); cols[1].sort(byYear);
    cols[2].sort(function (a, b) { return (a.id === graph.centre ? -1 : 0) - (b.id === graph.centre ? -1 : 0) || byYear(a, b); });
    return cols.filter(function (c) { return c.length; });
  }

  function layout(graph, width) {
    var cols = columns(graph);
    var colWidth = Math.max(120, (width - 2 * MARGIN - GAP * (cols.length - 1)) / cols.length);
    var tallest = Math.max.apply(null, cols.map(function (c) { return c.length; }));
    var height = TOP + tallest * ROW + MARGIN;
    cols.forEach(function (col, ci) {
      var offset = TOP + (tallest - col.length) * ROW / 2;
      col.forEach(function (n, i) {
        n.x = MARGIN + ci * (colWidth + GAP);
        n.y = offset + i * ROW;
        n.w = colWidth;
        n.col = ci;
      });
    });
    return { cols: cols, width: width, height: height, colWidth: colWidth };
  }

  /* The longest prefix of `text` (with an ellipsis) that fits `room` pixels in `label`. */
  function fit(label, text, room) {
    label.textContent = text;
    if (label.getComputedTextLength() <= room) { return; }
    var lo = 0, hi = text.length;
    while (lo < hi) {
      var mid = Math.ceil((lo + hi) / 2);
      label.textContent = text.slice(0, mid) + "…";
      if (label.getComputedTextLength() <= room) { lo = mid; } else { hi = mid - 1; }
    }
    label.textContent = text.slice(0, lo) + "…";
  }

  function describe(n) {
    var parts = [n.label || n.id];
    if (n.kind === "cluster" && n.member_names) { parts.push(n.member_names.join("; ") + (n.members > n.member_names.length ? "; …" : "")); }
    if (n.court_id) { parts.push("court " + n.court_id); }
    if (n.year) { parts.push(String(n.year)); }
    if (n.withdrawn) { parts.push("withdrawn opinion"); }
    if (n.withdrawn_risk) { parts.push("at risk: relies on a withdrawn opinion"); }
    return parts.join(" · ");
  }

  function markers(defs) {
    TREATMENTS.forEach(function (t) {
      var m = el("marker", { id: "arrow-" + t[0], viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7",
        markerHeight: "7", orient: "auto-start-reverse", markerUnits: "userSpaceOnUse" }, defs);
      el("path", { d: "M0,0 L10,5 L0,10 z", fill: t[1] }, m);
    });
  }

  function edgePath(s, t) {
    if (s.col === t.col) {  // same column: an arc in the gap to its left
      var x = s.x, bend = Math.min(GAP * 0.8, 30 + Math.abs(t.y - s.y) / 4);
      return "M" + x + "," + (s.y + BOX_H / 2) + " C" + (x - bend) + "," + (s.y + BOX_H / 2) + " " + (x - bend) + "," +
        (t.y + BOX_H / 2) + " " + x + "," + (t.y + BOX_H / 2);
    }
    var x1 = s.x + s.w, y1 = s.y + BOX_H / 2, x2 = t.x, y2 = t.y + BOX_H / 2, mid = (x1 + x2) / 2;
    return "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2;
  }

  function draw(container, graph) {
    var width = Math.max(600, container.clientWidth || 960);
    var geo = layout(graph, width);
    var svg = el("svg", { viewBox: "0 0 " + geo.width + " " + geo.height, width: geo.width, height: geo.height,
      "class": "network-svg", role: "img" });
    var title = el("title", {}, svg);
    title.textContent = "Citation network around " + (graph.seed || "");
    markers(el("defs", {}, svg));
    var view = el("g", { "class": "viewport" }, svg);
    var heads = ["cite the citing cases", "cite the seed", "seeds"].slice(3 - geo.cols.length);
    geo.cols.forEach(function (col, ci) {
      var head = el("text", { x: MARGIN + ci * (geo.colWidth + GAP), y: 16, "class": "column-head" }, view);
      head.textContent = "Cases that " + heads[ci];
      if (heads[ci] === "seeds") { head.textContent = "Seed authorities"; }
    });
    var index = {};
    graph.nodes.forEach(function (n) { index[n.id] = n; });
    var edgeLayer = el("g", { "class": "edges" }, view);
    var nodeLayer = el("g", { "class": "nodes" }, view);
    var drawnEdges = [];
    graph.edges.forEach(function (e) {
      var s = index[e.source], t = index[e.target];
      if (!s || !t) { return; }
      var kind = treatmentOf(e);
      var path = el("path", { d: edgePath(s, t), "class": "edge", stroke: COLOURS[kind], "stroke-width": (0.8 + (e.weight || 1) * 0.9).toFixed(1),
        fill: "none", "marker-end": "url(#arrow-" + kind + ")", "data-treatment": kind, "data-depth": e.depth || "" }, edgeLayer);
      var tip = el("title", {}, path);
      tip.textContent = (s.label || s.id) + " → " + (t.label || t.id) + ": " + (e.treatment || "not labelled").replace(/_/g, " ") +
        (e.depth ? ", " + e.depth : "") + " (" + (e.references || 0) + " reference" + (e.references === 1 ? "" : "s") + ")";
      drawnEdges.push({ el: path, s: s, t: t, treatment: kind });
    });
    graph.nodes.forEach(function (n) {
      var link = el("a", { "class": "node-link" }, nodeLayer);
      if (typeof n.href === "string" && n.href.charAt(0) === "/" && n.href.charAt(1) !== "/") { link.setAttribute("href", n.href); }
      var cls = "node node-" + n.kind + (n.withdrawn ? " withdrawn" : "") + (n.withdrawn_risk ? " at-risk" : "") +
        (n.id === graph.centre ? " centre" : "");
      var group = el("g", { "class": cls, "data-id": n.id, "data-court": n.court_id || "", transform: "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")" }, link);
      el("rect", { "class": "box", width: n.w.toFixed(1), height: BOX_H, rx: 4, ry: 4 }, group);
      var flag = n.withdrawn ? "withdrawn · " : n.withdrawn_risk ? "⚠ " : "";
      var label = el("text", { x: 6, y: 15, "class": "label" }, group);
      var year = n.year && n.kind !== "cluster" ? " (" + n.year + ")" : "";
      fit(label, flag + (n.label || n.id) + year, n.w - 12);
      var tip = el("title", {}, group);
      tip.textContent = describe(n);
      n.group = group;
    });
    container.appendChild(svg);
    enableZoom(svg, view, geo);
    return drawnEdges;
  }

  /* Wheel zooms about the pointer, dragging the background pans, the buttons zoom and reset. */
  function enableZoom(svg, view, geo) {
    var state = { k: 1, x: 0, y: 0 };
    function apply() { view.setAttribute("transform", "translate(" + state.x.toFixed(1) + "," + state.y.toFixed(1) + ") scale(" + state.k.toFixed(3) + ")"); }
    function point(ev) {
      var p = svg.createSVGPoint();
      p.x = ev.clientX; p.y = ev.clientY;
      return p.matrixTransform(svg.getScreenCTM().inverse());
    }
    function zoom(factor, cx, cy) {
      var k = Math.max(0.3, Math.min(6, state.k * factor));
      state.x = cx - (cx - state.x) * (k / state.k);
      state.y = cy - (cy - state.y) * (k / state.k);
      state.k = k;
      apply();
    }
    svg.addEventListener("wheel", function (ev) {
      if (!ev.ctrlKey && !ev.metaKey && !ev.altKey) { return; }  // plain wheel scrolls the page
      ev.preventDefault();
      var p = point(ev);
      zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("mousedown", function (ev) {
      if (ev.target.closest && ev.target.closest("a")) { return; }
      var p = point(ev);
      drag = { x: p.x - state.x, y: p.y - state.y };
      svg.classList.add("panning");
      ev.preventDefault();
    });
    window.addEventListener("mousemove", function (ev) {
      if (!drag) { return; }
      var p = point(ev);
      state.x = p.x - drag.x; state.y = p.y - drag.y;
      apply();
    });
    window.addEventListener("mouseup", function () { drag = null; svg.classList.remove("panning"); });
    var controls = document.getElementById("network-zoom");
    if (controls) {
      controls.hidden = false;
      controls.querySelector("[data-zoom=in]").addEventListener("click", function () { zoom(1.25, geo.width / 2, 200); });
      controls.querySelector("[data-zoom=out]").addEventListener("click", function () { zoom(0.8, geo.width / 2, 200); });
      controls.querySelector("[data-zoom=reset]").addEventListener("click", function () { state = { k: 1, x: 0, y: 0 }; apply(); });
    }
  }

  /* The legend doubles as the treatment filter; the court list filters cases. */
  function legend(graph, drawnEdges) {
    var box = document.getElementById("network-legend");
    if (!box) { return; }
    var present = {};
    drawnEdges.forEach(function (d) { present[d.treatment] = true; });
    var list = document.createElement("ul");
    list.className = "legend-list";
    TREATMENTS.forEach(function (t) {
      var item = document.createElement("li");
      var label = document.createElement("label");
      var check = document.createElement("input");
      check.type = "checkbox"; check.checked = true; check.value = t[0]; check.name = "treatment";
      check.disabled = !present[t[0]];
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.backgroundColor = t[1];
      label.appendChild(check); label.appendChild(swatch); label.appendChild(document.createTextNode(t[2]));
      item.appendChild(label);
      list.appendChild(item);
    });
    box.appendChild(list);
    var courts = {};
    graph.nodes.forEach(function (n) { if (n.kind !== "seed" && n.court_id) { courts[n.court_id] = (courts[n.court_id] || 0) + 1; } });
    var select = document.getElementById("network-court");
    if (select) {
      Object.keys(courts).sort().forEach(function (c) {
        var opt = document.createElement("option");
        opt.value = c; opt.textContent = c + " (" + courts[c] + ")";
        select.appendChild(opt);
      });
    }
    function refresh() {
      var shown = {};
      Array.prototype.forEach.call(box.querySelectorAll("input[name=treatment]"), function (c) { shown[c.value] = c.checked; });
      var court = select ? select.value : "";
      graph.nodes.forEach(function (n) {
        var hide = court && n.kind !== "seed" && n.court_id !== court;
        n.hidden = !!hide;
        n.group.classList.toggle("filtered", !!hide);
      });
      drawnEdges.forEach(function (d) {
        d.el.classList.toggle("filtered", !shown[d.treatment] || d.s.hidden || d.t.hidden);
      });
    }
    box.addEventListener("change", refresh);
    if (select) { select.addEventListener("change", refresh); }
  }

  function start() {
    var container = document.getElementById("network");
    var status = document.getElementById("network-status");
    if (!container) { return; }
    fetch(container.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { status.textContent = res.body.error || "Could not load the network."; return; }
        var drawn = draw(container, res.body);
        legend(res.body, drawn);
        var cases = res.body.nodes.filter(function (n) { return n.kind !== "seed"; }).length;
        status.textContent = (res.body.clustered ? "Too many cases to draw one by one: grouped by " + res.body.clustered + ". " : "") +
          res.body.nodes.length + " boxes (" + cases + (res.body.clustered ? " groups" : " cases") + "), " + drawn.length + " citing relations.";
        container.setAttribute("data-ready", "1");
      })
      .catch(function (err) { status.textContent = "Could not load the network: " + err; });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
