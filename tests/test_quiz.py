"""The game « Je crée ma coopérative » (issue #15): its questions, its page, and
playing it in Chromium with the keyboard alone, online and from the offline
bundle with every outside request blocked; the students' day kit.

The printed cards (alignment of fronts and backs) are in tests/test_quiz_cards.py;
the bad questions the loader refuses, in tests/cases/quiz-*.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import ROOT, settle
from macros import quiz
from macros.catalog import load_catalog
from macros.render import STRINGS, page_src

CATALOG = load_catalog(ROOT / "data")
WORDS = json.loads(STRINGS.read_text(encoding="utf-8"))
ENTRIES = quiz.entries(CATALOG, WORDS)
GAME = {"fr": "outils/jeu/index.html", "en": "en/outils/jeu/index.html"}


# -- the questions ------------------------------------------------------------------


def test_at_least_forty_questions_for_each_audience_and_level():
    assert len(ENTRIES) >= 40
    pools = {a: [e for e in ENTRIES if e.record["audience"] in ("tous", a)] for a in ("famille", "etudiants")}
    # a « play together » round with 6 players draws 12 questions
    assert all(len(pool) >= 12 for pool in pools.values()), {a: len(p) for a, p in pools.items()}
    assert {e.record["difficulty"] for e in ENTRIES} == set(quiz.LEVELS)
    assert {e.record["kind"] for e in ENTRIES} == {"choix", "vrai-faux"}


def test_every_question_is_translated_and_teaches_from_a_page_of_the_site():
    topics = set()
    for e in ENTRIES:
        assert not e.untranslated("en"), e.id
        assert page_src(e.learn).endswith(".md") or ".md#" in page_src(e.learn)  # raises if the record has no page
        topics.add(e.learn.collection)
    # across the topics of the site, not one collection
    assert {"faq", "glossary", "figures", "practices", "resolutions", "quotes"} <= topics, topics


def test_entries_are_easiest_first_and_know_their_right_answer():
    levels = [quiz.LEVELS.index(e.record["difficulty"]) for e in ENTRIES]
    assert levels == sorted(levels)
    assert [e.number for e in ENTRIES] == list(range(1, len(ENTRIES) + 1))
    for e in ENTRIES:
        options = e.record.get("options")
        if options:
            assert options[e.right]["correct"] is True
            assert len(e.choices) == len(options)
        else:
            assert e.choices == (WORDS["quiz_true"], WORDS["quiz_false"])
            assert e.right == (0 if e.record["answer"] else 1)


def test_sheets_mirror_the_columns_of_the_front_on_the_back():
    pages = quiz.sheets(ENTRIES)
    per = quiz.COLUMNS * quiz.ROWS
    assert len(pages) == -(-len(ENTRIES) // per)
    placed = []
    for sheet in pages:
        assert len(sheet["front"]) == quiz.ROWS and all(len(row) == quiz.COLUMNS for row in sheet["front"])
        for front, back in zip(sheet["front"], sheet["back"]):
            assert back == front[::-1]
        placed += [e for row in sheet["front"] for e in row if e is not None]
    assert placed == ENTRIES
    last = pages[-1]["front"]
    assert last[-1][-1] is None or len(ENTRIES) % per == 0  # the last sheet is padded with empty places


def test_payload_is_plain_text_in_the_page_language():
    fr = quiz.payload(ENTRIES, "fr", WORDS, lambda text: text)
    en = quiz.payload(ENTRIES, "en", WORDS, lambda text: text)
    assert len(fr["questions"]) == len(en["questions"]) == len(ENTRIES)
    first = ENTRIES[0].record
    assert fr["questions"][0]["text"] == first["question"]["fr"]
    assert en["questions"][0]["text"] == first["question"]["en"]
    assert fr["t"]["start"] == "Commencer la partie" and en["t"]["start"] == "Start the game"
    assert fr["round"] == 10 and fr["players"] == [2, 6]


def test_numbers_are_read_as_the_records_write_them():
    from macros.rules import numbers

    assert numbers("En 2004, 36 000 coopérateurs ; 63,8 % ; 1\u202f600 ; PASS2 ; n°5 ; treize lignes", "fr") == {
        2004.0: "2004", 36000.0: "36 000", 63.8: "63,8", 1600.0: "1\u202f600", 5.0: "5", 13.0: "treize"}
    assert numbers("In 2004, 36,000 cooperators; 63.8%; thirteen lines; one vote", "en") == {
        2004.0: "2004", 36000.0: "36,000", 63.8: "63.8", 13.0: "thirteen"}


def test_a_kit_cannot_offer_the_game_without_questions():
    from macros.rules import kit_game_has_questions

    assert [m for _, m, _ in kit_game_has_questions({"game": True}, {"quiz": {}})] == [
        "le kit propose le jeu (« game: true »), mais data/quiz/ n'a aucune question"]
    assert list(kit_game_has_questions({"game": True}, {"quiz": {"une-question": {}}})) == []
    assert list(kit_game_has_questions({}, {"quiz": {}})) == []


# -- the page, as built ---------------------------------------------------------------


def _article(html: str) -> str:
    return re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S).group(1)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_game_page_has_its_script_its_data_and_every_answer_in_details(site: Path, lang: str):
    html = (site / GAME[lang]).read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in html
    assert re.search(r'<script src="[./]*assets/javascripts/cap-quiz\.js"></script>', html)
    data = json.loads(re.search(r'<script type="application/json" id="cap-quiz-data">(.*?)</script>', html, re.S).group(1))
    assert data["lang"] == lang and len(data["questions"]) == len(ENTRIES)
    body = _article(html)
    assert body.count('<details class="cap-quiz-item__answer">') == len(ENTRIES)
    assert body.count('class="cap-quiz-learn"') == len(ENTRIES)
    assert '<div class="cap-quiz" data-cap-quiz hidden></div>' in body  # shown by the script only
    learn = re.findall(r'<a class="cap-quiz-learn" href="([^"]+)"', body)
    for href in learn:  # written by MkDocs from Markdown links: relative, to a built page
        target = (site / GAME[lang]).parent / unquote(href.split("#")[0])
        assert (target / "index.html").is_file() or target.is_file(), href


def test_game_is_in_the_navigation_and_linked_from_home_faq_and_kits(site: Path):
    for lang, prefix in (("fr", ""), ("en", "en/")):
        for page in ("index.html", "faq/index.html", "kits/index.html"):
            html = _article((site / prefix / page).read_text(encoding="utf-8"))
            assert re.search(r'href="(\.\./)*outils/jeu/"', html), (lang, page)
        nav = (site / prefix / "index.html").read_text(encoding="utf-8")
        assert ("Outils" if lang == "fr" else "Tools") in nav
        assert re.search(r'<a href="[./]*outils/jeu/" class="md-nav__link">', nav)


# -- playing, in Chromium, with the keyboard ------------------------------------------

FOCUS_TEXT = "() => document.activeElement ? (document.activeElement.textContent || '').trim() : ''"


def tab_until(page, text: str, limit: int = 400) -> None:
    """Press Tab until the focused element says ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS_TEXT) == text:
            return
    raise AssertionError(f"« {text} » never reached with Tab")


