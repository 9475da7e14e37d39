"""Issue #16: readers can report an error, and know what is accessible.

Every page of both languages (print views and 404 included) has, in its
footer (overrides/partials/copyright.html), « Signaler une erreur sur cette
page » / "Report a problem with this page" — the project's issue form with
the page's title and online address filled in — and a link to the
accessibility statement (docs/accessibilite*.md). In the offline bundle the
report link says that it needs a connection. The statement names the tools
and versions the tests really use.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

import sitecheck
from conftest import ROOT

with open(ROOT / "mkdocs.yml", "rb") as _config:
    CONFIG = yaml_load(_config)
REPORT = CONFIG["extra"]["cap_report"]
FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / REPORT["form"]
WORDS = {
    "fr": ("Signaler une erreur sur cette page", "Déclaration d'accessibilité", "nécessite une connexion à Internet"),
    "en": ("Report a problem with this page", "Accessibility statement", "needs an Internet connection"),
}
LINK = re.compile(r'<a class="(cap-report|cap-statement)" href="([^"]+)"[^>]*>([^<]+)</a>')


def footer_links(html: str) -> dict[str, tuple[str, str]]:
    """{class: (href, text)} of the footer's report and statement links (unescaped)."""
    nav = re.search(r'<nav class="cap-footer-links"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no footer links"
    found = LINK.findall(nav.group(1))
    assert [kind for kind, _, _ in found] == ["cap-report", "cap-statement"], found
    return {kind: (htmllib.unescape(href), htmllib.unescape(" ".join(text.split()))) for kind, href, text in found}


def title_of(html: str) -> str:
    """The page's title as Material writes it in <title>, without the site's name."""
    title = htmllib.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())
    suffix = " - " + CONFIG["site_name"]
    return title[: -len(suffix)] if title.endswith(suffix) else title


def form_fields() -> set[str]:
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    return {item["id"] for item in form["body"] if item.get("type") in ("input", "textarea") and "id" in item}


def test_the_report_form_and_its_fields_exist():
    """The link's target: the repository's own issue form, with an input whose id is « page »."""
    assert REPORT["new_issue"] == CONFIG["repo_url"] + "/issues/new"
    assert FORM.is_file()
    assert "page" in form_fields()
    assert yaml.safe_load(FORM.read_text(encoding="utf-8"))["title"] == "[Erreur] "


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_links_the_report_form_with_its_title_and_address(site: Path, lang: str):
    pages = [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).as_posix().startswith("en/") == (lang == "en")]
    assert len(pages) > 80
    report_words, statement_words, _ = WORDS[lang]
    statement = site / ("en/" if lang == "en" else "") / "accessibilite" / "index.html"
    for page in pages:
        html = page.read_text(encoding="utf-8")
        rel = page.relative_to(site).as_posix()
        links = footer_links(html)
        href, text = links["cap-report"]
        assert text == report_words, (rel, text)
        url = urlsplit(href)
        assert f"{url.scheme}://{url.netloc}{url.path}" == REPORT["new_issue"], rel
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        assert query["template"] == REPORT["form"]
        assert set(query) - {"template", "title"} <= form_fields(), (rel, query)
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)
        if page.name == "404.html":  # served at any address: the reader gives it
            assert "page" not in query and query["title"] == "[Erreur] " + ("Page not found" if lang == "en" else "Page introuvable")
        else:
            assert query["title"] == "[Erreur] " + title_of(html), (rel, query["title"])
            assert query["page"] == canonical.group(1), (rel, query)
        href, text = links["cap-statement"]
        assert text == statement_words
        assert site / sitecheck._target(site, rel, href)[0] == statement, (rel, href)


def test_a_record_page_link_reads_like_its_page(site: Path):
    """One link spelled out: a kit page, in English."""
    html = (site / "en" / "kits" / "kit-ambassadeur" / "index.html").read_text(encoding="utf-8")
    href = footer_links(html)["cap-report"][0]
    public = sitecheck.public_url(site)
    assert href == (REPORT["new_issue"] + "?template=signaler-une-erreur.yml&title=%5BErreur%5D+Ambassador+kit"
                    f"&page={public.replace(':', '%3A').replace('/', '%2F')}en%2Fkits%2Fkit-ambassadeur%2F")


def test_offline_the_report_link_says_it_needs_a_connection(deliverables):
    """In the unpacked bundle, every page's report link says so, and gives the
    page's online address (directory URLs), never a file of the bundle."""
    root = deliverables["bundle"] / "cap-cooperatif"
    online = sitecheck.public_url(deliverables["site"])
    pages = sorted(root.rglob("*.html"))
    assert len(pages) > 150
    for page in pages:
        rel = page.relative_to(root).as_posix()
        lang = "en" if rel.startswith("en/") else "fr"
        report_words, statement_words, offline_words = WORDS[lang]
        links = footer_links(page.read_text(encoding="utf-8"))
        href, text = links["cap-report"]
        assert text == f"{report_words} ({offline_words})", (rel, text)
        address = parse_qs(urlsplit(href).query)["page"][0]
        expected = online + (rel[: -len("index.html")] if rel.endswith("index.html") else rel[: -len(".html")] + "/")
        assert address == expected, (rel, address)
        target = (page.parent / links["cap-statement"][0]).resolve()
        assert target == (root / ("en/" if lang == "en" else "") / "accessibilite.html").resolve(), rel


# -- the statement -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_statement_says_what_was_tested_with_which_versions(site: Path, lang: str):
    page = site / ("en/" if lang == "en" else "") / "accessibilite" / "index.html"
    text = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))).split())
    axe = re.search(r"axe v(\d+\.\d+\.\d+)", (Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js")
                    .read_text(encoding="utf-8")[:200]).group(1)
    vnu = re.search(r"^VERSION=(\S+)", (ROOT / "scripts" / "vnu.sh").read_text(encoding="utf-8"), re.M).group(1)
    assert f"axe-core (version {axe})" in text and f"version {vnu}" in text
    if lang == "fr":
        for words in ("État de conformité", "Aucun audit d'accessibilité n'a été réalisé",
                      "Une vérification automatique n'est pas un audit", "360 pixels", "touche Tab",
                      "Ce qui n'est pas accessible", "Signaler une erreur sur cette page", "29 novembre 2026",
                      "aucun défaut « grave » ou « critique »"):
            assert words in text, words
    else:
        for words in ("Compliance status", "No accessibility audit has been carried out",
                      "An automated check is not an audit", "360 pixels", "Tab key", "What is not accessible",
                      "Report a problem with this page", "29 November 2026", 'no "serious" or "critical" defect'):
            assert words in text, words
    assert "https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000006682279" in page.read_text(encoding="utf-8")


def test_the_statement_is_among_the_pages_the_accessibility_tests_check():
    """axe, vnu and the 360 px check run on sitecheck's sample pages: the statement is one."""
    from macros.catalog import load_catalog

    assert sitecheck.page_types(load_catalog(ROOT / "data"))["accessibility"] == "accessibilite.md"
