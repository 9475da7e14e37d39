"""Type into Material's search box and read the result list (browser tests).

Used by test_search_quality.py (online and offline) and test_offline.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

QUERIES = Path(__file__).with_name("search_queries.yml")

# True once Material shows a result count (or "no result") for the query typed.
_ANSWERED = """() => {
  const t = JSON.parse(document.getElementById("__config").textContent).translations
  const meta = document.querySelector(".md-search-result__meta").textContent.trim()
  const other = new RegExp("^" + t["search.result.other"].replace("#", "\\\\d+") + "$")
  return meta === t["search.result.none"] || meta === t["search.result.one"] || other.test(meta)
}"""
_CLEARED = """() => {
  const t = JSON.parse(document.getElementById("__config").textContent).translations
  return document.querySelector(".md-search-result__meta").textContent.trim() === t["search.result.placeholder"]
}"""


def load_queries() -> list[dict]:
    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    for q in queries:
        assert set(q) == {"query", "lang", "expect", "top"}, q
        assert q["lang"] in ("fr", "en") and q["top"] in (1, 3, 5), q
    return queries


def search(page, query: str) -> list[str]:
    """Hrefs of the pages listed (first link of each result), best first.

    Material reads the box on key-up, so each value is followed by a key press;
    clearing first guarantees the count shown is for this query."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")
    page.wait_for_function(_CLEARED)
    box.fill(query)
    box.press("End")
    page.wait_for_function(_ANSWERED, timeout=15_000)
    return page.eval_on_selector_all("li.md-search-result__item", "items => items.map(li => li.querySelector('a').href)")


def search_groups(page, query: str) -> list[list[str]]:
    """Per result (one page each), best first: the hrefs the reader sees — the
    page and its sections shown, not those folded under « N more »."""
    search(page, query)
    return page.eval_on_selector_all(
        "li.md-search-result__item",
        "items => items.map(li => [...li.querySelectorAll('a')].filter(a => !a.closest('details')).map(a => a.href))")


def page_path(href: str, root: str, lang: str) -> str:
    """``faq/comprendre-scop-scic-cae`` from an online (…/faq/x/) or offline
    (…/faq/x.html) result link; the language prefix is removed."""
    path = urlsplit(href).path
    base = urlsplit(root).path
    assert path.startswith(base), (href, root)
    path = path[len(base):]
    if lang != "fr":
        assert path.startswith(f"{lang}/"), (href, lang)
        path = path[len(lang) + 1:]
    path = re.sub(r"\.html$", "", path)
    path = re.sub(r"(^|/)index$", r"\1", path)
    return path.strip("/")


def check(page, q: dict, root: str) -> None:
    """Assert that ``q["expect"]`` comes within the first ``q["top"]`` results.

    ``expect`` is a page (``faq/etapes``) or one question of a page
    (``faq/creer-sa-cooperative#deposer-le-capital``): a question is found when
    one of the first ``top`` results shows it (not folded under « N more »)."""
    if "#" in q["expect"]:
        groups = [[page_path(href, root, q["lang"]) + "#" + urlsplit(href).fragment for href in hrefs if urlsplit(href).fragment]
                  for hrefs in search_groups(page, q["query"])]
        assert any(q["expect"] in shown for shown in groups[: q["top"]]), \
            f"{q['query']!r} ({q['lang']}): {q['expect']} not shown in the top {q['top']} results: {groups[:5]}"
        return
    found = [page_path(href, root, q["lang"]) for href in search(page, q["query"])]
    assert q["expect"] in found[: q["top"]], f"{q['query']!r} ({q['lang']}): {q['expect']} not in top {q['top']} of {found[:5]}"