def shown_question(page) -> dict:
    """The question on screen: its data (from the page's JSON), the choices in
    the order shown, and where the right one is."""
    legend = page.locator(".cap-quiz legend").inner_text().strip()
    labels = [re.sub(r"^[A-D]\. ", "", t.strip()) for t in page.locator(".cap-quiz__choice label").all_inner_texts()]
    data = page.evaluate("JSON.parse(document.getElementById('cap-quiz-data').textContent)")
    found = [q for q in data["questions"] if q["text"] == legend]
    assert len(found) == 1, legend
    q = found[0]
    return {"q": q, "labels": labels, "right": labels.index(q["choices"][q["right"]])}


def answer_with_keyboard(page, position: int, words: dict) -> str:
    """From the question's heading (focused), choose the choice at ``position``
    and check it, with the keyboard; returns what the live region says."""
    title = page.evaluate(FOCUS_TEXT)
    assert re.match(words["progress_re"], title), title
    page.keyboard.press("Tab")  # into the radio group: its first button
    assert page.evaluate("document.activeElement.type") == "radio"
    if position == 0:
        page.keyboard.press("Space")
    for _ in range(position):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_TEXT) == words["check"]
    page.keyboard.press("Enter")
    status = page.locator(".cap-quiz__status")
    assert status.get_attribute("role") == "status"
    return status.inner_text()


