"""Print views and PDFs (issue #4), on the real data.

The site and the PDFs are built once per session by the real build code
(the session's site, then every stage of scripts/stages/, 30-pdf.py among
them: tests/conftest.py ``deliverables``) into a temporary folder, never
into the repository's site/ or dist/.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest
import segno
from mkdocs.utils.yaml import yaml_load
from pypdf import PdfReader

from conftest import ROOT
from macros import formats, git_dates, print_views, rules
from macros.catalog import LANGUAGES, load_catalog

CATALOG = load_catalog(ROOT / "data")
DOCS = print_views.documents(CATALOG)
with open(ROOT / "mkdocs.yml", "rb") as _config:
    SITE_URL = yaml_load(_config)["site_url"]  # MkDocs' loader: follows !ENV [SITE_URL, …]
CASES = [pytest.param(doc, lang, id=f"{doc.name}-{lang}") for doc in DOCS for lang in LANGUAGES]
A4 = (595.28, 841.89)  # points


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STAGE = _load(ROOT / "scripts" / "stages" / "30-pdf.py", "stage_30_pdf")


@pytest.fixture(scope="session")
def built(deliverables) -> tuple[Path, Path]:
    """(site, dist) after every stage of `make build` (tests/conftest.py,
    ``deliverables``: scripts/stages/*.py on a copy of the session's site)."""
    return deliverables["site"], deliverables["dist"]


def _norm(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def _pick(value, lang: str) -> str:
    return _norm(value.get(lang) or value["fr"])


def _pdf_text(path: Path, first: int | None = None, last: int | None = None, raw: bool = False) -> str:
    """The text of a PDF; ``raw``: in the order it is drawn (each piece's text in
    one run, where the reading order guessed across a sheet of cards side by
    side would interleave their lines)."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else [])
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True, timeout=60)
    return _norm(out.stdout)


def _title(doc, lang: str) -> str:
    if doc.kind == "journey":
        return {"fr": "Parcours coopérateur", "en": "Cooperator journey"}[lang]
    if doc.kind == "quiz":
        return {"fr": "Le jeu « Je crée ma coopérative » : les cartes",
                "en": "The “I'm starting a cooperative” game: the cards"}[lang]
    if doc.kind == "steps":
        return {"fr": "Créer sa coopérative, étape par étape", "en": "Starting your cooperative, step by step"}[lang]
    return _pick(doc.records[0]["title"], lang)


def _expected_headings(doc, lang: str) -> list[str]:
    """The title of each piece the document must print."""
    record = doc.records[0]
    if doc.kind == "kit":
        titles = [_pick(p["title"], lang) for p in record["pieces"]]
        titles += [_pick(a["title"], lang) for a in CATALOG.forward(record, "arguments")]
        titles += [_pick(f["title"], lang) for f in CATALOG.forward(record, "figures")]
        return titles
    if doc.kind == "argument":
        return [_pick(o["objection"], lang).strip("«»“”\" ") for o in record["objections"]]
    if doc.kind == "quiz":  # the cards themselves: tests/test_quiz_cards.py
        return [{"fr": "Imprimer et jouer", "en": "Printing and playing"}[lang]]
    if doc.kind == "steps":
        return [_pick(step["title"], lang) for step in doc.records]
    return [_pick(r["title"], lang) for r in doc.records] + \
           [_pick(step["title"], lang) for r in doc.records for step in r["steps"]]


def _pdf(built, doc, lang) -> Path:
    return built[1] / "kits" / doc.file_name(lang)


# -- the documents ---------------------------------------------------------------


def test_every_kit_argumentaire_and_the_journey_is_printable():
    kinds = [d.kind for d in DOCS]
    assert kinds.count("kit") == len(CATALOG["kits"]) >= 4
    assert kinds.count("argument") == len(CATALOG["arguments"]) >= 6
    assert kinds.count("journey") == 1 and len(DOCS[-1].records) == 3
    assert kinds.count("quiz") == 1  # the game's cards (issue #15)
    steps = next(d for d in DOCS if d.kind == "steps")  # « Créer sa coopérative, étape par étape » (issue #13)
    assert steps.records == tuple(CATALOG.sorted("creation-steps")) and steps.linked_from == ("faq/etapes.md",)
    assert len({d.name for d in DOCS}) == len(DOCS)


@pytest.mark.parametrize("doc, lang", CASES)
def test_pdf_exists_in_dist_and_in_the_site_on_a4(built, doc, lang):
    site, dist = built
    path = _pdf(built, doc, lang)
    assert path.exists(), path
    assert (site / doc.pdf(lang)).read_bytes() == path.read_bytes()
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    # A4, but a kit's pieces on the paper of their format (issue #17): a sheet of
    # flyers is A4 landscape, a large poster A3 (tests/test_print_formats.py: which pages)
    papers = {A4}
    if doc.kind == "kit":
        papers |= {tuple(v * 72 / 25.4 for v in formats.PAPERS[formats.FORMATS[p["format"]].paper])
                   for p in doc.records[0]["pieces"]}
    for page in reader.pages:
        box = page.mediabox
        assert any(abs(float(box.width) - w) <= 1 and abs(float(box.height) - h) <= 1 for w, h in papers), \
            (box.width, box.height)


@pytest.mark.parametrize("doc, lang", CASES)
def test_pdf_text_has_title_pieces_url_and_page_numbers(built, doc, lang):
    path = _pdf(built, doc, lang)
    text = _pdf_text(path)
    cover = _pdf_text(path, 1, 1)
    assert _title(doc, lang) in cover
    for heading in _expected_headings(doc, lang):
        assert heading in text, heading
    url = print_views.online_url(SITE_URL, doc.page, lang)
    assert url.startswith("https://") and url in cover.replace(" ", "")
    pages = len(PdfReader(path).pages)
    assert re.search(rf"\b1 ?/ ?{pages}\b", cover), "page number in the footer (CSS page-margin box)"
    assert re.search(rf"\b{pages} ?/ ?{pages}\b", _pdf_text(path, pages, pages))
    other = {"fr": "Version of", "en": "Version du"}[lang]
    assert other not in text  # the cover speaks the document's language


def _outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(_norm(item.title))
    walk(reader.outline)
    return titles


@pytest.mark.parametrize("doc, lang", CASES)
def test_pdf_bookmarks_read_like_the_headings(built, doc, lang):
    titles = _outline_titles(PdfReader(_pdf(built, doc, lang)))
    assert titles and titles[0] == _title(doc, lang)
    headings = _expected_headings(doc, lang)
    if doc.kind == "kit":
        headings = headings[: len(doc.records[0]["pieces"]) + len(CATALOG.forward(doc.records[0], "arguments"))]
    for heading in headings:  # with their spaces: Chromium drops the one where a heading wraps
        assert any(heading in title for title in titles), (heading, titles)


@pytest.mark.parametrize("doc, lang", CASES)
def test_pdf_metadata_is_set_from_the_content(built, doc, lang):
    git_dates.refresh(ROOT)
    date = print_views.document_date(r.path for r in print_views.shown_records(CATALOG, doc))
    reader = PdfReader(_pdf(built, doc, lang))
    info = reader.metadata
    assert info["/Title"] == f"{_title(doc, lang)} — Cap coopératif"
    assert info["/Author"] == "Cap coopératif"
    assert info["/CreationDate"] == info["/ModDate"] == f"D:{date:%Y%m%d}000000Z"
    assert reader.trailer["/Root"]["/Lang"] == lang
    html = print_views.built_html(built[0], doc.src, lang).read_text(encoding="utf-8")
    assert f'data-cap-date="{date.isoformat()}"' in html
    assert f'<time datetime="{date.isoformat()}">' in html  # the date printed on the cover


def _qr_modules_in_pdf(reader: PdfReader, size: int) -> set[tuple[int, int]]:
    """Dark modules of the QR code drawn as vectors on page 1: segno's SVG path
    (one horizontal stroke per run of modules) survives as ``x y m`` / ``x y l``."""
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    start = content.index(f"0 0 {size} {size} re")
    chunk = content[start: content.index("\nS\n", start)]
    dark = set()
    for x1, y, x2 in re.findall(r"(?m)^([\d.]+) ([\d.]+) m\n([\d.]+) \2 l$", chunk):
        row = int(float(y) - 0.5)
        dark.update((row, col) for col in range(int(float(x1)), int(float(x2))))
    return dark


@pytest.mark.parametrize("doc, lang", CASES)
def test_qr_code_of_the_online_page_on_view_and_pdf_cover(built, doc, lang):
    url = print_views.online_url(SITE_URL, doc.page, lang)
    html = print_views.built_html(built[0], doc.src, lang).read_text(encoding="utf-8")
    svg = re.search(r'<svg viewBox="0 0 (\d+) \1" class="segno cap-qr__code">.*?</svg>', html, re.S)
    assert svg, "segno's SVG on the print view"
    expected = print_views.qr_svg(url)
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', expected).group(1)
    assert f'd="{path}"' in svg.group(0), "the QR code encodes the online URL"
    assert f'href="{url}"' in html and f">{url}</a>" in html  # and the URL is written beside it

    qr = segno.make(url, error="m", micro=False)
    matrix = list(qr.matrix_iter(border=4))
    wanted = {(r, c) for r, row in enumerate(matrix) for c, on in enumerate(row) if on}
    drawn = _qr_modules_in_pdf(PdfReader(_pdf(built, doc, lang)), len(matrix))
    assert drawn == wanted, "the PDF cover draws exactly that QR code, as vectors"


@pytest.mark.parametrize("doc, lang", CASES)
def test_pages_link_to_their_print_view_and_pdf(built, doc, lang):
    site = built[0]
    for src in doc.linked_from:
        page = print_views.built_html(site, src, lang)
        html = page.read_text(encoding="utf-8")
        block = re.search(r'<div class="cap-print-links">(.*?)</div>', html, re.S)
        assert block, f"{page}: no print links"
        hrefs = dict((label, href) for href, label in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', block.group(1)))
        labels = {"fr": ("Imprimer", "Télécharger le PDF"), "en": ("Print", "Download PDF")}[lang]
        assert set(labels) <= set(hrefs), hrefs
        view = (page.parent / hrefs[labels[0]]).resolve()
        assert view == print_views.built_html(site, doc.src, lang).parent.resolve()
        pdf = (page.parent / hrefs[labels[1]]).resolve()
        assert pdf == (site / doc.pdf(lang)).resolve() and pdf.exists()
        assert "<!-- cap:print-links -->" not in html


def test_print_views_are_marked_and_out_of_search(built):
    site = built[0]
    for doc in DOCS:
        for lang in LANGUAGES:
            html = print_views.built_html(site, doc.src, lang).read_text(encoding="utf-8")
            assert 'class="cap-print-view cap-print-view--' in html
            assert f'<html lang="{lang}"' in html
            assert "assets/print.css" in html and "assets/print.js" in html
            assert "onclick" not in html
    for lang in LANGUAGES:
        index = (site / ("" if lang == "fr" else lang) / "search" / "search_index.json").read_text(encoding="utf-8")
        assert "imprimer/" not in index


def test_two_prints_of_the_same_view_give_the_same_bytes(built):
    site, dist = built
    doc = next(d for d in DOCS if d.kind == "argument")
    job = STAGE.Job(f"{doc.name}-en", print_views.page_url(doc.src, "en"), print_views.built_html(site, doc.src, "en"))
    again = STAGE.print_pdfs(site, [job], workers=1)[job.name]
    assert again == _pdf(built, doc, "en").read_bytes()


# -- print stylesheet, in the browser --------------------------------------------

def test_print_media_hides_the_site_chrome(built, browser):
    site = built[0]
    kit = next(d for d in DOCS if d.kind == "kit")
    with STAGE.SiteServer(site) as server:
        page = browser.new_page()
        try:
            page.goto(server.base + print_views.page_url(kit.page, "fr"))
            shown = lambda sel: page.eval_on_selector_all(  # noqa: E731
                sel, "els => els.filter(e => getComputedStyle(e).display !== 'none').length")
            assert shown(".md-sidebar") >= 1 and shown(".md-header") == 1  # on screen
            assert shown(".cap-print-links") == 1
            page.emulate_media(media="print")
            assert page.locator(".md-sidebar").count() >= 2
            assert shown(".md-sidebar") == 0
            assert shown(".md-header") == 0
            assert shown(".md-footer") == 0
            assert shown(".cap-print-links") == 0

            page.goto(server.base + "sources/")  # links to the web are followed by their address
            after = page.evaluate("""() => {
                const a = document.querySelector('.md-typeset a[href^="http"]:not(.md-button)');
                return [a.getAttribute('href'), getComputedStyle(a, '::after').content]; }""")
            assert after[1] == f'" (" attr(href) ")"' or after[0] in after[1], after

            page.goto(server.base + print_views.page_url(kit.src, "fr"))
            assert shown(".cap-print-bar") == 0 and shown(".md-header") == 0
            breaks = page.eval_on_selector_all(".cap-sheet", "els => els.map(e => getComputedStyle(e).breakBefore)")
            assert breaks and set(breaks) == {"page"}
            page.emulate_media(media="screen")
            assert shown(".cap-print-bar") == 1
            assert page.locator("[data-cap-print]").is_visible()  # print.js shows the « Imprimer » button
        finally:
            page.close()


# -- content truth on paper (issue #12) ---------------------------------------------


def _survey_words(lang: str) -> str:
    return _norm(CATALOG.get("sources", "ateliers-contributifs")["attribution"][lang]).casefold()


@pytest.mark.parametrize("doc, lang", CASES)
def test_pdf_says_whose_survey_and_where_the_law_is(built, doc, lang):
    """A printed survey figure says whose survey it is; a printed rule of law
    gives the address of its official source."""
    text = _pdf_text(_pdf(built, doc, lang))
    flat = text.replace(" ", "").replace("-", "")  # a long address wraps, and pdftotext joins « service-⏎public »
    survey = [f for f in CATALOG["figures"].values() if any(i["source"] == "ateliers-contributifs" for i in f["sources"])
              and f.get("unit") and f["unit"]["fr"] == "%"]
    values = {f"{v:g}".replace(".", ",") + " %" if lang == "fr" else f"{v:g}%"
              for f in survey for v in ([f["value"]] if f.get("value") is not None else [x["value"] for x in f["values"]])}
    if any(re.search(rf"(?<![\d,.]){re.escape(v)}", text) for v in values):
        assert _survey_words(lang) in _pdf_text(_pdf(built, doc, lang), raw=True).casefold()
    for record in doc.records:
        if record.collection in ("kits", "arguments") and list(rules._legal_marks(record.data)):
            for item in record["sources"]:
                source = CATALOG.get("sources", item["source"])
                if source["type"] in ("law", "official"):
                    assert source["url"].replace("-", "") in flat, (doc.name, source.id)


def test_the_ambassador_kit_prints_the_rule_of_law_with_its_exception(built):
    kit = next(d for d in DOCS if d.name == "kit-ambassadeur")
    fr = _pdf_text(_pdf(built, kit, "fr"))
    en = _pdf_text(_pdf(built, kit, "en"))
    assert "En principe, les salariés associés détiennent au moins 51 %" in fr and "Scop d'amorçage" in fr
    assert "In principle, employee members hold at least 51%" in en and "start-up Scop" in en
    assert "sondage d'une union régionale auprès de ses adhérents (105 questionnaires)" in fr.casefold()
