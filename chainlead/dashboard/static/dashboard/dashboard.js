/* 驾驶舱: the print button of the print version, and auto-submit of the filter selects. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (btn) {
    btn.addEventListener("click", function () { window.print(); });
  });
  var form = document.getElementById("dashboard-filters");
  if (form) {
    form.querySelectorAll("select[name=as_of], select[name=area]").forEach(function (sel) {
      sel.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
    });
  }
})();
