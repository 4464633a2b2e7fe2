/* Focus after in-place actions. An htmx swap that replaces the element holding focus (a roster
   cell, a grant toggle, the hall's calling panel) leaves focus on <body>; once the swap has
   settled, focus goes back to the counterpart in the new content: its invalid field, its
   [data-focus-return] control, its first field, or its first button or link. A form posted the
   ordinary way (guidance log, out-of-list review) names where focus goes on the page that
   follows: data-focus-after="selector, ..." (first that exists), or data-focus-item on the list
   item it belongs to (that item when the page shows it again with an error, else the next item,
   the previous one, then data-focus-fallback). Nothing is polled. */
(function () {
  "use strict";

  var STORE = "onestop.focus";
  // Tried in this order: a field in error, a named control, the first field, the first button
  // or link.
  var CANDIDATES = [
    "[aria-invalid='true']",
    "[data-focus-return]",
    "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])",
    "button:not([disabled]), a[href]",
  ];
  var pending = {};

  function focusable(el) {
    return el.matches && el.matches("input, select, textarea, button, a[href], [tabindex]");
  }

  function focusIn(el) {
    var to = focusable(el) ? el : null;
    for (var i = 0; !to && i < CANDIDATES.length; i++) to = el.querySelector(CANDIDATES[i]);
    if (!to) return false;
    to.focus();
    return document.activeElement === to;
  }

  function lost() {
    var active = document.activeElement;
    return !active || active === document.body || !document.documentElement.contains(active);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.id) return;
    var active = document.activeElement;
    var elt = event.detail.elt || (event.detail.requestConfig && event.detail.requestConfig.elt);
    if ((active && target.contains(active)) || (elt && target.contains(elt))) {
      pending[target.id] = true;
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var ids = Object.keys(pending);
    pending = {};
    if (!lost()) return;
    for (var i = 0; i < ids.length; i++) {
      var el = document.getElementById(ids[i]);
      if (el && focusIn(el)) return;
    }
  });

  function item(form) {
    var own = form.closest("[data-focus-item]");
    if (!own) return [];
    var list = [own.id];
    var next = own.nextElementSibling;
    while (next && !next.matches("[data-focus-item]")) next = next.nextElementSibling;
    var previous = own.previousElementSibling;
    while (previous && !previous.matches("[data-focus-item]")) previous = previous.previousElementSibling;
    if (next) list.push(next.id);
    if (previous) list.push(previous.id);
    return list.filter(Boolean).map(function (id) { return "#" + CSS.escape(id); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("hx-post")) return;
    var selectors = [];
    if (form.dataset.focusAfter) selectors = form.dataset.focusAfter.split(",");
    selectors = selectors.concat(item(form));
    var holder = form.closest("[data-focus-fallback]");
    if (holder) selectors.push(holder.dataset.focusFallback);
    if (!selectors.length) return;
    try {
      sessionStorage.setItem(STORE, JSON.stringify({ at: Date.now(), selectors: selectors }));
    } catch (e) { /* storage refused: focus simply stays where the browser puts it */ }
  });

  function restore() {
    var saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
      sessionStorage.removeItem(STORE);
    } catch (e) { return; }
    if (!saved || Date.now() - saved.at > 60000) return;
    for (var i = 0; i < saved.selectors.length; i++) {
      var el = null;
      try { el = document.querySelector(saved.selectors[i].trim()); } catch (e) { el = null; }
      if (el && focusIn(el)) return;
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
  else restore();
})();
