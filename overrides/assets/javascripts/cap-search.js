/*
 * Cap coopératif — search that understands French (issue #5).
 *
 * Not loaded as is: macros/search.py appends this file to Material's search
 * worker and writes the result as assets/javascripts/workers/search-cap.<hash>.js,
 * which overrides/main.html makes Material use. It therefore runs right after
 * Material's worker code (self.lunr exists, nothing is indexed yet) and before
 * any message, in a real Web Worker (http) as in the iframe-worker shim
 * (file://, offline bundle).
 *
 * Indexed words and query words go through the same `norm`: lower case,
 * accents folded (é → e, œ → oe) and a light plural → singular step, so
 * `equipe` finds « équipe » and `cooperatives` finds « coopérative ».
 *   - index side: a lunr pipeline function, after Material's stop-word filter
 *     (stop words still meet lunr's accented lists);
 *   - query side: lunr.Query#clause, the one place every query term passes.
 *     Material appends "*" to query terms (type-ahead) and lunr skips its
 *     search pipeline for wildcard terms, so a pipeline would never see them.
 * Queries also lose elided words (the « d » of « d'intérêt ») and, before the
 * last word, stop words (« et », « les »), which as prefixes match too much.
 * Token positions are untouched, so results stay highlighted; the words sent
 * back to the page (suggestion, ?h= highlight) are mapped back to a spelling
 * seen in the text (« coopérative », not "cooperative").
 */
(function (lunr) {
  "use strict"

  /* French elided words (l', d', qu'…): alone they would match everything */
  var ELIDED = { c: 1, d: 1, j: 1, l: 1, m: 1, n: 1, s: 1, t: 1,
                 qu: 1, jusqu: 1, lorsqu: 1, puisqu: 1, quoiqu: 1 }
  var ELISION = /^(?:c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu|quoiqu)['’]/

  /* Punctuation left at either end of a word ("(Scop", "coopérative.") */
  var EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu

  /* The English index never loads lunr.fr (one index, one language, per worker) */
  function english() {
    return !lunr.fr
  }

  /* Lower case, no accents, ligatures spelt out, no punctuation at the ends,
     no elision (a query word « qu'est » that Material did not cut) */
  function fold(word) {
    return word.toLowerCase()
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/œ/g, "oe").replace(/æ/g, "ae")
      .replace(EDGES, "").replace(ELISION, "")
  }

  /* Plural → singular, idempotent (a query term may be normalised twice):
     coopératives → cooperative, bureaux → bureau, régionaux → regional,
     jeux → jeu; English: policies → policy, classes → class. Short words,
     words ending in -ss or -us, and -x words like « prix » are kept. */
  function singular(word) {
    if (word.length <= 3) return word
    if (english()) {
      if (/ies$/.test(word) && word.length > 4) return word.slice(0, -3) + "y"
      if (/(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2)
    } else {
      if (/eaux$/.test(word)) return word.slice(0, -1)
      if (/aux$/.test(word) && word.length > 4) return word.slice(0, -3) + "al"
      if (/[eo]ux$/.test(word)) return word.slice(0, -1)
    }
    return /[^su]s$/.test(word) ? word.slice(0, -1) : word
  }

  function norm(word) {
    return singular(fold(word))
  }

  /* Normalised word → its spellings in the index (lower case) and their counts */
  var spellings = Object.create(null)

  /* Index side: a pipeline function, added before the first document */
  function capNormalise(token) {
    var seen = token.toString().replace(EDGES, "")
    var word = norm(seen)
    if (!word) return undefined
    var forms = spellings[word] || (spellings[word] = Object.create(null))
    forms[seen] = (forms[seen] || 0) + 1
    return token.update(function () { return word })
  }
  lunr.Pipeline.registerFunction(capNormalise, "capNormalise")

  var add = lunr.Builder.prototype.add
  lunr.Builder.prototype.add = function (doc, attributes) {
    if (!this.capNormalise) {
      this.capNormalise = true
      this.pipeline.add(capNormalise)
    }
    return add.call(this, doc, attributes)
  }

  /* The accented stop words of lunr.fr as typed without their accent
     (« a » for « à », « etait » for « était »): as prefixes, "a*" would
     match every word that starts with an a */
  var UNACCENTED = { a: 1, cela: 1, meme: 1, ete: 1, etee: 1, etees: 1, etes: 1, etais: 1,
                     etait: 1, etaient: 1, etant: 1, etiez: 1, etions: 1, eumes: 1, eutes: 1,
                     fumes: 1, futes: 1 }

  /* A stop word of the index's language, as typed (« les », « à », "the"),
     or one of its accented stop words typed without the accent */
  function stopWord(word) {
    var filter = english() ? lunr.stopWordFilter : lunr.fr.stopWordFilter
    word = word.toLowerCase().replace(ELISION, "")
    return !filter(word) || (!english() && fold(word) in UNACCENTED)
  }

  /* Query side: normalise each clause, keeping its wildcards; drop a clause
     that is only an elided word, like the « d » of « d'intérêt » */
  var typed = Object.create(null)
  var clause = lunr.Query.prototype.clause
  lunr.Query.prototype.clause = function (spec) {
    spec.capStopWord = stopWord(String(spec.term).replace(/\*/g, ""))
    var term = String(spec.term).split("*").map(function (part) {
      var word = part && norm(part)
      if (word && !(word in typed))
        typed[word] = part.replace(EDGES, "")
      return word
    }).join("*")
    var bare = term.replace(/\*/g, "")
    if (!bare || ELIDED[bare])
      return this
    spec.term = term
    return clause.call(this, spec)
  }

  /* Stop words before the last word are dropped: as prefixes ("et*") they
     would match « étude », « être »… The last word may be the start of a
     longer one (« et » of « étude »), so it stays. */
  var parse = lunr.QueryParser.prototype.parse
  lunr.QueryParser.prototype.parse = function () {
    var query = parse.call(this)
    var last = query.clauses.length - 1
    query.clauses = query.clauses.filter(function (spec, index) {
      return index === last || !spec.capStopWord
    })
    return query
  }

  /* Results (message type 3): words as in the text (« coopérative »), else as
     typed (« coopé »), never folded ("coope" would highlight nothing) */
  function spelt(word) {
    var forms = spellings[word], best
    for (var form in forms)                      /* the shortest (« coopérative », */
      if (!best || form.length < best.length ||  /* not « coopératives »), then the */
          form.length === best.length && forms[form] > forms[best])  /* most frequent */
        best = form
    return best || typed[word] || word
  }
  var post = self.postMessage
  self.postMessage = function (message) {
    if (message && message.type === 3 && message.data) {
      var data = message.data
      if (data.suggest)
        data.suggest = data.suggest.map(spelt)
      data.items.forEach(function (group) {
        group.forEach(function (item) {
          var terms = {}
          for (var word in item.terms)
            terms[spelt(word)] = item.terms[word]
          item.terms = terms
        })
      })
    }
    return post.apply(self, arguments)
  }
})(self.lunr)