WORDS_FR = {"progress_re": r"^Question \d+ sur \d+$", "check": "Valider", "next": "Question suivante",
            "score": "Voir le score", "right": "✓ Bonne réponse !", "wrong": "✗ Pas tout à fait."}


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_a_full_round_with_the_keyboard_alone_scores_the_answers_given(page, site_url: str):
    page.goto(site_url + "outils/jeu/", wait_until="load")
    assert page.locator("[data-cap-quiz-list]").is_hidden()  # the answers are not on show while playing
    stored = "() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].sort()"
    before = page.evaluate(stored)
    tab_until(page, "Commencer la partie")
    page.keyboard.press("Enter")
    expected, asked = 0, []
    for n in range(10):
        shown = shown_question(page)
        asked.append(shown["q"]["id"])
        right = n % 3 != 2  # two right answers out of three
        position = shown["right"] if right else (shown["right"] + 1) % len(shown["labels"])
        said = answer_with_keyboard(page, position, WORDS_FR)
        assert said.startswith(WORDS_FR["right"] if right else WORDS_FR["wrong"]), said
        assert shown["q"]["why"] in said  # the explanation, announced with the result
        expected += right
        marks = page.locator(".cap-quiz__mark").all_inner_texts()
        assert "✓ bonne réponse" in [m.strip() for m in marks]  # not colour alone
        assert ("✗ votre réponse" in [m.strip() for m in marks]) != right
        link = page.locator(".cap-quiz__learn a")
        assert link.inner_text().startswith("En savoir plus")
        assert page.evaluate(FOCUS_TEXT) == (WORDS_FR["next"] if n < 9 else WORDS_FR["score"])
        page.keyboard.press("Enter")
    assert len(set(asked)) == 10
    assert page.evaluate(FOCUS_TEXT) == f"Score : {expected} sur 10"
    assert page.locator(".cap-quiz h2").inner_text() == f"Score : {expected} sur 10"
    to_read = page.locator(".cap-quiz__to-read a")
    assert 1 <= to_read.count() <= 10 - expected
    for href in to_read.evaluate_all("links => links.map(a => a.href)"):
        assert page.request.get(href).ok, href  # each page to read exists
    query = parse_qs(urlsplit(page.url).query)
    assert query["public"] == ["tous"] and re.fullmatch(r"[0-9a-f]{6}", query["partie"][0])
    assert page.evaluate(stored) == before  # nothing stored by the game


WORDS_FR_TOGETHER = dict(WORDS_FR, progress_re=r"^Question \d+ sur 12$")


