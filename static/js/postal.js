// The week grid: Escape closes the cell being edited; the counter list is offered only for
// tasks done at a counter; the print button opens the browser's print dialog (A4 landscape).
// When the week's totals are refreshed after a cell changes, each row's shift count follows.
(function () {
  "use strict";

  function syncCounter(select) {
    const tasks = (select.dataset.counterTasks || "").split(" ");
    const form = select.form;
    const counter = form && form.querySelector("select[name=counter]");
    if (!counter) return;
    const needed = tasks.includes(select.value);
    counter.required = needed;
    counter.closest("form").classList.toggle("counter-optional", !needed);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-print]");
    if (button) window.print();
  });

  document.addEventListener("change", (event) => {
    if (event.target.matches("select[data-counter-tasks]")) syncCounter(event.target);
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const editing = event.target.closest && event.target.closest(".slot.editing");
    if (!editing) return;
    const close = editing.querySelector("[data-slot-close]");
    if (close) {
      event.preventDefault();
      close.click();
    }
  });

  function syncRowTotals(workload) {
    workload.querySelectorAll("tr[data-worker]").forEach((row) => {
      const cell = document.querySelector(`[data-row-shifts="${row.dataset.worker}"]`);
      const shifts = row.querySelector("[data-shifts]");
      if (cell && shifts) cell.textContent = shifts.textContent;
    });
  }

  document.body.addEventListener("htmx:afterSwap", (event) => {
    const workload = document.getElementById("workload");
    if (workload && event.detail.target && event.detail.target.id === "workload") {
      syncRowTotals(workload);
    }
    const swapped = event.detail.target;
    if (!swapped || !swapped.classList) return;
    const target = document.getElementById(swapped.id) || swapped;
    if (target.classList.contains("editing")) {
      const first = target.querySelector("select, input:not([type=hidden])");
      if (first) first.focus();
      target.querySelectorAll("select[data-counter-tasks]").forEach(syncCounter);
    } else if (target.classList.contains("slot")) {
      const link = target.querySelector(".slot-link");
      if (link) link.focus();
    }
  });
})();
