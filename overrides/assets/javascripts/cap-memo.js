/*
 * Cap coopératif — the deadlines memo (issue #14), on the page whose front
 * matter says `cap_tools: [memo]` (docs/outils/memo-echeances*.md).
 *
 * The page is built with the schedule of a financial year ending on
 * 31 December (overrides/cap/section-memo.html, macros/memo.py). This script:
 *  - shows the form (hidden without JavaScript, where it could do nothing);
 *  - for the month chosen, computes every deadline's date with the rules of
 *    the JSON written at build time (<script id="cap-memo-data">), the same
 *    way as macros/memo.py: a delay in months runs from date to date and
 *    ends on the month's last day when that day does not exist (code de
 *    procédure civile, art. 641), or on the last day of the month reached
 *    (end_of_month); days are counted after months;
 *  - moves the deadlines (data-cap-memo-item) into their months, in date
 *    order, updates their <time>, the closing date shown and the .ics link;
 *  - says so in the status line (a polite live region);
 *  - keeps the choice in this browser only (localStorage, one versioned key
 *    per language, e.g. cap-memo-v1-fr): nothing is sent anywhere.
 * Nothing is fetched: it works from file:// in the offline bundle.
 */
(function () {
  "use strict"

  var source = document.getElementById("cap-memo-data")
  var root = document.querySelector("[data-cap-memo]")
  if (!source || !root) return
  var data = JSON.parse(source.textContent)
  var form = root.querySelector("[data-cap-memo-form]")
  var select = root.querySelector("[data-cap-memo-select]")
  var status = root.querySelector("[data-cap-memo-status]")
  var schedule = document.querySelector("[data-cap-memo-schedule]")
  var printButton = root.querySelector("[data-cap-memo-print]")
  if (!form || !select || !schedule) return

  var items = {}
  Array.prototype.forEach.call(schedule.querySelectorAll("[data-cap-memo-item]"), function (el) {
    items[el.getAttribute("data-cap-memo-item")] = el
  })

  // -- dates (as macros/memo.py) ------------------------------------------------

  function lastDay(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate() }
  function day(y, m, d) { return { y: y, m: m, d: d } }
  function compare(a, b) { return (a.y - b.y) || (a.m - b.m) || (a.d - b.d) }
  function addMonths(from, n, endOfMonth) {
    var index = from.y * 12 + (from.m - 1) + n
    var y = Math.floor(index / 12)
    var m = index - y * 12 + 1
    var last = lastDay(y, m)
    return day(y, m, endOfMonth ? last : Math.min(from.d, last))
  }
  function addDays(from, n) {
    var t = new Date(Date.UTC(from.y, from.m - 1, from.d + n))
    return day(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate())
  }
  function iso(d) {
    return d.y + "-" + (d.m < 10 ? "0" : "") + d.m + "-" + (d.d < 10 ? "0" : "") + d.d
  }
  function text(d) {
    var first = data.lang === "fr" && d.d === 1 ? "1er" : String(d.d)
    return first + "\u00a0" + data.months[d.m - 1]
  }

  function place(month) {
    var closing = day(data.year, month, lastDay(data.year, month))
    var end = addMonths(closing, 12, false)
    var done = {}
    function resolve(id, trail) {
      if (done[id]) return done[id]
      if (trail.indexOf(id) !== -1) throw new Error("loop: " + trail.concat(id).join(" → "))
      var rule = data.deadlines[id]
      var due = { id: id, date: null, depth: 0 }
      if (rule.kind === "relative" || rule.kind === "cycle") {
        var base = closing, depth = 1
        if (rule.anchor !== "cloture") {
          var before = resolve(rule.anchor, trail.concat(id))
          base = before.date
          depth = before.depth + 1
        }
        var d = addMonths(base, rule.months || 0, !!rule.end_of_month)
        due = { id: id, date: addDays(d, rule.days || 0), depth: depth }
      } else if (rule.kind === "fixed") {
        var found = null
        ;[closing.y, closing.y + 1].forEach(function (y) {
          var candidate = day(y, rule.month, Math.min(rule.day, lastDay(y, rule.month)))
          if (!found && compare(candidate, closing) >= 0 && compare(candidate, end) < 0) found = candidate
        })
        due = { id: id, date: found, depth: 1 }
      }
      done[id] = due
      return due
    }
    Object.keys(data.deadlines).sort().forEach(function (id) { resolve(id, []) })
    return { closing: closing, dated: Object.keys(done).map(function (id) { return done[id] })
      .filter(function (due) { return due.date })
      .sort(function (a, b) {
        return compare(a.date, b.date) || (a.depth - b.depth) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
      }) }
  }

  // -- the page ----------------------------------------------------------------------

  function show(month, announce) {
    var result = place(month)
    var sections = []
    result.dated.forEach(function (due) {
      var el = items[due.id]
      if (!el) return
      var key = due.date.y + "-" + (due.date.m < 10 ? "0" : "") + due.date.m
      var section = sections.length && sections[sections.length - 1].key === key ? sections[sections.length - 1] : null
      if (!section) {
        var node = document.createElement("section")
        node.className = "cap-memo__month"
        node.setAttribute("data-cap-memo-month", key)
        var heading = document.createElement("h3")
        heading.className = "cap-memo__month-title"
        var name = data.months[due.date.m - 1]
        heading.textContent = name.charAt(0).toUpperCase() + name.slice(1)
        node.appendChild(heading)
        section = { key: key, node: node }
        sections.push(section)
      }
      var time = el.querySelector("[data-cap-memo-date]")
      if (time) {
        time.setAttribute("datetime", iso(due.date))
        time.textContent = text(due.date)
      }
      section.node.appendChild(el)
    })
    while (schedule.firstChild) schedule.removeChild(schedule.firstChild)
    sections.forEach(function (section) { schedule.appendChild(section.node) })

    var closing = text(result.closing)
    Array.prototype.forEach.call(document.querySelectorAll("[data-cap-memo-closing]"), function (el) {
      el.textContent = closing
    })
    var file = data.files[String(month)]
    Array.prototype.forEach.call(document.querySelectorAll("a[data-cap-memo-ics]"), function (link) {
      link.setAttribute("href", link.getAttribute("href").replace(/[^/]*$/, file))
      link.setAttribute("download", file)
    })
    select.value = String(month)
    if (status) status.textContent = announce ? data.updated.replace("{date}", closing) : ""
  }

  // -- the choice, kept in this browser ------------------------------------------------

  function saved() {
    try {
      var value = JSON.parse(window.localStorage.getItem(data.storage) || "null")
      var month = value && Number(value.month)
      return month >= 1 && month <= 12 ? month : null
    } catch (error) {
      return null
    }
  }
  function save(month) {
    try {
      window.localStorage.setItem(data.storage, JSON.stringify({ month: month }))
    } catch (error) { /* private browsing or storage off: the choice lasts for this page only */ }
  }

  form.hidden = false
  form.addEventListener("submit", function (event) { event.preventDefault() })
  select.addEventListener("change", function () {
    var month = Number(select.value)
    save(month)
    show(month, true)
  })
  if (printButton) printButton.addEventListener("click", function () { window.print() })

  var start = saved()
  if (start && start !== data.default) show(start, false)
})()
