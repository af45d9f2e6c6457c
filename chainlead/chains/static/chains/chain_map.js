/* The chain map (产业链图谱) drawn with ECharts 6.
 *
 * Data: ``chain_map_data`` from chainlead.chains.services, read from a json_script block whose id
 * is the element's data-data attribute; the tooltip words come from data-labels. No inline script
 * (CSP): this file finds every ``.chain-map`` element and draws it.
 *
 * Layout: one column per segment (上游 → 中游 → 下游); inside a column each node tree is laid out
 * left to right (parent, then its children), a parent centred on its children. On a narrow screen
 * the three segments are stacked instead, so a phone scrolls down the map rather than sideways.
 * Coordinates are pixels: two invisible anchor nodes pin the graph's bounding box to the canvas,
 * so ECharts does not rescale the boxes.
 */
(function () {
  "use strict";

  var SEGMENTS = ["upstream", "midstream", "downstream"];
  var SEGMENT_FILL = { upstream: "#e7f5fb", midstream: "#e8f0fc", downstream: "#eeeafb" };
  var SEGMENT_TEXT = { upstream: "#127a9e", midstream: "#1e56b0", downstream: "#5037a6" };
  var PURPOSE_COLOR = { fill: "#d63939", strengthen: "#2b9a3e", extend: "#ae3ec9" };
  var MARGIN = 8;
  var HEADER_H = 34;
  var NARROW = 760; // below this width the segments are stacked

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function readJSON(id) {
    var el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  /* Mix a #rrggbb colour with white: amount 0 = white, 1 = the colour. */
  function tint(hex, amount) {
    var n = parseInt(hex.slice(1), 16);
    var r = (n >> 16) & 255, g = (n >> 8) & 255, b = n & 255;
    function mix(c) { return Math.round(255 - (255 - c) * amount); }
    return "rgb(" + mix(r) + "," + mix(g) + "," + mix(b) + ")";
  }

  function escapeHTML(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Braces and bars delimit ECharts rich-text runs: keep them out of user-typed names. */
  function richSafe(text) {
    return String(text).replace(/\{/g, "｛").replace(/\}/g, "｝").replace(/\|/g, "｜");
  }

  /* Tree rows of one segment: leaves take consecutive rows, a parent sits in the middle of its
   * children. Returns {rows, levels} and sets node._row and node._depth. */
  function layoutSegment(nodes) {
    var ids = {}, children = {}, roots = [];
    nodes.forEach(function (n) { ids[n.id] = true; });
    nodes.forEach(function (n) {
      if (n.parent != null && ids[n.parent]) {
        (children[n.parent] = children[n.parent] || []).push(n);
      } else {
        roots.push(n);
      }
    });
    var next = 0, levels = 1;
    function place(n, depth) {
      n._depth = depth;
      levels = Math.max(levels, depth + 1);
      var kids = children[n.id] || [];
      if (!kids.length) { n._row = next; next += 1; return; }
      kids.forEach(function (k) { place(k, depth + 1); });
      n._row = (kids[0]._row + kids[kids.length - 1]._row) / 2;
    }
    roots.forEach(function (n) { place(n, 0); });
    return { rows: next, levels: levels };
  }

  function computeLayout(data, available) {
    var bySegment = {};
    SEGMENTS.forEach(function (s) { bySegment[s] = []; });
    data.nodes.forEach(function (n) { (bySegment[n.segment] = bySegment[n.segment] || []).push(n); });
    var info = {}, levels = 1;
    SEGMENTS.forEach(function (s) {
      info[s] = layoutSegment(bySegment[s]);
      levels = Math.max(levels, info[s].levels);
    });
    var narrow = available < NARROW;
    var segGap = narrow ? 0 : 36;
    var levelW, width;
    if (narrow) {
      levelW = Math.max(128, Math.min(200, (available - 2 * MARGIN) / levels));
      width = Math.max(available, levelW * levels + 2 * MARGIN);
    } else {
      levelW = Math.max(132, Math.min(230, (available - 2 * MARGIN - 2 * segGap) / (3 * levels)));
      width = Math.max(available, levelW * levels * 3 + 2 * segGap + 2 * MARGIN);
    }
    var boxW = Math.min(168, levelW - (narrow ? 12 : 22));
    var boxH = 42, rowH = narrow ? 52 : 54;
    var colW = levelW * levels;
    var columns = {}, y = MARGIN, height = 0;
    SEGMENTS.forEach(function (s, i) {
      var left = narrow ? MARGIN : MARGIN + i * (colW + segGap);
      var top = narrow ? y : MARGIN;
      columns[s] = { left: left, top: top, width: colW };
      bySegment[s].forEach(function (n) {
        n._x = left + n._depth * levelW + levelW / 2;
        n._y = top + HEADER_H + 14 + n._row * rowH + rowH / 2;
      });
      var bottom = top + HEADER_H + 14 + Math.max(info[s].rows, 1) * rowH;
      if (narrow) { y = bottom + 22; }
      height = Math.max(height, bottom);
    });
    return {
      narrow: narrow, width: Math.round(width), height: Math.round(height + MARGIN),
      levelW: levelW, boxW: boxW, boxH: boxH, columns: columns, bySegment: bySegment
    };
  }

  function purposeLine(counts, legend) {
    var parts = [];
    legend.purposes.forEach(function (p) {
      var n = counts[p.key] || 0;
      // "补1" in Chinese, "Fill 1" in English.
      var gap = /^[\x00-\x7f]+$/.test(p.short) ? " " : "";
      if (n) { parts.push("{" + p.key + "|" + p.short + gap + n + "}"); }
    });
    if (counts.other) { parts.push("{other|·" + counts.other + "}"); }
    return parts.join(" ");
  }

  function buildOption(data, labels, lay) {
    var legend = data.legend;
    var strengthLabel = {}, strengthColor = {};
    legend.strengths.forEach(function (s) { strengthLabel[s.key] = s.label; strengthColor[s.key] = s.color; });
    var segmentLabel = {};
    legend.segments.forEach(function (s) { segmentLabel[s.key] = s.label; });
    var rich = {
      name: { fontSize: 13, fontWeight: 500, color: "#1d273b", lineHeight: 17 },
      parent: { fontSize: 13, fontWeight: 700, color: "#1d273b", lineHeight: 17 },
      star: { fontSize: 13, color: "#d63939", lineHeight: 17 },
      other: { fontSize: 11, color: "#6c7a91", lineHeight: 15 }
    };
    legend.purposes.forEach(function (p) {
      rich[p.key] = { fontSize: 11, fontWeight: 700, color: PURPOSE_COLOR[p.key] || "#333", lineHeight: 15 };
    });
    var hasKids = {};
    data.nodes.forEach(function (n) { if (n.parent != null) { hasKids[n.parent] = true; } });
    var segmentOf = {};
    data.nodes.forEach(function (n) { segmentOf[n.id] = n.segment; });

    var items = [];
    // Anchors: pin the bounding box to the canvas so one data unit is one pixel.
    items.push({ id: "anchor-0", x: 0, y: 0, symbolSize: 0, label: { show: false }, tooltip: { show: false }, silent: true });
    items.push({ id: "anchor-1", x: lay.width, y: lay.height, symbolSize: 0, label: { show: false }, tooltip: { show: false }, silent: true });
    var links = [];
    SEGMENTS.forEach(function (s, i) {
      var col = lay.columns[s];
      var headerW = lay.narrow ? lay.width - 2 * MARGIN : col.width;
      // Boxes are drawn as label boxes, not symbols: a symbol's border is scaled with its shape
      // and comes out thick on the sides and thin on top. The symbol stays, invisible, for hits.
      items.push({
        id: "segment-" + s, x: col.left + headerW / 2, y: col.top + HEADER_H / 2,
        symbol: "rect", symbolSize: [headerW - 4, HEADER_H - 4], silent: true, tooltip: { show: false },
        itemStyle: { color: "rgba(0,0,0,0)" },
        label: {
          show: true, position: "inside", formatter: (segmentLabel[s] || s) + "（" + lay.bySegment[s].length + "）",
          fontSize: 15, fontWeight: 700, lineHeight: 20, color: SEGMENT_TEXT[s], align: "center",
          width: headerW - 4 - 2, padding: [(HEADER_H - 4 - 20) / 2 - 1, 0],
          backgroundColor: SEGMENT_FILL[s], borderColor: SEGMENT_TEXT[s], borderWidth: 1, borderRadius: 4
        }
      });
      if (i < SEGMENTS.length - 1) {
        var ax = lay.narrow ? MARGIN + headerW / 2 : col.left + col.width + 18;
        var ay = lay.narrow ? lay.columns[SEGMENTS[i + 1]].top - 11 : col.top + HEADER_H / 2;
        items.push({
          id: "arrow-" + s, x: ax, y: ay, symbol: "arrow", symbolSize: [14, 14], symbolRotate: lay.narrow ? 180 : -90,
          silent: true, tooltip: { show: false }, label: { show: false }, itemStyle: { color: "#8a94a6" }
        });
      }
    });
    data.nodes.forEach(function (n) {
      var color = n.color || strengthColor[n.strength] || "#999";
      var isParent = !!hasKids[n.id];
      var star = n.masters && n.masters.length ? "{star|★}" : "";
      var line = purposeLine(n.projects || {}, legend);
      var border = 2, hpad = 4;
      var contentH = line ? 17 + 15 : 17;
      items.push({
        id: String(n.id), name: n.name, x: n._x, y: n._y, node: n,
        symbol: "rect", symbolSize: [lay.boxW, lay.boxH],
        itemStyle: { color: "rgba(0,0,0,0)" },
        label: {
          show: true, position: "inside", align: "center", rich: rich,
          width: lay.boxW - 2 * (hpad + border), overflow: "truncate", ellipsis: "…",
          padding: [(lay.boxH - contentH) / 2 - border, hpad],
          backgroundColor: tint(color, isParent ? 0.28 : 0.14), borderColor: color, borderWidth: border,
          borderType: n.strength === "missing" ? [4, 3] : "solid", borderRadius: 4,
          formatter: star + "{" + (isParent ? "parent" : "name") + "|" + richSafe(n.name) + "}" + (line ? "\n" + line : "")
        }
      });
      if (n.parent != null && segmentOf[n.parent]) {
        links.push({
          source: String(n.parent), target: String(n.id),
          lineStyle: segmentOf[n.parent] === n.segment ? {} : { type: "dashed", curveness: 0.2 }
        });
      }
    });

    function tooltip(params) {
      if (params.dataType !== "node" || !params.data.node) { return ""; }
      var n = params.data.node, p = n.projects || {};
      var rows = ["<b>" + escapeHTML(n.name) + "</b> · " + escapeHTML(segmentLabel[n.segment] || "")];
      rows.push(escapeHTML(labels.strength) + "：<span style=\"color:" + (n.color || "#333") + "\">" +
        escapeHTML(strengthLabel[n.strength] || n.strength) + "</span>" +
        (n.industry_code ? "　" + escapeHTML(labels.industry_code) + "：" + escapeHTML(n.industry_code) : ""));
      var counts = legend.purposes.map(function (x) { return escapeHTML(x.label) + " " + (p[x.key] || 0); });
      if (p.other) { counts.push(escapeHTML(labels.other) + " " + p.other); }
      rows.push(escapeHTML(labels.projects) + "：" + counts.join("，"));
      rows.push(escapeHTML(labels.masters) + "：" + (n.masters.length ? n.masters.map(escapeHTML).join("、") : escapeHTML(labels.none)));
      rows.push(escapeHTML(labels.supporting) + "：" + n.supporting.length + " " + escapeHTML(labels.unit_company));
      rows.push("<span style=\"color:#6c7a91\">" + escapeHTML(labels.click) + "</span>");
      return rows.join("<br>");
    }

    return {
      animation: false,
      tooltip: { trigger: "item", confine: true, formatter: tooltip, extraCssText: "max-width:320px;white-space:normal;" },
      series: [{
        type: "graph", layout: "none", coordinateSystem: "view",
        left: 0, top: 0, right: 0, bottom: 0, roam: false, draggable: false,
        data: items, links: links,
        edgeSymbol: ["none", "none"],
        lineStyle: { color: "#b4bcc8", width: 1.5, opacity: 1, curveness: 0 },
        emphasis: { focus: "adjacency", scale: false, lineStyle: { width: 2.5, color: "#206bc4" } },
        blur: { itemStyle: { opacity: 0.35 }, label: { opacity: 0.5 } }
      }]
    };
  }

  function draw(el) {
    var data = readJSON(el.getAttribute("data-data"));
    var labels = readJSON(el.getAttribute("data-labels")) || {};
    if (!data || !data.nodes || !data.nodes.length || typeof echarts === "undefined") { return; }
    var box = el.parentNode;
    var state = window.chainlead.chainMaps[el.id] || { el: el, chart: null, width: 0 };
    var available = box.clientWidth;
    if (!available) { return; } // hidden (another tab is open): drawn when shown
    if (state.chart && state.width === available) { return; }
    var lay = computeLayout(data, available);
    el.style.width = lay.width + "px";
    el.style.height = lay.height + "px";
    if (!state.chart) {
      var lang = (document.documentElement.lang || "zh").toLowerCase();
      state.chart = echarts.init(el, null, { renderer: "canvas", locale: lang.indexOf("zh") === 0 ? "ZH" : "EN" });
      state.chart.on("click", function (params) {
        var n = params.data && params.data.node;
        if (params.dataType === "node" && n && n.url) { window.location.href = n.url; }
      });
    } else {
      state.chart.resize({ width: lay.width, height: lay.height });
    }
    state.chart.setOption(buildOption(data, labels, lay), true);
    state.width = available;
    state.layout = lay;
    state.nodes = data.nodes;
    el.setAttribute("data-layout", lay.narrow ? "stacked" : "columns");
    el.setAttribute("data-ready", "1");
    window.chainlead.chainMaps[el.id] = state;
  }

  /* Where a node is on screen (browser tests click it): {x, y} in client pixels, or null. */
  function nodeClientPoint(elementId, nodeId) {
    var state = window.chainlead.chainMaps[elementId];
    if (!state) { return null; }
    var node = null;
    state.nodes.forEach(function (n) { if (String(n.id) === String(nodeId)) { node = n; } });
    if (!node) { return null; }
    var px = state.chart.convertToPixel({ seriesIndex: 0 }, [node._x, node._y]);
    var rect = state.el.getBoundingClientRect();
    return { x: rect.left + px[0], y: rect.top + px[1] };
  }

  window.chainlead = window.chainlead || {};
  window.chainlead.chainMaps = window.chainlead.chainMaps || {};
  window.chainlead.nodeClientPoint = nodeClientPoint;

  onReady(function () {
    var maps = document.querySelectorAll(".chain-map");
    maps.forEach(draw);
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { maps.forEach(draw); }, 150);
    });
    document.querySelectorAll('[data-bs-toggle="tab"]').forEach(function (tab) {
      tab.addEventListener("shown.bs.tab", function () { maps.forEach(draw); });
    });
  });
})();
