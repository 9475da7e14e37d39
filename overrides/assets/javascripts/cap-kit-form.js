/* A kit printed with one's own cooperative (issue #14): the print views of the
 * kits (macros/print_views.py, front matter cap_tools: [kit-form]).
 *
 * The form (print-parts.html, coop_form: name, town, contact, website) fills
 * the cooperative's block of every piece marked ``cooperative_block: true`` in
 * data/kits/ (print-parts.html, coop_block), wherever the piece is laid out.
 * What is typed goes in as text (textContent), never as markup, and is kept in
 * this browser only: localStorage, one versioned key per language shared by
 * every kit (data.key, e.g. "cap-kit-cooperative-v1-fr"):
 *
 *   {"version": 1, "name": "…", "town": "…", "contact": "…", "website": "…"}
 *
 * Nothing is sent anywhere. An empty form leaves every block hidden: the kit
 * prints exactly as without this script.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-cap-coop-form]");
  var source = document.getElementById("cap-kit-form-data");
  if (!form || !source) return;
  var data = JSON.parse(source.textContent);
  var FIELDS = ["name", "town", "contact", "website"];
  var MAX = 500;  // per field; longer text is cut here, and wraps or is clipped on the piece (print.css)

  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(data.key + "-probe", "1");
    storage.removeItem(data.key + "-probe");
  } catch (err) {
    storage = null;
  }

  function blank() {
    var values = {};
    FIELDS.forEach(function (field) { values[field] = ""; });
    return values;
  }

  function load() {
    var values = blank();
    if (!storage) return values;
    try {
      var raw = JSON.parse(storage.getItem(data.key));
      if (raw && typeof raw === "object" && raw.version === data.version) {
        FIELDS.forEach(function (field) {
          if (typeof raw[field] === "string") values[field] = raw[field].slice(0, MAX);
        });
      }
    } catch (err) { /* unreadable: start empty */ }
    return values;
  }

  function empty(values) {
    return FIELDS.every(function (field) { return !values[field].trim(); });
  }

  function save(values) {
    if (!storage) return;
    try {
      if (empty(values)) {
        storage.removeItem(data.key);
      } else {
        var record = { version: data.version };
        FIELDS.forEach(function (field) { record[field] = values[field]; });
        storage.setItem(data.key, JSON.stringify(record));
      }
    } catch (err) { /* full or refused: the pieces still show what was typed */ }
  }

  // Every block of the page, filled with text only; a field left empty is hidden,
  // a block with nothing in it too.
  function paint(values) {
    document.querySelectorAll("[data-cap-coop]").forEach(function (block) {
      var shown = false;
      FIELDS.forEach(function (field) {
        var line = block.querySelector('[data-cap-coop-field="' + field + '"]');
        if (!line) return;
        var text = values[field].replace(/\s+/g, " ").trim();
        line.textContent = text;
        line.hidden = !text;
        shown = shown || Boolean(text);
      });
      block.hidden = !shown;
    });
  }

  var values = load();
  var inputs = {};
  FIELDS.forEach(function (field) {
    var input = form.querySelector('[data-cap-coop-input="' + field + '"]');
    inputs[field] = input;
    input.value = values[field];
    input.addEventListener("input", function () {
      values[field] = input.value.slice(0, MAX);
      save(values);
      paint(values);
    });
  });

  form.querySelector("[data-cap-coop-clear]").addEventListener("click", function () {
    values = blank();
    FIELDS.forEach(function (field) { inputs[field].value = ""; });
    save(values);
    paint(values);
    inputs.name.focus();
  });

  // Another tab changed the cooperative: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key !== data.key) return;
    values = load();
    FIELDS.forEach(function (field) { inputs[field].value = values[field]; });
    paint(values);
  });

  form.hidden = false;
  paint(values);
})();
