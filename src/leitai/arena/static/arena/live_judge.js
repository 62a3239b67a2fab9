/* A judge's phone: follow the arena; when scoring opens for the contestant on stage, fetch the score form
   (htmx) into the page without reloading; when it closes, fetch it again (read-only). */
(function (L) {
  "use strict";
  var root = document.getElementById("judge");
  var slot = document.getElementById("form-slot");
  var state = L.initialState();
  var loading = null;
  L.setServerNow(Number(root.dataset.serverNow));

  function formUrl(id) { return root.dataset.formUrl.replace(/\/c\/0\/$/, "/c/" + id + "/"); }

  function shown() {
    var sheet = document.getElementById("sheet");
    return sheet ? { id: Number(sheet.dataset.contestant), stage: sheet.dataset.stage } : null;
  }

  function load(id, stage) {
    var key = id + ":" + stage;
    if (loading === key) { return; }
    loading = key;
    window.htmx.ajax("GET", formUrl(id), { target: "#form-slot", swap: "innerHTML" }).then(
      function () { loading = null; }, function () { loading = null; });
  }

  // 排序测评: the ranking form, fetched when the ranking opens and again (read-only) when it closes.
  function syncRanking(s) {
    var a = s.arena || {};
    if (a.scoring_mode !== "rank") { return false; }
    var form = document.getElementById("ranking");
    var open = a.ranking === "open";
    if (a.ranking && (!form || (form.dataset.open === "1") !== open)) {
      if (loading !== "ranking:" + a.ranking) {
        loading = "ranking:" + a.ranking;
        window.htmx.ajax("GET", root.dataset.rankingUrl, { target: "#form-slot", swap: "innerHTML" }).then(
          function () { loading = null; }, function () { loading = null; });
      }
    }
    return true;
  }

  function syncForm(s) {
    if (syncRanking(s)) { return; }
    var cur = s.current;
    var now = shown();
    if (cur && cur.stage === "scoring_open") {
      // The form of the contestant being scored; never re-fetched while it is open (the judge may be typing).
      if (!now || now.id !== cur.id || now.stage !== "scoring_open") { load(cur.id, cur.stage); }
      return;
    }
    if (now) {
      var c = (s.contestants || []).filter(function (x) { return x.id === now.id; })[0];
      if (c && c.stage !== now.stage && now.stage === "scoring_open") { load(now.id, c.stage); }
    }
  }

  function render(s) {
    state = s;
    var cur = s.current;
    L.text("now-unit", cur ? cur.unit : "");
    L.text("now-person", cur ? ((cur.person || "") + " " + (cur.title || "")) : "");
    L.text("now-stage", L.label(cur, "stage_label"));
    document.body.dataset.stage = cur ? cur.stage : "";
    syncForm(s);
  }

  // Slider and number box move together; the number box is what is submitted.
  document.addEventListener("input", function (e) {
    var t = e.target;
    if (t.dataset && t.dataset.sync) {
      var box = document.getElementById(t.dataset.sync);
      if (box) { box.value = t.value; }
    } else if (t.type === "number" && t.id) {
      var slider = document.querySelector('input[data-sync="' + t.id + '"]');
      if (slider && t.value !== "") { slider.value = t.value; }
    }
  });

  // Client-side check before posting: every criterion scored within its range and step.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.detail.elt;
    if (form && form.tagName === "FORM" && !form.reportValidity()) { e.preventDefault(); }
  });

  if (state) { render(state); }
  L.countdown(document.getElementById("countdown"), function () { return L.endsAt(state && state.current); });
  L.follow(root.dataset.stream, render);
})(window.Leitai);
