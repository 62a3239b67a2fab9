/* Behaviour the pages declare with data attributes, so that no page carries a script or an on…= handler of
   its own (the Content-Security-Policy allows scripts from this site's files only):
   - data-confirm="…" on a form or a submit button: ask before submitting;
   - data-autosubmit on a select: submit its form on change (data-clear="name": empty that field first);
   - data-print on a button: print the page;
   - data-check-all="name" on a checkbox: tick or untick every checkbox of that name;
   - data-menu on the header's menu button (phones): open or close the navigation;
   - data-scroll-hint on a scrolling box: show the hint just before it (and a shadow) while it overflows. */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest("[data-confirm]:not(form), [data-print], [data-check-all], [data-menu]") : null;
    if (!el) { return; }
    if (el.hasAttribute("data-menu")) {
      var header = el.closest("header");
      var open = header.classList.toggle("open");
      el.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    if (el.hasAttribute("data-confirm") && !window.confirm(el.getAttribute("data-confirm"))) {
      e.preventDefault();
      e.stopImmediatePropagation();
    } else if (el.hasAttribute("data-print")) {
      window.print();
    } else if (el.hasAttribute("data-check-all")) {
      var name = el.getAttribute("data-check-all");
      document.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        if (box.name === name) { box.checked = el.checked; }
      });
    }
  }, true);
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.hasAttribute && form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (!el.hasAttribute || !el.hasAttribute("data-autosubmit") || !el.form) { return; }
    var clear = el.getAttribute("data-clear");
    if (clear && el.form.elements[clear]) { el.form.elements[clear].value = ""; }
    el.form.submit();
  });
  function hintScrolling() {
    document.querySelectorAll("[data-scroll-hint]").forEach(function (box) {
      var overflowing = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("overflowing", overflowing);
      var hint = box.previousElementSibling;
      if (hint && hint.classList.contains("scroll-hint")) { hint.hidden = !overflowing; }
    });
  }
  document.addEventListener("DOMContentLoaded", hintScrolling);
  document.addEventListener("htmx:afterSettle", hintScrolling);
  window.addEventListener("resize", hintScrolling);
})();
