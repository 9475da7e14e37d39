/* « Mon passeport coopérateur » (docs/outils/passeport.md, issue #14).
 *
 * The page (overrides/cap/section-passport.html) is a checklist of the journey:
 * one item per step and per action, each with a checkbox, a date and a note.
 * This script keeps what the reader ticks in localStorage, under one versioned
 * key per language (data.key, e.g. "cap-passeport-v1-fr"), nowhere else:
 *
 *   {"format": "cap-passeport", "version": 1, "lang": "fr", "name": "…",
 *    "steps":   {"<step id>":   {"done": true, "date": "2026-03-12", "note": "…"}},
 *    "actions": {"<action id>": {"done": true, "date": "", "note": ""}}}
 *
 * Items are stored by the ids of the data (journey step ids, action ids), so
 * a change of the journey keeps the ticks of every item that still exists and
 * forgets, silently, those that no longer do (clean()). The same object is
 * exported to a .json file and imported back (to change device). Nothing is
 * fetched or sent: the script works from file:// in the offline bundle.
 *
 * Data comes from <script type="application/json" id="cap-passport-data">
 * (render.json_data): the storage key, the ids that exist, the UI words.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-cap-passport]");
  var source = document.getElementById("cap-passport-data");
  if (!root || !source) return;
  var data = JSON.parse(source.textContent);
  var S = data.strings;
  var GROUPS = { step: "steps", action: "actions" };
  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  var NAME_MAX = 120;
  var NOTE_MAX = 200;
  var FILE_MAX = 1000000;
  var known = { steps: toSet(data.steps), actions: toSet(data.actions) };

  function toSet(list) {
    var set = Object.create(null);
    list.forEach(function (id) { set[id] = true; });
    return set;
  }

  function empty() {
    return { name: "", steps: Object.create(null), actions: Object.create(null) };
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  /* A passport read from storage or from a file, reduced to what this page
   * knows: null if it is not a passport of this format and version. */
  function clean(raw) {
    if (!raw || typeof raw !== "object" || raw.format !== data.format || raw.version !== data.version) return null;
    var out = empty();
    if (typeof raw.name === "string") out.name = raw.name.slice(0, NAME_MAX);
    Object.keys(known).forEach(function (group) {
      var items = raw[group];
      if (!items || typeof items !== "object") return;
      Object.keys(items).forEach(function (id) {
        var entry = items[id];
        if (!known[group][id] || !entry || entry.done !== true) return;
        out[group][id] = {
          done: true,
          date: typeof entry.date === "string" && DATE.test(entry.date) ? entry.date : "",
          note: typeof entry.note === "string" ? entry.note.slice(0, NOTE_MAX) : ""
        };
      });
    });
    return out;
  }

  function serial(passport) {
    return {
      format: data.format, version: data.version, lang: data.lang, name: passport.name,
      steps: passport.steps, actions: passport.actions
    };
  }

  function count(passport, group) {
    return Object.keys(passport[group]).length;
  }

  function anything(passport) {
    return Boolean(passport.name) || count(passport, "steps") > 0 || count(passport, "actions") > 0;
  }

  // -- storage: this browser only --------------------------------------------------

  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(data.key + "-probe", "1");
    storage.removeItem(data.key + "-probe");
  } catch (err) {
    storage = null;
  }

  function load() {
    if (!storage) return empty();
    try {
      return clean(JSON.parse(storage.getItem(data.key))) || empty();
    } catch (err) {
      return empty();  // unreadable: start afresh, and overwrite it only when the reader ticks
    }
  }

  function save() {
    if (!storage) return;
    try {
      storage.setItem(data.key, JSON.stringify(serial(state)));
    } catch (err) {
      say(S.storage_off);
    }
  }

  // -- the page's elements -----------------------------------------------------------

  function one(selector) { return root.querySelector(selector); }

  var nameInput = one("[data-cap-pp-name]");
  var nameText = one('[data-cap-pp-mirror="name"]');
  var progressLine = one("[data-cap-pp-progress]");
  var message = one("[data-cap-pp-message]");
  var rows = [];
  root.querySelectorAll("[data-cap-pp-item]").forEach(function (item) {
    var ref = item.getAttribute("data-cap-pp-item");
    var cut = ref.indexOf(":");
    var own = function (selector) { return item.querySelector(":scope > " + selector); };
    rows.push({
      group: GROUPS[ref.slice(0, cut)], id: ref.slice(cut + 1), item: item,
      box: own(".cap-pp-check > [data-cap-pp-done]"),
      details: own("[data-cap-pp-details]"),
      date: own("[data-cap-pp-details] [data-cap-pp-date]"),
      note: own("[data-cap-pp-details] [data-cap-pp-note]"),
      dateText: own('.cap-pp-check > .cap-pp-record > [data-cap-pp-mirror="date"]'),
      noteText: own('.cap-pp-check > .cap-pp-record > [data-cap-pp-mirror="note"]')
    });
  });

  var state = load();

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function longDate(iso) {
    var parts = iso.split("-");
    var day = new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]));
    try {
      return day.toLocaleDateString(data.lang === "en" ? "en-GB" : "fr-FR",
                                    { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    } catch (err) {
      return iso;
    }
  }

  function progressText() {
    return fill(S.progress, {
      steps: count(state, "steps"), steps_total: data.steps.length,
      actions: count(state, "actions"), actions_total: data.actions.length
    });
  }

  function showProgress() {
    progressLine.textContent = progressText();
  }

  function say(text) {
    message.textContent = "";
    window.setTimeout(function () { message.textContent = text; }, 50);  // announced again if repeated
  }

  // What prints: the date in words and the note (the inputs themselves do not print).
  function mirror(row) {
    var entry = state[row.group][row.id];
    row.item.classList.toggle("cap-pp-item--done", Boolean(entry));
    row.dateText.textContent = !entry ? "" : entry.date ? fill(S.done_on, { date: longDate(entry.date) }) : S.done;
    row.noteText.textContent = entry ? entry.note : "";
  }

  function showRow(row) {
    var entry = state[row.group][row.id];
    row.box.checked = Boolean(entry);
    row.details.hidden = !entry;
    row.date.value = entry ? entry.date : "";
    row.note.value = entry ? entry.note : "";
    mirror(row);
  }

  function showAll() {
    rows.forEach(showRow);
    nameInput.value = state.name;
    nameText.textContent = state.name;
    showProgress();
  }

  // -- what the reader does ------------------------------------------------------------

  rows.forEach(function (row) {
    row.box.addEventListener("change", function () {
      if (row.box.checked) {
        state[row.group][row.id] = { done: true, date: today(), note: "" };
      } else {
        delete state[row.group][row.id];
      }
      showRow(row);
      save();
      showProgress();
    });
    row.date.addEventListener("input", function () {
      var entry = state[row.group][row.id];
      if (!entry) return;
      entry.date = DATE.test(row.date.value) ? row.date.value : "";
      mirror(row);
      save();
    });
    row.note.addEventListener("input", function () {
      var entry = state[row.group][row.id];
      if (!entry) return;
      entry.note = row.note.value.slice(0, NOTE_MAX);
      mirror(row);
      save();
    });
  });

  nameInput.addEventListener("input", function () {
    state.name = nameInput.value.slice(0, NAME_MAX);
    nameText.textContent = state.name;
    save();
  });

  one("[data-cap-pp-print]").addEventListener("click", function () { window.print(); });

  one("[data-cap-pp-export]").addEventListener("click", function () {
    var payload = serial(state);
    payload.exported = today();
    var file = S.file + "-" + today() + ".json";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(payload, null, 2) + "\n"], { type: "application/json" }));
    link.download = file;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    say(fill(S.export_done, { file: file }));
  });

  var importInput = one("[data-cap-pp-import]");
  importInput.addEventListener("change", function () {
    var file = importInput.files && importInput.files[0];
    if (!file) return;
    if (file.size > FILE_MAX) {
      importInput.value = "";
      say(S.import_error);
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      importInput.value = "";
      var next = null;
      try {
        next = clean(JSON.parse(String(reader.result)));
      } catch (err) {
        next = null;
      }
      if (!next) {
        say(S.import_error);
        return;
      }
      if (anything(state) && !window.confirm(S.import_confirm)) return;
      state = next;
      save();
      showAll();
      say(S.import_done + " " + progressText());
    };
    reader.onerror = function () {
      importInput.value = "";
      say(S.import_error);
    };
    reader.readAsText(file);
  });

  one("[data-cap-pp-reset]").addEventListener("click", function () {
    if (!window.confirm(S.reset_confirm)) return;
    state = empty();
    if (storage) {
      try { storage.removeItem(data.key); } catch (err) { /* nothing kept anyway */ }
    }
    showAll();
    say(S.reset_done);
  });

  // Another tab of the same passport changed it: show its version.
  window.addEventListener("storage", function (event) {
    if (event.key === data.key) {
      state = load();
      showAll();
    }
  });

  root.classList.add("cap-passport--ready");
  one("[data-cap-pp-tools]").hidden = false;
  showAll();
  if (!storage) say(S.storage_off);
})();
