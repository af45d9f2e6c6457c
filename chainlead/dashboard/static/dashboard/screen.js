/* 大屏: the clock, and the dark look for every chart on the screen (the dashboard's and the
 * other apps' panels alike), applied after charts.js has drawn them and after each htmx refresh. */
(function () {
  "use strict";
  var WEEK = ["日", "一", "二", "三", "四", "五", "六"];
  var clock = document.getElementById("screen-clock");
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    if (!clock) { return; }
    var now = new Date();
    var fixed = clock.getAttribute("data-business-date");
    var y = now.getFullYear(), m = now.getMonth() + 1, d = now.getDate(), w = now.getDay();
    if (fixed) {
      var p = fixed.split("-");
      y = +p[0]; m = +p[1]; d = +p[2];
      w = new Date(y, m - 1, d).getDay();
    }
    clock.textContent = y + "年" + m + "月" + d + "日 星期" + WEEK[w] + " " + pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds());
  }
  tick();
  setInterval(tick, 1000);

  var TEXT = "#dbe7ff", MUTED = "#9fc3ff", LINE = "rgba(159,195,255,.35)", GRID = "rgba(255,255,255,.08)";
  function darken(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = el.__chart;
      if (!chart || el.getAttribute("data-dark")) { return; }
      var opt = chart.getOption();
      var axis = function () {
        return { axisLabel: { color: MUTED, fontSize: 13 }, nameTextStyle: { color: MUTED }, axisLine: { lineStyle: { color: LINE } }, splitLine: { lineStyle: { color: GRID } } };
      };
      var patch = { backgroundColor: "transparent", textStyle: { color: TEXT } };
      ["xAxis", "yAxis"].forEach(function (k) { if (opt[k]) { patch[k] = opt[k].map(axis); } });
      if (opt.legend) { patch.legend = opt.legend.map(function () { return { textStyle: { color: TEXT, fontSize: 14 }, pageTextStyle: { color: TEXT } }; }); }
      if (opt.series) {
        patch.series = opt.series.map(function (s) {
          if (s.type === "funnel") { return { label: { fontSize: 15 } }; }
          return { label: { color: TEXT } };
        });
      }
      chart.setOption(patch);
      chart.resize();
      el.setAttribute("data-dark", "1");
    });
  }
  // Before a refresh replaces the body, dispose of its charts (the dashboard's and the other apps'):
  // a chart left on a detached element still reacts to resizes and fails.
  document.addEventListener("htmx:beforeSwap", function (ev) {
    if (!window.echarts) { return; }
    ev.detail.target.querySelectorAll("[_echarts_instance_]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) { chart.dispose(); }
    });
  });
  function later(root) { setTimeout(function () { darken(root); }, 0); }
  if (document.readyState !== "loading") { later(); } else { document.addEventListener("DOMContentLoaded", function () { later(); }); }
  document.addEventListener("htmx:afterSwap", function (ev) { later(ev.target); });
})();
