"""Reader side (issue #8): what a page costs the reader who does not search.

The search index (each language's search/search_index.json, ~450 KB) loads
only once the reader starts searching (overrides/assets/javascripts/
cap-requests.js), online as from the offline bundle; Material's sitemap.xml
requests are dropped; the home page stays under 500 KB, uncompressed.

The real site is served as GitHub Pages serves it, under the path of its
site_url (/cap-cooperatif/): Material's language links are absolute paths
there, and what they would fetch must be found.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from searching import search

HOME_BUDGET = 500 * 1024  # bytes, response bodies, uncompressed


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def pages_url(site: Path, tmp_path_factory):
    """The real site at http://127.0.0.1:<port>/<site_url's path>/."""
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    prefix = urlsplit(canonical.group(1)).path.strip("/")
    root = tmp_path_factory.mktemp("pages")
    served = root / prefix if prefix else root
    if prefix:
        served.parent.mkdir(parents=True, exist_ok=True)
        served.symlink_to(site, target_is_directory=True)
    else:
        root = site
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{prefix + '/' if prefix else ''}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser):
    """A fresh page (no cache) whose responses are kept in ``page.responses``."""
    context = browser.new_context()
    page = context.new_page()
    page.responses = []
    page.on("response", lambda response: page.responses.append(response))
    yield page
    context.close()


def _load(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(1500)  # Material used to ask for the index once the page was up


def _fetched(page, pattern: str) -> list[str]:
    return [r.url for r in page.responses if re.search(pattern, urlsplit(r.url).path)]


@pytest.mark.parametrize("path", ["", "faq/", "en/"])
def test_pages_do_not_load_the_search_index(page, pages_url, path):
    _load(page, pages_url + path)
    assert page.locator("input.md-search__input").count() == 1
    assert not _fetched(page, r"search_index\.js(on)?$")
    assert not _fetched(page, r"/lunr/")  # the worker's language files come with the index
    assert not _fetched(page, r"sitemap\.xml$")


@pytest.mark.parametrize("path,query,index,other", [
    ("", "scic", "search/search_index.json", "en/search/search_index.json"),
    ("en/", "scic", "en/search/search_index.json", "search/search_index.json"),
])
def test_searching_loads_the_index_of_the_page_language(page, pages_url, path, query, index, other):
    _load(page, pages_url + path)
    results = search(page, query)  # focuses the field, types, waits for the result count
    assert results, f"no result for {query!r} on /{path}"
    assert all(("/en/" in href) == (path == "en/") for href in results), results[:5]
    assert _fetched(page, "^" + re.escape(urlsplit(pages_url + index).path) + "$")
    assert not _fetched(page, "^" + re.escape(urlsplit(pages_url + other).path) + "$")


@pytest.mark.parametrize("key", ["/", "s"])
def test_keyboard_shortcut_then_typing_finds_results(page, pages_url, key):
    """Material's shortcuts open the search: the index loads then, and the query
    typed before it arrived is answered when it has."""
    _load(page, pages_url + "faq/")
    page.keyboard.press(key)
    page.keyboard.type("cooperative", delay=10)
    page.wait_for_selector("li.md-search-result__item", timeout=15_000)
    assert _fetched(page, r"/search/search_index\.json$")
    assert page.locator("input.md-search__input").input_value() == "cooperative"


def test_search_in_the_address_still_opens_with_results(page, pages_url):
    page.goto(pages_url + "?q=scic")
    page.wait_for_selector("li.md-search-result__item", timeout=15_000)
    assert page.locator("input.md-search__input").input_value() == "scic"


def test_result_links_still_highlight_the_words(page, pages_url):
    """A search result opens its page with ?h=: Material highlights the words
    with the index's configuration, so the index loads there."""
    page.goto(pages_url + "en/faq/comprendre-scop-scic-cae/?h=scic")
    page.wait_for_selector("article mark[data-md-highlight]", timeout=15_000)
    assert _fetched(page, r"/en/search/search_index\.json$")


def test_home_page_transfer_stays_under_budget(page, pages_url):
    _load(page, pages_url)
    sizes = {}
    for response in page.responses:
        try:
            sizes[response.url] = sizes.get(response.url, 0) + len(response.body())
        except Exception:  # noqa: BLE001 (redirects have no body)
            pass
    total = sum(sizes.values())
    biggest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    assert total < HOME_BUDGET, f"home page: {total:,} bytes; biggest: {biggest}"


def test_offline_bundle_loads_the_index_on_search(offline_context):
    """From file://: search/search_index.js waits for the search too."""
    page = offline_context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        root = offline_context.root
        page.goto((root / "en" / "index.html").as_uri())
        page.wait_for_timeout(1500)
        assert not [u for u in requested if "search_index" in u]
        results = search(page, "cooperative")
        assert results and all("/en/" in href for href in results)
        assert [u for u in requested if u.endswith("/en/search/search_index.js")]
        assert not [u for u in requested if u.endswith("/cap-cooperatif/search/search_index.js")]
        assert not offline_context.blocked, offline_context.blocked
    finally:
        page.close()
