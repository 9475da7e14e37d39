/* Cap coopératif — the game « Je crée ma coopérative » (issue #15).
 *
 * Loaded by pages whose front matter says `cap_tools: [quiz]` (overrides/main.html).
 * Reads the questions and the interface words from <script id="cap-quiz-data">
 * (macros/quiz.py, payload) and builds the game inside [data-cap-quiz]; the list
 * of every question with its folded answer ([data-cap-quiz-list], what the page
 * shows without JavaScript) is hidden, and its « learn more » links are reused.
 *
 * - A round: 10 questions drawn at random among those of the chosen audience,
 *   easiest first. The draw comes from a seeded generator: the same seed (in the
 *   address, ?partie=8f3a2c&public=famille) draws the same questions in the same
 *   order, so a round can be played again or shared by its link.
 * - « Play together »: 2 to 6 named players take turns on one device; the round
 *   has as many questions as it takes for everyone to play as often (10 to 12),
 *   each player has a score, the best wins (ties are announced as ties).
 * - Each answer is checked at once: the result and the explanation are written
 *   in a live region (role="status"), so screen readers announce them; the right
 *   answer and a wrong choice are marked with words and a symbol, not only colour.
 * - Plain form controls (radio buttons in a fieldset, buttons), usable with the
 *   keyboard alone; the focus moves to the question, then to « next », then to
 *   the score. No timer. Nothing is stored, nothing is sent: no request at all.
 * Texts are written with textContent, never as HTML.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-cap-quiz]");
  var source = document.getElementById("cap-quiz-data");
  if (!root || !source) return;
  var data = JSON.parse(source.textContent);
  var T = data.t;
  var list = document.querySelector("[data-cap-quiz-list]");
  var LETTERS = "ABCD";

  // -- words ---------------------------------------------------------------------

  function say(key, values) {
    return String(T[key]).replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function joinNames(names) {
    if (names.length < 2) return names.join("");
    return names.slice(0, -1).join(", ") + T.and + names[names.length - 1];
  }

  // -- the draw: a seeded generator (FNV-1a hash of the seed, then mulberry32) ----

  function hash(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 16777619);
    }
    return h >>> 0;
  }

  function generator(seed) {
    var state = hash(seed);
    return function () {
      state = (state + 0x6d2b79f5) | 0;
      var t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffled(items, random) {
    var out = items.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var kept = out[i];
      out[i] = out[j];
      out[j] = kept;
    }
    return out;
  }

  function newSeed() {
    var bytes = new Uint8Array(3);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function inAudience(question, audience) {
    return audience === "tous" || question.audience === "tous" || question.audience === audience;
  }

  /* The round for (seed, audience, count): the pool shuffled, the first `count`
     taken, then easiest first; the choices of a multiple-choice question
     shuffled too (a true/false keeps True, False). Pure: same input, same round. */
  function draw(seed, audience, count) {
    var pool = data.questions.filter(function (q) { return inAudience(q, audience); });
    var picked = shuffled(pool, generator(seed + "|" + audience)).slice(0, count);
    picked = picked.map(function (q, index) { return { q: q, index: index }; })
      .sort(function (a, b) { return (a.q.level - b.q.level) || (a.index - b.index); })
      .map(function (item) { return item.q; });
    return picked.map(function (q) {
      var order = q.choices.map(function (_, i) { return i; });
      if (q.kind === "choix") order = shuffled(order, generator(seed + "|" + q.id));
      return { q: q, order: order };
    });
  }

  function roundSize(players) {
    return players > 1 ? players * Math.ceil(data.round / players) : data.round;
  }

  // -- the address: ?partie=<seed>&public=<audience>&joueurs=<n> ---------------------

  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    var seed = (params.get("partie") || "").toLowerCase();
    var audience = params.get("public");
    var players = parseInt(params.get("joueurs") || "1", 10);
    return {
      seed: /^[0-9a-z]{1,16}$/.test(seed) ? seed : "",
      audience: data.audiences.indexOf(audience) >= 0 ? audience : "tous",
      players: players >= data.players[0] && players <= data.players[1] ? players : 1
    };
  }

  function query(game) {
    var params = new URLSearchParams();
    params.set("partie", game.seed);
    params.set("public", game.audience);
    if (game.names.length > 1) params.set("joueurs", String(game.names.length));
    return "?" + params.toString();
  }

  function remember(game) {
    try {  // the address bar then replays this round on reload; file:// may refuse it
      window.history.replaceState(null, "", query(game) + window.location.hash);
    } catch (error) { /* the link on the score screen still works */ }
  }

  // -- DOM helpers ---------------------------------------------------------------

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === false || value === null || value === undefined) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* A question's text on the English page is French when it is not translated yet. */
  function textOf(q, value) {
    return q.fr ? el("span", { lang: "fr", text: value }) : document.createTextNode(value);
  }

  function learnLink(q) {
    var found = list && list.querySelector('[data-cap-quiz-item="' + q.id + '"] a.cap-quiz-learn');
    if (!found) return null;
    return el("a", { href: found.getAttribute("href"), text: T.learn_more + T.colon + q.learn });
  }

  var screen = el("div", { className: "cap-quiz__screen" });
  var status = el("div", { className: "cap-quiz__status", role: "status", "aria-live": "polite" });
  var after = el("div", { className: "cap-quiz__after" });

  function show(nodes, focus) {
    screen.textContent = "";
    status.textContent = "";
    status.className = "cap-quiz__status";
    after.textContent = "";
    nodes.forEach(function (node) { screen.appendChild(node); });
    if (focus) focus.focus();
  }

  function heading(text) {
    return el("h2", { className: "cap-quiz__title", tabindex: "-1", text: text });
  }

  // -- 1. setting up a game --------------------------------------------------------

  function setup(preset, names) {
    var title = heading(T.setup);
    var form = el("form", { className: "cap-quiz__setup", novalidate: true });

    var modes = el("fieldset", {}, [el("legend", { text: T.mode_legend })]);
    [["solo", T.mode_solo], ["together", T.mode_together]].forEach(function (mode) {
      var id = "cap-quiz-mode-" + mode[0];
      modes.appendChild(el("div", { className: "cap-quiz__choice" }, [
        el("input", { type: "radio", name: "mode", id: id, value: mode[0],
                      checked: (mode[0] === "together") === (preset.players > 1) }),
        el("label", { for: id, text: mode[1] })
      ]));
    });

    var count = el("select", { id: "cap-quiz-players" });
    for (var n = data.players[0]; n <= data.players[1]; n++) {
      count.appendChild(el("option", { value: String(n), text: String(n), selected: n === Math.max(preset.players, 2) }));
    }
    var nameFields = el("div", { className: "cap-quiz__names" });
    var players = el("fieldset", { className: "cap-quiz__players" }, [
      el("legend", { text: T.players_legend }),
      el("p", {}, [el("label", { for: "cap-quiz-players", text: T.players }), " ", count]),
      nameFields
    ]);

    function drawNames() {
      var kept = Array.prototype.map.call(nameFields.querySelectorAll("input"), function (i) { return i.value; });
      nameFields.textContent = "";
      for (var i = 1; i <= parseInt(count.value, 10); i++) {
        var id = "cap-quiz-name-" + i;
        nameFields.appendChild(el("p", {}, [
          el("label", { for: id, text: say("player_name", { n: i }) }), " ",
          el("input", { type: "text", id: id, maxlength: "30", autocomplete: "off",
                        placeholder: say("player_default", { n: i }),
                        value: kept[i - 1] || (names && names[i - 1]) || "" })
        ]));
      }
    }

    function together() { return form.querySelector("#cap-quiz-mode-together").checked; }
    function togglePlayers() { players.hidden = !together(); }

    var audiences = el("fieldset", {}, [el("legend", { text: T.audience_legend })]);
    data.audiences.forEach(function (audience) {
      var id = "cap-quiz-audience-" + audience;
      audiences.appendChild(el("div", { className: "cap-quiz__choice" }, [
        el("input", { type: "radio", name: "audience", id: id, value: audience, checked: audience === preset.audience }),
        el("label", { for: id, text: T["audience_" + audience] })
      ]));
    });

    form.appendChild(modes);
    form.appendChild(players);
    form.appendChild(audiences);
    form.appendChild(el("p", {}, [el("button", { type: "submit", className: "md-button md-button--primary", text: T.start })]));
    drawNames();
    togglePlayers();
    count.addEventListener("change", drawNames);
    modes.addEventListener("change", togglePlayers);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var audience = form.querySelector('input[name="audience"]:checked').value;
      var chosen = ["solo"];
      if (together()) {
        chosen = Array.prototype.map.call(nameFields.querySelectorAll("input"), function (input, i) {
          return input.value.trim() || say("player_default", { n: i + 1 });
        });
      }
      var seed = preset.seed && audience === preset.audience && (chosen.length > 1 ? chosen.length : 1) === preset.players
        ? preset.seed : newSeed();
      start(seed, audience, chosen);
    });

    var nodes = [title];
    if (preset.seed) nodes.push(el("p", { className: "cap-quiz__shared", text: say("same_game", { seed: preset.seed }) }));
    nodes.push(form);
    show(nodes);
  }

  // -- 2. playing ------------------------------------------------------------------

  function start(seed, audience, names) {
    var game = {
      seed: seed, audience: audience, names: names,
      round: draw(seed, audience, roundSize(names.length)),
      scores: names.map(function () { return 0; }),
      turns: names.map(function () { return 0; }),
      missed: [], at: 0
    };
    remember(game);
    ask(game);
  }

  function player(game, at) { return at % game.names.length; }

  function ask(game) {
    var item = game.round[game.at];
    var q = item.q;
    var together = game.names.length > 1;
    var who = player(game, game.at);
    var title = heading(say("progress", { n: game.at + 1, total: game.round.length }));
    var nodes = [title];
    if (together) nodes.push(el("p", { className: "cap-quiz__turn", text: say("turn", { name: game.names[who] }) }));

    var legend = el("legend", { className: "cap-quiz__question" }, [textOf(q, q.text)]);
    if (q.fr) legend.appendChild(el("span", { className: "cap-quiz__untranslated", text: " (" + T.untranslated + ")" }));
    var fieldset = el("fieldset", {}, [legend]);
    var labels = [];
    item.order.forEach(function (choice, position) {
      var id = "cap-quiz-choice-" + position;
      var label = el("label", { for: id }, [
        el("span", { className: "cap-quiz__letter", text: (q.kind === "choix" ? LETTERS[position] + ". " : "") }),
        textOf(q, q.choices[choice])
      ]);
      labels.push(label);
      fieldset.appendChild(el("div", { className: "cap-quiz__choice" }, [
        el("input", { type: "radio", name: "answer", id: id, value: String(choice) }), label
      ]));
    });
    var check = el("button", { type: "submit", className: "md-button md-button--primary", text: T.check });
    var form = el("form", { className: "cap-quiz__form", novalidate: true }, [fieldset, el("p", {}, [check])]);
    nodes.push(form);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.answered) return;
      var picked = form.querySelector('input[name="answer"]:checked');
      if (!picked) {
        status.className = "cap-quiz__status cap-quiz__status--hint";
        status.textContent = T.choose_first;
        return;
      }
      form.dataset.answered = "1";
      var choice = parseInt(picked.value, 10);
      var right = choice === q.right;
      game.turns[who] += 1;
      if (right) game.scores[who] += 1;
      else game.missed.push(q);

      Array.prototype.forEach.call(form.querySelectorAll("input"), function (input) { input.disabled = true; });
      check.disabled = true;
      item.order.forEach(function (c, position) {
        var mark = null;
        if (c === q.right) mark = el("span", { className: "cap-quiz__mark cap-quiz__mark--right", text: " ✓ " + T.right_mark });
        else if (c === choice) mark = el("span", { className: "cap-quiz__mark cap-quiz__mark--wrong", text: " ✗ " + T.your_mark });
        if (mark) labels[position].appendChild(mark);
        labels[position].parentNode.classList.toggle("cap-quiz__choice--right", c === q.right);
        labels[position].parentNode.classList.toggle("cap-quiz__choice--wrong", c === choice && !right);
      });

      var position = item.order.indexOf(q.right);
      var answer = (q.kind === "choix" ? LETTERS[position] + ". " : "") + q.choices[q.right];
      status.className = "cap-quiz__status " + (right ? "cap-quiz__status--right" : "cap-quiz__status--wrong");
      status.textContent = "";
      status.appendChild(el("p", { className: "cap-quiz__result" }, [
        (right ? "✓ " : "✗ ") + (right ? T.result_right : say("result_wrong", { answer: answer }))
      ]));
      status.appendChild(el("p", { className: "cap-quiz__why" }, [textOf(q, q.why)]));

      var last = game.at + 1 >= game.round.length;
      var link = learnLink(q);
      if (link) after.appendChild(el("p", { className: "cap-quiz__learn" }, [link]));
      if (together && !last) {
        after.appendChild(el("p", { className: "cap-quiz__handover", text: say("hand_over", { name: game.names[player(game, game.at + 1)] }) }));
      }
      var next = el("button", { type: "button", className: "md-button md-button--primary", text: last ? T.see_score : T.next });
      next.addEventListener("click", function () {
        game.at += 1;
        if (last) score(game);
        else ask(game);
      });
      after.appendChild(el("p", {}, [next]));
      next.focus();
    });

    show(nodes, title);
  }

  // -- 3. the score ----------------------------------------------------------------

  function score(game) {
    var together = game.names.length > 1;
    var nodes = [];
    var title;
    if (together) {
      var best = Math.max.apply(null, game.scores);
      var winners = game.names.filter(function (_, i) { return game.scores[i] === best; });
      var per = game.turns[0];
      title = heading(winners.length > 1
        ? say("tie", { names: joinNames(winners), score: best, total: per })
        : say("winner", { name: winners[0], score: best, total: per }));
      nodes.push(title);
      var body = el("tbody");
      game.names.forEach(function (name, i) {
        body.appendChild(el("tr", {}, [el("th", { scope: "row", text: name }),
                                       el("td", { text: game.scores[i] + " / " + game.turns[i] })]));
      });
      nodes.push(el("div", { className: "cap-quiz__scores" }, [el("table", {}, [  // a plain table: Material's style
        el("caption", { text: T.score_table }),
        el("thead", {}, [el("tr", {}, [el("th", { scope: "col", text: T.players_legend }),
                                        el("th", { scope: "col", text: T.score_player })])]),
        body
      ])]));
    } else {
      title = heading(say("score", { score: game.scores[0], total: game.round.length }));
      nodes.push(title);
    }

    nodes.push(el("h3", { text: T.to_read }));
    if (!game.missed.length) {
      nodes.push(el("p", { text: T.all_right }));
    } else {
      var seen = {};
      var items = el("ul", { className: "cap-quiz__to-read" });
      game.missed.forEach(function (q) {
        var link = learnLink(q);
        if (!link || seen[link.getAttribute("href")]) return;
        seen[link.getAttribute("href")] = true;
        link.textContent = q.learn;
        items.appendChild(el("li", {}, [link]));
      });
      nodes.push(items);
    }

    var address = new URL(query(game), window.location.href).href;
    nodes.push(el("p", { className: "cap-quiz__link" }, [T.link, " ", el("a", { href: address, text: address })]));
    var again = el("button", { type: "button", className: "md-button md-button--primary", text: T.replay });
    var fresh = el("button", { type: "button", className: "md-button", text: T["new"] });
    again.addEventListener("click", function () { start(game.seed, game.audience, game.names); });
    fresh.addEventListener("click", function () {
      setup({ seed: "", audience: game.audience, players: game.names.length }, game.names.length > 1 ? game.names : null);
      var first = screen.querySelector("h2");
      if (first) first.focus();
    });
    nodes.push(el("p", { className: "cap-quiz__again" }, [again, " ", fresh]));
    show(nodes, title);
  }

  // -- start -------------------------------------------------------------------------

  if (!data.questions.length) return;
  T.colon = document.documentElement.lang === "fr" ? " : " : ": ";
  root.appendChild(screen);
  root.appendChild(status);
  root.appendChild(after);
  root.hidden = false;
  /* The list gives the answers away: hidden while playing, unless the address
     points at one of its questions (a page of the site that links to it). */
  var target = window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
  if (list && !(target && list.contains(target))) list.hidden = true;
  setup(fromAddress(), null);
})();
