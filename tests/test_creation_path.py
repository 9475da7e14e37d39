"""Issue #13, on the built sites: « Créer sa coopérative, étape par étape »
(page, numbered steps, forks, links), the « fait partie de » box on the FAQ
questions a step links to, the review date under each answer and the notice
on an answer not checked for twelve months (the mini data set plants an old
date), `make check`'s list of such answers, the « information générale »
notice, and the search synonyms. The print view and its PDF are checked with
the other printable documents (tests/test_print.py)."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINI, ROOT
from macros import freshness, render, search
from macros.catalog import load_catalog
from searching import page_path, search_groups
from sitecheck import page_file

CATALOG = load_catalog(ROOT / "data")
PATH = render.creation_path(CATALOG)
WORDS = {
    "fr": {"step": "Étape", "or": "ou", "and": "et", "part_of": "Cette question fait partie de", "path": "Créer sa coopérative, étape par étape",
           "n": "étape", "checked": "Vérifié le", "stale": "Réponse peut-être dépassée", "notice": "Information générale",
           "advice": "pas un conseil juridique"},
    "en": {"step": "Step", "or": "or", "and": "and", "part_of": "This question is part of", "path": "Starting your cooperative, step by step",
           "n": "step", "checked": "Checked on", "stale": "This answer may be out of date", "notice": "General information",
           "advice": "not legal advice"},
}


def _article(site: Path, src: str, lang: str) -> str:
    raw = (site / page_file(src, lang)).read_text(encoding="utf-8")
    return re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', raw, re.S).group(1)


def _text(fragment: str) -> str:
    fragment = re.sub(r"</?(?:abbr|a|em|strong|code|time|span|small)\b[^>]*>", "", fragment)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace("\u202f", " ").split())


def _sections(article: str, ids: list[str]) -> dict[str, str]:
    """The HTML from each heading ``id`` to the next of ``ids`` (or the end)."""
    starts = sorted((article.index(f'id="{i}"'), i) for i in ids)
    return {i: article[pos: (starts[n + 1][0] if n + 1 < len(starts) else len(article))] for n, (pos, i) in enumerate(starts)}


def _question_sections(site: Path, theme: str, lang: str) -> dict[str, str]:
    article = _article(site, f"faq/{theme}.md", lang)
    ids = [q.id for q in CATALOG.backlinks(CATALOG.get("faq-themes", theme), "faq")] + ["sources"]
    return _sections(article, ids)


# -- the creation path -------------------------------------------------------------------


def test_the_path_goes_from_the_first_contact_to_the_first_general_meeting():
    assert len(PATH) >= 8
    assert [g["number"] for g in PATH] == list(range(1, len(PATH) + 1))
    assert PATH[0]["steps"][0].id == "contacter-l-union-regionale"
    assert PATH[-1]["steps"][0].id == "tenir-la-premiere-assemblee"
    fork = next(g for g in PATH if g["kind"] == "or")  # creation, conversion, takeover
    assert {s["branch"] for s in fork["steps"]} == {"creation", "transformation", "reprise"}
    assert any(g["kind"] == "and" for g in PATH)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_path_page_shows_numbered_steps_forks_and_links(site: Path, lang: str):
    w = WORDS[lang]
    article = _article(site, "faq/etapes.md", lang)
    h2 = [_text(t) for t in re.findall(r"<h2 [^>]*>(.*?)</h2>", article, re.S)]
    numbers = [int(m.group(1)) for t in h2 if (m := re.match(rf"{w['step']} (\d+) — ", t))]
    assert numbers == [g["number"] for g in PATH], h2
    steps = [s for g in PATH for s in g["steps"]]
    sections = _sections(article, [s.id for s in steps])
    for step in steps:
        part = sections[step.id]
        assert (step["title"][lang] in _text(part)), step.id
        for q in CATALOG.forward(step, "faq"):  # each question that goes deeper, linked
            assert f'href="../{q["theme"]}/#{q.id}"' in part, (step.id, q.id)
    for group in PATH:  # « ou » / « et » between the steps of one number
        if group["kind"] != "one":
            first, *others = group["steps"]
            for other in others:
                between = article[article.index(f'id="{first.id}"'): article.index(f'id="{other.id}"')]
                assert f'<p class="cap-step__connector">{w[group["kind"]]}</p>' in between, (group["number"], other.id)
    unknown = {"fr": "Demandez-les à votre union régionale", "en": "Ask your regional union"}[lang]
    for step in steps:  # a cost or time from a source, else where to ask
        text = _text(sections[step.id])
        assert (" ".join(step["cost_or_duration"][lang].split()) in text) if step.get("cost_or_duration") else (unknown in text)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_path_is_in_the_nav_and_linked_from_the_faq_index_and_home(site: Path, lang: str):
    for src in ("index.md", "faq/index.md"):
        raw = (site / page_file(src, lang)).read_text(encoding="utf-8")
        article = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', raw, re.S).group(1)
        assert re.search(r'href="(?:\.\./)*(?:faq/)?etapes/"', article), src
    nav = (site / page_file("kits/index.md", lang)).read_text(encoding="utf-8")
    assert re.search(r'<a href="[./]*faq/etapes/" class="md-nav__link">', nav)


# -- « fait partie de », review dates, stale notices --------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_questions_of_a_step_show_which_step_they_are_part_of(site: Path, lang: str):
    w = WORDS[lang]
    checked = 0
    for group in PATH:
        for step in group["steps"]:
            for q in CATALOG.forward(step, "faq"):
                part = _question_sections(site, q["theme"], lang)[q.id]
                box = re.search(r'<p class="cap-part-of">(.*?)</p>', part, re.S)
                assert box, q.id
                assert f'href="../etapes/#{step.id}"' in box.group(1)
                assert _text(box.group(1)).startswith(w["part_of"] + (" : " if lang == "fr" else ": "))
                assert f"{w['path']} — {w['n']} {group['number']}" in _text(box.group(1)), (q.id, _text(box.group(1)))
                checked += 1
    assert checked >= 20
    linked = {q.id for g in PATH for s in g["steps"] for q in CATALOG.forward(s, "faq")}
    other = next(q for q in CATALOG["faq"].values() if q.id not in linked)
    assert 'class="cap-part-of"' not in _question_sections(site, other["theme"], lang)[other.id]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_reviewed_answer_shows_its_date_and_none_is_stale(site: Path, lang: str):
    w = WORDS[lang]
    dated = [q for q in CATALOG["faq"].values() if q.get("reviewed")]
    assert len(dated) >= 8
    for q in dated:
        part = _question_sections(site, q["theme"], lang)[q.id]
        day = dt.date.fromisoformat(q["reviewed"])
        shown = re.search(r'<span class="cap-reviewed">(.*?)</span>', part, re.S)
        assert shown and f'<time datetime="{day.isoformat()}">' in shown.group(1), q.id
        month = {"fr": "novembre", "en": "November"}[lang] if day.month == 11 else ""
        assert _text(shown.group(1)).startswith(f"{w['checked']} {day.day} {month}".strip()), _text(shown.group(1))
        assert w["stale"] not in _text(part), q.id  # built at the last commit's date: all fresh


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_answer_checked_long_ago_says_it_may_be_out_of_date(mini_site: Path, lang: str):
    """tests/fixtures/mini/faq/question-test.yml plants « reviewed: 2020-01-15 »."""
    w = WORDS[lang]
    article = _article(mini_site, "faq/theme-test.md", lang)
    part = article[article.index('id="question-test"'):]
    notice = re.search(r'<div class="admonition warning">(.*?)</div>', part, re.S)
    assert notice, "no stale notice"
    text = _text(notice.group(1))
    assert text.startswith(w["stale"]) and {"fr": "15 janvier 2020", "en": "15 January 2020"}[lang] in text
    assert part.index('class="admonition warning"') < part.index("<p>" + {"fr": "Réponse d'essai.", "en": "Test answer."}[lang])


def _check(data: Path, day: dt.date) -> subprocess.CompletedProcess:
    epoch = int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp())
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "check.py"), str(data)], cwd=ROOT,
                          env=dict(os.environ, SOURCE_DATE_EPOCH=str(epoch)), capture_output=True, text=True, timeout=120)


def test_make_check_lists_answers_not_reviewed_for_twelve_months():
    late = _check(MINI, dt.date(2026, 11, 29))
    assert late.returncode == 0, late.stderr  # a warning, not an error
    assert "⚠ 1 réponse(s) de la FAQ vérifiée(s) il y a plus de 12 mois (date de référence : 2026-11-29)" in late.stdout
    assert "question-test.yml : vérifiée le 2020-01-15" in late.stdout
    on_time = _check(MINI, dt.date(2021, 1, 15))  # exactly twelve months later: still fresh
    assert on_time.returncode == 0 and "question-test.yml" not in on_time.stdout
    real = _check(ROOT / "data", dt.date(2026, 11, 29))
    assert real.returncode == 0 and "⚠" not in real.stdout, real.stdout


def test_review_is_due_twelve_months_later():
    assert freshness.review_due(dt.date(2025, 11, 29)) == dt.date(2026, 11, 29)
    assert freshness.review_due(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert not freshness.is_stale("2025-11-29", dt.date(2026, 11, 29))
    assert freshness.is_stale("2025-11-28", dt.date(2026, 11, 29))
    assert not freshness.is_stale(None, dt.date(2026, 11, 29))


# -- « information générale, pas un conseil juridique » ---------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_faq_and_path_say_general_information_not_legal_advice(site: Path, lang: str):
    w = WORDS[lang]
    pages = ["faq/index.md", "faq/etapes.md"] + [f"faq/{t.id}.md" for t in CATALOG["faq-themes"].values()]
    for src in pages:
        notice = re.search(r'<div class="admonition info">(.*?)</div>', _article(site, src, lang), re.S)
        assert notice, src
        text = _text(notice.group(1))
        assert text.startswith(w["notice"]) and w["advice"] in text and {"fr": "union régionale", "en": "regional union"}[lang] in text, src


# -- search synonyms --------------------------------------------------------------------------


def test_synonyms_go_to_the_entries_that_use_the_site_s_term():
    catalog = load_catalog(MINI)  # synonyme-test: « réponse » → « motdetouslesjours »
    docs = [{"title": "Des réponses", "text": ""}, {"title": "Autre", "text": "<p>Une réponse d'essai</p>"},
            {"title": "Rien", "text": "<p>Sans le terme</p>"}]
    search.add_keywords(docs, search.synonym_keywords(catalog, "fr"))
    assert "motdetouslesjours" in docs[0]["title_keywords"]  # plural of the term, in the title
    assert "motdetouslesjours" in docs[1]["keywords"] and "title_keywords" not in docs[1]
    assert "keywords" not in docs[2] and "title_keywords" not in docs[2]
    english = [{"title": "The answers", "text": ""}]
    search.add_keywords(english, search.synonym_keywords(catalog, "en"))
    assert "everydayword" in english[0]["title_keywords"]


@pytest.mark.parametrize("lang, word, location", [
    ("fr", "kbis", "faq/creer-sa-cooperative/#immatriculer-la-scop"),
    ("en", "paperwork", "faq/creer-sa-cooperative/#immatriculer-la-scop"),
])
def test_everyday_word_is_in_the_index_of_the_page_that_uses_the_legal_word(site: Path, lang, word, location):
    index = json.loads((site / ("en" if lang == "en" else "") / "search" / "search_index.json").read_text(encoding="utf-8"))
    entry = next(d for d in index["docs"] if d["location"] == location)
    assert word not in search.fold(entry["title"] + " " + entry["text"])  # the page never says it…
    assert word in search.fold(entry.get("title_keywords", "") + " " + entry.get("keywords", ""))  # …the index does


def test_a_query_with_only_the_everyday_word_finds_the_answer(browser, site: Path, site_url: str):
    page = browser.new_page()
    try:
        page.goto(site_url)
        groups = [[page_path(h, site_url, "fr") + "#" + h.split("#")[1] for h in hrefs if "#" in h]
                  for hrefs in search_groups(page, "kbis")]
        assert any("faq/creer-sa-cooperative#immatriculer-la-scop" in g for g in groups[:5]), groups[:5]
    finally:
        page.close()
