"""Kits that print like real kits (issue #17): each piece at its real size,
several to a sheet, ready to cut.

On the PDFs `make build` prints (conftest's ``deliverables``), for every kit and
language:

- each page has the paper of what it prints: A4 (portrait), A4 landscape for
  a sheet of flyers, A3 for a poster the data puts on A3 (mediabox, to 1 pt);
- each sheet of pieces holds its declared number of pieces, one in each cell
  that its crop marks draw (the marks are read back from the page's vector
  drawing, the pieces from pdftotext's word boxes), and the back of a
  two-sided sheet is its front mirrored: the same marks at (width − x), each
  back in a cell;
- the contents page gives each piece's pages, and the piece is there;
- every font is embedded.

In Chromium (print media): every piece of every kit and every argumentaire
card, both languages, holds its text in its box, with and without a long
cooperative typed in the form; text at the limit of each format's budget
(macros/formats.py) fits too; the stylesheet has the numbers the budgets rest
on; « Print this piece only » prints that piece's sheets, from the keyboard;
the pieces print black on white; the print views fit a 360 px screen.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import markdown
import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import ROOT
from macros import formats, print_views
from macros.catalog import LANGUAGES, load_catalog
from test_quiz_cards import words_by_page

CATALOG = load_catalog(ROOT / "data")
DOCS = print_views.documents(CATALOG)
KITS = [d for d in DOCS if d.kind == "kit"]
ARGUMENTS = [d for d in DOCS if d.kind == "argument"]
CASES = [pytest.param(doc, lang, id=f"{doc.name}-{lang}") for doc in KITS for lang in LANGUAGES]
PAPERS_PT = {name: (w * 72 / 25.4, h * 72 / 25.4) for name, (w, h) in formats.PAPERS.items()}
TOLERANCE = 1.0  # pt
MM = 72 / 25.4   # pt per mm


def _pick(value, lang: str) -> str:
    return " ".join((value.get(lang) or value["fr"]).split())


def _pdf(deliverables, doc, lang) -> Path:
    return deliverables["dist"] / "kits" / doc.file_name(lang)


def _sides(piece) -> int:
    return 2 if formats.FORMATS[piece["format"]].back and piece.get("back") else 1


def _piece_pages(doc) -> list[tuple[dict, int]]:
    """(piece, its first page) in the kit's PDF: after the cover, one page per side."""
    out, page = [], 2
    for piece in doc.records[0]["pieces"]:
        out.append((piece, page))
        page += _sides(piece)
    return out


def _paper(page) -> str:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    for name, (w, h) in PAPERS_PT.items():
        if abs(width - w) <= TOLERANCE and abs(height - h) <= TOLERANCE:
            return name
    return f"{width:.1f} × {height:.1f} pt"


# -- vector drawing: the crop marks ----------------------------------------------------


def _times(a, b):
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def filled_boxes(reader: PdfReader, page) -> list[tuple[float, float, float, float]]:
    """Every filled shape of a page as its box (x0, y0, x1, y1), in points from the
    top left (as pdftotext's word boxes): the page's content stream interpreted
    for its transformations (q, Q, cm) and paths (re, m, l … f)."""
    ctm, stack, path, boxes = [1.0, 0, 0, 1.0, 0, 0], [], [], []
    height = float(page.mediabox.height)

    def point(x: float, y: float) -> tuple[float, float]:
        return ctm[0] * x + ctm[2] * y + ctm[4], height - (ctm[1] * x + ctm[3] * y + ctm[5])

    for args, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"q":
            stack.append(ctm[:])
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = _times([float(a) for a in args], ctm)
        elif op == b"re":
            x, y, w, h = map(float, args)
            path.append([point(x, y), point(x + w, y + h)])
        elif op == b"m":
            path.append([point(*map(float, args))])
        elif op == b"l" and path:
            path[-1].append(point(*map(float, args)))
        elif op in (b"f", b"f*", b"F"):
            for shape in path:
                xs, ys = [p[0] for p in shape], [p[1] for p in shape]
                boxes.append((min(xs), min(ys), max(xs), max(ys)))
            path = []
        elif op in (b"n", b"S", b"s", b"B", b"b", b"B*", b"b*"):
            path = []
    return boxes


