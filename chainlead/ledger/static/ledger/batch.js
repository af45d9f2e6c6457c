// The batch page: reload when the job working on the batch ends (the progress bar polls itself
// with htmx), and ask before an undo.
(function () {
  "use strict";
  var page = document.getElementById("batch-page");
  if (page && page.dataset.busy === "1") {
    document.body.addEventListener("htmx:afterSettle", function () {
      var bar = document.querySelector("#batch-progress .job-progress");
      if (bar && (bar.dataset.status === "succeeded" || bar.dataset.status === "failed")) {
        window.setTimeout(function () { window.location.reload(); }, 400);
      }
    });
  }
  var undo = document.getElementById("undo-form");
  if (undo) {
    undo.addEventListener("submit", function (event) {
      var button = document.getElementById("undo-button");
      if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
    });
  }
  var form = document.getElementById("mapping-form");
  if (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  }
})();
