/* targets: the plan-vs-actual chart of an attack target, and the print buttons. No inline JS (CSP). */
(function () {
  "use strict";
  function onReady(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function drawChart(el) {
    if (!window.echarts || el.dataset.drawn) { return; }
    var data = readJSON(el.getAttribute("data-chart-source"));
    if (!data) { return; }
    var narrow = el.clientWidth < 480;
    var chart = window.echarts.init(el, null, { renderer: "canvas", locale: document.documentElement.lang === "en" ? "EN" : "ZH" });
    var n = data.names;
    chart.setOption({
      animation: false,
      color: ["#9db9e5", "#2fb344", "#206bc4", "#f76707"],
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + " " + data.unit; } },
      legend: { top: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 12 } },
      grid: { left: 8, right: 8, top: narrow ? 52 : 36, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { fontSize: 11, interval: narrow ? "auto" : 0 } },
      yAxis: [
        { type: "value", name: n.monthly + "（" + data.unit + "）", minInterval: data.integer ? 1 : 0, nameTextStyle: { fontSize: 11, align: "left" }, axisLabel: { fontSize: 11 }, splitLine: { lineStyle: { type: "dashed" } } },
        { type: "value", name: n.cumulative, minInterval: data.integer ? 1 : 0, nameTextStyle: { fontSize: 11, align: "right" }, axisLabel: { fontSize: 11 }, splitLine: { show: false } }
      ],
      series: [
        { name: n.planned, type: "bar", data: data.planned, barMaxWidth: 16 },
        { name: n.actual, type: "bar", data: data.actual, barMaxWidth: 16 },
        { name: n.cumPlanned, type: "line", yAxisIndex: 1, data: data.cumPlanned, symbolSize: 4, lineStyle: { type: "dashed" } },
        { name: n.cumActual, type: "line", yAxisIndex: 1, data: data.cumActual, symbolSize: 5, connectNulls: false }
      ]
    });
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  onReady(function () {
    document.querySelectorAll("[data-print]").forEach(function (btn) {
      btn.addEventListener("click", function () { window.print(); });
    });
    var charts = document.querySelectorAll("[data-chart-source]");
    charts.forEach(function (el) {
      // A chart in a hidden tab has no width yet: draw it when its tab is first shown.
      var pane = el.closest(".tab-pane");
      if (pane && !pane.classList.contains("active")) {
        var tab = document.querySelector('[data-bs-toggle="tab"][href="#' + pane.id + '"]');
        if (tab) { tab.addEventListener("shown.bs.tab", function () { drawChart(el); }); }
      } else {
        drawChart(el);
      }
    });
    // Open the tab named in the address (#tab-plans) — the plan and link forms return there.
    if (location.hash && location.hash.indexOf("#tab-") === 0) {
      var link = document.querySelector('[data-bs-toggle="tab"][href="' + location.hash + '"]');
      var Tab = (window.tabler && window.tabler.Tab) || (window.bootstrap && window.bootstrap.Tab);
      if (link && Tab) { Tab.getOrCreateInstance(link).show(); }
    }
  });
})();
