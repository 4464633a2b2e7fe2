// Report pages: the "In" (print) buttons. Everything else works without script.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// The period picker shows only the boxes the chosen kind of period uses; without script every
// box shows and the server reads the ones that matter.
(function () {
  var select = document.getElementById("id_period");
  if (!select) {
    return;
  }
  var uses = {
    month: ["year", "month"],
    quarter: ["year", "quarter"],
    half: ["year", "half"],
    year: ["year"],
    range: ["date_from", "date_to"],
  };
  var all = ["year", "month", "quarter", "half", "date_from", "date_to"];
  function update() {
    var shown = uses[select.value] || all;
    all.forEach(function (name) {
      var input = document.getElementById("id_" + name);
      var box = input && input.closest(".field");
      if (box) {
        box.hidden = shown.indexOf(name) === -1;
      }
    });
    var cutoff = document.getElementById("id_cutoff");
    if (cutoff && cutoff.closest(".field")) {
      cutoff.closest(".field").hidden = select.value === "range";
    }
  }
  select.addEventListener("change", update);
  update();
})();
