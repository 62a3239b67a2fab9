/* The organizer's console: counts and countdown follow the stream; when the flow moved elsewhere
   (another console, the API), the console body is fetched again. Buttons post with htmx. */
(function (L) {
  "use strict";
  var root = document.getElementById("console");
  var state = L.initialState();
  var refreshing = false;
  L.setServerNow(Number(root.dataset.serverNow));

  function setAll(selector, value) {
    document.querySelectorAll(selector).forEach(function (el) { el.textContent = value; });
  }

  function stale(s) {
    var screenBtn = document.getElementById("screen-stage");  // the big screen's stage, set from another console
    if (screenBtn && s.screen && (s.screen.view || "") !== screenBtn.dataset.view) { return true; }
    return (s.contestants || []).some(function (c) {
      var row = document.querySelector('tr[data-cid="' + c.id + '"]');
      return !row || row.dataset.stage !== c.stage;
    });
  }

  function render(s) {
    state = s;
    var cur = s.current;
    if (cur) {
      setAll('[data-submitted-for="' + cur.id + '"]', cur.submitted);
      setAll('[data-expected-for="' + cur.id + '"]', cur.expected);
      // "9 位评委中 1 位已提交…": the confirmation before closing says the counts of now (site.js asks).
      document.querySelectorAll('[data-confirm-template][data-confirm-for="' + cur.id + '"]').forEach(function (el) {
        el.setAttribute("data-confirm", el.getAttribute("data-confirm-template")
          .replace("{expected}", cur.expected).replace("{submitted}", cur.submitted));
      });
    }
    if (stale(s) && !refreshing) {
      refreshing = true;
      window.htmx.ajax("GET", root.dataset.bodyUrl, { target: "#console-body", swap: "innerHTML" }).then(
        function () { refreshing = false; }, function () { refreshing = false; });
    }
  }

  L.countdown(document.getElementById("countdown"), function () { return L.endsAt(state && state.current); });
  // The countdown element is replaced with the body: point the timer at the new one.
  document.body.addEventListener("htmx:afterSwap", function () {
    var el = document.getElementById("countdown");
    if (el && !el.dataset.ticking) { el.dataset.ticking = "1"; L.countdown(el, function () { return L.endsAt(state && state.current); }); }
  });
  L.follow(root.dataset.stream, render);
})(window.Leitai);
