/* citator network view: a small force-directed layout drawn in SVG, with no library.
 *
 * Reads the graph from the URL in #network[data-src] (citator's network.json), lays it out with
 * repulsion between all nodes, springs along edges and a pull towards each node's ring (seed in the
 * centre, citing cases around it, cases citing those further out), then draws it. Every label is
 * set with textContent, never as markup: case names come from outside sources.
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var COLOURS = {
    followed: "#1a7f37",
    relied_on: "#2da44e",
    cited_neutral: "#8c959f",
    distinguished: "#bf8700",
    criticized_or_declined: "#cf222e",
    noted_withdrawn: "#8250df",
    none: "#b6bcc4"
  };
  var WIDTH = 960, HEIGHT = 600, LABEL_ROOM = 190;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function colour(treatment) { return COLOURS[treatment] || COLOURS.none; }

  /* Place nodes on their rings, then relax: a few hundred steps are plenty for a few hundred nodes. */
  function layout(graph) {
    var cx = (WIDTH - LABEL_ROOM) / 2 + 40, cy = HEIGHT / 2, ringGap = Math.min(WIDTH - LABEL_ROOM, HEIGHT) / 5;
    var byRing = {};
    graph.nodes.forEach(function (n) { (byRing[n.ring] = byRing[n.ring] || []).push(n); });
    Object.keys(byRing).forEach(function (ring) {
      var list = byRing[ring];
      list.forEach(function (n, i) {
        var angle = (2 * Math.PI * i) / list.length + ring * 0.5;
        var r = n.id === graph.centre ? 0 : ringGap * Math.max(1, Number(ring)) * (n.kind === "seed" ? 0.55 : 1);
        n.x = cx + r * Math.cos(angle);
        n.y = cy + r * Math.sin(angle);
        n.vx = 0; n.vy = 0;
      });
    });
    var index = {};
    graph.nodes.forEach(function (n) { index[n.id] = n; });
    var links = graph.edges.filter(function (e) { return index[e.source] && index[e.target]; })
      .map(function (e) { return { s: index[e.source], t: index[e.target], e: e }; });
    for (var step = 0; step < 300; step++) {
      var heat = 1 - step / 300;
      for (var i = 0; i < graph.nodes.length; i++) {
        var a = graph.nodes[i];
        for (var j = i + 1; j < graph.nodes.length; j++) {
          var b = graph.nodes[j];
          var dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
          var f = 900 / d2;
          a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
        }
      }
      links.forEach(function (l) {
        var dx = l.t.x - l.s.x, dy = l.t.y - l.s.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        var k = (d - ringGap * 0.9) * 0.02;
        l.s.vx += dx / d * k; l.s.vy += dy / d * k; l.t.vx -= dx / d * k; l.t.vy -= dy / d * k;
      });
      graph.nodes.forEach(function (n) {
        if (n.id === graph.centre) { n.x = cx; n.y = cy; n.vx = n.vy = 0; return; }
        var dx = n.x - cx, dy = n.y - cy, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        var want = ringGap * Math.max(1, n.ring) * (n.kind === "seed" ? 0.55 : 1);
        n.vx -= dx / d * (d - want) * 0.05; n.vy -= dy / d * (d - want) * 0.05;
        var max = 30 * heat + 1;
        n.x += Math.max(-max, Math.min(max, n.vx)); n.y += Math.max(-max, Math.min(max, n.vy));
        n.x = Math.max(20, Math.min(WIDTH - LABEL_ROOM, n.x)); n.y = Math.max(20, Math.min(HEIGHT - 20, n.y));
        n.vx *= 0.5; n.vy *= 0.5;
      });
    }
    return links;
  }

  function draw(container, graph) {
    var links = layout(graph);
    var svg = el("svg", { viewBox: "0 0 " + WIDTH + " " + HEIGHT, width: "100%", "class": "network-svg" });
    var edgeLayer = el("g", { "class": "edges" }, svg);
    var nodeLayer = el("g", { "class": "nodes" }, svg);
    links.forEach(function (l) {
      var line = el("line", {
        "class": "edge", stroke: colour(l.e.treatment), "stroke-width": 1 + l.e.weight * 1.3,
        "data-treatment": l.e.treatment || "none", "data-depth": l.e.depth || ""
      }, edgeLayer);
      var title = el("title", {}, line);
      title.textContent = (l.e.treatment || "not labelled") + ", " + (l.e.depth || "") + " (" + l.e.references + " references)";
      l.line = line;
    });
    graph.nodes.forEach(function (n) {
      var link = el("a", { "class": "node-link" }, nodeLayer);
      if (typeof n.href === "string" && n.href.charAt(0) === "/") { link.setAttribute("href", n.href); }
      var group = el("g", { "class": "node node-" + n.kind + (n.withdrawn ? " withdrawn" : ""), "data-id": n.id }, link);
      el("circle", { "class": "node", r: n.kind === "seed" ? 13 : 7 }, group);
      var label = el("text", { x: n.kind === "seed" ? 16 : 10, y: 4 }, group);
      var text = n.label || n.id;
      var room = n.kind === "seed" ? 58 : 44;
      label.textContent = (text.length > room ? text.slice(0, room - 2) + "…" : text) + (n.year ? " (" + n.year + ")" : "")
        + (n.withdrawn ? " [withdrawn]" : "");
      var title = el("title", {}, group);
      title.textContent = text + (n.court_id ? ", " + n.court_id : "") + (n.withdrawn ? " (withdrawn opinion)" : "");
      n.group = group;
      enableDrag(svg, link, n, links);
    });
    container.appendChild(svg);
    place(graph.nodes, links);
  }

  function place(nodes, links) {
    nodes.forEach(function (n) { n.group.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")"); });
    links.forEach(function (l) {
      l.line.setAttribute("x1", l.s.x.toFixed(1)); l.line.setAttribute("y1", l.s.y.toFixed(1));
      l.line.setAttribute("x2", l.t.x.toFixed(1)); l.line.setAttribute("y2", l.t.y.toFixed(1));
    });
  }

  /* Dragging moves a node; a press released without moving is a click and follows the link. */
  function enableDrag(svg, link, node, links) {
    var dragging = false, moved = false;
    link.addEventListener("mousedown", function (ev) { dragging = true; moved = false; ev.preventDefault(); });
    svg.addEventListener("mousemove", function (ev) {
      if (!dragging) { return; }
      var point = svg.createSVGPoint();
      point.x = ev.clientX; point.y = ev.clientY;
      var p = point.matrixTransform(svg.getScreenCTM().inverse());
      node.x = p.x; node.y = p.y; moved = true;
      place([node], links.filter(function (l) { return l.s === node || l.t === node; }));
    });
    window.addEventListener("mouseup", function () { dragging = false; });
    link.addEventListener("click", function (ev) { if (moved) { ev.preventDefault(); moved = false; } });
  }

  function legend() {
    var box = document.getElementById("legend-treatments");
    if (!box) { return; }
    Object.keys(COLOURS).forEach(function (name) {
      var item = document.createElement("span");
      item.className = "legend-item";
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = COLOURS[name];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(name === "none" ? "not labelled" : name.replace(/_/g, " ")));
      box.appendChild(item);
    });
  }

  function start() {
    var container = document.getElementById("network");
    var status = document.getElementById("network-status");
    if (!container) { return; }
    legend();
    fetch(container.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { status.textContent = res.body.error || "Could not load the network."; return; }
        draw(container, res.body);
        status.textContent = res.body.nodes.length + " cases, " + res.body.edges.length + " citing relations.";
        container.setAttribute("data-ready", "1");
      })
      .catch(function (err) { status.textContent = "Could not load the network: " + err; });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
