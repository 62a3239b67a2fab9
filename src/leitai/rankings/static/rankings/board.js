// The score chart of the ranking board: redrawn whenever htmx swaps in a new table (filter, sort).
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("board-chart");
    var src = document.getElementById("board-data");
    if (!el || !src || typeof Plotly === "undefined") { return; }
    var data = JSON.parse(src.textContent);
    var trace = {
      type: "bar", x: data.units, y: data.scores, marker: { color: "#c0392b" },
      text: data.scores.map(function (s) { return s.toFixed(2); }), textposition: "outside",
      hovertemplate: "%{x}<br>" + data.axis + " %{y:.2f}<extra></extra>"
    };
    var layout = {
      title: { text: data.title }, margin: { t: 40, r: 10, b: 80, l: 50 }, yaxis: { title: { text: data.axis } },
      font: { family: "Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, sans-serif" }
    };
    Plotly.react(el, [trace], layout, { displaylogo: false, responsive: true });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSwap", draw);
})();
