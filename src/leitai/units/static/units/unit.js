/* A unit's charts: indicator trend (chosen in a select), rank history, benchmark scores. Data comes from
   the page's json_script block; plotly.js is served by the app. */
(function () {
  "use strict";
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
  var layoutBase = { margin: { l: 50, r: 20, t: 30, b: 60 }, legend: { orientation: "h", y: -0.25 },
    font: { family: "Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, sans-serif" } };

  function layout(extra) { return Object.assign({}, layoutBase, extra); }

  function line(points, name, key) {
    return { type: "scatter", mode: "lines+markers", name: name,
      x: points.map(function (p) { return p.label; }), y: points.map(function (p) { return p[key]; }) };
  }

  function drawTrend(data, code) {
    var el = document.getElementById("trend-chart");
    if (!el) { return; }
    var item = data.trends.filter(function (t) { return t.code === code; })[0];
    if (!item) { el.textContent = data.text.noData; return; }
    var traces = [line(item.points, item.name, "value")];
    if (item.peer) { traces.push(line(item.peer.points, item.peer.name, "value")); }
    var empty = !item.points.length && !(item.peer && item.peer.points.length);
    window.Plotly.react(el, traces, layout({
      title: { text: item.name + (item.measure ? "（" + item.measure + "）" : ""), font: { size: 14 } },
      xaxis: { type: "category" }, yaxis: { title: { text: data.text.value } },
      annotations: empty ? [{ text: data.text.noData, showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5 }] : []
    }), config);
  }

  function drawRanks(data) {
    var el = document.getElementById("rank-chart");
    if (!el || !data.ranks.length) { return; }
    var traces = data.ranks.map(function (s) { return line(s.points, s.plan, "rank"); });
    window.Plotly.newPlot(el, traces, layout({
      xaxis: { type: "category" },
      // Rank 1 is best, so it goes on top.
      yaxis: { autorange: "reversed", title: { text: data.text.rank }, dtick: 1 }
    }), config);
  }

  function drawBench(data) {
    var el = document.getElementById("bench-chart");
    if (!el || !data.bench) { return; }
    var b = data.bench;
    window.Plotly.newPlot(el, [
      { type: "bar", name: b.mineName, x: b.labels, y: b.mine },
      { type: "bar", name: b.theirsName, x: b.labels, y: b.theirs }
    ], layout({ barmode: "group", yaxis: { title: { text: data.text.score } } }), config);
  }

  function start() {
    var node = document.getElementById("unit-chart-data");
    if (!node || !window.Plotly) { return; }
    var data = JSON.parse(node.textContent);
    var select = document.getElementById("trend-indicator");
    if (select && select.value) {
      drawTrend(data, select.value);
      select.addEventListener("change", function () { drawTrend(data, select.value); });
    }
    drawRanks(data);
    drawBench(data);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
