/* ECharts from server-built options, CSP-safe (no inline script).
 *
 *   {{ option|json_script:"chart-funnel" }}
 *   <div class="chart" data-chart="chart-funnel" style="height:320px"></div>
 *
 * The option is a plain ECharts 6 option object built in Python. Two conventions:
 * - "__formatter": "wan" | "yi" | "percent" on a series/axis/tooltip is replaced by a formatter
 *   function (JSON cannot carry functions);
 * - a click on a data item with a "url" property opens that URL (drill-down).
 * Charts resize with their container and re-render after htmx swaps.
 */
(function () {
  "use strict";
  var FORMATTERS = {
    wan: function (v) { return (typeof v === "object" ? v.value : v).toLocaleString("zh-CN", {maximumFractionDigits: 2}) + "万元"; },
    yi: function (v) { return (typeof v === "object" ? v.value : v).toLocaleString("zh-CN", {maximumFractionDigits: 2}) + "亿元"; },
    percent: function (v) { return (typeof v === "object" ? v.value : v) + "%"; }
  };
  function applyFormatters(node) {
    if (Array.isArray(node)) { node.forEach(applyFormatters); return; }
    if (!node || typeof node !== "object") { return; }
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if (key === "__formatter" && FORMATTERS[value]) {
        node.formatter = FORMATTERS[value];
        delete node.__formatter;
      } else if (value && typeof value === "object") {
        applyFormatters(value);
      }
    });
  }
  function render(el) {
    if (!window.echarts || el.getAttribute("data-chart-ready")) { return; }
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return; }
    var option = JSON.parse(source.textContent);
    applyFormatters(option);
    var chart = echarts.init(el, null, {renderer: el.getAttribute("data-renderer") || "canvas"});
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = params.data && params.data.url;
      if (url) { window.location.href = url; }
    });
    el.setAttribute("data-chart-ready", "1");
    if (window.ResizeObserver) { new ResizeObserver(function () { chart.resize(); }).observe(el); }
    el.__chart = chart;
  }
  function renderAll(root) { (root || document).querySelectorAll("[data-chart]").forEach(render); }
  if (document.readyState !== "loading") { renderAll(); } else { document.addEventListener("DOMContentLoaded", function () { renderAll(); }); }
  document.addEventListener("htmx:afterSwap", function (ev) { renderAll(ev.target); });
  window.chainlead = window.chainlead || {};
  window.chainlead.renderCharts = renderAll;
})();
