/* Lianxin workbench: the little behaviour that server-rendered pages need. No third-party code here. */
(function () {
  "use strict";

  // Intake: fields the operator changed are "touched" and never overwritten by a suggestion.
  function markTouched(event) {
    var el = event.target;
    if (!el.name || el.name === "text") return;
    el.dataset.touched = "1";
    var wrap = el.closest(".field");
    if (wrap) { wrap.classList.add("touched"); wrap.classList.remove("suggested"); }
  }

  function applySuggestions(onLoad) {
    var form = document.getElementById("intake-form");
    var data = document.getElementById("suggested-values");
    if (!form || !data) return;
    var values;
    try { values = JSON.parse(data.textContent || "{}"); } catch (e) { return; }
    Object.keys(values).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (!el || el.dataset.touched === "1") return;
      if (onLoad === true && el.type !== "checkbox" && el.value) return; // a re-shown form keeps what was typed
      var value = values[name];
      if (el.type === "checkbox") { el.checked = value === "on"; }
      else if (el.tagName === "SELECT") {
        var ok = Array.prototype.some.call(el.options, function (o) { return o.value === String(value); });
        if (!ok) return;
        el.value = String(value);
      } else { el.value = value; }
      var wrap = el.closest(".field");
      if (wrap) wrap.classList.add("suggested");
    });
  }

  // Batch selection on the dispatch queue.
  function selectAll(event) {
    var box = event.target;
    if (!box.dataset || !box.dataset.selectAll) return;
    var form = box.closest("form");
    form.querySelectorAll("input[name='" + box.dataset.selectAll + "']").forEach(function (c) { c.checked = box.checked; });
  }

  // Dashboard charts. ECharts (about 650 KB) and the map's counts are fetched only after the load event, so
  // the figures, lists and table are on screen without waiting for them. The performance mark
  // "lianxin:charts-drawn" records when both charts have been drawn (the page benchmark reads it).
  function loadCharts() {
    var loader = document.getElementById("chart-loader");
    var holder = document.getElementById("dashboard-data");
    if (!loader || !holder) return;
    var data = JSON.parse(holder.textContent || "{}");
    var zh = (document.documentElement.lang || "zh-CN").indexOf("zh") === 0;
    var state = { library: typeof window.echarts !== "undefined", points: null, trend: null, map: null, drawn: 0 };

    function note(id, text) {
      var el = document.querySelector("#" + id + " .chart-note");
      if (el) el.textContent = text;
    }
    function chartIn(id) {
      var el = document.getElementById(id);
      el.textContent = "";
      var chart = window.echarts.init(el);
      var counted = false;
      chart.on("finished", function () {
        if (counted) return;
        counted = true;
        state.drawn += 1;
        if (state.drawn === 2 && window.performance && performance.mark) performance.mark("lianxin:charts-drawn");
      });
      return chart;
    }
    function proceed() {
      if (!state.library) return;
      if (!state.trend) state.trend = drawTrend(chartIn("trend-chart"), data.trend, zh);
      if (state.points && !state.map) state.map = drawMap(chartIn("map-chart"), state.points, zh);
    }

    fetch(loader.dataset.mapUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
      .then(function (body) { state.points = body.points || []; proceed(); })
      .catch(function () { note("map-chart", loader.dataset.mapFailed); });
    window.addEventListener("resize", function () {
      if (state.trend) state.trend.resize();
      if (state.map) state.map.resize();
    });
    if (state.library) { proceed(); return; }
    var script = document.createElement("script");
    script.src = loader.dataset.src;
    script.onload = function () { state.library = true; proceed(); };
    script.onerror = function () { note("trend-chart", loader.dataset.failed); note("map-chart", loader.dataset.failed); };
    document.head.appendChild(script);
  }

  function drawTrend(chart, t, zh) {
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 30, bottom: 24 },
      xAxis: { type: "category", data: t.weeks, axisLabel: { interval: 0 } },
      yAxis: [{ type: "value", name: zh ? "件" : "orders" }, { type: "value", name: "%", max: 100 }],
      series: [
        { name: zh ? "受理数" : "Received", type: "bar", data: t.received, itemStyle: { color: "#9cc3ea" } },
        { name: zh ? "办结率" : "Closed %", type: "line", yAxisIndex: 1, data: t.closed },
        { name: zh ? "按期答复率" : "On-time %", type: "line", yAxisIndex: 1, data: t.on_time, connectNulls: true },
        { name: zh ? "满意率" : "Satisfaction %", type: "line", yAxisIndex: 1, data: t.satisfaction, connectNulls: true }
      ]
    });
    return chart;
  }

  function drawMap(chart, points, zh) {
    // Sizes relative to the busiest place: absolute sizes grew into overlapping discs at a city's volume.
    var most = Math.max.apply(null, points.map(function (d) { return d.n; }).concat([1]));
    chart.setOption({
      animation: false,
      tooltip: { formatter: function (p) { var d = p.data.raw; return d.name + "<br>" + (zh ? "未办结 " : "Open ") + d.n + (zh ? "，超期 " : ", overdue ") + d.late; } },
      grid: { left: 10, right: 10, top: 10, bottom: 10 },
      xAxis: { show: false, min: -0.5, max: 11 }, yAxis: { show: false, min: -0.8, max: 10.2 },
      series: [{
        type: "scatter",
        data: points.map(function (d) {
          return { value: [d.x, d.y], raw: d, symbolSize: (d.district ? 10 : 6) + 26 * Math.sqrt(d.n / most),
            itemStyle: { color: d.late > 0 ? "#d9534f" : (d.district ? "#0b5cad" : "#6fa8dc"), opacity: d.n ? 0.85 : 0.3 },
            label: { show: d.district || d.n >= 3, position: d.district ? "bottom" : (d.side || "right"), formatter: d.name + (d.n ? " " + d.n : ""), fontSize: d.district ? 12 : 10, fontWeight: d.district ? "bold" : "normal" } };
        }),
        labelLayout: { hideOverlap: true }
      }]
    });
    return chart;
  }

  document.addEventListener("change", function (e) { markTouched(e); selectAll(e); });
  document.addEventListener("input", markTouched);
  document.addEventListener("htmx:afterSwap", function (e) { if (e.detail.target && e.detail.target.id === "suggestions") applySuggestions(); });
  document.addEventListener("DOMContentLoaded", function () { applySuggestions(true); });
  window.addEventListener("load", function () { setTimeout(loadCharts, 0); });
})();
