/* The big screen: everything comes from the stream's events; revealing results requests nothing.

   Views (body[data-view]): "day" (the stage and the order or the results so far), "final" (every result, the
   whole width), "stars" (the latest ranking's stars and flags, 通报摘星夺旗). Lists longer than the screen are
   split into pages of whole rows that turn every data-page-seconds (or with PageDown/PageUp, a clicker). */
(function (L) {
  "use strict";
  var root = document.getElementById("screen");
  var d = root.dataset;
  var state = L.initialState();
  L.setServerNow(Number(d.serverNow));

  function el(tag, cls, text, title) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (title) { e.title = title; }
    return e;
  }

  function rankText(rank) { return rank === null || rank === undefined ? "" : String(rank); }

  // ---- pages ----------------------------------------------------------------------------------------------
  var GROW = 1.6;
  // A pager shows as many whole rows as the list's box holds (in `cols` columns when wide and needed).
  function Pager(list, info, wide) {
    this.list = list; this.info = info; this.wide = wide; this.index = 0; this.pages = 1; this.key = "";
  }
  Pager.prototype.layout = function () {
    var items = Array.prototype.slice.call(this.list.children);
    var n = items.length;
    items.forEach(function (it) { it.hidden = false; });
    this.list.style.removeProperty("--row-h");
    this.list.style.setProperty("--per-col", "1");
    this.list.style.setProperty("--cols", "1");
    this.list.classList.remove("two-col");
    if (!n || this.list.offsetParent === null) { this.pages = 1; this.info.textContent = ""; return; }
    var rowH = items[0].getBoundingClientRect().height || 1;
    var perCol = Math.max(1, Math.floor((this.list.clientHeight + 0.5) / rowH));
    if (n < perCol) {
      // A few rows: larger ones (up to GROW times), still inside the box.
      this.list.style.setProperty("--row-h", Math.floor(Math.min(this.list.clientHeight / n, rowH * GROW)) + "px");
    }
    var cols = this.wide && n > perCol ? 2 : 1;
    var per = perCol * cols;
    this.pages = Math.max(1, Math.ceil(n / per));
    if (this.index >= this.pages) { this.index = 0; }
    this.list.style.setProperty("--per-col", String(Math.min(perCol, Math.ceil(Math.min(n, per) / cols))));
    this.list.style.setProperty("--cols", String(cols));
    this.list.classList.toggle("two-col", cols > 1);
    var from = this.index * per;
    items.forEach(function (it, i) { it.hidden = i < from || i >= from + per; });
    this.list.dataset.page = String(this.index + 1);
    this.list.dataset.pages = String(this.pages);
    this.info.textContent = this.pages > 1
      ? d.pageTpl.replace("{p}", this.index + 1).replace("{n}", this.pages) : "";
    this.per = per;
  };
  Pager.prototype.turn = function (step) {
    if (this.pages < 2) { return; }
    this.index = (this.index + step + this.pages) % this.pages;
    this.layout();
  };
  // New rows: keep the page when the rows are the same ones, else show the page holding the current row.
  Pager.prototype.fill = function (rows, key) {
    this.list.textContent = "";
    rows.forEach(function (r) { this.list.appendChild(r); }, this);
    var same = key === this.key;
    this.key = key;
    this.layout();
    var cur = rows.findIndex(function (r) { return r.classList.contains("is-current"); });
    if (!same && cur >= 0 && this.per) {
      this.index = Math.floor(cur / this.per);
      this.layout();
    }
  };

  var side = new Pager(document.getElementById("side-list"), document.getElementById("side-pages"), false);
  var board = new Pager(document.getElementById("board-list"), document.getElementById("board-pages"), true);

  // ---- rows -----------------------------------------------------------------------------------------------
  function orderRows(s) {
    return (s.contestants || []).map(function (c) {
      var li = el("li", "row");
      li.dataset.stage = c.stage;
      li.dataset.cid = c.id;
      if (s.current && s.current.id === c.id) { li.classList.add("is-current"); }
      li.appendChild(el("span", "r-num", c.order));
      li.appendChild(el("span", "r-name", c.unit, c.unit));
      li.appendChild(el("span", "r-stage", L.label(c, "stage_label") || ""));
      return li;
    });
  }

  function resultRows(s) {
    var rows = s.results || [];
    var top = Math.max.apply(null, rows.map(function (r) { return typeof r.score === "number" ? r.score : 0; }).concat([0]));
    var current = s.current && s.current.stage === "revealed" ? s.current.id : null;
    return rows.map(function (r) {
      var li = el("li", "row rank-" + rankText(r.rank));
      li.dataset.cid = r.id;
      if (current === r.id) { li.classList.add("is-current"); }
      li.appendChild(el("span", "r-rank", rankText(r.rank)));
      li.appendChild(el("span", "r-name", r.unit, r.unit));
      var bar = el("span", "r-bar"), fill = el("i");
      fill.style.width = (top > 0 && typeof r.score === "number" ? Math.max(0, r.score) / top * 100 : 0) + "%";
      bar.appendChild(fill);
      li.appendChild(bar);
      li.appendChild(el("span", "r-score", L.score(r.score)));
      return li;
    });
  }

  function starRows(b) {
    return (b.rows || []).map(function (r) {
      var li = el("li", "row rank-" + rankText(r.rank));
      li.appendChild(el("span", "r-rank", rankText(r.rank)));
      li.appendChild(el("span", "r-name", r.unit, r.unit));
      var m = r.movement;
      li.appendChild(el("span", "r-move" + (m > 0 ? " up" : m < 0 ? " down" : ""),
        m > 0 ? "↑" + m : m < 0 ? "↓" + (-m) : "–"));
      var stars = r.stars || [];
      var st = el("span", "r-stars", stars.length ? "★" + stars.length : "", stars.join("、"));
      if (stars.length) { st.appendChild(el("small", "", stars.join("、"))); }
      li.appendChild(st);
      var flags = el("span", "r-flags");
      flags.title = (r.flags || []).map(function (f) { return L.label(f, "text"); }).join("、");
      (r.flags || []).forEach(function (f) { flags.appendChild(el("span", "flag " + f.css, L.label(f, "text"), L.label(f, "title"))); });
      li.appendChild(flags);
      li.appendChild(el("span", "r-score", L.score(r.score)));
      return li;
    });
  }

  // ---- views ----------------------------------------------------------------------------------------------
  function view(s) {
    var a = s.arena || {};
    var results = s.results || [], cs = s.contestants || [];
    if (s.screen && s.screen.view === "stars") { return "stars"; }
    if (a.status === "published" || (results.length && results.length === cs.length)) { return "final"; }
    return "day";
  }

  function stage(s) {
    var a = s.arena || {}, cur = s.current;
    L.text("stage-order", cur ? d.orderTpl.replace("{n}", cur.order) : "");
    var unit = cur ? cur.unit : d.waiting;
    var u = document.getElementById("stage-unit");
    u.textContent = unit;
    u.title = unit;
    u.dataset.len = unit.length > 14 ? "longer" : unit.length > 8 ? "long" : "";
    L.text("stage-person", cur ? cur.person : "");
    L.text("stage-title", cur ? cur.title : "");
    L.text("stage-label", L.label(cur, "stage_label"));
    L.text("count-submitted", cur ? cur.submitted : "–");
    L.text("count-expected", cur ? cur.expected : "–");
    var mine = cur && cur.stage === "revealed"
      ? (s.results || []).filter(function (r) { return r.id === cur.id; })[0] : null;
    document.getElementById("stage-result").hidden = !mine;
    document.getElementById("stage-count").hidden = !!mine || !cur;
    if (mine) {
      L.text("stage-score", L.score(mine.score));
      L.text("stage-rank", mine.rank ? d.rankTpl.replace("{n}", mine.rank) : "");
    }
    if (a.scoring_mode === "rank" && a.ranking === "open") {
      // 排序测评 under way: the whole panel ranks; the screen shows how many rankings are in.
      L.text("stage-order", "");
      u.textContent = d.rankingLabel;
      u.dataset.len = "";
      L.text("stage-person", "");
      L.text("stage-title", "");
      L.text("stage-label", "");
      document.getElementById("stage-count").hidden = false;
      L.text("count-submitted", a.ranking_submitted);
      L.text("count-expected", a.ranking_expected);
    }
    var results = s.results || [];
    var list = document.getElementById("side-list");
    if (results.length) {
      list.dataset.kind = "results";
      L.text("side-label", d.resultsLabel);
      side.fill(resultRows(s), "results:" + results.map(function (r) { return r.id; }).join(","));
    } else {
      list.dataset.kind = "order";
      L.text("side-label", d.orderLabel);
      side.fill(orderRows(s), "order:" + ids(s));
    }
  }

  function ids(s) { return (s.contestants || []).map(function (c) { return c.id; }).join(","); }

  function showBoard(s, kind) {
    var list = document.getElementById("board-list");
    var empty = document.getElementById("board-empty");
    list.dataset.kind = kind;
    if (kind === "stars") {
      var b = (s.screen && s.screen.board) || null;
      L.text("board-title", d.starsLabel);
      L.text("board-sub", b ? [b.plan, L.label(b, "period"), b.contestants_only ? d.contestantsOnly : d.allUnits].join(" · ") : "");
      empty.hidden = !!(b && b.rows && b.rows.length);
      empty.textContent = d.noRanking;
      board.fill(b ? starRows(b) : [], "stars:" + (b ? b.ranking : ""));
    } else {
      var published = (s.arena || {}).status === "published";
      L.text("board-title", published ? d.publishedLabel : d.finalLabel);
      L.text("board-sub", "");
      empty.hidden = true;
      board.fill(resultRows(s), "final:" + (s.results || []).map(function (r) { return r.id; }).join(","));
    }
  }

  function render(s) {
    state = s;
    var a = s.arena || {};
    L.text("arena-name", a.name);
    document.getElementById("arena-name").title = a.name || "";
    L.text("arena-kind", L.label(a, "kind_name"));
    var v = view(s);
    document.body.dataset.view = v;
    document.body.dataset.stage = s.current ? s.current.stage : "";
    document.getElementById("screen-main").hidden = v !== "day";
    document.getElementById("board").hidden = v === "day";
    if (v === "day") { stage(s); } else { showBoard(s, v === "stars" ? "stars" : "results"); }
    slides(v === "day" && s.current && s.current.slides);
  }

  function slides(sl) {
    var panel = document.getElementById("slide-panel"), img = document.getElementById("slide-img");
    panel.hidden = !sl;
    if (sl && img.getAttribute("src") !== sl.url) { img.setAttribute("src", sl.url); }
    if (!sl) { img.removeAttribute("src"); }
  }

  function pagers() { return [side, board]; }
  var seconds = Math.max(3, Number(d.pageSeconds) || 8);
  var timer = window.setInterval(function () { pagers().forEach(function (p) { p.turn(1); }); }, seconds * 1000);
  document.addEventListener("keydown", function (e) {
    var step = { PageDown: 1, ArrowRight: 1, ArrowDown: 1, " ": 1, PageUp: -1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (!step) { return; }
    e.preventDefault();
    window.clearInterval(timer);  // a clicker took over: the pages wait a full interval again
    timer = window.setInterval(function () { pagers().forEach(function (p) { p.turn(1); }); }, seconds * 1000);
    pagers().forEach(function (p) { p.turn(step); });
  });
  window.addEventListener("resize", function () { pagers().forEach(function (p) { p.layout(); }); });

  if (state) { render(state); }
  L.countdown(document.getElementById("countdown"), function () {
    var cur = state && state.current;
    return cur && cur.stage !== "revealed" ? L.endsAt(cur) : null;
  });
  L.follow(d.stream, render);
})(window.Leitai);
