/* Stage form: show only the data fields the chosen stage needs. */
(function () {
  "use strict";
  var form = document.getElementById("stage-form");
  if (!form) { return; }
  var map = JSON.parse(document.getElementById("stage-fields").textContent);
  var select = form.querySelector("select[name=to]");
  var reason = form.querySelector("[data-for-kinds]");
  function update() {
    var stage = select.value;
    var wanted = map[stage] || [];
    form.querySelectorAll(".stage-data-field").forEach(function (el) {
      el.style.display = wanted.indexOf(el.getAttribute("data-field-name")) >= 0 ? "" : "none";
    });
    var label = select.options[select.selectedIndex] ? select.options[select.selectedIndex].text : "";
    var needsReason = /（(暂缓|终止|回退|Hold|Terminate|Correction)/i.test(label);
    if (reason) { reason.style.display = needsReason ? "" : "none"; }
  }
  select.addEventListener("change", update);
  update();
})();
