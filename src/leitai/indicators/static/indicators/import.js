/* The import page: htmx reports upload progress on the form; the bar shows it while a large file is sent. */
(function () {
  "use strict";
  document.body.addEventListener("htmx:xhr:progress", function (evt) {
    var bar = document.getElementById("upload-progress");
    if (!bar || !evt.detail.lengthComputable) { return; }
    bar.hidden = false;
    bar.value = Math.round(evt.detail.loaded / evt.detail.total * 100);
  });
  document.body.addEventListener("htmx:beforeRequest", function () {
    var bar = document.getElementById("upload-progress");
    if (bar) { bar.hidden = false; bar.value = 0; }
  });
})();