def play_together(page, plan) -> list[str]:
    """Answer the 12 questions of a three-player round: ``plan(player, turn)`` says
    whether that player answers right on their n-th turn. Returns the turns shown."""
    turns = []
    for n in range(12):
        turns.append(page.locator(".cap-quiz__turn").inner_text())
        shown = shown_question(page)
        right = plan(n % 3, n // 3)
        position = shown["right"] if right else (shown["right"] + 1) % len(shown["labels"])
        said = answer_with_keyboard(page, position, WORDS_FR_TOGETHER)
        assert said.startswith(WORDS_FR["right"] if right else WORDS_FR["wrong"]), said
        if n < 11:
            names = ["Alice", "Bob", "Chloé"]
            assert page.locator(".cap-quiz__handover").inner_text() == f"Passez l'appareil à {names[(n + 1) % 3]}."
        page.keyboard.press("Enter")
    return turns


def test_play_together_three_players_turns_scores_winner_and_a_tie(page, site_url: str):
    page.goto(site_url + "outils/jeu/", wait_until="load")
    for _ in range(400):  # Tab to the radio buttons of « Qui joue ? »
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "mode":
            break
    assert page.evaluate("document.activeElement.id") == "cap-quiz-mode-solo"
    page.keyboard.press("ArrowDown")  # « À plusieurs, chacun son tour »
    assert page.locator("#cap-quiz-mode-together").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "cap-quiz-players"
    page.keyboard.press("ArrowDown")  # 2 → 3 players
    assert page.locator("#cap-quiz-players").input_value() == "3"
    for name in ("Alice", "Bob", "Chloé"):
        page.keyboard.press("Tab")
        page.keyboard.type(name)
    tab_until(page, "Commencer la partie")
    page.keyboard.press("Enter")
    first = page.locator(".cap-quiz legend").inner_text()

    turns = play_together(page, lambda player, turn: player == 0 or (player == 1 and turn % 2 == 0))
    assert turns == [f"Au tour de {n}" for n in ("Alice", "Bob", "Chloé")] * 4
    assert page.evaluate(FOCUS_TEXT) == "Alice gagne, avec 4 sur 4 !"
    rows = page.locator(".cap-quiz__scores table tbody tr").all_inner_texts()
    assert [" ".join(r.split()) for r in rows] == ["Alice 4 / 4", "Bob 2 / 4", "Chloé 0 / 4"]
    assert page.locator(".cap-quiz__scores caption").inner_text() == "Les scores de la partie"

    tab_until(page, "Rejouer la même partie")  # same draw, same players: a tie this time
    page.keyboard.press("Enter")
    assert page.locator(".cap-quiz legend").inner_text() == first
    play_together(page, lambda player, turn: player in (0, 1) and turn < 3)
    assert page.evaluate(FOCUS_TEXT) == "Égalité entre Alice et Bob, avec 3 sur 4 !"
    assert "joueurs=3" in page.url


def drawn(page, url: str) -> list[str]:
    """The questions of the round at ``url`` (played with clicks: the draw is what matters)."""
    page.goto(url, wait_until="load")
    if page.locator(".cap-quiz__shared").count():
        assert "les mêmes questions que le lien reçu" in page.locator(".cap-quiz__shared").inner_text()
    page.locator(".cap-quiz__setup button[type=submit]").click()
    out = []
    while page.locator(".cap-quiz legend").count():
        out.append(page.locator(".cap-quiz legend").inner_text())
        page.locator(".cap-quiz__choice input").first.check()
        page.locator(".cap-quiz__form button").click()
        page.locator(".cap-quiz__after button").click()
    return out


def test_the_same_round_address_draws_the_same_questions(page, site_url: str):
    url = site_url + "outils/jeu/?partie=8f3a2c&public=etudiants"
    once = drawn(page, url)
    again = drawn(page, url)
    assert once == again and len(once) == 10
    other = drawn(page, site_url + "outils/jeu/?partie=8f3a2d&public=etudiants")
    assert other != once
    data = page.evaluate("JSON.parse(document.getElementById('cap-quiz-data').textContent)")
    by_text = {q["text"]: q for q in data["questions"]}
    levels = [by_text[t]["level"] for t in once]
    assert levels == sorted(levels)  # easiest first
    assert {by_text[t]["audience"] for t in once} <= {"tous", "etudiants"}
    # a new game writes its draw in the address: reloading it replays it
    page.goto(site_url + "outils/jeu/", wait_until="load")
    page.locator(".cap-quiz__setup button[type=submit]").click()
    first = page.locator(".cap-quiz legend").inner_text()
    assert "partie=" in page.url
    page.reload(wait_until="load")
    page.locator(".cap-quiz__setup button[type=submit]").click()
    assert page.locator(".cap-quiz legend").inner_text() == first


def test_pages_that_teach_an_answer_link_to_its_question_which_stays_in_view(page, site: Path, site_url: str):
    practice = (site / "bonnes-pratiques" / "bilan-depart" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../outils/jeu/#bilan-de-depart"' in practice  # « Dans le jeu »: links both ways
    page.goto(site_url + "outils/jeu/#bilan-de-depart", wait_until="load")
    assert page.locator("#bilan-de-depart").is_visible()  # the list is kept for a link to one of its questions
    assert page.locator(".cap-quiz__setup").is_visible()  # and the game is there too


def test_without_javascript_the_page_still_teaches(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + "outils/jeu/", wait_until="load")
        assert page.locator("[data-cap-quiz]").is_hidden()
        details = page.locator("details.cap-quiz-item__answer")
        assert details.count() == len(ENTRIES)
        assert not details.first.evaluate("d => d.open")
        details.first.locator("summary").click()
        assert "Réponse" in details.first.inner_text()
    finally:
        context.close()


NO_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_readable_on_a_360_px_phone_and_axe_clean_at_every_step(browser, site_url: str):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    problems = []

    def check(step: str) -> None:
        assert page.evaluate(NO_SCROLL), f"horizontal scroll at 360 px: {step}"
        settle(page)
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]},
                                        "resultTypes": ["violations"]}).response
        problems.extend(f"{step}: {v['id']} ({v['impact']})" for v in result["violations"]
                        if v.get("impact") in ("serious", "critical"))

    try:
        for lang, prefix in (("fr", ""), ("en", "en/")):
            page.goto(site_url + prefix + "outils/jeu/", wait_until="load")
            check(f"{lang} setup")
            page.locator("#cap-quiz-mode-together").check()
            check(f"{lang} setup, players")
            page.locator(".cap-quiz__setup button[type=submit]").click()
            check(f"{lang} question")
            page.locator(".cap-quiz__choice input").first.check()
            page.locator(".cap-quiz__form button").click()
            check(f"{lang} answered")
            page.locator(".cap-quiz__after button").click()
            while page.locator(".cap-quiz__form").count():  # two players: ten questions
                page.locator(".cap-quiz__choice input").first.check()
                page.locator(".cap-quiz__form button").click()
                page.locator(".cap-quiz__after button").click()
            check(f"{lang} score")
            for view in ("outils/jeu/imprimer/", "kits/journee-etudiants/", "kits/journee-etudiants/imprimer/"):
                page.goto(site_url + prefix + view, wait_until="load")
                assert page.evaluate(NO_SCROLL), f"horizontal scroll at 360 px: {prefix}{view}"
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


