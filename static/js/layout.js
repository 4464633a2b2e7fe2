/* The page's frame, on every page.
   Menus: the header's menu groups are <details data-menu> (Enter or Space on the summary opens
   and closes them, as the browser does). Esc closes the open group and puts focus back on its
   summary; a click elsewhere or focus moving out of it closes it; opening one closes the others.
   Tables: every table scrolls sideways inside its own box (.table-wrap) rather than widening the
   page; a table not yet in one gets one, except printed forms. A box that really scrolls is
   made focusable (tabindex=0, so the keyboard can scroll it) and named after the table's
   caption or the heading above it, as a region; one that fits is left as plain markup. */
(function () {
  "use strict";

  var PRINTED = ".slip, .handover-sheet, [role='presentation']";

  function menus() {
    return Array.prototype.slice.call(document.querySelectorAll("details[data-menu]"));
  }

  function closeMenu(menu, refocus) {
    if (!menu.open) return;
    menu.open = false;
    if (refocus) menu.querySelector("summary").focus();
  }

  function setUpMenus() {
    menus().forEach(function (menu) {
      menu.addEventListener("toggle", function () {
        if (!menu.open) return;
        menus().forEach(function (other) {
          if (other !== menu) closeMenu(other, false);
        });
      });
      menu.addEventListener("keydown", function (event) {
        if (event.key !== "Escape" || !menu.open) return;
        event.preventDefault();
        event.stopPropagation();
        closeMenu(menu, true);
      });
      menu.addEventListener("focusout", function (event) {
        if (event.relatedTarget && !menu.contains(event.relatedTarget)) closeMenu(menu, false);
      });
    });
    document.addEventListener("click", function (event) {
      menus().forEach(function (menu) {
        if (!menu.contains(event.target)) closeMenu(menu, false);
      });
    });
  }

  function headingBefore(el) {
    for (var node = el; node && node !== document.body; node = node.parentElement) {
      for (var sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        if (/^H[1-6]$/.test(sibling.tagName)) return sibling;
        var inner = sibling.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner.length) return inner[inner.length - 1];
      }
    }
    return null;
  }

  function tableName(table) {
    var caption = table.caption && table.caption.textContent.trim();
    if (caption) return caption;
    var label = table.getAttribute("aria-label");
    if (label) return label;
    var heading = headingBefore(table);
    if (heading && heading.textContent.trim()) return heading.textContent.trim();
    return document.body.dataset.tableLabel || "";
  }

  function wrapTables(root) {
    var tables = root.querySelectorAll ? root.querySelectorAll("table") : [];
    Array.prototype.forEach.call(tables, function (table) {
      if (table.closest(".table-wrap") || table.closest(PRINTED)) return;
      var wrap = document.createElement("div");
      wrap.className = "table-wrap";
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
  }

  function markScrolling() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
      var table = wrap.querySelector("table");
      var scrolls = table && wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls) {
        if (!wrap.hasAttribute("tabindex")) {
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", tableName(table));
          wrap.dataset.scrolls = "true";
        }
      } else if (wrap.dataset.scrolls) {
        ["tabindex", "role", "aria-label", "data-scrolls"].forEach(function (name) {
          wrap.removeAttribute(name);
        });
      }
    });
  }

  var pending = null;
  function later() {
    if (pending) return;
    pending = window.requestAnimationFrame(function () {
      pending = null;
      markScrolling();
    });
  }

  function onReady() {
    setUpMenus();
    wrapTables(document);
    markScrolling();
    window.addEventListener("resize", later);
    document.body.addEventListener("htmx:afterSettle", function (event) {
      wrapTables(event.target);
      later();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onReady);
  else onReady();
})();
