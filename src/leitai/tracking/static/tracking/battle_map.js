/* 挂图作战: a unit's key projects as a Gantt chart, planned beside actual (data from gantt-data; the series'
   names from the chart's data-planned / data-actual, in the page's language). */
(function () {
  "use strict";
  var el = document.getElementById("gantt-data");
  var chart = document.getElementById("gantt");
  if (!el || !chart || !window.Plotly) { return; }
  var g = JSON.parse(el.textContent);
  var planned = {type: "bar", orientation: "h", name: chart.dataset.planned, x: g.planned.x, base: g.planned.base,
    y: g.planned.y, text: g.planned.text, hoverinfo: "text", marker: {color: "rgba(148,163,184,0.45)"}, offsetgroup: "plan"};
  var actual = {type: "bar", orientation: "h", name: chart.dataset.actual, x: g.actual.x, base: g.actual.base,
    y: g.actual.y, text: g.actual.text, hoverinfo: "text", marker: {color: g.actual.colors}, offsetgroup: "actual"};
  window.Plotly.newPlot("gantt", [planned, actual], {barmode: "group", xaxis: {type: "date"},
    yaxis: {autorange: "reversed", automargin: true}, margin: {t: 20},
    shapes: [{type: "line", x0: g.today, x1: g.today, yref: "paper", y0: 0, y1: 1, line: {color: "#dc2626", dash: "dot"}}]},
    {displaylogo: false, responsive: true});
})();
