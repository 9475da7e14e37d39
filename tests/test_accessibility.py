"""Issue #7: readable by every reader — WCAG 2.2 AA, in both languages.

On the published site (what ``make build`` makes: conftest's ``deliverables``):

- every HTML page, read as HTML: the right ``lang``, exactly one h1, no
  heading level skipped, alt text on every image, and every chart (an
  ``svg role="img"`` in ``.cap-chart``) named by its ``<title>`` and followed
  by the table of its numbers;
- axe-core (axe-playwright-python, pinned) in Chromium on one page of every
  page type (sitecheck.sample_pages), light palette (every WCAG 2.0–2.2 A/AA
  rule and axe's best practices) and dark palette (the colour rules): no
  serious or critical violation;
- the keyboard: tabbing through a kit page and a FAQ page reaches the search
  field, the language switcher, every link of the page's content (question
  anchors, answer links, « Télécharger le PDF »), the footer's « Signaler une
  erreur sur cette page » and accessibility statement, and shows where the focus is;
- a 360 px phone: no page type scrolls sideways.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

import sitecheck
from conftest import ROOT, settle
from macros.catalog import load_catalog
from macros.render import page_src

CATALOG = load_catalog(ROOT / "data")
SERIOUS = ("serious", "critical")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@pytest.fixture(scope="module")
def published(deliverables) -> Path:
    return deliverables["site"]


# -- every page, as HTML --------------------------------------------------------------


def test_every_page_declares_its_language(published: Path):
    pages = sitecheck.pages(published)
    wrong = [(path, page.lang) for path, page in pages.items()
             if page.lang != ("en" if path.startswith("en/") else "fr")]
    assert len(pages) > 150
    assert wrong == []


def test_every_page_has_one_h1_and_no_skipped_heading_level(published: Path):
    problems = []
    for path, page in sitecheck.pages(published).items():
        levels = [level for level, _ in page.headings]
        if levels.count(1) != 1:
            problems.append(f"{path}: {levels.count(1)} h1")
        previous = 0
        for level, line in page.headings:
            if level > previous + 1:
                problems.append(f"{path}:{line}: h{level} after h{previous}")
            previous = level
    assert problems == [], "\n".join(problems[:40])


def test_every_image_has_alt_text(published: Path):
    missing = [f"{path}:{line}" for path, page in sitecheck.pages(published).items() for line in page.images_without_alt]
    assert missing == []


def test_every_chart_has_a_title_and_a_table(published: Path):
    charts, problems = 0, []
    for path, page in sitecheck.pages(published).items():
        for role, labelled, line in page.svg_roles:
            if role != "img" or not labelled:
                problems.append(f"{path}:{line}: chart svg without role=img and aria-labelledby")
        for chart in page.charts:
            charts += 1
            if not (chart.has_title and chart.title_text.strip()):
                problems.append(f"{path}: chart without <title>")
            if not chart.table_follows or chart.table_rows != chart.bars:
                problems.append(f"{path}: chart of {chart.bars} bars without a table of {chart.bars} rows after it")
    assert charts >= 10  # the figures page in both languages, kits, print views
    assert problems == [], "\n".join(problems[:40])


# -- in the browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(published: Path):
    """The published site over http://127.0.0.1, under the site's own path
    (/cap-cooperatif/): the 404 pages' absolute links then load too."""
    prefix = "/" + sitecheck.public_url(published).split("/", 3)[3]

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def translate_path(self, path):
            path = path.split("?", 1)[0].split("#", 1)[0]
            inside = "/" + path[len(prefix):] if path.startswith(prefix) else "/\0outside"
            return super().translate_path(inside)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(published)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    server.shutdown()
    server.server_close()


def _violations(result: dict) -> list[str]:
    out = []
    for violation in result["violations"]:
        if violation.get("impact") in SERIOUS:
            for node in violation["nodes"][:5]:
                detail = (node.get("any") or node.get("all") or node.get("none") or [{}])[0].get("message", "")
                out.append(f"{violation['id']} ({violation['impact']}) {' '.join(map(str, node['target']))}: {detail[:200]}")
    return out


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(browser, served: str, published: Path, scheme: str):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    rules = {"type": "tag", "values": WCAG_AA} if scheme == "light" else {"type": "rule", "values": COLOUR_RULES}
    samples = sitecheck.sample_pages(CATALOG, published)
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    problems = []
    try:
        for kind, lang, rel in samples:
            page.goto(served + rel, wait_until="load")
            palette = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert palette == ("slate" if scheme == "dark" else "default"), (rel, palette)
            settle(page)
            result = axe.run(page, options={"runOnly": rules, "resultTypes": ["violations"]}).response
            problems += [f"{rel} [{kind}, {lang}]: {v}" for v in _violations(result)]
    finally:
        context.close()
    print(f"\naxe ({scheme}) : {len(samples)} pages ({len(samples) // 2} types × 2 langues)")
    assert problems == [], f"{len(problems)} violation(s) :\n" + "\n".join(problems[:60])


