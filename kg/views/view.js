// The view's behaviour: draw the designed layout, tooltips at the node, search as you type,
// a picture of the canvas for printing. Every text reaches the page through textContent.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var byId = Object.create(null);  // ids from the page's own hash must not reach Object.prototype
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var TEXT = "#1b1b1f";
  var served = /^https?:$/.test(window.location.protocol) && window.location.pathname.indexOf("/views/") === 0;
  // A node's page on the serving site (its IRI less the data's base), or null offline.
  function pageOf(n) {
    if (!served || !n || !n.iri || !data.base || n.iri.indexOf(data.base) !== 0) return null;
    return window.location.origin + "/" + n.iri.slice(data.base.length);
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var font = {color: n.ink || TEXT, size: n.font, face: "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"};
    if (n.shape === "box") {
      return {id: n.id, label: n.label, x: n.x, y: n.y, shape: "box", physics: false, margin: data.margin,
              borderWidth: 2, font: font, shapeProperties: {borderRadius: 6, borderDashes: n.dashed ? [6, 4] : false},
              color: {background: n.fill, border: n.border, highlight: {background: n.fill, border: TEXT},
                      hover: {background: n.fill, border: TEXT}}};
    }
    // Labels under glyphs get a white halo, so lines passing behind never lower their contrast.
    font.strokeWidth = 4;
    font.strokeColor = "#ffffff";
    return {id: n.id, label: n.label, x: n.x, y: n.y, shape: n.shape, size: n.size, physics: false, font: font,
            borderWidth: n.focus ? 3 : 1,
            color: {background: n.colours[0], border: n.focus ? TEXT : n.colours[0],
                    highlight: {background: n.colours[0], border: TEXT}, hover: {background: n.colours[0], border: TEXT}}};
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    var edge = {id: i, from: e.from, to: e.to, color: {color: "#9aa3ab", highlight: "#37474f"}, width: 1};
    if (data.edgeLabels) {
      edge.label = e.label;
      edge.arrows = "to";
      edge.font = {size: 13, color: TEXT, strokeWidth: 4, strokeColor: "#ffffff", align: "top"};
    }
    return edge;
  }));
  var container = document.getElementById("graph");
  // A small frame in another page (a term page on a phone): the page scrolls over it and the
  // whole graph shows; dragging and zooming wait for the reader to open the view itself.
  var framed = window.self !== window.top;
  var small = framed && container.clientWidth < 600;
  var network = new vis.Network(container, {nodes: nodes, edges: edges},
    {physics: false, interaction: {hover: true, dragView: !small, zoomView: !small}, edges: {smooth: false}});
  if (small) {
    Array.prototype.forEach.call(container.querySelectorAll("*"), function (el) { el.style.touchAction = "pan-y"; });
    container.style.touchAction = "pan-y";
  }
  window.kgSmallFrame = small;
  window.kgNetwork = network;
  window.kgNodeCount = data.nodes.length;

  // Terms of several dimensions: the dot is painted again as a pie, one slice per dimension.
  network.on("afterDrawing", function (ctx) {
    var split = data.nodes.filter(function (n) { return n.colours.length > 1 && n.shape === "dot"; });
    if (!split.length) return;
    var pos = network.getPositions(split.map(function (n) { return n.id; }));
    split.forEach(function (n) {
      var p = pos[n.id], step = 2 * Math.PI / n.colours.length;
      n.colours.forEach(function (c, i) {
        ctx.beginPath();
        ctx.moveTo(p.x, p.y);
        ctx.arc(p.x, p.y, n.size, -Math.PI / 2 + i * step, -Math.PI / 2 + (i + 1) * step);
        ctx.closePath();
        ctx.fillStyle = c;
        ctx.fill();
      });
    });
  });

  // The opening zoom, drawn at once: vis-network paints a new zoom on the next animation frame,
  // and a headless browser's screenshot (a trainer's slide) under load was taken before it, with
  // the unfitted first drawing cut at the edges.
  function opening() {
    network.setSize("100%", "100%");  // the canvas at the frame's size first: a later resize rescales the zoom
    zoom();
    network.redraw();
    window.kgOpenings = (window.kgOpenings || 0) + 1;
  }

  // The whole view when its labels stay readable; otherwise a closer zoom, centred on the
  // focus (term views, 12 px labels at least) or on the path's first term.
  function zoom() {
    network.fit({animation: false});
    var least = Math.min.apply(null, data.nodes.map(function (n) { return n.font; }));
    // In a small frame the whole neighbourhood, its labels 9 px at least (the full view is a tap
    // away): 12 px there cut a third of a term page's labels on a phone.
    var wanted = small ? 9 : {term: 12.5, path: 12.5, dimension: 9, section: 9}[data.kind];
    var at;
    if (data.kind === "overview" && container.clientWidth < 600 && !small) {
      // A phone: the seven dimensions' names readable (9 px), centred among their stars. A wider
      // screen shows the whole overview (a trainer's slide): its smallest labels need zooming in.
      var stars = data.nodes.filter(function (n) { return n.kind === "dimension"; });
      if (!stars.length || network.getScale() * 16 >= 9) return;
      at = {x: 0, y: 0};
      stars.forEach(function (n) { at.x += n.x / stars.length; at.y += n.y / stars.length; });
      network.moveTo({position: at, scale: 9 / 16, animation: false});
      return;
    }
    if (!wanted || network.getScale() * least >= wanted) return;
    var scale = wanted / least;
    var anchor = data.focus || (data.path && data.path[0]);
    at = network.getPositions([anchor])[anchor];
    if (data.kind === "path") {
      // Keep the first term at the left edge: the path reads from there.
      at = {x: at.x + container.clientWidth / (2 * scale) - 60 / scale, y: at.y};
    }
    network.moveTo({position: at, scale: scale, animation: false});
  }

  var tip = document.getElementById("tip");
  function line(text, cls) {
    if (!text) return;
    var div = document.createElement("div");
    div.textContent = text;
    if (cls) div.className = cls;
    tip.appendChild(div);
  }
  function showTip(id) {
    var n = byId[id];
    if (!n) return;
    tip.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = n.full;
    tip.appendChild(strong);
    line(n.other, "other");
    line(n.pinyin, "pinyin");
    line(n.definition, "");
    line(n.definitionOther, "other");
    if (pageOf(n)) line(data.words.open, "other");
    var p = network.canvasToDOM(network.getPositions([id])[id]);
    var box = container.getBoundingClientRect();
    tip.style.display = "block";
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.min(Math.max(4, box.left + p.x + 14), window.innerWidth - w - 4);
    var top = box.top + p.y + 14;
    if (top + h > window.innerHeight - 4) top = Math.max(4, box.top + p.y - h - 14);
    tip.style.left = left + "px";
    tip.style.top = top + "px";
    window.kgTip = id;
  }
  function hideTip() { tip.style.display = "none"; window.kgTip = null; }
  network.on("hoverNode", function (p) { showTip(p.node); });
  network.on("blurNode", hideTip);
  network.on("click", function (p) { if (p.nodes.length) showTip(p.nodes[0]); else hideTip(); });
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  // Served by kg serve, a double click (or tap) on a node opens its page on the site; a file
  // opened offline goes nowhere (its IRIs are on the web).
  network.on("doubleClick", function (p) {
    var href = pageOf(p.nodes.length ? byId[p.nodes[0]] : null);
    if (!href) return;
    window.kgOpened = href;
    try { window.top.location.href = href; } catch (err) { window.location.href = href; }
  });

  function focus(id) {
    if (!byId[id]) return false;
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.0), animation: false});
    window.kgSelected = id;
    showTip(id);
    return true;
  }
  function fromHash() {
    var m = /node=([^&]+)/.exec(location.hash);
    if (!m) return;
    try { focus(decodeURIComponent(m[1])); } catch (e) { /* a malformed link: show the view as it opens */ }
  }
  window.addEventListener("hashchange", fromHash);

  // Search as you type: characters, toneless pinyin, initials, English, alternative labels.
  function fold(s) {
    return s.normalize("NFKC").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .normalize("NFC").replace(/\s+/g, "");
  }
  function matches(q) {
    var scored = [];
    data.nodes.forEach(function (n) {
      var best = -1;
      n.search.forEach(function (k) {
        var at = k.indexOf(q);
        if (at < 0) return;
        var score = (k === q ? 0 : at === 0 ? 1 : 2);
        if (best < 0 || score < best) best = score;
      });
      if (best >= 0) scored.push([best, n.kind === "term" ? 0 : 1, -n.links, n.full.length, n.full, n]);
    });
    scored.sort(function (a, b) {
      for (var i = 0; i < 5; i++) { if (a[i] < b[i]) return -1; if (a[i] > b[i]) return 1; }
      return 0;
    });
    return scored.map(function (s) { return s[5]; });
  }
  var input = document.getElementById("search");
  var results = document.getElementById("results");
  var nomatch = document.getElementById("nomatch");
  var hits = [];
  function choose(n) {
    history.replaceState(null, "", "#node=" + encodeURIComponent(n.id));
    results.textContent = "";
    focus(n.id);
  }
  input.addEventListener("input", function () {
    var q = fold(input.value);
    active = -1;
    input.removeAttribute("aria-activedescendant");
    results.textContent = "";
    nomatch.textContent = "";
    hits = q ? matches(q) : [];
    if (q && !hits.length) { nomatch.textContent = data.words.nomatch; return; }
    hits.slice(0, 8).forEach(function (n, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "hit-" + i;
      li.tabIndex = -1;
      li.textContent = n.full;
      if (n.other) {
        var span = document.createElement("span");
        span.textContent = " " + n.other;
        li.appendChild(span);
      }
      li.addEventListener("click", function () { choose(n); });
      results.appendChild(li);
    });
    if (hits.length) {
      network.selectNodes([hits[0].id]);
      window.kgSelected = hits[0].id;
    }
  });
  var active = -1;
  function activate(i) {
    var items = results.querySelectorAll("li");
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach(function (li, k) { li.setAttribute("aria-selected", String(k === active)); });
    input.setAttribute("aria-activedescendant", items[active].id);
    network.selectNodes([hits[active].id]);
    window.kgSelected = hits[active].id;
  }
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      activate(active + (ev.key === "ArrowDown" ? 1 : -1));
    }
    if (ev.key === "Enter" && hits.length) { ev.preventDefault(); choose(hits[Math.max(active, 0)]); }
    if (ev.key === "Escape") { results.textContent = ""; nomatch.textContent = ""; active = -1; }
  });

  var embedButton = document.getElementById("embed-button");
  embedButton.addEventListener("click", function () {
    var panel = document.getElementById("embed");
    var open = panel.style.display !== "block";
    panel.style.display = open ? "block" : "none";
    embedButton.setAttribute("aria-expanded", String(open));
  });
  // The whole graph at once, and back: the opening zoom keeps labels readable, so on a phone
  // (or in a large view) part of the graph starts off screen and nothing said so.
  var wholeButton = document.getElementById("whole-button");
  wholeButton.addEventListener("click", function () {
    var whole = wholeButton.getAttribute("aria-pressed") !== "true";
    if (whole) network.fit({animation: false, maxZoomLevel: 20});
    else zoom();
    network.redraw();
    wholeButton.setAttribute("aria-pressed", String(whole));
    moved = true;  // a resize keeps what the reader chose
  });
  var legend = document.getElementById("legend");
  if (window.innerWidth < 600 || window.innerHeight < 420) legend.open = false;

  // Printing shows a picture of the canvas (a canvas itself prints blank in most browsers): the
  // whole graph, drawn on a canvas of 2400×1600 for the page (a copy of the screen's canvas was
  // the screen's resolution, and a term view's opening zoom cut labels at its edges).
  var snapshot = document.getElementById("snapshot");
  var PRINT_W = 2400, PRINT_H = 1600;
  function snap() {
    // Never while printing: the print style hides the canvas, and a redraw at 0×0 would
    // replace the last good picture with an empty one.
    if (window.matchMedia && window.matchMedia("print").matches) return;
    var canvas = container.querySelector("canvas");
    if (!canvas || !canvas.width || !canvas.height || !container.clientWidth) return;
    var view = {position: network.getViewPosition(), scale: network.getScale()};
    var width = container.style.width, height = container.style.height;
    // Within one task: the page never paints the larger canvas, nor sees its size change.
    container.style.width = PRINT_W + "px";
    container.style.height = PRINT_H + "px";
    network.setSize(PRINT_W + "px", PRINT_H + "px");
    network.fit({animation: false, maxZoomLevel: 20});  // fit() stops at 1× unless told
    network.redraw();
    snapshot.src = canvas.toDataURL("image/png");
    container.style.width = width;
    container.style.height = height;
    network.setSize("100%", "100%");
    network.moveTo({position: view.position, scale: view.scale, animation: false});
    network.redraw();
  }
  window.addEventListener("beforeprint", snap);

  network.once("afterDrawing", function () {
    opening();
    window.kgRenderedAt = performance.now();
    window.kgRendered = true;
    fromHash();
    setTimeout(snap, 200);  // ready for a print started without a beforeprint event (a PDF export)
  });

  // The page may settle after the first drawing (fonts, the legend's column, an iframe sized by
  // its host): while the reader has not moved the view, it is fitted again to the size it has.
  var moved = false;
  network.on("dragStart", function () { moved = true; });
  network.on("zoom", function () { moved = true; });
  if (window.ResizeObserver) {
    var size = container.clientWidth + "x" + container.clientHeight;
    new ResizeObserver(function () {
      var now = container.clientWidth + "x" + container.clientHeight;
      if (now === size || !container.clientWidth || !container.clientHeight) return;
      size = now;
      if (!moved && window.kgRendered && !window.location.hash) {
        opening();  // sized, zoomed and drawn
        return;
      }
      network.setSize("100%", "100%");  // the canvas takes the frame's size now, not at vis's next check
      network.redraw();
    }).observe(container);
  }
})();
