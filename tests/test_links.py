"""Issues #7 and #16: no broken internal link or anchor in any build, and a
404 page per language.

MkDocs' validation catches Markdown links between hand-written pages; the
generated pages, the raw HTML of the templates and the theme's own links
(header, navigation, language switcher, hreflang alternates, the PDFs and
the offline bundle) are checked here, every HTML file of both languages, in
each build the project makes:

- a plain ``mkdocs build`` (``make serve``, pull request previews, an
  editor's own check): no PDF, so no « Télécharger le PDF » link — its
  placeholder stays hidden (DESIGN.md: a link only where its target exists);
- the published site (``make build``: conftest's ``deliverables``), with its
  PDFs and the offline zip;
- the offline bundle, unpacked, opened from ``file://``.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import sitecheck
from conftest import ROOT
from macros.catalog import load_catalog
from macros.print_views import site_pdfs

PDFS = set(site_pdfs(load_catalog(ROOT / "data")))
PLACEHOLDER = re.compile(r'<span class="cap-pdf-offer" data-cap-pdf="([^"]+)" data-cap-pdf-name="[^"]+"( hidden)?>')


def _report(name: str, report: sitecheck.LinkReport) -> None:
    print(f"\nliens ({name}) : {report.pages} pages, {report.checked} liens internes vérifiés "
          f"(dont {report.anchors} ancres), {report.external} liens externes non suivis")
    assert report.pages > 150 and report.checked > 5000 and report.anchors > 1000
    assert report.broken == [], f"{len(report.broken)} lien(s) cassé(s) :\n" + "\n".join(report.broken[:50])


def _pdf_links(site: Path) -> tuple[set[str], set[str]]:
    """(PDFs linked, PDFs only offered by a hidden placeholder), as paths from the site root."""
    linked, held = set(), set()
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        page = path.relative_to(site).parent.as_posix()
        for href in re.findall(r'<a [^>]*href="([^"#]+\.pdf)"', html):
            linked.add(posixpath.normpath(posixpath.join(page, href)))
        for href, hidden in PLACEHOLDER.findall(html):
            assert hidden, f"{path}: placeholder shown without its link"
            held.add(posixpath.normpath(posixpath.join(page, href)))
    return linked, held


def test_no_broken_link_in_a_plain_mkdocs_build(site: Path):
    """What make serve and previews show: every PDF is only offered by a
    hidden placeholder (no link, no 404), the print view is offered instead."""
    _report("mkdocs build", sitecheck.crawl(site))
    linked, held = _pdf_links(site)
    assert linked == set()
    assert held == PDFS and len(PDFS) >= 20
    assert not (site / "pdf").exists()
    kit = (site / "kits" / "kit-ambassadeur" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="md-button" href="imprimer/"[^>]*>Imprimer</a>', kit)


def test_no_broken_internal_link_or_anchor(deliverables):
    """On the published site: the PDFs and the offline zip the pages link to
    are written by the stages of make build (conftest's ``deliverables``);
    every placeholder has become a link to its PDF."""
    _report("make build", sitecheck.crawl(deliverables["site"]))
    linked, held = _pdf_links(deliverables["site"])
    assert held == set() and linked == PDFS


def test_no_broken_link_in_the_offline_bundle(deliverables):
    """The unpacked zip, opened from file://: every internal link and anchor
    resolves inside it (links to the online site, as on the print covers,
    are external there); its pages link the PDFs it holds."""
    bundle = deliverables["bundle"] / "cap-cooperatif"
    _report("hors ligne", sitecheck.crawl(bundle, sitecheck.OFFLINE_BASE))
    linked, held = _pdf_links(bundle)
    assert held == set() and linked == PDFS
    assert not (bundle / "404.html").exists() and not (bundle / "en" / "404.html").exists()


def test_both_languages_are_crawled(deliverables):
    parsed = sitecheck.pages(deliverables["site"])
    english = [p for p in parsed if p.startswith("en/")]
    assert len(english) > 50 and len(parsed) - len(english) > 50


def test_crawler_catches_broken_links(tmp_path: Path):
    """The crawler itself: a missing file, a missing anchor, a path outside the site."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<html lang="fr"><head><link rel="canonical" href="https://example.org/s/"></head><body>'
        '<h1 id="top">x</h1><a href="a/">ok</a><a href="a/#here">ok</a><a href="#top">ok</a>'
        '<a href="https://example.org/s/a/">ok</a><a href="https://other.example/">external</a>'
        '<a href="a/#nowhere">bad anchor</a><a href="b/">missing</a><a href="/elsewhere/">outside</a>'
        '<img src="missing.png" alt="">'
        "</body></html>", encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text('<html lang="fr"><body><h2 id="here">y</h2></body></html>', encoding="utf-8")
    report = sitecheck.crawl(tmp_path)
    assert report.external == 1
    problems = "\n".join(report.broken)
    assert len(report.broken) == 4, problems
    assert 'no id="nowhere"' in problems and "no file b/index.html" in problems
    assert "outside the site" in problems and "no file missing.png" in problems
    # Opened from file:// (the offline bundle): the site's online address is
    # elsewhere, and a link absolute on the host leads out of the bundle.
    sitecheck.pages.cache_clear()
    offline = sitecheck.crawl(tmp_path, sitecheck.OFFLINE_BASE)
    assert offline.external == 3  # the online site (the canonical link, https://example.org/s/a/) is elsewhere now
    assert sum("outside the site" in b for b in offline.broken) == 1 and len(offline.broken) == 4


# -- 404 ------------------------------------------------------------------------


def test_404_page_in_each_language(site: Path):
    fr = (site / "404.html").read_text(encoding="utf-8")
    en = (site / "en" / "404.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="fr"', fr) and re.search(r'<html lang="en"', en)
    assert "Page introuvable" in fr and "Page not found" not in fr
    assert "Page not found" in en and "Page introuvable" not in en
    # Links of a 404 page are absolute: it is served at any depth.
    home = sitecheck.public_url(site).split("/", 3)[3]
    assert f'href="/{home}en/">home page</a>' in en
    assert re.search(rf'href="/{home}\.?">accueil</a>', fr)


def test_404_in_each_language_on_the_mini_site(mini_site: Path):
    assert '<html lang="fr"' in (mini_site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (mini_site / "en" / "404.html").read_text(encoding="utf-8")
