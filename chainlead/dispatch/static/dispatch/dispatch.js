/* 定期调度 page behaviour (CSP: no inline scripts). */
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest && ev.target.closest("[data-print]");
    if (el) { ev.preventDefault(); window.print(); }
  });
})();
