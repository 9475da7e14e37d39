"""Issue #7: no broken internal link or anchor, and a 404 page per language.

MkDocs' validation catches Markdown links between hand-written pages; the
generated pages, the raw HTML of the templates and the theme's own links
(header, navigation, language switcher, hreflang alternates, the PDFs and
the offline bundle) are checked here on the published site (what make build
makes), every HTML file of both languages.
"""

from __future__ import annotations

import re
from pathlib import Path

import sitecheck


def test_no_broken_internal_link_or_anchor(deliverables):
    """On the published site: the PDFs and the offline zip the pages link to
    are written by the stages of make build (conftest's ``deliverables``)."""
    report = sitecheck.crawl(deliverables["site"])
    print(f"\nliens : {report.pages} pages, {report.checked} liens internes vérifiés "
          f"(dont {report.anchors} ancres), {report.external} liens externes non suivis")
    assert report.pages > 150 and report.checked > 5000 and report.anchors > 1000
    assert report.broken == [], f"{len(report.broken)} lien(s) cassé(s) :\n" + "\n".join(report.broken[:50])


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
