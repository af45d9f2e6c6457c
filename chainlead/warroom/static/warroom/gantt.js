/* warroom: Gantt charts drawn with an ECharts custom series (no inline script: CSP).
 *
 *   {{ gantt|json_script:"schedule-gantt" }}
 *   <div class="wr-gantt-scroll"><div class="wr-gantt" data-gantt="schedule-gantt"></div></div>
 *
 * Each row shows three bars side by side: the approved baseline (grey), the current plan (blue,
 * red on the critical path, with the total float as a thin line up to the latest finish) and the
 * actual dates (green; orange while still running). A red line marks today. A click on a row opens
 * its page. On a narrow screen the chart keeps a readable width and the box scrolls sideways.
 */
(function () {
  "use strict";
  var DAY = 86400000;
  var COLORS = { baseline: "#b8c0cc", plan: "#4c8bf5", critical: "#d63939", slack: "#7a8699", actual: "#2fb344", running: "#f59f00", today: "#d63939" };

  function onReady(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  function parse(iso) { var p = iso.split("-"); return new Date(+p[0], +p[1] - 1, +p[2]).getTime(); }
  function fmt(ms) { var d = new Date(ms); return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2); }
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }

  // slot 0 = baseline (top), 1 = plan (middle), 2 = actual (bottom) within a row's band.
  function barRenderer(slot) {
    return function (params, api) {
      var row = api.value(0);
      var start = api.coord([api.value(1), row]);
      var end = api.coord([api.value(2), row]);
      var band = api.size([0, 1])[1];
      var h = Math.max(band * 0.24, 3);
      var y = start[1] - band * 0.38 + slot * band * 0.27;
      var cs = params.coordSys;
      var isMilestone = api.value(3) === 1;
      var color = api.visual("color");
      if (isMilestone) {
        var cx = start[0], cy = y + h / 2, r = Math.max(h * 0.9, 5);
        if (cx < cs.x || cx > cs.x + cs.width) { return null; }
        return { type: "polygon", shape: { points: [[cx, cy - r], [cx + r, cy], [cx, cy + r], [cx - r, cy]] }, style: { fill: color } };
      }
      var rect = window.echarts.graphic.clipRectByRect(
        { x: start[0], y: y, width: Math.max(end[0] - start[0], 2), height: h },
        { x: cs.x, y: cs.y, width: cs.width, height: cs.height }
      );
      return rect && { type: "rect", shape: rect, style: { fill: color } };
    };
  }

  function slackRenderer(params, api) {
    var row = api.value(0);
    var start = api.coord([api.value(1), row]);
    var end = api.coord([api.value(2), row]);
    var band = api.size([0, 1])[1];
    var y = start[1] - band * 0.38 + band * 0.27 + Math.max(band * 0.24, 3) / 2;
    var cs = params.coordSys;
    var x1 = Math.max(start[0], cs.x), x2 = Math.min(end[0], cs.x + cs.width);
    if (x2 <= x1) { return null; }
    return { type: "line", shape: { x1: x1, y1: y, x2: x2, y2: y }, style: { stroke: COLORS.slack, lineWidth: 1, lineDash: [3, 2] } };
  }

  function tooltip(data, row) {
    var L = data.labels, out = ["<b>" + esc(row.label) + "</b>"];
    if (row.owner) { out.push(esc(L.owner) + "：" + esc(row.owner)); }
    if (row.baseline) { out.push(esc(L.baseline) + "：" + row.baseline[0] + " — " + row.baseline[1]); }
    if (row.plan) { out.push(esc(row.critical ? L.critical : L.plan) + "：" + row.plan[0] + " — " + row.plan[1]); }
    if (row.slack !== null && row.slack !== undefined) { out.push(esc(L.slack) + "：" + row.slack + " " + esc(L.wd)); }
    if (row.actual) { out.push(esc(row.running ? L.running : L.actual) + "：" + row.actual[0] + " — " + (row.running ? "" : row.actual[1])); }
    if (row.variance !== null && row.variance !== undefined) { out.push(esc(L.variance) + "：" + (row.variance > 0 ? "+" : "") + row.variance + " " + esc(L.wd)); }
    if (row.statusLabel) { out.push(esc(L.status) + "：" + esc(row.statusLabel)); }
    return out.join("<br>");
  }

  function draw(el) {
    if (!window.echarts || el.getAttribute("data-drawn")) { return; }
    var source = document.getElementById(el.getAttribute("data-gantt"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var rows = data.rows;
    var n = rows.length;
    var base = [], plan = [], critical = [], slack = [], actual = [];
    var min = parse(data.today), max = parse(data.today) + DAY;
    rows.forEach(function (r, i) {
      function add(list, pair, color, milestone) {
        if (!pair) { return; }
        var s = parse(pair[0]), e = parse(pair[1]) + DAY;
        min = Math.min(min, s); max = Math.max(max, e);
        list.push({ value: [i, s, e, milestone ? 1 : 0], itemStyle: { color: color }, url: r.url, row: i });
      }
      add(base, r.baseline, COLORS.baseline, r.milestone);
      add(r.critical ? critical : plan, r.plan, r.critical ? COLORS.critical : COLORS.plan, r.milestone);
      if (r.plan && r.late && !r.actual) {
        var ps = parse(r.plan[1]) + DAY, pe = parse(r.late[1]) + DAY;
        if (pe > ps) { slack.push({ value: [i, ps, pe], url: r.url, row: i }); max = Math.max(max, pe); }
      }
      add(actual, r.actual, r.running ? COLORS.running : COLORS.actual, r.milestone);
    });
    var pad = Math.max((max - min) * 0.02, 7 * DAY);
    min -= pad; max += pad;
    var scroller = el.parentNode;
    var narrow = scroller.clientWidth < 576;
    var labelWidth = narrow ? 110 : 190;
    // Fit the box on a desktop (zoom with the wheel or the slider); on a phone keep a readable
    // width and let the box scroll sideways, names first.
    var width = Math.max(scroller.clientWidth, 760);
    var rowHeight = data.portfolio ? 30 : 34;
    el.style.width = width + "px";
    el.style.height = Math.max(n * rowHeight + 110, 240) + "px";
    var chart = window.echarts.init(el, null, { renderer: "canvas", locale: document.documentElement.lang === "en" ? "EN" : "ZH" });
    var L = data.labels;
    function series(name, list, renderer, z) {
      return { type: "custom", name: name, renderItem: renderer, encode: { x: [1, 2], y: 0 }, data: list, z: z, clip: true };
    }
    var all = [
      series(L.baseline, base, barRenderer(0), 2),
      series(L.plan, plan, barRenderer(1), 3),
      series(L.critical, critical, barRenderer(1), 4),
      Object.assign(series(L.slack, slack, slackRenderer, 1), { silent: true, tooltip: { show: false } }),
      series(L.actual, actual, barRenderer(2), 5)
    ];
    all[1].markLine = {
      silent: true, symbol: "none", animation: false,
      lineStyle: { color: COLORS.today, width: 1.5, type: "solid" },
      label: { formatter: L.today, position: "insideEndTop", color: COLORS.today, fontSize: 11 },
      data: [{ xAxis: parse(data.today) }]
    };
    chart.setOption({
      animation: false,
      color: [COLORS.baseline, COLORS.plan, COLORS.critical, COLORS.slack, COLORS.actual],
      tooltip: {
        trigger: "item", confine: true,
        formatter: function (p) { return tooltip(data, rows[p.data.row]); }
      },
      grid: { left: labelWidth, right: 24, top: 28, bottom: 44, outerBoundsMode: "none" },
      dataZoom: [
        { type: "inside", xAxisIndex: 0, filterMode: "weakFilter", zoomOnMouseWheel: "ctrl", moveOnMouseWheel: false },
        { type: "slider", xAxisIndex: 0, filterMode: "weakFilter", height: 16, bottom: 8, labelFormatter: function (v) { return fmt(v); } }
      ],
      xAxis: {
        type: "time", position: "top", min: min, max: max,
        axisLabel: { fontSize: 11, hideOverlap: true, formatter: { year: "{yyyy}年", month: "{M}月", day: "{M}/{d}" } },
        splitLine: { show: true, lineStyle: { color: "#eef0f3" } }
      },
      yAxis: {
        type: "category", inverse: true, data: rows.map(function (r) { return r.label; }),
        axisTick: { show: false },
        axisLabel: {
          width: labelWidth - 12, overflow: "truncate", fontSize: 12,
          color: function (value, index) { return rows[index] && rows[index].critical ? COLORS.critical : "#1d273b"; }
        },
        splitLine: { show: true, lineStyle: { color: "#f2f3f5" } }
      },
      series: all
    });
    chart.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
    el.setAttribute("data-drawn", "1");
    el.__chart = chart;
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-gantt]").forEach(function (el) {
      if (el.offsetParent !== null) { draw(el); }
    });
  }
  onReady(function () {
    drawAll();
    // Charts inside a hidden tab are drawn when the tab is shown (they need a width).
    document.addEventListener("shown.bs.tab", function () { drawAll(); });
  });
  window.warroomGantt = { drawAll: drawAll };
})();