def test_no_horizontal_scroll_on_a_360_px_phone(browser, served: str, published: Path):
    """One page of every page type, both languages (print views and 404
    included): nothing wider than a 360 px screen."""
    samples = sitecheck.sample_pages(CATALOG, published)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    too_wide = []
    try:
        for kind, lang, rel in samples:
            page.goto(served + rel, wait_until="load")
            width, shown, culprits = page.evaluate("""() => [document.documentElement.scrollWidth, window.innerWidth,
                [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                  .slice(0, 3).map(e => `${e.tagName.toLowerCase()}.${(typeof e.className === 'string' ? e.className : '').trim()}`)]""")
            if width > shown:
                too_wide.append(f"{rel} [{kind}, {lang}]: {width} px > {shown} px ({', '.join(culprits)})")
    finally:
        context.close()
    print(f"\n360 px : {len(samples)} pages")
    assert len(samples) > 40
    assert too_wide == [], "\n".join(too_wide)


# -- keyboard -------------------------------------------------------------------------------

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const shown = el => { const s = getComputedStyle(el);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none'); };
  // A visually hidden input (Material's palette switch) shows its focus on the
  // label next to it, or on its own label.
  const labels = e.id ? [...document.querySelectorAll(`label[for="${CSS.escape(e.id)}"]`)] : [];
  if (e.tagName === 'INPUT' && e.nextElementSibling && e.nextElementSibling.tagName === 'LABEL') labels.push(e.nextElementSibling);
  return {
    target: e.getAttribute('data-cap-target'),
    visible: shown(e) || labels.some(shown),
    what: `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${(typeof e.className === 'string' ? e.className : '').trim().split(/\\s+/).join('.')} ${e.getAttribute('href') || ''} «${(e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40)}»`,
  };
}"""

MARK_TARGETS = """(lang) => {
  const other = lang === 'fr' ? 'en' : 'fr';
  const wanted = [
    ['la recherche', document.querySelector('input.md-search__input')],
    ['le sélecteur de langue', document.querySelector(`.md-select a.md-select__link[hreflang="${other}"]`)],
    ...[...document.querySelectorAll('article.md-content__inner a[href]')]
      .map(a => [`lien de contenu ${a.getAttribute('href')} «${a.textContent.trim().slice(0, 40)}»`, a]),
    ['« Signaler une erreur sur cette page »', document.querySelector('.md-footer .cap-footer-links a.cap-report')],
    ['la déclaration d’accessibilité', document.querySelector('.md-footer .cap-footer-links a.cap-statement')],
  ];
  return wanted.map(([name, el], i) => { if (el) el.setAttribute('data-cap-target', String(i)); return el ? name : null; });
}"""


def tab_through(page, lang: str) -> tuple[dict[str, str], set[str], list[str]]:
    """Tab from the top of the page until the focus comes back round; return
    (targets by number, targets reached, focused elements without visible focus)."""
    names = page.evaluate(MARK_TARGETS, lang)
    assert None not in names[:2], f"search field or language switcher missing: {names[:2]}"
    targets = {str(i): name for i, name in enumerate(names)}
    reached, invisible, first = set(), [], None
    for _ in range(1500):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["what"] == first:
            break
        first = first or focused["what"]
        if focused["target"] is not None:
            reached.add(focused["target"])
        if not focused["visible"]:
            invisible.append(focused["what"])
    return targets, reached, invisible


KEYBOARD_PAGES = {
    "kit": page_src(CATALOG.sorted("kits")[0]),
    "faq": page_src(CATALOG.sorted("faq-themes")[0]),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("which", sorted(KEYBOARD_PAGES))
def test_keyboard_reaches_every_target_with_visible_focus(browser, served: str, which: str, lang: str):
    rel = sitecheck.page_file(KEYBOARD_PAGES[which], lang)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(served + rel, wait_until="load")
        if which == "kit":
            pdf = page.get_by_role("link", name="Télécharger le PDF" if lang == "fr" else "Download PDF")
            assert pdf.count() == 1, "« Télécharger le PDF » link missing from the kit page"
        if which == "faq":
            questions = page.evaluate("[...document.querySelectorAll('article h2[id] a.headerlink')].length")
            theme = CATALOG.sorted("faq-themes")[0]
            assert questions >= len(CATALOG.backlinks(theme, "faq"))  # one anchor per question (+ sources)
        targets, reached, invisible = tab_through(page, lang)
    finally:
        context.close()
    missed = [name for number, name in targets.items() if number not in reached]
    print(f"\nclavier ({which}, {lang}) : {len(reached)}/{len(targets)} cibles atteintes")
    assert len(targets) > 10
    assert missed == [], f"not reached with Tab on {rel}:\n" + "\n".join(missed)
    assert invisible == [], f"focus not visible on {rel}:\n" + "\n".join(invisible)
