/* warroom page behaviour: the "complete node" dialog, the print buttons, the board tabs. CSP-safe. */
(function () {
  "use strict";
  function onReady(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }

  onReady(function () {
    // One dialog serves every node row: the row's button fills in the action and the node name.
    document.querySelectorAll("[data-complete-node]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var form = document.getElementById("complete-form");
        if (!form) { return; }
        form.setAttribute("action", btn.getAttribute("data-url"));
        var name = form.querySelector("[data-node-name]");
        if (name) { name.textContent = btn.getAttribute("data-name"); }
        var start = form.querySelector("[name=actual_start]");
        if (start) { start.value = btn.getAttribute("data-start") || ""; }
        var finish = form.querySelector("[name=actual_finish]");
        if (finish && !finish.value) { finish.value = document.body.getAttribute("data-today") || ""; }
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (btn) {
      btn.addEventListener("click", function () { window.print(); });
    });
    // Keep the board tab in the address, so a reload or a shared link opens the same board.
    document.querySelectorAll("#board-tabs [data-tab]").forEach(function (link) {
      link.addEventListener("shown.bs.tab", function () {
        var url = new URL(window.location.href);
        url.searchParams.set("tab", link.getAttribute("data-tab"));
        window.history.replaceState(null, "", url.toString());
      });
    });
  });
})();