def crop_marks(reader: PdfReader, page) -> dict[str, list[float]]:
    """The crop marks of a page (3.5 mm long, 0.25 mm thick: docs/assets/print.css):
    ``x``, the cut lines they mark across (from the marks above and below the
    pieces), ``y`` the cut lines down (from those on the left and right), and
    ``count``."""
    vertical, horizontal = [], []
    for x0, y0, x1, y1 in filled_boxes(reader, page):
        w, h = x1 - x0, y1 - y0
        if w < 1.2 and 3.2 * MM < h < 4 * MM:
            vertical.append(((x0 + x1) / 2, y0))
        elif h < 1.2 and 3.2 * MM < w < 4 * MM:
            horizontal.append(((y0 + y1) / 2, x0))

    def lines(values: list[float]) -> list[float]:
        out: list[float] = []
        for v in sorted(values):
            if not out or v - out[-1] > TOLERANCE:
                out.append(v)
        return out

    return {"x": lines([x for x, _ in vertical]), "y": lines([y for y, _ in horizontal]),
            "count": len(vertical) + len(horizontal)}


def _occurrences(words, phrase: str) -> list[tuple[float, float]]:
    """Where ``phrase`` (its first two words) starts on a page: (x, y) of each."""
    wanted = phrase.split()[:2]
    out = []
    for i in range(len(words) - len(wanted) + 1):
        if [w[0] for w in words[i:i + len(wanted)]] == wanted:
            out.append((words[i][1], words[i][2]))
    return out


def _cell(point, xs, ys) -> tuple[int, int] | None:
    x, y = point
    col = next((i for i in range(len(xs) - 1) if xs[i] - TOLERANCE <= x <= xs[i + 1] + TOLERANCE), None)
    row = next((j for j in range(len(ys) - 1) if ys[j] - TOLERANCE <= y <= ys[j + 1] + TOLERANCE), None)
    return None if col is None or row is None else (row, col)


def _first_words(markdown_text: str) -> str:
    return formats.blocks(markdown_text)[0][1]


# -- the PDFs ------------------------------------------------------------------------------


@pytest.mark.parametrize("doc, lang", CASES)
def test_every_page_has_the_paper_of_its_piece(deliverables, doc, lang):
    reader = PdfReader(_pdf(deliverables, doc, lang))
    papers = [_paper(page) for page in reader.pages]
    expected = ["A4"]
    for piece, _ in _piece_pages(doc):
        expected += [formats.FORMATS[piece["format"]].paper] * _sides(piece)
    assert papers[:len(expected)] == expected
    assert set(papers[len(expected):]) == {"A4"}, papers  # FAQ, game, argumentaires, figures
    if any(p["format"] == "poster-a3" for p in doc.records[0]["pieces"]):
        assert "A3" in papers


