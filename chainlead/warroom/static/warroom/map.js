/* warroom: the project map (挂图), drawn from the zone's uploaded GeoJSON alone (no tile server).
 *
 *   {{ config|json_script:"map-config" }}
 *   <div class="wr-map" data-zone-map="map-config"></div>
 *
 * ECharts registers the GeoJSON as a map, shows it in a `geo` component and puts the projects on
 * it as scatter series (one per stage or light, for the legend). A click on a marker opens the
 * project; a click on an area or battle zone opens its three boards. With the place form on the
 * page, "在地图上点选" turns the next click on the map into the project's coordinates.
 */
(function () {
  "use strict";
  function onReady(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }

  function withEcharts(fn) {
    if (window.echarts) { fn(); return; }
    // A dashboard panel may come without ECharts on the page: load it from the panel's data-echarts-src.
    var existing = document.querySelector("script[data-warroom-echarts]");
    var holder = document.querySelector("[data-echarts-src]");
    var src = holder ? holder.getAttribute("data-echarts-src") : "/static/vendor/echarts/echarts.min.js";
    if (!existing) {
      existing = document.createElement("script");
      existing.src = src;
      existing.setAttribute("data-warroom-echarts", "1");
      document.head.appendChild(existing);
    }
    existing.addEventListener("load", fn);
  }

  function focusId() {
    var m = /[?&]focus=(\d+)/.exec(window.location.search);
    return m ? +m[1] : null;
  }

  function draw(el) {
    if (el.getAttribute("data-drawn")) { return; }
    var source = document.getElementById(el.getAttribute("data-zone-map"));
    if (!source) { return; }
    var config = JSON.parse(source.textContent);
    el.setAttribute("data-drawn", "1");
    var chart = window.echarts.init(el, null, { renderer: "canvas", locale: document.documentElement.lang === "en" ? "EN" : "ZH" });
    el.__chart = chart;
    var regionUrl = {};
    (config.regions || []).forEach(function (r) { regionUrl[r.name] = r.url; });
    var L = config.labels || {};

    function markerTip(d) {
      return "<b>" + esc(d.name) + "</b><br>" + esc(L.area) + "：" + esc(d.area) + "<br>" + esc(L.stage) + "：" + esc(d.stage) +
        (d.chain ? "<br>" + esc(L.chain) + "：" + esc(d.chain) : "") + "<br>" + esc(L.investment) + "：" + esc(d.investment) +
        "<br><span style='color:#888'>" + esc(L.open) + "</span>";
    }

    // Region names as a label layer above the markers (geo's own labels would sit under them):
    // areas and streets just above their top edge, battle zones inside their top.
    function regionLabels(geo) {
      var kinds = {};
      (config.regions || []).forEach(function (r) { kinds[r.name] = r.kind; });
      return (geo.features || []).map(function (f) {
        var xs = [], ys = [];
        var polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
        polys.forEach(function (poly) { poly[0].forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
        var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
        var inner = kinds[f.properties.name] === "battle_zone";
        return { name: f.properties.name, value: [(x0 + x1) / 2, inner ? y1 - (y1 - y0) * 0.14 : y1 + (y1 - y0) * 0.06], inner: inner };
      });
    }

    function render(mapName, geo) {
      var narrow = el.clientWidth < 576;
      var option = {
        animation: false,
        tooltip: { trigger: "item", confine: true, formatter: function (p) {
          if (p.componentType === "series" && p.data) { return markerTip(p.data); }
          return esc(p.name);
        } },
        series: (config.series || []).map(function (g) {
          return {
            type: "scatter", name: g.name, coordinateSystem: mapName ? "geo" : "cartesian2d",
            data: g.data, symbolSize: narrow ? 9 : 11,
            itemStyle: { color: g.color, borderColor: "#fff", borderWidth: 1.2, shadowBlur: 2, shadowColor: "rgba(0,0,0,.25)" },
            emphasis: { scale: 1.6, label: { show: true, formatter: "{b}", position: "top", fontSize: 11, backgroundColor: "#fff", padding: [2, 4] } },
            zlevel: 1
          };
        })
      };
      if (mapName) {
        // On a phone the battle zones are too small for their names: those show on a tap instead.
        var labels = regionLabels(geo).filter(function (l) { return !(narrow && l.inner); });
        option.series.push({
          type: "scatter", name: "labels", coordinateSystem: "geo", silent: true, symbolSize: 0, zlevel: 2,
          tooltip: { show: false },
          data: labels.map(function (l) {
            return { name: l.name, value: l.value, label: { fontSize: l.inner ? (narrow ? 10 : 11) : (narrow ? 11 : 13), fontWeight: l.inner ? 400 : 600, color: l.inner ? "#8a3b06" : "#1d3f73" } };
          }),
          label: { show: true, formatter: "{b}", position: "inside", backgroundColor: "rgba(255,255,255,.82)", padding: [2, 4], borderRadius: 2 }
        });
        option.geo = {
          map: mapName, roam: true, zoom: 1.05, scaleLimit: { min: 0.8, max: 12 }, tooltip: { show: true },
          label: { show: false },
          itemStyle: { areaColor: "#f4f6fa", borderColor: "#7c8aa0", borderWidth: 1 },
          emphasis: { label: { show: false }, itemStyle: { areaColor: "rgba(32,107,196,.22)" } },
          select: { disabled: true },
          regions: (config.regions || []).map(function (r) {
            return { name: r.name, itemStyle: { areaColor: r.fill, borderColor: r.kind === "battle_zone" ? "#f76707" : "#206bc4", borderWidth: r.kind === "battle_zone" ? 1 : 1.6 } };
          })
        };
      } else {
        option.xAxis = { type: "value", scale: true, name: "经度" };
        option.yAxis = { type: "value", scale: true, name: "纬度" };
        option.grid = { left: 50, right: 20, top: 30, bottom: 30 };
      }
      chart.setOption(option);
      var focus = focusId();
      if (focus) {
        (config.series || []).forEach(function (g, si) {
          g.data.forEach(function (d, di) {
            if (d.id === focus) { chart.dispatchAction({ type: "highlight", seriesIndex: si, dataIndex: di }); chart.dispatchAction({ type: "showTip", seriesIndex: si, dataIndex: di }); }
          });
        });
      }
    }

    var placedAt = 0;
    chart.on("click", function (p) {
      // The click that places a project must not also open the marker or the zone under it.
      if (placing || Date.now() - placedAt < 1500) { return; }
      if (p.componentType === "series" && p.data && p.data.url) { window.location.href = p.data.url; return; }
      if (p.componentType === "geo" && regionUrl[p.name]) { window.location.href = regionUrl[p.name]; }
    });

    // --- placing a project by a click ------------------------------------------------------------
    var placing = false;
    var pick = document.getElementById("place-pick");
    var form = document.getElementById("place-form");
    var hint = document.getElementById("place-hint");
    if (pick && form && config.geojson) {
      pick.addEventListener("click", function () {
        placing = true;
        el.classList.add("wr-placing");
        if (hint) { hint.textContent = L.placing; hint.classList.add("text-primary"); }
        el.scrollIntoView({ behavior: "smooth", block: "center" });
      });
      chart.getZr().on("click", function (e) {
        if (!placing) { return; }
        var coord = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]);
        if (!coord) { return; }
        placing = false;
        placedAt = Date.now();
        el.classList.remove("wr-placing");
        form.querySelector("[name=longitude]").value = coord[0].toFixed(6);
        form.querySelector("[name=latitude]").value = coord[1].toFixed(6);
        var body = new FormData(form);
        fetch(config.placeUrl, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (res) {
            if (hint) { hint.textContent = res.message; hint.classList.toggle("text-danger", !res.ok); }
            if (res.ok) { window.location.href = window.location.pathname + "?" + (window.location.search.replace(/^\?/, "").replace(/&?focus=\d+/, "") + "&focus=" + res.project).replace(/^&/, ""); }
          })
          .catch(function () { if (hint) { hint.textContent = L.failed; hint.classList.add("text-danger"); } });
      });
    }

    if (!config.geojson) { render(null); return; }
    fetch(config.geojson, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (geo) {
        window.echarts.registerMap(config.mapName, geo);
        render(config.mapName, geo);
        el.setAttribute("data-map-ready", "1");
      })
      .catch(function () { render(null); el.setAttribute("data-map-ready", "error"); });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  onReady(function () {
    var maps = document.querySelectorAll("[data-zone-map]");
    if (!maps.length) { return; }
    withEcharts(function () { maps.forEach(draw); });
  });
})();
