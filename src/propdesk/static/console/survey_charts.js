// Bar charts of a survey's results (ECharts from our static files); the tables show the same figures.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll(".echart").forEach(function (el) {
    var chart = echarts.init(el);
    chart.setOption({tooltip: {}, grid: {left: 40, right: 10, top: 10, bottom: 30},
      xAxis: {type: "category", data: el.dataset.labels.split("|")}, yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", data: el.dataset.values.split(",").map(Number)}]});
  });
})();
