// The chip ID card's QR code, typed by a 2D scanner into any field of the page and ended with
// Enter. The payload is taken out of that field, the Enter does not submit, the server reads and
// checks it (intake/cccd.py, POST body only), and its fields fill the form's fields marked
// data-card="id|name|birth_year|birth_date|sex|address". What was filled, and anything that
// disagrees, is said next to the ID field; the cursor goes on to the next empty field.
(function () {
  "use strict";

  // 12 digits, then six more parts; newer cards add further parts, possibly empty.
  const PAYLOAD = /[0-9]{12}\|[^|]*\|[^|]*\|[0-9]{8}\|[^|]*\|[^|]*\|[0-9]{8}(\|[^|\r\n]*)*/;
  const STARTED = /[0-9]{12}\|/;

  function isTextField(el) {
    return el instanceof HTMLTextAreaElement ||
      (el instanceof HTMLInputElement && !["checkbox", "radio", "hidden", "file"].includes(el.type));
  }

  function say(anchor, lines, isError) {
    let box = document.getElementById("card-notice");
    if (!box) {
      box = document.createElement("div");
      box.id = "card-notice";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
    }
    const place = anchor.closest(".field") || anchor.parentElement;
    place.appendChild(box);
    box.className = isError ? "card-notice errorlist" : "card-notice help";
    box.replaceChildren(...lines.map((line) => {
      const p = document.createElement("p");
      p.textContent = line;
      return p;
    }));
  }

  function labelOf(input) {
    const label = input.id && document.querySelector(`label[for="${input.id}"]`);
    return label ? label.textContent.trim().replace(/:$/, "") : input.name;
  }

  function fill(form, fields) {
    const filled = [];
    form.querySelectorAll("[data-card]").forEach((input) => {
      const value = fields[input.dataset.card];
      if (value === undefined || value === null || value === "") return;
      if (input instanceof HTMLSelectElement) {
        const option = Array.from(input.options).find((o) => o.value === String(value) || o.text.trim() === String(value));
        if (!option) return;
        input.value = option.value;
      } else {
        input.value = String(value);
      }
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      filled.push(labelOf(input));
    });
    return filled;
  }

  function focusNext(form, from) {
    const fields = Array.from(form.querySelectorAll("input, textarea, select")).filter(
      (el) => isTextField(el) && !el.disabled && el.tabIndex >= 0 && el.offsetParent !== null
    );
    const start = fields.indexOf(from);
    const ordered = fields.slice(start + 1).concat(fields.slice(0, start + 1));
    const next = ordered.find((el) => !el.value) || from;
    if (next) next.focus();
  }

  function read(reader, payload, typedInto) {
    const idInput = document.querySelector("[data-card=id]");
    if (!idInput) {
      say(typedInto, [reader.dataset.noField], true);
      typedInto.focus();
      return;
    }
    const form = idInput.form || document;
    fetch(reader.dataset.url, {
      method: "POST",
      body: new URLSearchParams({ payload }),
      headers: { "X-CSRFToken": reader.dataset.csrf },
      credentials: "same-origin",
    })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((data) => {
        if (data.error) {
          say(idInput, [data.error], true);
          idInput.focus();
          return;
        }
        const filled = fill(form, data.fields);
        const lines = [`${data.filled} ${filled.join(", ")}.`, ...data.problems];
        say(idInput, lines, data.problems.length > 0);
        focusNext(form, idInput);
      })
      .catch(() => {
        say(idInput, [reader.dataset.failed], true);
        idInput.focus();
      });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const reader = document.getElementById("card-reader");
    if (!reader) return;

    // A payload is longer than most fields' maxlength, which would cut it short and let its
    // Enter save the form; the server checks every length anyway, with its own message.
    document.querySelectorAll("form input[maxlength], form textarea[maxlength]").forEach((el) => {
      if (isTextField(el)) el.removeAttribute("maxlength");
    });

    // While a payload is being typed, the field's own listeners (htmx searches) must not send
    // it anywhere: capture the input event at the document before it reaches them, and cancel
    // a request already scheduled (a search delayed after the first digits) that would carry it.
    document.addEventListener("input", (event) => {
      if (isTextField(event.target) && STARTED.test(event.target.value)) event.stopPropagation();
    }, true);
    document.addEventListener("htmx:configRequest", (event) => {
      const values = Object.values(event.detail.parameters || {});
      if (values.some((value) => STARTED.test(String(value)))) event.preventDefault();
    });

    document.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.isComposing || !isTextField(event.target)) return;
      const target = event.target;
      const found = PAYLOAD.exec(target.value);
      if (!found) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      target.value = (target.value.slice(0, found.index) + target.value.slice(found.index + found[0].length)).trim();
      read(reader, found[0], target);
    }, true);
  });
})();
