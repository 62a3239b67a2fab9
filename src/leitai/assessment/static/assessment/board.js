// The assessment board's chart: each unit's total, best at the top (plotly, served by the app).
(function () {
  var el = document.getElementById("assessment-data");
  if (!el || !window.Plotly) return;
  var d = JSON.parse(el.textContent);
  var units = d.units.slice().reverse(), totals = d.totals.slice().reverse();
  Plotly.newPlot("assessment-chart", [{type: "bar", orientation: "h", y: units, x: totals, marker: {color: "#c0392b"},
    text: totals.map(function (v) { return v.toFixed(2); }), textposition: "outside", cliponaxis: false}],
    {margin: {t: 10, r: 50, b: 30, l: 10}, height: Math.max(260, 24 * units.length + 60), xaxis: {rangemode: "tozero"},
     yaxis: {automargin: true}},
    {staticPlot: true, responsive: true, displayModeBar: false});
})();
