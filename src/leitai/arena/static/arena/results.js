/* An arena's results page: the bar chart of the final scores (data from the page's results-data block). */
(function () {
  "use strict";
  var el = document.getElementById("results-data");
  if (!el || !window.Plotly) { return; }
  var d = JSON.parse(el.textContent);
  window.Plotly.newPlot("results-chart", [{type: "bar", x: d.units, y: d.scores, marker: {color: "#c0392b"},
    text: d.scores.map(function (v) { return v.toFixed(3); }), textposition: "outside"}],
    {margin: {t: 20, r: 10, b: 80, l: 40}, yaxis: {rangemode: "tozero"}},
    {staticPlot: true, responsive: true, displayModeBar: false});
})();
