/* Leitai live pages: follow an arena's server-sent event stream (shared by console, judge and screen). */
(function (L) {
  "use strict";
  // Server clock minus this browser's clock: countdowns use the server's time, whatever the device says.
  L.offset = 0;
  L.now = function () { return Date.now() + L.offset; };
  L.setServerNow = function (ms) { if (typeof ms === "number") { L.offset = ms - Date.now(); } };

  L.initialState = function () {
    var el = document.getElementById("live-state");
    if (!el) { return null; }
    var state;
    try { state = JSON.parse(el.textContent); } catch (e) { return null; }
    if (state && typeof state === "object") { state.results = L.results(state); }
    return state;
  };

  // Connect to the stream; onState(state) gets every new state. The browser reconnects by itself
  // (the server sets retry: 3000) and the first event after a reconnect is the whole current state.
  // A refused stream (503: too many viewers, see leitai/live/limits.py) or one the server ended for good
  // is not retried by the browser: the page tries again after about RETRY_MS.
  var RETRY_MS = 30000;
  // The results shown, best first (as day/selectors.results_of lists them): each contestant's "result" carries
  // its score and group scores, the "ranks" map the ranks, so a reveal sends one result and the small map.
  L.results = function (state) {
    var ranks = state.ranks || {};
    var rows = (state.contestants || []).filter(function (c) { return c.result; }).map(function (c) {
      var rank = ranks[String(c.id)];
      return { id: c.id, unit: c.unit, unit_code: c.unit_code, score: c.result.score,
               rank: typeof rank === "number" ? rank : null, groups: c.result.groups };
    });
    rows.sort(function (a, b) {
      if ((a.rank === null) !== (b.rank === null)) { return a.rank === null ? 1 : -1; }
      return (a.rank || 0) - (b.rank || 0);
    });
    return rows;
  };

  L.follow = function (url, onState) {
    var status = document.getElementById("live-status");
    var lastSeq = -1, lastRev = -1, held = null, es = null, retry = null;
    function mark(online) {
      document.body.classList.toggle("live-offline", !online);
      if (status) { status.textContent = online ? (status.dataset.online || "") : (status.dataset.offline || ""); }
    }
    function show(state) {
      state.results = L.results(state);
      // Each event is the whole state; never go back to an older one (within a seq, rev counts the sheets).
      var rev = typeof state.rev === "number" ? state.rev : 0;
      if (typeof state.seq === "number" && (state.seq < lastSeq || (state.seq === lastSeq && rev < lastRev))) {
        return;
      }
      if (typeof state.seq === "number") { lastSeq = state.seq; lastRev = rev; }
      held = state;
      mark(true);
      onState(state);
      // Other scripts of the page (the question queue, floor.js) follow the same state without a stream of their own.
      document.dispatchEvent(new CustomEvent("leitai:state", { detail: state }));
    }
    function connect() {
      retry = null;
      es = new EventSource(url);
      es.addEventListener("open", function () { mark(true); });
      es.addEventListener("error", function () {
        mark(false);
        if (es.readyState === EventSource.CLOSED && retry === null) {
          retry = window.setTimeout(connect, RETRY_MS * (0.5 + Math.random()));
        }
      });
      es.addEventListener("time", function (e) {
        try { L.setServerNow(JSON.parse(e.data).now); } catch (err) { /* keep the last offset */ }
      });
      es.addEventListener("state", function (e) {
        var state;
        try { state = JSON.parse(e.data); } catch (err) { return; }
        show(state);
      });
      // A patch sets a few values ("current.submitted", "contestants.3") of the state this page holds: one of
      // the same seq, or — with "from" — exactly the state [seq, rev] it names (a new event sent as what changed).
      // A page that does not hold that state reconnects and gets the whole state.
      es.addEventListener("patch", function (e) {
        var patch;
        try { patch = JSON.parse(e.data); } catch (err) { return; }
        var from = patch.from;
        var fits = held && (from ? held.seq === from[0] && (held.rev || 0) === from[1] : patch.seq === held.seq);
        if (!fits) {
          if (from) { es.close(); connect(); }
          return;
        }
        var state = JSON.parse(JSON.stringify(held));
        Object.keys(patch.set || {}).forEach(function (path) {
          var parts = path.split(".");
          if (parts.length === 1) { state[parts[0]] = patch.set[path]; return; }
          if (!state[parts[0]] || typeof state[parts[0]] !== "object") { state[parts[0]] = {}; }
          state[parts[0]][parts[1]] = patch.set[path];
        });
        state.seq = patch.seq;
        state.rev = patch.rev;
        show(state);
      });
    }
    connect();
    window.addEventListener("pagehide", function () {
      if (retry !== null) { window.clearTimeout(retry); retry = null; }
      es.close();
    });
    return es;
  };

  L.clock = function (ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var m = Math.floor(s / 60);
    s = s % 60;
    return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  };

  // Show the time left until endsAt() (epoch ms or null) in el, four times a second.
  L.countdown = function (el, endsAt) {
    if (!el) { return; }
    function tick() {
      var end = endsAt();
      if (!end) { el.textContent = ""; el.classList.remove("over", "low"); return; }
      var left = end - L.now();
      el.textContent = L.clock(left);
      el.classList.toggle("over", left <= 0);
      el.classList.toggle("low", left > 0 && left <= 60000);
    }
    tick();
    return window.setInterval(tick, 250);
  };

  L.endsAt = function (current) {
    if (!current) { return null; }
    return current.speech_ends_at || current.questions_ends_at || null;
  };

  L.text = function (id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = value === null || value === undefined ? "" : String(value); }
  };

  L.score = function (x) { return typeof x === "number" ? x.toFixed(2) : ""; };

  // The live state is shared by every viewer and carries labels in both languages ("stage_label" and
  // "stage_label_en"): each page shows those of its own language, the lang of its <html>.
  L.english = /^en\b/i.test(document.documentElement.lang || "");
  L.label = function (obj, key) {
    if (!obj) { return ""; }
    var en = obj[key + "_en"];
    return L.english && en !== undefined && en !== null ? en : obj[key];
  };
})(window.Leitai = window.Leitai || {});
