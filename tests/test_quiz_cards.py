"""The game's printed cards (issue #15): dist/kits/jeu-cartes-<lang>.pdf, as
`make build` prints it (conftest's ``deliverables``).

Printed double-sided with a long-edge flip, page 2k+1 and page 2k+2 are the two
sides of one sheet: the back is the front mirrored left to right. So the card
printed at x on the front must be printed at (page width − x) on the back, at
the same height. Each card carries its number on both sides, top left on the
front (« Question 12 ») and top right on the back (« Réponse 12 »), the same
corner of the card seen from both sides: the test reads where pdftotext puts
those words and compares.
"""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT
from macros import quiz
from macros.catalog import load_catalog
from macros.render import plain_text

CATALOG = load_catalog(ROOT / "data")
QUESTIONS = sorted(CATALOG["quiz"].values(), key=lambda r: r.id)
LABELS = {"fr": ("QUESTION", "RÉPONSE"), "en": ("QUESTION", "ANSWER")}  # printed in capitals (CSS)
TOLERANCE = 1.0  # points (0.35 mm)


def _pdf(deliverables, lang: str) -> Path:
    return deliverables["dist"] / "kits" / f"jeu-cartes-{lang}.pdf"


def words_by_page(path: Path) -> list[tuple[float, list[tuple[str, float, float, float]]]]:
    """For each page: its width and its words (text, xMin, yMin, xMax), from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", str(path), "-"],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    pages = []
    for width, body in re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', out, re.S):
        words = [(unescape(text), float(x0), float(y0), float(x1)) for x0, y0, x1, text in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', body)]
        pages.append((float(width), words))
    return pages


def card_marks(words, label: str) -> dict[int, tuple[float, float, float]]:
    """Card number → (x where « label n » starts, x where it ends, y) on one page."""
    found = {}
    for (text, x0, y0, _), (number, _, y1, x1) in zip(words, words[1:]):
        if text == label and number.isdigit() and abs(y0 - y1) < 0.5:
            found[int(number)] = (x0, x1, y0)
    return found


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_card_back_lines_up_with_its_front(deliverables, lang: str):
    pages = words_by_page(_pdf(deliverables, lang))
    front_label, back_label = LABELS[lang]
    fronts = {i: card_marks(words, front_label) for i, (_, words) in enumerate(pages, 1)}
    backs = {i: card_marks(words, back_label) for i, (_, words) in enumerate(pages, 1)}
    front_pages = [i for i, marks in fronts.items() if marks]
    assert front_pages, "no card fronts found"
    seen = []
    for p in front_pages:
        assert p % 2 == 1, f"page {p}: a front on an even page (the back of the sheet before)"
        assert not backs[p] and not fronts[p + 1], f"page {p}: fronts and backs mixed"
        width = pages[p - 1][0]
        assert abs(pages[p][0] - width) < 0.01
        assert set(backs[p + 1]) == set(fronts[p]), f"sheet of pages {p}–{p + 1}: not the same cards on both sides"
        for number, (x_start, _, y) in fronts[p].items():
            _, x_end, y_back = backs[p + 1][number]
            assert abs(x_end - (width - x_start)) < TOLERANCE, (lang, number, x_start, x_end, width)
            assert abs(y_back - y) < TOLERANCE, (lang, number, y, y_back)
        # two columns, mirrored: a card on the left of the front is on the right of the back
        xs = sorted({round(x) for x, _, _ in fronts[p].values()})
        assert len(xs) == min(2, len(fronts[p]))
        seen += sorted(fronts[p])
    assert seen == list(range(1, len(QUESTIONS) + 1)), "every card once, in order"
    assert len(pages) == front_pages[-1] + 1, "the last page is the back of the last sheet"


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return " ".join(out.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_cards_hold_every_question_and_explanation_in_their_language(deliverables, lang: str):
    # lines wrap anywhere, and pdftotext drops a hyphen that ends a line (« reprise-│transmission »)
    squeeze = lambda value: "".join(value.replace("-", "").split())  # noqa: E731
    text = squeeze(_text(_pdf(deliverables, lang)))
    other = "en" if lang == "fr" else "fr"
    for record in QUESTIONS:
        for field in ("question", "explanation"):
            assert squeeze(plain_text(record[field][lang])) in text, (record.id, field)
        assert squeeze(plain_text(record["explanation"][other])) not in text, record.id
    reader = PdfReader(_pdf(deliverables, lang))
    assert reader.trailer["/Root"]["/Lang"] == lang
    sheets = len(quiz.sheets(quiz.entries(CATALOG, {"quiz_true": {"fr": "Vrai"}, "quiz_false": {"fr": "Faux"}})))
    assert len(reader.pages) == 2 + 2 * sheets  # cover, how to play, then a front and a back per sheet


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_card_fits_and_the_cards_have_their_own_page_margins(deliverables, browser, lang: str):
    """Printed layout, measured in Chromium: no card's text overflows its 95 × 69 mm,
    and the card pages have the same margin on both sides (else the backs shift)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("stage_30_pdf_cards", ROOT / "scripts" / "stages" / "30-pdf.py")
    stage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stage)
    with stage.SiteServer(deliverables["site"]) as server:
        page = browser.new_page()
        try:
            page.goto(server.base + ("en/" if lang == "en" else "") + "outils/jeu/imprimer/", wait_until="load")
            page.emulate_media(media="print")
            cards = page.evaluate("""() => [...document.querySelectorAll('.cap-quiz-card:not(.cap-quiz-card--empty)')].map(c => ({
                n: (c.querySelector('.cap-quiz-card__number') || {}).textContent,
                over: c.scrollHeight > c.clientHeight + 1,
                w: c.getBoundingClientRect().width, h: c.getBoundingClientRect().height}))""")
        finally:
            page.close()
    assert len(cards) == 2 * len(QUESTIONS)
    assert [c["n"] for c in cards if c["over"]] == []
    mm = 96 / 25.4
    assert all(abs(c["w"] - 95 * mm) < 1 and abs(c["h"] - 69 * mm) < 1 for c in cards), cards[0]
