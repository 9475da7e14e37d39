"""Search: one index per language, French-aware, online and offline (issue #5).

Material builds its lunr index in the browser, in a web worker, from
``search/search_index.json``. Three pieces make it understand French:

1. ``overrides/assets/javascripts/cap-search.js`` — accent folding and a light
   plural → singular step on both indexed and typed words (lunr has neither,
   and Material's type-ahead "*" makes lunr skip its stemmer on queries);
   elided words and, before the last word, stop words left out of queries.
   It is appended to Material's worker; the result is written as
   ``assets/javascripts/workers/search-cap.<hash>.js`` (``write_worker``) and
   ``overrides/main.html`` swaps it in for Material's worker (``worker_urls``).
2. ``mkdocs.yml`` (search ``separator``) — words are also cut at apostrophes
   and punctuation, so « l'équipe » is indexed as « l » + « équipe ».
3. ``write_indexes`` — after static-i18n merged both languages' entries into
   one file: one index per language (French at the root, English under
   ``en/`` with locations relative to it), and hidden fields
   (``title_keywords``, ``keywords``) on every entry whose title or text
   names a glossary acronym or its expansion: the acronym, its other
   spellings and its expansion, so that « société coopérative d'intérêt
   collectif » finds pages that only say « Scic », and the reverse. For the
   offline bundle (Material's ``offline`` plugin, mkdocs-offline.yml) each
   language also gets its ``search/search_index.js``: the plugin wrote one
   earlier (its post_build runs before ours), from the merged index only.
4. ``synonym_keywords`` — the same hidden fields carry the everyday words of
   ``data/search-synonyms/`` (« salaire », « chomage », « impots ») on every
   entry whose title or text uses one of the site's terms for them
   (« rémunération », « assurance chômage », « impôt sur les sociétés »):
   index side, so that the browser has nothing more to do and a query
   typed the everyday way finds the page written the legal way.

Called from macros/hooks.py; knows nothing of static-i18n beyond the ``en/``
prefix of its pages.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

from .catalog import DEFAULT_LANGUAGE, LANGUAGES, Catalog

ROOT = Path(__file__).resolve().parent.parent
PATCH = ROOT / "overrides" / "assets" / "javascripts" / "cap-search.js"
WORKERS = "assets/javascripts/workers"
# Hidden glossary fields (see add_keywords): an acronym named in the text
# counts as if its expansion were written there too; named in the title, as
# if it were in the title — at half a title's weight (titles: 1000, text: 1).
KEYWORD_FIELDS = {"title_keywords": {"boost": 500.0}, "keywords": {"boost": 1.0}}
OFFLINE_SHIM = "iframe-worker"  # what the local polyfill's path must contain


# -- the search worker ----------------------------------------------------------


def _material_worker(config) -> Path:
    """Material's search worker, e.g. …/workers/search.a7633da7.min.js."""
    for folder in config.theme.dirs:
        found = sorted(p for p in (Path(folder) / WORKERS).glob("search.*.js") if p.name.endswith(".min.js"))
        if found:
            return found[0]
    raise FileNotFoundError("search worker of the Material theme not found")


def _worker_source(config) -> str:
    material = _material_worker(config).read_text(encoding="utf-8")
    material = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", material)  # its map does not fit ours
    return f"{material}\n{PATCH.read_text(encoding='utf-8')}"


# One worker per build (per config object: static-i18n's language builds share
# it), read once: the pages name the file that write_worker writes, even if
# cap-search.js is edited while the site builds.
_worker: dict[int, tuple[dict[str, str], str]] = {}


def _this_build(config) -> tuple[dict[str, str], str]:
    if id(config) not in _worker:
        _worker.clear()
        source = _worker_source(config)
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]
        urls = {"material": f"{WORKERS}/{_material_worker(config).name}", "cap": f"{WORKERS}/search-cap.{digest}.js"}
        _worker[id(config)] = (urls, source)
    return _worker[id(config)]


def worker_urls(config) -> dict[str, str]:
    """Material's worker path and ours (named after its content), relative to the site."""
    return _this_build(config)[0]


def write_worker(config) -> None:
    urls, source = _this_build(config)
    site = Path(config.site_dir)
    (site / urls["cap"]).write_text(source, encoding="utf-8")
    (site / "assets" / "javascripts" / PATCH.name).unlink(missing_ok=True)  # the theme copied the bare patch


# -- offline build ---------------------------------------------------------------


def offline(config) -> bool:
    """True when Material's offline plugin is on (CAP_OFFLINE=true, mkdocs-offline.yml)."""
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


def check_offline(config) -> str | None:
    """What is wrong with an offline build's configuration, if anything."""
    shim = [str(p) for p in config.extra.get("polyfills", []) if OFFLINE_SHIM in str(p)]
    if offline(config) and any("://" in p for p in shim):
        return "the offline build must use the local iframe-worker: build with -f mkdocs-offline.yml"
    if shim and not offline(config):
        return "mkdocs-offline.yml needs CAP_OFFLINE=true (it switches on Material's offline plugin)"
    return None


