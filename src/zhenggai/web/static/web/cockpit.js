// Draws the cockpit's charts (web/cockpit.html) with the vendored Apache ECharts.
// Each chart's data is a JSON island (<script type="application/json">, which the
// Content-Security-Policy allows: it is not run) named by its box's data-chart; a
// click on a bar or point goes to the list that its figure counts (series.urls).
// The chart instances are kept on window.zhenggaiCharts, by box id, for the tests.
// The later sections of the cockpit load by htmx; their charts are drawn as they land.
(function () {
  "use strict";
  var charts = {};
  window.zhenggaiCharts = charts;

  function axisOf(spec) {
    var names = { type: "category", data: spec.categories, axisLabel: { width: 160, overflow: "truncate" } };
    var values = { type: "value", minInterval: 1 };
    if (spec.percent) {
      values.max = 100;
      values.axisLabel = { formatter: "{value}%" };
    }
    return spec.horizontal ? { xAxis: values, yAxis: names } : { xAxis: names, yAxis: values };
  }

  function optionOf(spec) {
    var option = axisOf(spec);
    // Drawn on the canvas: the HTML tooltip's markup carries style attributes, which
    // the Content-Security-Policy (style-src 'self') refuses.
    option.tooltip = { trigger: spec.kind === "line" ? "axis" : "item", renderMode: "richText" };
    option.legend = { top: 0 };
    option.grid = { left: 8, right: 24, top: 36, bottom: 8, containLabel: true };
    option.animation = false;
    option.series = spec.series.map(function (s) {
      return {
        name: s.name,
        type: spec.kind,
        data: s.data,
        cursor: s.urls.some(Boolean) ? "pointer" : "default"
      };
    });
    return option;
  }

  function draw(box) {
    if (charts[box.id]) return;
    var island = document.getElementById(box.dataset.chart);
    if (!island || !window.echarts) return;
    var spec = JSON.parse(island.textContent);
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(optionOf(spec));
    chart.on("click", function (event) {
      var series = spec.series[event.seriesIndex];
      var url = series && series.urls[event.dataIndex];
      if (url) window.location.assign(url);
    });
    charts[box.id] = chart;
  }

  function drawIn(root) {
    root.querySelectorAll("[data-chart]").forEach(draw);
  }

  function start() {
    drawIn(document);
    // The cockpit's later sections arrive by htmx: draw their charts as they land.
    document.body.addEventListener("htmx:afterSettle", function (event) { drawIn(event.target); });
    window.addEventListener("resize", function () {
      Object.keys(charts).forEach(function (id) { charts[id].resize(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
