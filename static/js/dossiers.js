// Dossier pages: print buttons on slips, and the return counter's code box that a scanner fills.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });

    // A new scan should replace the previous code, not append to it.
    document.querySelectorAll("[data-select-on-focus], #id_code").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });

    // A step changes the dossier: one click is enough, a second would only wait for the first.
    document.querySelectorAll("form.step-form, form.return-form").forEach(function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        if (button) {
          window.setTimeout(function () { button.disabled = true; }, 0);
        }
      });
    });
  });
})();
