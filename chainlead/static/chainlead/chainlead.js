/* chainlead page behaviour. No inline scripts: the CSP allows only this file and nonce'd blocks. */
(function () {
  "use strict";
  function onReady(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }

  function bind(root) {
    // Select-all checkbox in list tables.
    root.querySelectorAll("[data-toggle-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        var name = box.getAttribute("data-toggle-all");
        var form = box.closest("form") || document;
        form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (cb) { cb.checked = box.checked; });
      });
    });
    // Bulk buttons need a selection.
    root.querySelectorAll("[data-bulk]").forEach(function (btn) {
      btn.addEventListener("click", function (ev) {
        var form = btn.closest("form");
        if (!form.querySelector('input[name="pk"]:checked')) {
          ev.preventDefault();
          alert(document.documentElement.lang === "en" ? "Select at least one row first." : "请先勾选要操作的记录。");
        }
      });
    });
    // Selects that submit their form on change.
    root.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    // Checkbox dropdown filters: show what is chosen on the button.
    root.querySelectorAll("[data-checkbox-dropdown]").forEach(function (dd) {
      var summary = dd.querySelector("[data-summary]");
      function update() {
        var labels = Array.prototype.map.call(dd.querySelectorAll("input:checked"), function (cb) {
          return cb.parentNode.querySelector(".form-check-label").textContent;
        });
        summary.textContent = labels.length ? labels.join("、") : summary.getAttribute("data-empty");
      }
      dd.addEventListener("change", update);
      update();
    });
    // Buttons that ask for confirmation.
    root.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (ev) { if (!confirm(el.getAttribute("data-confirm"))) { ev.preventDefault(); } });
    });
  }

  onReady(function () { bind(document); });
  document.addEventListener("htmx:afterSwap", function (ev) { bind(ev.target); });
  window.chainlead = window.chainlead || {};
  window.chainlead.bind = bind;
})();
/* <input type=month data-month-into=ID>: copy "2021-11" as "2021-11-01" into the hidden date field. */
document.addEventListener("change", function (ev) {
  var el = ev.target;
  if (el.matches && el.matches("input[data-month-into]")) {
    var target = document.getElementById(el.getAttribute("data-month-into"));
    if (target) { target.value = el.value ? el.value + "-01" : ""; }
  }
});
