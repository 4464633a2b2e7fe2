// Report pages: the "In" (print) buttons. Everything else works without script.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
