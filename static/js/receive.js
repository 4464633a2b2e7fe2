// The intake form from the keyboard: Enter in the search box goes to the list of procedures,
// Enter on a procedure goes on to the applicant's name, Enter anywhere else saves the dossier
// once. On the receipt, the print button opens the browser's print dialog (A5 stylesheet).
(function () {
  "use strict";

  function chooseFirst(list) {
    if (list.selectedIndex < 0 && list.options.length) {
      list.selectedIndex = 0;
      list.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function setUpForm(form) {
    // After a refused save, start where the first error is rather than in the search box.
    const firstError = form.querySelector(".has-error input:not([type=hidden]), .has-error select, .has-error textarea, [aria-invalid=true]");
    if (firstError) firstError.focus();

    // The fallback buttons (search, choose) serve only pages without JavaScript.
    form.querySelectorAll("[data-no-js]").forEach((el) => { el.hidden = true; });
    document.body.addEventListener("htmx:afterSwap", () => {
      form.querySelectorAll("[data-no-js]").forEach((el) => { el.hidden = true; });
    });

    form.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.isComposing) return;
      const target = event.target;
      if (target.name === "q") {
        event.preventDefault();
        const list = form.querySelector("select[name=procedure]");
        if (list && list.options.length) {
          chooseFirst(list);
          list.focus();
        }
      } else if (target.name === "procedure") {
        event.preventDefault();
        chooseFirst(target);
        const next = form.querySelector("#procedure-panel input:not([type=hidden]), #id_applicant_name");
        if (next) next.focus();
      }
    });

    // A second click while the first save is on its way would only repeat it.
    form.addEventListener("submit", (event) => {
      if (form.dataset.submitting === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "1";
    });
    window.addEventListener("pageshow", () => { delete form.dataset.submitting; });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("receive-form");
    if (form) setUpForm(form);
    document.querySelectorAll("[data-print]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => window.print());
    });
  });
})();
