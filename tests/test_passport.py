"""« Mon passeport coopérateur » (issue #14, part 2): docs/outils/passeport.md,
overrides/cap/section-passport.html, overrides/assets/javascripts/cap-passport.js.

In Debian Chromium: ticks, dates, notes and the name survive a reload; an
exported file restores them in a fresh browser; a journey without one of its
steps keeps the other ticks; the same from file:// in the offline bundle with
every other request refused; the printed passport (page.pdf, read back with
pypdf) shows the name, what was ticked, its dates and notes, on one or two A4
pages; the journey page and the practice page lead to the tool; axe finds
nothing serious and a 360 px phone does not scroll sideways.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import re
import shutil
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import MINI, ROOT, copy_data, mkdocs_build, settle
from macros.catalog import load_catalog

CATALOG = load_catalog(ROOT / "data")
PAGE = {"fr": "outils/passeport/", "en": "en/outils/passeport/"}
OFFLINE_PAGE = {"fr": "outils/passeport.html", "en": "en/outils/passeport.html"}
KEY = "cap-passeport-v1-{lang}"
STEPS = [step["id"] for phase in CATALOG.sorted("journey") for step in phase["steps"]]
ACTIONS = [a["id"] for phase in CATALOG.sorted("journey") for step in phase["steps"]
           for goal in step["goals"] for a in goal["actions"]]
PROGRESS = {
    "fr": "Étapes franchies : {s} sur {st} · actions menées : {a} sur {at}",
    "en": "Steps completed: {s} of {st} · actions done: {a} of {at}",
}
DONE_ON = {"fr": "fait le 12 mars 2026", "en": "done on 12 March 2026"}


def _norm(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def _progress(lang: str, steps: int, actions: int, steps_total: int = len(STEPS), actions_total: int = len(ACTIONS)) -> str:
    return PROGRESS[lang].format(s=steps, st=steps_total, a=actions, at=actions_total)


def _box(kind: str, item_id: str) -> str:
    return f"#cap-pp-{kind}-{item_id}"


@contextlib.contextmanager
def _serve(folder: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _watch(page) -> list[str]:
    """Script errors of a page (an uncaught exception or console.error)."""
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "net::" not in msg.text else None)
    return errors


def _stored(page, lang: str):
    raw = page.evaluate("key => localStorage.getItem(key)", KEY.format(lang=lang))
    return json.loads(raw) if raw else None


def _pdf_pages(page) -> list[str]:
    data = page.pdf(format="A4", prefer_css_page_size=True)
    return [_norm(p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]


# -- the built page ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_page_lists_the_whole_journey_and_says_nothing_leaves(site: Path, lang: str):
    html = (site / PAGE[lang] / "index.html").read_text(encoding="utf-8")
    items = re.findall(r'data-cap-pp-item="(step|action):([a-z0-9-]+)"', html)
    assert [i for k, i in items if k == "step"] == STEPS
    assert [i for k, i in items if k == "action"] == ACTIONS
    for kind, item_id in items:  # every control has its label (works without the script too)
        for suffix in ("", "-date", "-note"):
            control = f"cap-pp-{kind}-{item_id}{suffix}"
            assert f'id="{control}"' in html and f'<label for="{control}"' in html, control
    data = json.loads(re.search(r'<script type="application/json" id="cap-passport-data">(.*?)</script>', html).group(1))
    assert data["key"] == KEY.format(lang=lang) and data["steps"] == STEPS and data["actions"] == ACTIONS
    assert "assets/javascripts/cap-passport.js" in html
    privacy = {"fr": "rien n'est envoyé", "en": "nothing is sent"}[lang]
    assert privacy in html.replace("&#39;", "'")
    assert not re.search(r'<script[^>]+src="https?:', html)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_journey_page_and_practice_page_lead_to_the_tool(site: Path, lang: str):
    prefix = "" if lang == "fr" else "en/"
    target = (site / PAGE[lang] / "index.html").resolve()
    practices = [p for p in CATALOG.sorted("practices") if p.get("tool") == "passeport-cooperateur"]
    assert [p.id for p in practices] == ["passeport-cooperateur"]
    for page, pattern in ((f"{prefix}parcours/index.html", r'<a[^>]+href="([^"]+)"[^>]*>'),
                          (f"{prefix}bonnes-pratiques/passeport-cooperateur/index.html",
                           r'<a[^>]+class="[^"]*cap-tool-link[^"]*"[^>]*href="([^"]+)"|<a[^>]+href="([^"]+)"[^>]*class="[^"]*cap-tool-link')):
        html = (site / page).read_text(encoding="utf-8")
        hrefs = [h for m in re.finditer(pattern, html) for h in m.groups() if h]
        resolved = [((site / page).parent / h / "index.html").resolve() for h in hrefs if not h.startswith(("http", "#"))]
        assert target in resolved, (page, hrefs[:20])
    tool_page = (site / PAGE[lang] / "index.html").read_text(encoding="utf-8")
    assert "bonnes-pratiques/passeport-cooperateur/" in tool_page  # and back


# -- in the browser ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_tick_with_the_keyboard_then_reload(browser, site_url: str, lang: str):
    context = browser.new_context(locale="fr-FR" if lang == "fr" else "en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = _watch(page)
    try:
        page.goto(site_url + PAGE[lang])
        progress = page.locator("[data-cap-pp-progress]")
        assert progress.get_attribute("role") == "status" and progress.get_attribute("aria-live") == "polite"
        assert _norm(progress.text_content()) == _progress(lang, 0, 0)
        first = _box("step", STEPS[0])
        assert page.locator(first + "-date").is_hidden()  # date and note come with the tick
        page.locator("#cap-pp-name").focus()
        page.keyboard.type("Camille Dupont")
        for _ in range(40):  # from the name field to the first step, with Tab only
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == first[1:]:
                break
        assert page.evaluate("document.activeElement.id") == first[1:]
        page.keyboard.press("Space")
        assert page.locator(first).is_checked()
        assert page.locator(first + "-date").is_visible()
        page.locator(first + "-date").fill("2026-03-12")
        page.locator(first + "-note").focus()
        page.keyboard.type("Avec ma personne relais")
        action = _box("action", ACTIONS[0])
        page.locator(action).focus()
        page.keyboard.press("Space")
        assert _norm(progress.text_content()) == _progress(lang, 1, 1)

        page.reload()
        assert page.locator("#cap-pp-name").input_value() == "Camille Dupont"
        assert page.locator(first).is_checked() and page.locator(action).is_checked()
        assert page.locator(first + "-date").input_value() == "2026-03-12"
        assert page.locator(first + "-note").input_value() == "Avec ma personne relais"
        assert not page.locator(_box("step", STEPS[1])).is_checked()
        assert _norm(progress.text_content()) == _progress(lang, 1, 1)
        stored = _stored(page, lang)
        assert stored["format"] == "cap-passeport" and stored["version"] == 1 and stored["name"] == "Camille Dupont"
        assert stored["steps"] == {STEPS[0]: {"done": True, "date": "2026-03-12", "note": "Avec ma personne relais"}}
        assert list(stored["actions"]) == [ACTIONS[0]]
        other = "en" if lang == "fr" else "fr"
        assert _stored(page, other) is None  # one key per language
        page.locator(first).press("Space")  # untick: forgotten with its date and note
        assert page.locator(first + "-date").is_hidden()
        assert _stored(page, lang)["steps"] == {}
    finally:
        context.close()
    assert errors == []


def test_export_then_import_in_a_fresh_browser(browser, site_url: str, tmp_path: Path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors = _watch(page)
    try:
        page.goto(site_url + PAGE["fr"])
        page.locator("#cap-pp-name").fill("Camille Dupont")
        for item_id in STEPS[:3]:
            page.locator(_box("step", item_id)).check()
        page.locator(_box("step", STEPS[1]) + "-note").fill("Entretien à deux casquettes")
        page.locator(_box("action", ACTIONS[-1])).check()
        with page.expect_download() as download:
            page.locator("[data-cap-pp-export]").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert re.fullmatch(r"passeport-cooperateur-\d{4}-\d{2}-\d{2}\.json", path.name)
        page.wait_for_function("document.querySelector('[data-cap-pp-message]').textContent.includes('passeport-cooperateur-')")
        exported = json.loads(path.read_text(encoding="utf-8"))
        assert exported["format"] == "cap-passeport" and exported["name"] == "Camille Dupont"
        assert sorted(exported["steps"]) == sorted(STEPS[:3]) and list(exported["actions"]) == [ACTIONS[-1]]
    finally:
        context.close()

    fresh = browser.new_context()
    page = fresh.new_page()
    errors += _watch(page)
    try:
        page.goto(site_url + PAGE["fr"])
        assert not page.locator(_box("step", STEPS[0])).is_checked()
        bad = tmp_path / "autre.json"
        bad.write_text('{"format": "autre chose", "steps": {}}', encoding="utf-8")
        page.locator("[data-cap-pp-import]").set_input_files(bad)
        page.wait_for_function("document.querySelector('[data-cap-pp-message]').textContent.includes('rien n')")
        assert _stored(page, "fr") is None
        page.locator("[data-cap-pp-import]").set_input_files(path)
        page.wait_for_function("document.querySelector('[data-cap-pp-message]').textContent.includes('importé')")
        assert page.locator("#cap-pp-name").input_value() == "Camille Dupont"
        assert [page.locator(_box("step", i)).is_checked() for i in STEPS[:4]] == [True, True, True, False]
        assert page.locator(_box("step", STEPS[1]) + "-note").input_value() == "Entretien à deux casquettes"
        assert page.locator(_box("action", ACTIONS[-1])).is_checked()
        page.reload()  # kept in the fresh browser too
        assert page.locator(_box("step", STEPS[2])).is_checked()
    finally:
        fresh.close()
    assert errors == []


def test_reset_asks_first(browser, site_url: str):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site_url + PAGE["en"])
        page.locator(_box("step", STEPS[0])).check()
        messages: list[str] = []

        def answer(accept: bool):
            def handle(dialog):
                messages.append(dialog.message)
                dialog.accept() if accept else dialog.dismiss()
            return handle

        page.once("dialog", answer(False))
        page.locator("[data-cap-pp-reset]").focus()
        page.keyboard.press("Enter")
        assert page.locator(_box("step", STEPS[0])).is_checked() and _stored(page, "en")
        page.once("dialog", answer(True))
        page.keyboard.press("Enter")
        assert not page.locator(_box("step", STEPS[0])).is_checked()
        assert _stored(page, "en") is None
        assert len(messages) == 2 and "Export your passport first" in messages[0]
    finally:
        context.close()


# -- a journey that changed ------------------------------------------------------------

PHASE = """# yaml-language-server: $schema=../schemas/journey.schema.json
id: phase-test
number: 1
title: {{fr: Phase d'essai, en: Test phase}}
summary: {{fr: Résumé de la phase., en: Phase summary.}}
steps:
{steps}sources:
  - source: livre-blanc
"""
STEP = """  - id: {id}
    number: {n}
    title: {{fr: Étape {id}, en: Step {id}}}
    summary: {{fr: Résumé., en: Summary.}}
    goals:
      - title: {{fr: Objectif, en: Goal}}
        actions:
          - {{id: action-{id}, text: {{fr: Action de {id}, en: Action of {id}}}}}
"""


@pytest.fixture(scope="module")
def two_journeys(tmp_path_factory) -> Path:
    """The mini data built twice under one folder (one origin, one localStorage):
    before/ with three steps, after/ without the middle one."""
    root = tmp_path_factory.mktemp("journeys")
    for name, steps in (("before", ["etape-test", "etape-milieu", "etape-fin"]), ("after", ["etape-test", "etape-fin"])):
        data = copy_data(MINI, root / f"data-{name}")
        text = PHASE.format(steps="".join(STEP.format(id=s, n=n) for n, s in enumerate(steps, 1)))
        (data / "journey" / "phase-test.yml").write_text(text, encoding="utf-8")
        result = mkdocs_build(root / name, data)
        assert result.returncode == 0, result.stderr
        shutil.rmtree(data)
    return root


def test_a_removed_step_keeps_the_other_ticks(browser, two_journeys: Path):
    context = browser.new_context()
    page = context.new_page()
    errors = _watch(page)
    try:
        with _serve(two_journeys) as base:
            page.goto(base + "before/" + PAGE["fr"])
            for item in ("etape-test", "etape-milieu", "etape-fin"):
                page.locator(_box("step", item)).check()
                page.locator(_box("action", f"action-{item}")).check()
            page.locator(_box("step", "etape-fin") + "-note").fill("Toujours là")
            assert _norm(page.locator("[data-cap-pp-progress]").text_content()) == _progress("fr", 3, 3, 3, 3)

            page.goto(base + "after/" + PAGE["fr"])
            assert page.locator(_box("step", "etape-milieu")).count() == 0
            for item in ("etape-test", "etape-fin"):
                assert page.locator(_box("step", item)).is_checked(), item
                assert page.locator(_box("action", f"action-{item}")).is_checked(), item
            assert page.locator(_box("step", "etape-fin") + "-note").input_value() == "Toujours là"
            assert _norm(page.locator("[data-cap-pp-progress]").text_content()) == _progress("fr", 2, 2, 2, 2)
            page.locator(_box("action", "action-etape-fin")).uncheck()  # the next save forgets the removed step
            stored = _stored(page, "fr")
            assert sorted(stored["steps"]) == ["etape-fin", "etape-test"] and list(stored["actions"]) == ["action-etape-test"]

            # Unreadable or foreign data in the key: an empty passport, no error.
            for junk in ("{not json", '{"format": "cap-passeport", "version": 99}', '{"format": "cap-passeport", "version": 1, "steps": [1, 2], "actions": null, "name": 5}'):
                page.evaluate("([key, value]) => localStorage.setItem(key, value)", [KEY.format(lang="fr"), junk])
                page.reload()
                assert not page.locator(_box("step", "etape-test")).is_checked(), junk
                assert _norm(page.locator("[data-cap-pp-progress]").text_content()) == _progress("fr", 0, 0, 2, 2)
    finally:
        context.close()
    assert errors == []


# -- printed ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_printed_passport_shows_name_ticks_dates_and_notes(browser, site_url: str, lang: str):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site_url + PAGE[lang])
        page.locator("#cap-pp-name").fill("Camille Dupont")
        ticked = [("step", STEPS[0]), ("action", ACTIONS[3]), ("step", STEPS[-1])]
        for kind, item_id in ticked:
            page.locator(_box(kind, item_id)).check()
            page.locator(_box(kind, item_id) + "-date").fill("2026-03-12")
        page.locator(_box("action", ACTIONS[3]) + "-note").fill("Simulation faite avec la gérance")
        pages = _pdf_pages(page)
        text = " ".join(pages)
        assert len(pages) <= 2
        assert "Camille Dupont" in pages[0]
        assert text.count(DONE_ON[lang]) == len(ticked)
        assert "Simulation faite avec la gérance" in text
        for phase in CATALOG.sorted("journey"):  # the whole journey, ticked or not
            for step in phase["steps"]:
                assert _norm(step["title"][lang]) in text
        assert _progress(lang, 2, 1) in text
        for hidden in ("Importer", "Import an", "Exporter", "Export my", "Rien ne quitte", "Nothing leaves"):
            assert hidden not in text  # screen-only parts

        page.emulate_media(media="print")  # the inputs do not print, their text does
        assert page.locator("input[type=date]").first.is_hidden() and page.locator("[data-cap-pp-tools]").is_hidden()
        assert page.locator('[data-cap-pp-mirror="name"]').is_visible()
        page.emulate_media(media="null")  # back to no emulation: page.pdf prints with print media

        for box in page.locator("[data-cap-pp-done]").all():  # everything ticked, with notes: still two pages
            box.check()
        for note in page.locator("[data-cap-pp-note]").all():
            note.fill("Fait avec ma personne relais, à refaire")
        pages = _pdf_pages(page)
        assert len(pages) <= 2, len(pages)
        assert " ".join(pages).count("Fait avec ma personne relais, à refaire") == len(STEPS) + len(ACTIONS)
    finally:
        context.close()


def test_without_javascript_the_journey_is_a_checklist_to_print(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + PAGE["fr"])
        assert page.locator("[data-cap-pp-done]").count() == len(STEPS) + len(ACTIONS)
        assert page.locator("[data-cap-pp-tools]").is_hidden()
        # (Chromium parses <noscript> as if scripts ran even when they are off: read it.)
        assert "Sans JavaScript, rien n'est gardé" in page.locator("[data-cap-passport] noscript").inner_html()
        page.locator(_box("step", STEPS[0])).check()  # native controls still work
        text = " ".join(_pdf_pages(page))
        for phase in CATALOG.sorted("journey"):
            for step in phase["steps"]:
                assert _norm(step["title"]["fr"]) in text
        assert "Passeport de : ……" in text and "Date : ……" in text  # blanks to fill in by hand
    finally:
        context.close()


# -- the offline bundle -----------------------------------------------------------------------


def _offline_context(browser, blocked: list[str]):
    context = browser.new_context(accept_downloads=True)

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    return context


def test_passport_works_offline_with_no_outside_request(offline_context, browser, tmp_path: Path):
    root = offline_context.root
    url = (root / OFFLINE_PAGE["fr"]).as_uri()
    page = offline_context.new_page()
    errors = _watch(page)
    try:
        page.goto(url)
        page.locator(_box("step", STEPS[0])).check()
        page.locator("#cap-pp-name").fill("Camille Dupont")
        page.reload()
        assert page.locator(_box("step", STEPS[0])).is_checked()
        assert _norm(page.locator("[data-cap-pp-progress]").text_content()) == _progress("fr", 1, 0)
        with page.expect_download() as download:
            page.locator("[data-cap-pp-export]").click()
        path = tmp_path / "passeport.json"
        download.value.save_as(path)
    finally:
        page.close()
    assert not offline_context.blocked, offline_context.blocked

    blocked: list[str] = []
    fresh = _offline_context(browser, blocked)
    page = fresh.new_page()
    errors += _watch(page)
    try:
        page.goto(url)
        assert not page.locator(_box("step", STEPS[0])).is_checked()
        page.locator("[data-cap-pp-import]").set_input_files(path)
        page.wait_for_function("document.querySelector('[data-cap-pp-message]').textContent.includes('importé')")
        assert page.locator(_box("step", STEPS[0])).is_checked()
        assert page.locator("#cap-pp-name").input_value() == "Camille Dupont"
        page.goto((root / OFFLINE_PAGE["en"]).as_uri())
        assert page.locator("[data-cap-pp-done]").count() == len(STEPS) + len(ACTIONS)
    finally:
        fresh.close()
    assert blocked == [] and errors == []


# -- readable by everyone -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_and_a_360_px_phone(browser, site_url: str, lang: str):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(site_url + PAGE[lang])
        page.locator("#cap-pp-name").fill("Camille Dupont")
        for item_id in STEPS[:2] + ACTIONS[:2]:
            kind = "step" if item_id in STEPS else "action"
            page.locator(_box(kind, item_id)).check()
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], widths
        settle(page)
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}, "resultTypes": ["violations"]}).response
        serious = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]
                   if v.get("impact") in ("serious", "critical")]
        assert serious == []
    finally:
        context.close()
