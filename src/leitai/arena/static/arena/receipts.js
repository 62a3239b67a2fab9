// The judge's receipt (回执码): "copy" puts the code on the clipboard. Delegated, so it works on the form
// partial htmx swaps in; no inline handlers (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest(".receipt-copy") : null;
    if (!button) { return; }
    var code = button.getAttribute("data-receipt") || "";
    var done = function () { button.textContent = button.getAttribute("data-done") || button.textContent; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(code).then(done, function () {});
    } else {
      var range = document.createRange();
      var target = document.getElementById("receipt-code");
      if (target) { range.selectNodeContents(target); window.getSelection().removeAllRanges(); window.getSelection().addRange(range); }
    }
  });
})();
