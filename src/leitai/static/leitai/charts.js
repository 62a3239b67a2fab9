/* The value tip of the server-drawn charts (leitai/charts.py): every mark carries its label and value in
   data-tip; a mouse shows it on hover, a finger on tap (a tap elsewhere hides it). Delegated on the document,
   so charts swapped in by htmx work too. */
(function () {
  "use strict";
  var tip = null, active = null;

  function mark(target) { return target && target.closest ? target.closest(".lt-mark[data-tip]") : null; }

  function show(m) {
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "chart-tip";
      tip.setAttribute("role", "status");
      document.body.appendChild(tip);
    }
    if (active) { active.classList.remove("active"); }
    active = m;
    m.classList.add("active");
    tip.textContent = m.getAttribute("data-tip");
    var r = m.getBoundingClientRect();
    tip.style.left = (r.left + window.scrollX + r.width / 2) + "px";
    tip.style.top = (r.top + window.scrollY) + "px";
    tip.hidden = false;
  }

  function hide() {
    if (tip) { tip.hidden = true; }
    if (active) { active.classList.remove("active"); active = null; }
  }

  document.addEventListener("pointerover", function (e) {
    var m = mark(e.target);
    if (m && e.pointerType === "mouse") { show(m); }
  });
  document.addEventListener("pointerout", function (e) {
    if (e.pointerType === "mouse" && mark(e.target)) { hide(); }
  });
  document.addEventListener("click", function (e) {
    var m = mark(e.target);
    if (m) { show(m); } else { hide(); }
  });
})();
