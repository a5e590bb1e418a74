// The 12-month trend of every KPI, drawn with ECharts when the vendored file is installed
// (make static); without it the page shows the same figures as a table.
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("kpi-chart-data");
    if (!holder || !window.echarts) { return; }
    var data = JSON.parse(holder.textContent);
    data.series.forEach(function (s) {
      var el = document.querySelector('.kpi-chart[data-kpi="' + s.code + '"]');
      if (!el) { return; }
      var series = [{ name: s.name, type: "line", data: s.values, connectNulls: false, smooth: false }];
      if (s.target !== null) {
        series[0].markLine = { symbol: "none", data: [{ yAxis: s.target }], lineStyle: { type: "dashed" } };
      }
      window.echarts.init(el).setOption({
        title: { text: s.name, textStyle: { fontSize: 13 } },
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 36, bottom: 24 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", scale: true },
        series: series
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
