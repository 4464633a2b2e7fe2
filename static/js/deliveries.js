// Deliveries by post: print buttons (hand-over list, delivery slip) shown only where printing works,
// and waybill codes typed in capitals.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("input.waybill").forEach(function (input) {
      input.addEventListener("change", function () {
        input.value = input.value.replace(/[\s-]/g, "").toUpperCase();
      });
    });
  });
})();