@pytest.mark.parametrize("doc, lang", CASES)
def test_sheets_hold_their_pieces_inside_crop_marks_and_backs_mirror_fronts(deliverables, doc, lang):
    path = _pdf(deliverables, doc, lang)
    reader = PdfReader(path)
    pages = words_by_page(path)
    checked = 0
    for piece, first in _piece_pages(doc):
        fmt = formats.FORMATS[piece["format"]]
        if not fmt.imposed:
            assert crop_marks(reader, reader.pages[first - 1])["count"] == 0, piece["id"]  # nothing to cut
            continue
        sides = [("front", _pick(piece["title"], lang))]
        if _sides(piece) == 2:
            sides.append(("back", _first_words(piece["back"].get(lang) or piece["back"]["fr"])))
        marks = {}
        for offset, (side, phrase) in enumerate(sides):
            number = first + offset
            found = marks[side] = crop_marks(reader, reader.pages[number - 1])
            assert found["count"] == 2 * (fmt.columns + 1) + 2 * (fmt.rows + 1), (piece["id"], side, found)
            xs, ys = found["x"], found["y"]
            assert len(xs) == fmt.columns + 1 and len(ys) == fmt.rows + 1, (piece["id"], side, xs, ys)
            for a, b in zip(xs, xs[1:]):  # the cells are the piece's size
                assert abs((b - a) - fmt.width * MM) < TOLERANCE, (piece["id"], xs)
            for a, b in zip(ys, ys[1:]):
                assert abs((b - a) - fmt.height * MM) < TOLERANCE, (piece["id"], ys)
            width, words = pages[number - 1]
            # at least 5 mm from each edge: home printers print nothing nearer
            assert xs[0] > 10 * MM - TOLERANCE and width - xs[-1] > 10 * MM - TOLERANCE
            cells = [_cell(p, xs, ys) for p in _occurrences(words, phrase)]
            inside = [c for c in cells if c is not None]
            every = {(r, c) for r in range(fmt.rows) for c in range(fmt.columns)}
            # the declared number of pieces, one in each cell: the same text in every cell, as often
            assert set(inside) == every and len(inside) == len(every) * inside.count(inside[0]), (piece["id"], side, cells)
            checked += 1
        if "back" in marks:  # printed double-sided (long-edge flip): the back is the front mirrored
            width = pages[first - 1][0]
            mirrored = sorted(width - x for x in marks["front"]["x"])
            assert all(abs(a - b) < TOLERANCE for a, b in zip(mirrored, marks["back"]["x"])), (mirrored, marks["back"]["x"])
            assert all(abs(a - b) < TOLERANCE for a, b in zip(marks["front"]["y"], marks["back"]["y"]))
    assert checked or not any(formats.FORMATS[p["format"]].imposed for p in doc.records[0]["pieces"])


def test_some_kit_has_a_two_sided_card_and_a_poster_on_a3():
    """The data uses what the tests above check: a card with a back, a flyer, an A3 poster."""
    used = {(p["format"], bool(p.get("back"))) for d in KITS for p in d.records[0]["pieces"]}
    assert ("card", True) in used and ("poster-a3", False) in used and ("flyer", False) in used


@pytest.mark.parametrize("doc, lang", CASES)
def test_contents_page_gives_each_piece_its_pages(deliverables, doc, lang):
    path = _pdf(deliverables, doc, lang)
    text = lambda first, last: " ".join(subprocess.run(  # noqa: E731
        ["pdftotext", "-enc", "UTF-8", "-f", str(first), "-l", str(last), str(path), "-"],
        capture_output=True, text=True, check=True).stdout.split())
    cover = text(1, 1)
    word = {"fr": ("page", "pages", "et"), "en": ("page", "pages", "and")}[lang]
    for piece, first in _piece_pages(doc):
        title = _pick(piece["title"], lang)
        where = f"{word[0]} {first}" if _sides(piece) == 1 else f"{word[1]} {first} {word[2]} {first + 1}"
        assert re.search(re.escape(title) + r".{0,200}?" + re.escape(where), cover), (title, where)
        assert title in text(first, first), (title, first)
        if _sides(piece) == 2:
            assert _first_words(piece["back"].get(lang) or piece["back"]["fr"]) in text(first + 1, first + 1)


def test_every_pdf_embeds_its_fonts(deliverables):
    missing = []
    pdfs = sorted((deliverables["dist"] / "kits").glob("*.pdf"))
    assert len(pdfs) == len(DOCS) * len(LANGUAGES)
    for path in pdfs:
        reader = PdfReader(path)
        seen = 0
        for number, page in enumerate(reader.pages, 1):
            fonts = (page.get("/Resources") or {}).get("/Font") or {}
            for name, ref in fonts.items():
                font = ref.get_object()
                for described in [font] + [d.get_object() for d in font.get("/DescendantFonts") or []]:
                    descriptor = described.get("/FontDescriptor")
                    if descriptor is None:
                        continue
                    seen += 1
                    if not any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                        missing.append(f"{path.name} p. {number}: {font.get('/BaseFont')}")
        assert seen, path.name
    assert missing == []


