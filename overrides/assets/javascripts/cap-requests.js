/*
 * Cap coopératif — what Material requests as a page loads (issue #8, reader side).
 * Loaded before Material's bundle (overrides/main.html), it holds back or drops
 * two kinds of requests that readers who do not search paid for on every page.
 *
 * 1. The search index loads when the reader starts searching. Material (9.8)
 *    asks for it as soon as a page loads, and has no setting to wait: over
 *    http, an XMLHttpRequest for search/search_index.json (its `request`);
 *    from file:// (offline bundle), a <script src=".../search/search_index.js">
 *    appended to <head> (its `watchScript`), which defines `__index`. Both
 *    wait here until
 *      - the search field gets the focus (clicking it or the header's search
 *        button, and Material's shortcuts `/`, `s`, `f`, all focus it);
 *      - or a press on the search field or button, or one of those keys
 *        outside a text field (a head start of a few milliseconds);
 *      - or the address asks for a search (`?q=`: Material opens the search
 *        with it) or a highlight (`?h=`, search results' links: Material
 *        highlights the words with the index's configuration, so it needs
 *        the index there too).
 *    Nothing else changes: Material sends the index to its worker once it has
 *    it, and runs the query typed meanwhile then ("Initialisation de la
 *    recherche" shows until that moment).
 *
 * 2. sitemap.xml is not requested. Material fetches the sitemap next to every
 *    <link rel="alternate"> (4 per page: its own and our hreflang links), to
 *    send language-switch clicks to the same page in the other language; our
 *    language links already point there (static-i18n), so this only cost the
 *    home page the whole sitemap (about 100 KB) and every other page 404s.
 *    Instant navigation, were it switched on, needs the sitemap: then it is
 *    left alone.
 */
(function () {
  "use strict"

  var INDEX = /(^|\/)search\/search_index\.js(on)?([?#]|$)/
  var SITEMAP = /(^|\/)sitemap\.xml([?#]|$)/
  var waiting = []
  var open = false

  var instant = false
  try {
    var config = JSON.parse(document.getElementById("__config").textContent)
    instant = config.features.indexOf("navigation.instant") >= 0
  } catch (err) { /* no configuration: Material's defaults (no instant navigation) */ }

  function start() {
    if (open) return
    open = true
    var queued = waiting
    waiting = []
    for (var i = 0; i < queued.length; i++) queued[i]()
  }

  /* Over http: Material's XMLHttpRequests */
  var xhr = XMLHttpRequest.prototype
  var xhrOpen = xhr.open
  var xhrSend = xhr.send
  xhr.open = function (method, url) {
    url = String(url)
    this.__cap = INDEX.test(url) ? "index" : !instant && SITEMAP.test(url) ? "sitemap" : null
    return xhrOpen.apply(this, arguments)
  }
  xhr.send = function () {
    if (this.__cap === "sitemap") return  // never sent: Material waits for ever, harmlessly
    if (open || this.__cap !== "index") return xhrSend.apply(this, arguments)
    var request = this, args = arguments
    waiting.push(function () {
      try {
        xhrSend.apply(request, args)
      } catch (err) { /* aborted meanwhile */ }
    })
  }

  /* From file://: Material's <script> for search_index.js, added once the
     search starts (its load event still reaches Material) */
  var head = document.head
  var append = head.appendChild
  head.appendChild = function (node) {
    if (open || !(node && node.tagName === "SCRIPT" && INDEX.test(node.src || "")))
      return append.apply(this, arguments)
    var parent = this
    waiting.push(function () { append.call(parent, node) })
    return node
  }

  /* What starts a search */
  var SEARCH = '[data-md-component="search"], label[for="__search"]'
  function searching(event) {
    var target = event.target
    if (target && target.closest && target.closest(SEARCH)) start()
  }
  document.addEventListener("focusin", searching, true)
  document.addEventListener("pointerdown", searching, true)
  document.addEventListener("keydown", function (event) {
    var target = event.target
    if (event.ctrlKey || event.altKey || event.metaKey) return
    if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) return
    if (event.key === "/" || event.key === "s" || event.key === "f") start()
  }, true)
  var params = new URLSearchParams(location.search)
  if (params.has("q") || params.get("h")) start()  // as Material tests them
})()
