/* Enterprise page: open the tab named in the address (#tab-revenue), e.g. after saving a revenue row. */
(function () {
  "use strict";
  function openTabFromHash() {
    var hash = window.location.hash;
    if (!hash || hash.indexOf("#tab-") !== 0) { return; }
    var link = document.querySelector('.nav-tabs a[href="' + hash + '"]');
    if (link) { link.click(); }
  }
  if (document.readyState !== "loading") { openTabFromHash(); } else { document.addEventListener("DOMContentLoaded", openTabFromHash); }
  window.addEventListener("hashchange", openTabFromHash);
})();