# -- the built views --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_views_draw_each_sheet_with_its_pieces_and_crop_marks(site: Path, lang: str):
    for doc in KITS:
        html = print_views.built_html(site, doc.src, lang).read_text(encoding="utf-8")
        sections = {m.group(1): m.group(0) for m in re.finditer(
            r'<section class="cap-sheet cap-sheet--piece[^"]*"[^>]*data-cap-piece="([^"]+)".*?</section>', html, re.S)}
        for piece in doc.records[0]["pieces"]:
            fmt = formats.FORMATS[piece["format"]]
            section = sections[piece["id"]]
            assert f'data-cap-format="{fmt.name}"' in section
            papers = section.count('<div class="cap-paper ')
            assert papers == _sides(piece), piece["id"]
            assert section.count('<div class="cap-slot"') + section.count('<div aria-hidden="true" class="cap-slot"') \
                == fmt.per_sheet * papers
            assert section.count('aria-hidden="true" class="cap-slot" inert') == (fmt.per_sheet - 1) * papers  # copies
            marks = 2 * (fmt.columns + 1) + 2 * (fmt.rows + 1) if fmt.marks else 0
            assert section.count('class="cap-mark ') == marks * papers
            assert section.count("data-cap-print-piece=") == 1 and " hidden>" in section  # shown by print.js
            qr = section.count('class="segno cap-qr__code"')
            foot = fmt.has_foot(bool(piece.get("cooperative_block")))
            assert qr == (fmt.per_sheet if foot else 0), piece["id"]  # the QR code on each piece that leaves the hand


# -- in Chromium ------------------------------------------------------------------------------------

FITS = """() => [...document.querySelectorAll('.cap-slot:not(.cap-slot--empty) > .cap-piece')].map(p => {
  const body = p.querySelector('.cap-piece__body'), text = p.querySelector('.cap-piece__foot-text');
  const section = p.closest('section'), box = p.getBoundingClientRect();
  const title = p.querySelector('.cap-piece__title');
  return {piece: section.dataset.capPiece || (title && title.id) || section.querySelector('h2').id,
          format: section.dataset.capFormat || 'pocket', side: p.classList.contains('cap-piece--back') ? 'back' : 'front',
          body: body.scrollHeight - body.clientHeight, box: p.scrollHeight - p.clientHeight,
          foot: text ? text.scrollHeight - text.clientHeight : 0, shown: body.clientHeight > 0,
          width: box.width, height: box.height};
})"""
PX_PER_MM = 96 / 25.4
HOSTILE = {"version": 1, "name": "Société coopérative " * 20, "town": "Saint-" * 60,
           "contact": "contact@" + "x" * 300 + ".example", "website": "https://" + "w" * 400 + ".example"}


def _views(lang: str) -> list[tuple[object, str]]:
    return [(doc, print_views.page_url(doc.src, lang)) for doc in KITS + ARGUMENTS]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("cooperative", ["empty", "long"])
