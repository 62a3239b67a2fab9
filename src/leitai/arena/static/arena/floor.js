/* The question queue (day/floor.py) on the judge's phone, the organizer's console and the big screen. It
   follows the state live.js receives (the "leitai:state" event): no stream of its own, and no request per
   state — a phone finds its place in the queue by its own request's id. */
(function (L) {
  "use strict";
  var state = L.initialState();

  function floorOf(s) { return (s && s.current && s.current.floor) || { speaking: null, queue: [] }; }
  function sig(f) { return (f.speaking ? f.speaking.id : "") + "|" + (f.queue || []).join(","); }
  function speakingEnds() { var f = floorOf(state); return f.speaking ? f.speaking.ends_at : null; }

  // The judge's phone: show 我要提问 while hands are open, else the judge's place or "请您提问".
  function judge(s) {
    var el = document.getElementById("floor-judge");
    if (!el) { return; }
    var cur = s && s.current;
    var open = !!cur && (el.dataset.openStages || "").split(" ").indexOf(cur.stage) >= 0;
    el.hidden = !open;
    if (!open) { return; }
    el.querySelectorAll(".floor-cid").forEach(function (input) { input.value = cur.id; });
    // The unit's data of the previous contestant is out of date: fetched again for the new one.
    var data = document.getElementById("now-data");
    if (data && data.dataset.cid !== String(cur.id)) {
      data.dataset.cid = String(cur.id);
      if (data.open) { window.htmx.trigger(data, "refresh"); }
    }
    var mine = el.querySelector(".floor-mine"), raise = el.querySelector(".floor-raise");
    var hand = el.dataset.contestant === String(cur.id) ? Number(el.dataset.handId || 0) : 0;
    var f = floorOf(s), place = hand ? (f.queue || []).indexOf(hand) : -1;
    var speaking = hand && f.speaking && f.speaking.id === hand;
    // A state older than the block may not list the hand yet: only a state at least as new ends it.
    var known = typeof s.seq !== "number" || s.seq >= Number(el.dataset.seq || 0);
    if (!speaking && place < 0 && known) { hand = 0; el.dataset.handId = ""; }
    mine.hidden = !hand;
    raise.hidden = !!hand;
    if (hand) {
      mine.querySelector(".floor-status").textContent = speaking ? el.dataset.tSpeaking
        : place >= 0 ? el.dataset.tQueued.replace("{n}", String(place + 1)) : el.dataset.tWaiting;
    }
  }

  // The console: fetch the queue block again when the live queue changed (the speaker's form is kept while
  // only the waiting list moved, so the notes being typed are not lost).
  var fetching = false;
  function consoleQueue(s) {
    var el = document.getElementById("floor-console");
    var cur = s && s.current;
    if (!el || !cur || el.dataset.cid !== String(cur.id) || fetching) { return; }
    var f = floorOf(s), now = sig(f);
    if (el.dataset.sig === now) { return; }
    var sameSpeaker = el.dataset.sig.split("|")[0] === now.split("|")[0];
    fetching = true;
    var done = function () { fetching = false; };
    if (sameSpeaker) {
      el.dataset.sig = now;
      window.htmx.ajax("GET", el.dataset.url, { target: "#floor-waiting", select: "#floor-waiting", swap: "outerHTML" }).then(done, done);
    } else {
      window.htmx.ajax("GET", el.dataset.url, { target: "#floor-console", swap: "outerHTML" }).then(done, done);
    }
  }

  // The big screen: who has the floor, their time left, and how many wait.
  function screen(s) {
    var el = document.getElementById("floor-banner");
    if (!el) { return; }
    var f = floorOf(s);
    var waiting = (f.queue || []).length;
    el.hidden = !f.speaking && !waiting;
    L.text("floor-asker", f.speaking ? f.speaking.asker : "");
    var who = document.getElementById("floor-who");
    if (who) { who.hidden = !f.speaking; }
    var queued = document.getElementById("floor-queued");
    if (queued) {
      queued.hidden = !waiting;
      queued.textContent = (queued.dataset.template || "{n}").replace("{n}", String(waiting));
    }
  }

  function render(s) {
    if (!s) { return; }
    state = s;
    judge(s);
    consoleQueue(s);
    screen(s);
  }

  document.addEventListener("leitai:state", function (e) { render(e.detail); });
  // A block swapped in (the judge's own tap, an organizer's action) is drawn with the latest state at once.
  document.body.addEventListener("htmx:afterSwap", function () { render(state); });
  window.setInterval(function () {
    var el = document.getElementById("floor-countdown");
    if (!el) { return; }
    var end = speakingEnds();
    el.textContent = end ? L.clock(end - L.now()) : "";
    el.classList.toggle("over", !!end && end - L.now() <= 0);
  }, 250);
  render(state);
})(window.Leitai);
