// Open items per unit, stacked by state (data written into the page by the server).
(function () {
  var node = document.getElementById("chart-data");
  var target = document.getElementById("chart");
  if (!node || !target || typeof Plotly === "undefined") return;
  var traces = JSON.parse(node.textContent);
  Plotly.newPlot(target, traces, {barmode: "stack", margin: {t: 20}, legend: {orientation: "h"}},
                 {displaylogo: false, responsive: true});
})();