def test_every_piece_holds_its_text_in_its_box(browser, site_url: str, lang: str, cooperative: str):
    context = browser.new_context()
    if cooperative == "long":
        context.add_init_script(f"localStorage.setItem('cap-kit-cooperative-v1-{lang}', {json.dumps(json.dumps(HOSTILE))})")
    page = context.new_page()
    problems, seen = [], 0
    try:
        for doc, url in _views(lang):
            page.goto(site_url + url)
            page.emulate_media(media="print")
            if cooperative == "long" and doc.kind == "kit":
                assert page.locator(".cap-coop:not([hidden])").count() > 0, doc.name
            for shown in page.evaluate(FITS):
                seen += 1
                fmt = formats.FORMATS[shown["format"]]
                where = f"{doc.name} {shown['piece']} ({shown['format']}, {shown['side']})"
                if shown["body"] > 0 or shown["box"] > 0 or shown["foot"] > 0 or not shown["shown"]:
                    problems.append(f"{where}: {shown}")
                if abs(shown["width"] - fmt.width * PX_PER_MM) > 0.5 or abs(shown["height"] - fmt.height * PX_PER_MM) > 0.5:
                    problems.append(f"{where}: {shown['width'] / PX_PER_MM:.1f} × {shown['height'] / PX_PER_MM:.1f} mm")
    finally:
        context.close()
    assert seen > 2 * len(KITS)
    assert problems == []


def _budget_text(fmt, lang: str, foot: bool, title: str) -> str:
    """Real blocks of the kits' texts, one after another, until one more would
    go past the format's budget (macros/formats.py): text at the limit."""
    pool = [(kind, raw) for kit in KITS for piece in kit.records[0]["pieces"]
            for kind, raw in formats.blocks(piece["body"].get(lang) or piece["body"]["fr"], raw=True)]
    chosen: list[str] = []
    for kind, raw in pool * 4:
        line = {"paragraph": raw, "item": "- " + raw, "heading": "## " + raw}[kind]
        trial = "\n\n".join(chosen + [line])
        if not formats.face(fmt, trial, title, META, foot=foot).fits:
            continue  # too long to add: try a shorter one
        chosen.append(line)
    return "\n\n".join(chosen)