# -- the offline bundle -------------------------------------------------------------------


def test_the_offline_bundle_game_works_with_every_outside_request_blocked(offline_context):
    root = offline_context.root
    page = offline_context.new_page()
    try:
        page.goto((root / "outils" / "jeu.html").as_uri() + "?partie=0ff1ce&public=famille", wait_until="load")
        assert page.locator(".cap-quiz__shared").inner_text() == "Partie n° 0ff1ce : les mêmes questions que le lien reçu."
        page.locator(".cap-quiz__setup button[type=submit]").click()
        for _ in range(10):
            page.locator(".cap-quiz__choice input").last.check()
            page.locator(".cap-quiz__form button").click()
            assert page.locator(".cap-quiz__status").inner_text().startswith(("✓", "✗"))
            href = page.locator(".cap-quiz__learn a").evaluate("a => a.href")
            path = Path(unquote(urlsplit(href).path))
            assert href.startswith("file://") and path.is_file() and root in path.parents, href
            page.locator(".cap-quiz__after button").click()
        assert re.fullmatch(r"Score : \d+ sur 10", page.locator(".cap-quiz h2").inner_text())
        replay = page.locator(".cap-quiz__link a").evaluate("a => a.href")
        assert replay.startswith((root / "outils" / "jeu.html").as_uri() + "?partie=0ff1ce&public=famille")
        cards = root / "outils" / "jeu" / "imprimer.html"
        assert cards.is_file()
        pdf = page.locator(".cap-print-links a[download]").evaluate("a => a.href")
        assert Path(unquote(urlsplit(pdf).path)).is_file(), pdf
    finally:
        page.close()
    assert offline_context.blocked == []


# -- the students' day kit -------------------------------------------------------------------

KIT = CATALOG.get("kits", "journee-etudiants")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_students_day_kit_page_hands_out_the_faq_and_offers_the_game(site: Path, lang: str):
    prefix = "" if lang == "fr" else "en/"
    body = _article((site / prefix / "kits" / "journee-etudiants" / "index.html").read_text(encoding="utf-8"))
    for piece in KIT["pieces"]:
        assert f'id="{piece["id"]}"' in body
    for question in CATALOG.forward(KIT, "faq"):
        assert f'#{question.id}"' in body
    assert 'href="../../outils/jeu/"' in body and 'href="../../outils/jeu/imprimer/"' in body
    assert 'href="../../argumentaires/jeunes-et-etudiants/"' in body


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_students_day_kit_pdf_prints_the_handout_and_where_to_play(deliverables, lang: str):
    import subprocess

    from macros import print_views

    pdf = deliverables["dist"] / "kits" / f"journee-etudiants-{lang}.pdf"
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.replace("\u202f", " ").replace("\xa0", " ").split())
    for question in CATALOG.forward(KIT, "faq"):
        assert " ".join(question["question"][lang].split()) in text
    from mkdocs.utils.yaml import yaml_load

    with open(ROOT / "mkdocs.yml", "rb") as config:
        game = print_views.online_url(yaml_load(config)["site_url"], quiz.PAGE, lang)
    assert game in text.replace(" ", "")
    assert (deliverables["site"] / "pdf" / f"journee-etudiants-{lang}.pdf").read_bytes() == pdf.read_bytes()


# -- a question not translated yet (the mini data set) ----------------------------------------


def test_untranslated_question_is_shown_in_french_under_the_notice(mini_site: Path):
    en = (mini_site / GAME["en"]).read_text(encoding="utf-8")
    body = re.sub(r"<script\b.*?</script>", "", _article(en), flags=re.S)
    assert "Not yet translated" in body
    assert body.index("Not yet translated") < body.index("Le sigle d'essai s'écrit")  # the French, under the notice
    assert "not yet translated" in body  # on the question itself
    data = json.loads(re.search(r'<script type="application/json" id="cap-quiz-data">(.*?)</script>', en, re.S).group(1))
    by_id = {q["id"]: q for q in data["questions"]}
    assert by_id["question-vrai-faux-test"]["fr"] is True and by_id["question-vrai-faux-test"]["choices"] == ["True", "False"]
    assert by_id["question-choix-test"]["fr"] is False and by_id["question-choix-test"]["text"] == "What is the test figure?"
    fr = re.sub(r"<script\b.*?</script>", "", _article((mini_site / GAME["fr"]).read_text(encoding="utf-8")), flags=re.S)
    assert "Pas encore traduit" not in fr and "pas encore traduit" not in fr  # outside the script's words