# -- per-language indexes ----------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents, ’ as ', single spaces: for matching only."""
    text = unicodedata.normalize("NFD", text.lower().replace("’", "'").replace("œ", "oe").replace("æ", "ae"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def glossary_keywords(catalog: Catalog, lang: str) -> list[tuple[re.Pattern, re.Pattern | None, str, tuple, tuple]]:
    """Per glossary term: (acronym as written, expansion folded, keywords, the
    acronym's spellings, the expansion's folded parts).

    The acronym matches as written (``SCIC``, ``Scic``), not in any case: the
    verb « agir » is not the acronym AGIR. The expansion matches in any case,
    without accents; an English expansion « X (y) » also matches « y »."""
    out = []
    for term in sorted(catalog["glossary"].values(), key=lambda r: r.id):
        written = list(dict.fromkeys([term["term"], *(term.get("variants") or ())]))
        acronym = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, written)) + r")(?!\w)")
        expansion = (term.get("expansion") or {}).get(lang) or (term.get("expansion") or {}).get(DEFAULT_LANGUAGE) or ""
        parts = [fold(p) for p in re.split(r"\s*[()]\s*", expansion) if len(p.strip()) > 3]
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, parts)) + r")(?!\w)") if parts else None
        out.append((acronym, pattern, " ".join([*written, expansion]).strip(), tuple(written), tuple(parts)))
    return out


def synonym_keywords(catalog: Catalog, lang: str) -> list[tuple[None, re.Pattern, str, tuple, tuple]]:
    """Per group of data/search-synonyms/ (comma-separated words, by language):
    (no acronym, the site's terms folded — each also with a final -s or -x —,
    the everyday words, no spellings, the terms folded). Same shape as
    ``glossary_keywords``, so ``add_keywords`` treats both alike."""
    def words(value) -> list[str]:
        text = (value or {}).get(lang) or ""
        return [w for w in (" ".join(part.split()) for part in text.split(",")) if w]

    out = []
    for group in sorted(catalog["search-synonyms"].values(), key=lambda r: r.id):
        everyday, terms = words(group["everyday"]), words(group["terms"])
        if not everyday or not terms:
            continue
        parts = tuple(dict.fromkeys(fold(t) for t in terms))
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) + "[sx]?" for p in parts) + r")(?!\w)")
        out.append((None, pattern, " ".join(everyday), (), parts))
    return out


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&")


def _words(found: list[str]) -> str:
    """Each word once (a page naming Scop, Scic and CAE says « coopérative » once)."""
    seen = {}
    for word in " ".join(found).split():
        seen.setdefault(fold(word), word)
    return " ".join(seen.values())


_FOUND: dict[tuple, dict[str, list[str]]] = {}


def _found_memo(keywords: list) -> dict[str, list[str]]:
    """Text -> glossary words found, for these keywords: each `mkdocs serve`
    rebuild only looks at the texts it has not seen (issue #8)."""
    fingerprint = tuple((words, written, parts) for _, _, words, written, parts in keywords)
    if fingerprint not in _FOUND and len(_FOUND) >= 4:
        _FOUND.clear()
    return _FOUND.setdefault(fingerprint, {})


def add_keywords(docs: list[dict], keywords: list) -> int:
    """Hidden fields: glossary words for the acronyms (or expansions) an entry
    names, ``title_keywords`` when its title names them, else ``keywords``.
    Returns how many entries got one."""
    count = 0
    seen = _found_memo(keywords)
    for doc in docs:
        for source, field in ((doc.get("title", ""), "title_keywords"), (doc.get("text", ""), "keywords")):
            found = seen.get(source)
            if found is None:
                text = _plain(source)
                folded = fold(text)
                # Substring tests first (a match needs one of these strings): same
                # result, a quarter of the time (issue #8).
                found = seen[source] = [
                    words for acronym, expansion, words, written, parts in keywords
                    if (any(w in text for w in written) and acronym.search(text))
                    or (expansion is not None and any(p in folded for p in parts) and expansion.search(folded))]
            if found:
                doc[field] = _words(found)
        count += "keywords" in doc or "title_keywords" in doc
    return count


def write_indexes(config, catalog: Catalog, languages: tuple[str, ...] = LANGUAGES) -> dict[str, Path]:
    """Split the merged index by language (see the module docstring). A build
    of some languages only (macros/parallel.py: one process per language)
    writes theirs."""
    site = Path(config.site_dir)
    merged = site / "search" / "search_index.json"
    if not merged.exists():
        return {}
    index = json.loads(merged.read_text(encoding="utf-8"))
    others = tuple(f"{o}/" for o in LANGUAGES if o != DEFAULT_LANGUAGE)
    written = {}
    for lang in languages:
        prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
        if prefix:
            docs = [dict(d, location=d["location"][len(prefix):]) for d in index["docs"] if d["location"].startswith(prefix)]
        else:
            docs = [dict(d) for d in index["docs"] if not d["location"].startswith(others)]
        fields = dict(index["config"]["fields"])
        if add_keywords(docs, glossary_keywords(catalog, lang) + synonym_keywords(catalog, lang)):
            fields.update(KEYWORD_FIELDS)
        data = json.dumps({"config": dict(index["config"], lang=[lang], fields=fields), "docs": docs},
                          ensure_ascii=False, separators=(",", ":"))
        out = site / prefix / "search" / "search_index.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(data, encoding="utf-8")
        if offline(config):  # what Material's offline plugin writes, per language
            out.with_suffix(".js").write_text(f"var __index = {data}", encoding="utf-8")
        written[lang] = out
    return written
