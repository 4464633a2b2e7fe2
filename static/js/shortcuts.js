/* Keyboard shortcuts at the counter (loaded for signed-in ward staff only): n new intake,
   t return a result, / the dossier search, g call the next number where the hall's panel is on
   the page, ? this list (a <dialog>; Esc closes it and focus goes back where it was). Single
   letters, as GitHub does: no browser or screen-reader command uses them without a modifier
   (a screen reader in browse mode keeps them for itself, so they never reach the page then).
   Nothing fires while typing in a field or with Ctrl, Alt or Meta held. */
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])")) ||
      target.isContentEditable;
  }

  function focusSearch(help) {
    // The dossier list's search box (the intake page has a procedure search of the same id).
    var list = new URL(help.dataset.search, window.location.href);
    if (list.pathname !== window.location.pathname) return false;
    var search = document.getElementById(list.hash.slice(1));
    if (!search) return false;
    search.focus();
    if (search.select) search.select();
    return true;
  }

  function onReady() {
    var help = document.getElementById("shortcuts-help");
    if (!help) return;
    var opener = null;

    if (window.location.hash && help.dataset.search.endsWith(window.location.hash)) focusSearch(help);

    help.addEventListener("close", function () {
      if (opener && document.documentElement.contains(opener)) opener.focus();
      opener = null;
    });

    var actions = {
      n: function () { window.location.href = help.dataset.newIntake; },
      t: function () { window.location.href = help.dataset["return"]; },
      "/": function () { if (!focusSearch(help)) window.location.href = help.dataset.search; },
      g: function () {
        var button = document.querySelector("[data-testid='call-next']");
        if (!button) return false;
        button.click();
      },
      "?": function () {
        opener = document.activeElement;
        help.showModal();
      },
    };

    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.repeat || event.isComposing) return;
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      if (help.open || typing(event.target)) return;
      var action = Object.prototype.hasOwnProperty.call(actions, event.key) && actions[event.key];
      if (!action) return;
      if (action() === false) return;
      event.preventDefault();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onReady);
  else onReady();
})();
