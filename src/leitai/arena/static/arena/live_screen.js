/* The big screen: everything comes from the stream's events; revealing results requests nothing. */
(function (L) {
  "use strict";
  var root = document.getElementById("screen");
  var state = L.initialState();
  L.setServerNow(Number(root.dataset.serverNow));

  function orderList(s) {
    var ol = document.getElementById("order-list");
    ol.textContent = "";
    (s.contestants || []).forEach(function (c) {
      var li = document.createElement("li");
      li.dataset.stage = c.stage;
      if (s.current && s.current.id === c.id) { li.className = "is-current"; }
      var unit = document.createElement("span");
      unit.className = "o-unit";
      unit.textContent = c.order + ". " + c.unit;
      var stage = document.createElement("span");
      stage.className = "o-stage";
      stage.textContent = L.label(c, "stage_label") || "";
      li.appendChild(unit);
      li.appendChild(stage);
      ol.appendChild(li);
    });
  }

  function results(s) {
    var rows = s.results || [];
    var panel = document.getElementById("results-panel");
    panel.hidden = rows.length === 0;
    document.getElementById("order-panel").hidden = rows.length > 0;
    var body = document.getElementById("results-body");
    body.textContent = "";
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.dataset.cid = r.id;
      [r.rank === null || r.rank === undefined ? "" : r.rank, r.unit, L.score(r.score)].forEach(function (v, i) {
        var td = document.createElement("td");
        td.textContent = v;
        if (i === 2) { td.className = "num"; }
        if (i === 0) { td.className = "rank rank-" + v; }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (rows.length && window.Plotly) {
      var bars = rows.slice().sort(function (a, b) { return (b.score || 0) - (a.score || 0); });
      window.Plotly.react("results-chart", [{
        type: "bar", x: bars.map(function (r) { return r.unit; }), y: bars.map(function (r) { return r.score; }),
        text: bars.map(function (r) { return L.score(r.score); }), textposition: "outside",
        marker: { color: bars.map(function (r) { return r.rank === 1 ? "#ffd54f" : "#d4a017"; }) },
        textfont: { color: "#ffe9a8", size: 22 }, hoverinfo: "skip"
      }], {
        paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", margin: { t: 30, b: 90, l: 50, r: 20 },
        font: { color: "#f5e6c8", size: 20, family: "WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif" },
        yaxis: { gridcolor: "rgba(255,255,255,0.12)", rangemode: "tozero" }, xaxis: { tickangle: 0 }
      }, { displayModeBar: false, staticPlot: true, responsive: true });
    }
  }

  function render(s) {
    state = s;
    var a = s.arena || {};
    L.text("arena-name", a.name);
    L.text("arena-kind", L.label(a, "kind_name"));
    var cur = s.current;
    L.text("stage-order", cur ? root.dataset.orderTpl.replace("{n}", cur.order) : "");
    L.text("stage-unit", cur ? cur.unit : "—");
    L.text("stage-person", cur ? cur.person : "");
    L.text("stage-title", cur ? cur.title : "");
    L.text("stage-label", L.label(cur, "stage_label"));
    L.text("count-submitted", cur ? cur.submitted : "–");
    L.text("count-expected", cur ? cur.expected : "–");
    document.body.dataset.stage = cur ? cur.stage : "";
    if (a.scoring_mode === "rank" && a.ranking === "open") {
      // 排序测评 under way: the whole panel ranks; the screen shows how many rankings are in.
      L.text("stage-order", "");
      L.text("stage-unit", root.dataset.rankingLabel);
      L.text("stage-person", "");
      L.text("stage-title", "");
      L.text("stage-label", "");
      L.text("count-submitted", a.ranking_submitted);
      L.text("count-expected", a.ranking_expected);
    }
    orderList(s);
    results(s);
    slides(cur && cur.slides);
  }

  function slides(sl) {
    var panel = document.getElementById("slide-panel"), img = document.getElementById("slide-img");
    panel.hidden = !sl;
    if (sl && img.getAttribute("src") !== sl.url) { img.setAttribute("src", sl.url); }
    if (!sl) { img.removeAttribute("src"); }
  }

  if (state) { render(state); }
  L.countdown(document.getElementById("countdown"), function () { return L.endsAt(state && state.current); });
  L.follow(root.dataset.stream, render);
})(window.Leitai);