META = "Fiche · Pour : une personne qui parle du Mouvement · Quand : avant une intervention"
BUDGET = """([fmt, title, meta, body, foot]) => {
  const view = document.querySelector('.cap-print-view');
  const host = document.createElement('section');
  host.className = `cap-sheet cap-fmt cap-fmt--${fmt}`;
  host.innerHTML = `<div class="cap-paper"><div class="cap-paper__area"><div class="cap-paper__grid"><div class="cap-slot">
    <div class="cap-piece"><p class="cap-piece__title"></p><p class="cap-piece__meta"></p>
    <div class="cap-piece__body"></div>${foot ? '<div class="cap-piece__foot"></div>' : ''}</div></div></div></div></div>`;
  view.appendChild(host);
  host.querySelector('.cap-piece__title').textContent = title;
  const metaLine = host.querySelector('.cap-piece__meta');
  if (meta) { metaLine.textContent = meta; } else { metaLine.remove(); }
  const box = host.querySelector('.cap-piece__body');
  box.innerHTML = body;
  const out = {over: box.scrollHeight - box.clientHeight, room: box.clientHeight, blocks: box.children.length};
  host.remove();
  return out;
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_at_the_limit_of_each_budget_fits(browser, site_url: str, lang: str):
    """The budgets are safe: for each format, real text filled up to its budget,
    with and without the foot, fits its box in Chromium."""
    title = max((_pick(p["title"], lang) for d in KITS for p in d.records[0]["pieces"]), key=len)
    page = browser.new_page()
    problems = []
    try:
        page.goto(site_url + print_views.page_url(KITS[0].src, lang))
        page.emulate_media(media="print")
        for fmt in formats.FORMATS.values():
            for foot in ({True, fmt.foot_always} if fmt.foot else {False}):
                text = _budget_text(fmt, lang, foot, title)
                fit = formats.face(fmt, text, title, META, foot=foot)
                assert fit.fits and fit.used > 0.8 * fit.room, (fmt.name, fit)  # near the limit, within it
                html = markdown.markdown(text)
                shown = page.evaluate(BUDGET, [fmt.name, title, META if fmt.meta else "", html, foot])
                if shown["over"] > 0:
                    problems.append(f"{fmt.name} ({'foot' if foot else 'no foot'}): {shown}, budget {fit}")
    finally:
        page.close()
    assert problems == []


STYLE = """(fmt) => {
  const view = document.querySelector('.cap-print-view');
  const host = document.createElement('section');
  host.className = `cap-sheet cap-fmt cap-fmt--${fmt}`;
  host.innerHTML = `<div class="cap-paper"><div class="cap-paper__area"><div class="cap-paper__grid"><div class="cap-slot">
    <div class="cap-piece"><p class="cap-piece__title">T</p><p class="cap-piece__meta">M</p><div class="cap-piece__body">
    <p>B</p><ul><li>I</li><li>J</li></ul><h2>H</h2></div><div class="cap-piece__foot"><div class="cap-piece__qr"></div>
    <div class="cap-piece__foot-text"><div class="cap-coop"><p>C</p></div></div></div></div></div></div></div></div>`;
  view.appendChild(host);
  const q = s => host.querySelector(s), st = s => getComputedStyle(q(s)), px = v => parseFloat(v);
  const grid = q('.cap-paper__grid').getBoundingClientRect();
  const piece = q('.cap-piece').getBoundingClientRect();
  const out = {
    grid: [grid.width, grid.height], piece: [piece.width, piece.height],
    padding: px(st('.cap-piece').paddingTop),
    title: [px(st('.cap-piece__title').fontSize), px(st('.cap-piece__title').lineHeight), px(st('.cap-piece__title').marginBottom)],
    meta: [px(st('.cap-piece__meta').fontSize), px(st('.cap-piece__meta').lineHeight), px(st('.cap-piece__meta').marginBottom)],
    body: [px(st('.cap-piece__body p').fontSize), px(st('.cap-piece__body p').lineHeight)],
    item: [px(st('.cap-piece__body li').fontSize), px(st('.cap-piece__body li').lineHeight)],
    heading: [px(st('.cap-piece__body h2').fontSize), px(st('.cap-piece__body h2').lineHeight)],
    gap: px(st('.cap-piece__body ul').marginTop), item_gap: px(getComputedStyle(host.querySelectorAll('li')[1]).marginTop),
    foot: [q('.cap-piece__foot').getBoundingClientRect().height, px(st('.cap-piece__foot').marginTop),
           q('.cap-piece__qr').getBoundingClientRect().width,
           px(st('.cap-piece__foot-text').fontSize)],
  };
  host.remove();
  return out;
}"""


def test_the_stylesheet_has_the_numbers_of_the_budgets(browser, site_url: str):
    """docs/assets/print.css and macros/formats.py describe the same formats."""
    pt, mm = 96 / 72, PX_PER_MM
    page = browser.new_page()
    try:
        page.goto(site_url + print_views.page_url(KITS[0].src, "fr"))
        page.emulate_media(media="print")
        for fmt in formats.FORMATS.values():
            got = page.evaluate(STYLE, fmt.name)
            close = lambda a, b: abs(a - b) < 0.2  # noqa: E731 (px)
            assert close(got["grid"][0], fmt.columns * fmt.width * mm) and close(got["grid"][1], fmt.rows * fmt.height * mm), fmt.name
            assert close(got["piece"][0], fmt.width * mm) and close(got["piece"][1], fmt.height * mm), fmt.name
            assert close(got["padding"], fmt.padding * mm), fmt.name
            for kind in ("title", "body", "item", "heading") + (("meta",) if fmt.meta else ()):
                style = getattr(fmt, kind)
                assert close(got[kind][0], style.size * pt) and close(got[kind][1], style.line * pt), (fmt.name, kind, got[kind])
            assert close(got["title"][2], fmt.title_gap * pt), fmt.name
            if fmt.meta:
                assert close(got["meta"][2], fmt.meta_gap * pt), fmt.name
            assert close(got["gap"], fmt.gap * pt) and close(got["item_gap"], fmt.item_gap * pt), (fmt.name, got)
            assert close(got["foot"][0], fmt.foot * mm) and close(got["foot"][1], fmt.foot_gap * mm), (fmt.name, got["foot"])
            assert close(got["foot"][2], fmt.qr * mm) and close(got["foot"][3], fmt.foot_text * pt), (fmt.name, got["foot"])
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_print_this_piece_only(browser, site_url: str, lang: str):
    doc = next(d for d in KITS if any(_sides(p) == 2 for p in d.records[0]["pieces"]))
    pieces = doc.records[0]["pieces"]
    piece = next(p for p in pieces if _sides(p) == 2)
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site_url + print_views.page_url(doc.src, lang))
        page.evaluate("() => { window.print = () => { window.__capPrinted = (window.__capPrinted || 0) + 1; }; }")
        whole = len(PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages)
        buttons = page.locator("[data-cap-print-piece]")
        assert buttons.count() == len(pieces) and all(buttons.nth(i).is_visible() for i in range(len(pieces)))
        button = page.locator(f'[data-cap-print-piece="{piece["id"]}"]')
        button.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("window.__capPrinted") == 1
        reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
        text = [" ".join(p.extract_text().split()) for p in reader.pages]
        assert len(reader.pages) == 2, len(reader.pages)  # its front and its back, nothing else
        assert _pick(piece["title"], lang) in text[0]
        assert _first_words(piece["back"].get(lang) or piece["back"]["fr"]) in text[1]
        others = [_pick(p["title"], lang) for p in pieces if p is not piece]
        assert not any(t in " ".join(text) for t in others)
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")  # the dialog closed: the whole kit again
        assert len(PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages) == whole
    finally:
        context.close()


def test_without_javascript_the_view_prints_whole(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + print_views.page_url(KITS[0].src, "fr"))
        assert page.locator("[data-cap-print-piece]").count() == len(KITS[0].records[0]["pieces"])
        assert not page.locator("[data-cap-print-piece]").first.is_visible()
        pages = len(PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages)
        expected = 1 + sum(_sides(p) for p in KITS[0].records[0]["pieces"])
        assert pages > expected
    finally:
        context.close()


BLACK_ON_WHITE = """() => {
  const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bad = [];
  document.querySelectorAll('.cap-paper *').forEach(el => {
    if (!el.getClientRects().length) return;  // not rendered
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const s = getComputedStyle(el);
    if (own && (1.05) / (lum(s.color) + 0.05) < 7) bad.push(`${el.className} ${s.color}`);
    if (s.backgroundColor !== 'rgba(0, 0, 0, 0)' && lum(s.backgroundColor) < 0.9) bad.push(`${el.className} background ${s.backgroundColor}`);
  });
  document.querySelectorAll('.cap-mark').forEach(el => {
    const s = getComputedStyle(el);
    if ((s.borderLeftColor !== 'rgb(0, 0, 0)' || s.borderLeftStyle !== 'solid') && (s.borderTopColor !== 'rgb(0, 0, 0)' || s.borderTopStyle !== 'solid')) bad.push('mark');
  });
  return bad;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pieces_print_black_on_white(browser, site_url: str, scheme: str):
    """Grey printing loses nothing: every text of every piece prints at 7:1 or more
    against the white paper, no coloured background, black marks."""
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    try:
        for doc, url in _views("fr") + [(None, print_views.page_url(print_views.quiz.CARDS, "en"))]:
            page.goto(site_url + url)
            for media in ("print", "screen"):  # on screen too: the paper is white in both schemes
                page.emulate_media(media=media)
                assert page.evaluate(BLACK_ON_WHITE) == [], (url, media)
    finally:
        context.close()


def test_print_views_fit_a_phone(browser, site_url: str):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        for lang in LANGUAGES:
            for doc, url in _views(lang):
                page.goto(site_url + url)
                widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
                assert widths[0] <= widths[1], (url, widths)
                paper = page.locator(".cap-paper__area").first.bounding_box()
                assert paper["x"] >= 0 and paper["x"] + paper["width"] <= 360, (url, paper)
    finally:
        context.close()
