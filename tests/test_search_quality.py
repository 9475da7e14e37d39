"""Search quality (issue #5): tests/search_queries.yml typed into Material's
search box, on the site served over http and in the offline bundle (file://).

Accents, case, plurals (-s, -x, -aux/-al), type-ahead, glossary acronyms and
their expansions, in both languages; each language searches its own index.
The index-level checks (split, glossary fields, offline .js) need no browser.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from macros.search import fold
from searching import check, load_queries, search

QUERIES = load_queries()
IDS = [f"{q['lang']}:{q['query']}" for q in QUERIES]


def test_the_set_is_large_and_covers_both_languages():
    assert len(QUERIES) >= 25
    assert {q["lang"] for q in QUERIES} == {"fr", "en"}


class _Pages:
    """One page per language, loaded once, reused for every query."""

    def __init__(self, context, home):
        self.context, self.home, self.pages = context, home, {}

    def __call__(self, lang: str):
        if lang not in self.pages:
            page = self.context.new_page()
            page.goto(self.home(lang))
            self.pages[lang] = page
        return self.pages[lang]


@pytest.fixture(scope="module")
def online(browser, site_url):
    context = browser.new_context()
    yield _Pages(context, lambda lang: site_url + ("en/" if lang == "en" else ""))
    context.close()


@pytest.fixture(scope="module")
def offline(offline_context):
    root = offline_context.root
    pages = _Pages(offline_context, lambda lang: (root / ("en" if lang == "en" else "") / "index.html").as_uri())
    yield pages
    for page in pages.pages.values():
        page.close()


@pytest.mark.parametrize("q", QUERIES, ids=IDS)
def test_online(online, site_url, q):
    check(online(q["lang"]), q, site_url)


@pytest.mark.parametrize("q", QUERIES, ids=IDS)
def test_offline(offline, offline_context, q):
    check(offline(q["lang"]), q, offline_context.root.as_uri() + "/")
    assert not offline_context.blocked, offline_context.blocked


# -- the indexes themselves -------------------------------------------------------


def _index(root: Path, lang: str, suffix: str = ".json") -> dict:
    path = root / ("en" if lang == "en" else "") / "search" / f"search_index{suffix}"
    text = path.read_text(encoding="utf-8")
    return json.loads(text.removeprefix("var __index = ") if suffix == ".js" else text)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_glossary_fields_in_each_index(site: Path, lang: str):
    index = _index(site, lang)
    assert index["config"]["lang"] == [lang]
    assert {"title_keywords", "keywords"} <= set(index["config"]["fields"])
    scic = [d for d in index["docs"] if "Scic" in d.get("title", "")]
    assert scic
    for doc in scic:  # each word once per entry, accents folded for the comparison
        assert {"societe", "cooperative", "d'interet", "collectif"} <= set(fold(doc["title_keywords"]).split()), doc["location"]
    assert len(json.dumps(index).encode()) < 2_000_000, "search index over budget (2 MB)"


def test_pages_use_the_french_aware_worker(site: Path):
    for page, base in (("index.html", '"base": "."'), ("en/index.html", '"base": "../en/"')):
        html = (site / page).read_text(encoding="utf-8")
        worker = re.search(r'"search": "([^"]+)"', html).group(1)
        assert re.search(r"workers/search-cap\.[0-9a-f]{8}\.js$", worker), worker
        assert (site / page).parent.joinpath(worker).resolve().is_file()
        assert base in html
    code = next((site / "assets/javascripts/workers").glob("search-cap.*.js")).read_text(encoding="utf-8")
    assert "self.lunr=" in code and code.rstrip().endswith("})(self.lunr)")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_offline_bundle_has_each_language_index_as_script(deliverables, lang: str):
    root = deliverables["bundle"] / "cap-cooperatif"
    script, data = _index(root, lang, ".js"), _index(root, lang)
    assert script == data and script["config"]["lang"] == [lang]
    assert not any(d["location"].startswith("en/") for d in script["docs"])
    assert all(".html" in d["location"] or d["location"] == "" for d in script["docs"] if "#" not in d["location"])


# -- highlighting: typed without accents, shown with them --------------------------


def _highlighted(page, query: str) -> tuple[list[str], list[str]]:
    """Words marked in the result list, and on the first result's page (?h=)."""
    first = search(page, query)[0]
    listed = page.eval_on_selector_all(".md-search-result__list mark", "marks => marks.map(m => m.textContent)")
    target = page.context.new_page()
    try:
        target.goto(first)
        target.wait_for_selector("article mark[data-md-highlight]", timeout=10_000)
        shown = target.eval_on_selector_all("article mark[data-md-highlight]", "marks => marks.map(m => m.textContent)")
    finally:
        target.close()
    return listed, shown


@pytest.mark.parametrize("mode", ["online", "offline"])
def test_accent_free_query_highlights_accented_words(request, mode):
    pages = request.getfixturevalue(mode)
    listed, shown = _highlighted(pages("fr"), "cooperatives")
    assert any(fold(word).startswith("cooperative") and "é" in word for word in listed), listed
    assert any("é" in word and fold(word).startswith("cooperative") for word in shown), shown
