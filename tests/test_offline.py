"""The offline bundle (issue #5): dist/cap-cooperatif-hors-ligne.zip, made by
the stages of scripts/stages/ (`deliverables` fixture, as `make build` does), unpacked
and opened from file:// in a browser that may not reach anything else."""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import MINI, ROOT
from searching import page_path, search

ZIP = "cap-cooperatif-hors-ligne.zip"
PAGES = ("index.html", "a-propos/index.html", "en/index.html", "en/a-propos/index.html")


def _stage():
    path = ROOT / "scripts" / "stages" / "50-offline.py"
    spec = importlib.util.spec_from_file_location("offline_stage", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the zip and the pages that offer it --------------------------------------------


def test_bundle_contents(deliverables):
    names = zipfile.ZipFile(deliverables["dist"] / ZIP).namelist()
    assert "LISEZMOI.txt" in names
    for name in ("index.html", "en/index.html", "search/search_index.js", "en/search/search_index.js",
                 "assets/vendor/iframe-worker/shim.js", "assets/vendor/iframe-worker/LICENSE"):
        assert f"cap-cooperatif/{name}" in names, name
    assert not [n for n in names if n.endswith(".map")]
    assert not [n for n in names if not (n == "LISEZMOI.txt" or n.startswith("cap-cooperatif/"))]
    html = (deliverables["bundle"] / "cap-cooperatif" / "index.html").read_text(encoding="utf-8")
    assert "unpkg.com" not in html and "fonts.g" not in html
    assert not re.search(r'<script[^>]+src="https?:|<link[^>]+rel="stylesheet"[^>]+href="https?:', html)


def test_every_pdf_is_in_the_bundle_where_the_site_has_it(deliverables):
    """30-pdf.py writes dist/kits/x.pdf and site/pdf/x.pdf: the bundle has pdf/x.pdf."""
    kits = deliverables["dist"] / "kits"
    names = set(zipfile.ZipFile(deliverables["dist"] / ZIP).namelist())
    for pdf in kits.rglob("*.pdf") if kits.is_dir() else ():
        assert f"cap-cooperatif/pdf/{pdf.relative_to(kits).as_posix()}" in names, pdf
        assert (deliverables["site"] / "pdf" / pdf.relative_to(kits)).is_file(), pdf


def test_zip_puts_the_pdfs_under_pdf_and_links_only_those(tmp_path: Path):
    """add_pdfs copies dist/kits/ into the bundle's pdf/ and turns the
    placeholders of the PDFs it holds (and only those) into links."""
    from macros.catalog import load_catalog
    from macros.render import Renderer

    parts = Renderer(load_catalog(MINI)).env.get_template("print-parts.html").make_module(
        {"ps": lambda key, **values: "Télécharger le PDF"})
    stage = _stage()
    offline, kits = tmp_path / "site", tmp_path / "kits"
    (offline / "pdf").mkdir(parents=True)
    (offline / "kits").mkdir()
    page = offline / "kits" / "index.html"
    page.write_text(f"<html><body><p>{parts.pdf_offer('../pdf/kit-test-fr.pdf', 'kit-test-fr.pdf')} "
                    f"{parts.pdf_offer('../pdf/absent-fr.pdf', 'absent-fr.pdf')}</p></body></html>", encoding="utf-8")
    (offline / "index.html").write_text("<html></html>")
    (offline / "pdf" / "index.html").write_text("<html></html>")
    kits.mkdir()
    (kits / "kit-test-fr.pdf").write_bytes(b"%PDF-1.4\n")
    assert stage.add_pdfs(offline, kits, stage.pdf_dir(ROOT)) == 1
    html = page.read_text(encoding="utf-8")
    assert '<a class="md-button md-button--primary" href="../pdf/kit-test-fr.pdf" type="application/pdf" download="kit-test-fr.pdf">' in html
    assert 'data-cap-pdf="../pdf/absent-fr.pdf" data-cap-pdf-name="absent-fr.pdf" hidden>' in html
    assert html.count("href=") == 1
    stage.write_zip(offline, tmp_path / ZIP)
    names = zipfile.ZipFile(tmp_path / ZIP).namelist()
    assert {"cap-cooperatif/index.html", "cap-cooperatif/pdf/index.html", "cap-cooperatif/pdf/kit-test-fr.pdf"} <= set(names)
    clash = tmp_path / "clash"
    clash.mkdir()
    (clash / "index.html").write_text("clash")
    with pytest.raises(SystemExit):
        stage.add_pdfs(offline, clash)


def test_sizes_in_both_languages():
    stage = _stage()
    assert stage.human_size(2_089_493, "fr") == "2,1\u00a0Mo"
    assert stage.human_size(2_089_493, "en") == "2.1\u00a0MB"
    assert stage.human_size(850_000, "fr") == "850\u00a0ko"


def test_home_and_about_offer_the_zip_with_its_size(deliverables):
    site, size = deliverables["site"], (deliverables["dist"] / ZIP).stat().st_size
    assert (site / ZIP).read_bytes() == (deliverables["dist"] / ZIP).read_bytes()
    stage = _stage()
    for page in PAGES:
        html = (site / page).read_text(encoding="utf-8")
        block = re.search(r'<p class="cap-offline" data-cap-offline([^>]*)>(.*?)</p>', html, re.S)
        assert block and "hidden" not in block.group(1), page
        href = re.search(r'<a href="([^"]+)" download>', block.group(2)).group(1)
        assert (site / page).parent.joinpath(href).resolve() == (site / ZIP).resolve(), page
        lang = "en" if page.startswith("en/") else "fr"
        assert f"zip, {stage.human_size(size, lang)}" in block.group(2), page


def test_offer_stays_hidden_without_the_zip(site: Path):
    """A bare `mkdocs build` (no zip yet): no dead link, no size at all."""
    for page in PAGES:
        html = (site / page).read_text(encoding="utf-8")
        assert '<p class="cap-offline" data-cap-offline hidden' in html, page
        assert "<span data-cap-offline-size>zip</span>" in html and "<a data-cap-offline-link download>" in html, page


# -- in a browser, from file:// -----------------------------------------------------


@pytest.fixture(scope="module")
def page(offline_context):
    page = offline_context.new_page()
    yield page
    page.close()


def _open(page, root: Path, rel: str) -> None:
    page.goto((root / rel).as_uri())


def test_search_works_offline_in_each_language(page, offline_context):
    root = offline_context.root
    _open(page, root, "index.html")
    found = [page_path(h, root.as_uri() + "/", "fr") for h in search(page, "coopératives ressources")]
    assert found[0] == "livre-blanc/leviers/cooperative-ressource", found[:3]
    assert '<html lang="fr"' in page.content()
    _open(page, root, "en/index.html")
    found = [page_path(h, root.as_uri() + "/", "en") for h in search(page, "cooperative resources")]
    assert found[0] == "livre-blanc/leviers/cooperative-ressource", found[:3]
    assert all("/en/" in h for h in search(page, "cooperative"))
    assert not offline_context.blocked, offline_context.blocked


@pytest.mark.parametrize("start,target,lang", [
    ("livre-blanc/leviers/cooperative-ressource.html", "en/livre-blanc/leviers/cooperative-ressource.html", "en"),
    ("en/faq/comprendre-scop-scic-cae.html", "faq/comprendre-scop-scic-cae.html", "fr"),
])
def test_language_switch_keeps_the_page(page, offline_context, start, target, lang):
    root = offline_context.root
    _open(page, root, start)
    page.hover(".md-header .md-select")
    with page.expect_navigation():
        page.click(f'.md-header a.md-select__link[hreflang="{lang}"]')
    assert Path(unquote(urlsplit(page.url).path)) == root / target
    assert page.locator("html").get_attribute("lang") == lang
    assert not offline_context.blocked, offline_context.blocked


def test_kit_pages_links_resolve_in_the_bundle(deliverables):
    """Every local link of the kit pages (PDFs included, when 30-pdf.py makes
    them) points to a file of the bundle."""
    root = deliverables["bundle"] / "cap-cooperatif"
    pages = sorted(root.glob("kits/**/*.html")) + sorted(root.glob("en/kits/**/*.html"))  # print views too
    assert len(pages) >= 4
    pdfs = 0
    for kit in pages:
        for href in re.findall(r'href="([^"#?]+)[^"]*"', kit.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", href):
                continue
            target = (kit.parent / unquote(href)).resolve()
            assert target.is_file(), (kit.relative_to(root), href)
            pdfs += href.endswith(".pdf")
    kits = deliverables["dist"] / "kits"
    if kits.is_dir() and any(kits.rglob("*.pdf")):
        assert pdfs, "the kit pages link no PDF although dist/kits/ has some"
