"""The real site, built once: pages, counts, figures, FAQ JSON-LD, orphans."""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from macros.catalog import coverage, load_catalog
from macros.render import SECTIONS, page_src

CATALOG = load_catalog(ROOT / "data")
# Facts from the source documents that tests check, kept in the repository
# (DESIGN.md: no test reads anything outside the checkout).
SURVEY = ROOT / "tests" / "fixtures" / "survey-percentages.yml"


def page_path(site: Path, src: str, lang: str) -> Path:
    src = src.split("#")[0]
    stem = src[:-3]
    rel = Path(stem[: -len("index")] if stem.endswith("index") else stem + "/") / "index.html"
    return site / ("en" if lang == "en" else "") / rel


def text_of(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    body = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', raw, re.S).group(1)
    body = re.sub(r"</?(?:abbr|a|em|strong|code)\b[^>]*>", "", body)  # inline tags: no space
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u202f", " ").replace("\xa0", " ")
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_record_page_exists_with_its_title(site: Path, lang: str):
    for name, section in SECTIONS.items():
        if not section.folder:
            continue
        for record in CATALOG[name].values():
            path = page_path(site, page_src(record), lang)
            html = path.read_text(encoding="utf-8")
            title = record["title"][lang]
            assert htmllib.escape(title, quote=False).replace("'", "&#39;") in html or title in htmllib.unescape(html), (path, title)
            assert f'<html lang="{lang}"' in html


def test_white_paper_and_orientation_counts(site: Path):
    assert len(CATALOG["levers"]) == 4 and len(CATALOG["action-lines"]) == 13
    assert len(CATALOG["axes"]) == 3 and len(CATALOG["resolutions"]) == 11
    numbers = sorted(r["number"] for r in CATALOG["action-lines"].values())
    assert numbers == list(range(1, 14))
    assert sorted(r["number"] for r in CATALOG["resolutions"].values()) == list(range(1, 12))
    fr = text_of(site / "livre-blanc" / "index.html")
    for line in CATALOG["action-lines"].values():
        assert " ".join(line["title"]["fr"].split()) in fr
    first = next(r for r in CATALOG["resolutions"].values() if r["number"] == 1)
    assert len(first["pillars"]) == 4


def test_content_counts():
    assert len(CATALOG["journey"]) == 3
    assert len(CATALOG["journey-steps"]) >= 7
    assert len(CATALOG["practices"]) >= 20
    assert len(CATALOG["faq"]) >= 30 and len(CATALOG["faq-themes"]) >= 5
    assert len(CATALOG["kits"]) >= 4
    assert len(CATALOG["arguments"]) >= 6


def test_every_survey_percentage_of_the_seed_is_on_the_site(site: Path):
    """The 19 percentages of the survey (tests/fixtures/survey-percentages.yml,
    copied from the seed with their line) and its 105 questionnaires are all
    on the figures page, in both languages."""
    survey = yaml.safe_load(SURVEY.read_text(encoding="utf-8"))
    values = [item["value"] for item in survey["percentages"]]
    assert len(values) == len(set(values)) == 19
    assert all(re.fullmatch(r"\d+(?:,\d)?", v) for v in values)
    fr = text_of(site / "chiffres" / "index.html")
    en = text_of(site / "en" / "chiffres" / "index.html")
    for value in values:
        assert f"{value} %" in fr, value
        assert f"{value.replace(',', '.')}%" in en, value
    questionnaires = str(survey["questionnaires"])
    assert questionnaires == "105" and questionnaires in fr and questionnaires in en


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_faq_json_ld_lists_every_question(site: Path, lang: str):
    seen = set()
    for theme in CATALOG["faq-themes"].values():
        html = page_path(site, page_src(theme), lang).read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1
        data = json.loads(blocks[0])
        assert data["@type"] == "FAQPage" and data["inLanguage"] == lang
        names = {q["name"] for q in data["mainEntity"]}
        for q in CATALOG["faq"].values():
            if q["theme"] == theme.id:
                assert " ".join(q["question"][lang].replace("*", "").split()) in names
                seen.add(q.id)
                assert f'id="{q.id}"' in html  # each question has its own anchor
    assert seen == set(CATALOG["faq"])


def test_no_orphan_record(site: Path):
    """Every record is reachable from a hand-written index page of its section."""
    handwritten = [p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md") if not p.name.endswith(".en.md")]
    index_html = "".join(page_path(site, src, "fr").read_text(encoding="utf-8") for src in handwritten)
    for name in SECTIONS:
        for record in CATALOG[name].values():
            src = page_src(record)
            page, _, anchor = src.partition("#")
            target = page_path(site, page, "fr")
            assert target.exists(), (name, record.id)
            if anchor:
                assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), (name, record.id)
            else:
                url = page[:-3] + "/"
                assert f'{url.split("/")[-2]}/"' in index_html, (name, record.id)


def test_english_translation_is_complete():
    for name, per_lang in coverage(ROOT / "data").items():
        done, total = per_lang["en"]
        assert done == total, f"{name}: {done}/{total}"


@pytest.mark.parametrize("lang,other", [("fr", "en"), ("en", "fr")])
def test_search_index_holds_only_its_language(site: Path, lang: str, other: str):
    index = json.loads((site / ("en/" if lang == "en" else "") / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {d["title"] for d in index["docs"]}
    for line in CATALOG["action-lines"].values():
        own = line["title"][lang]
        foreign = line["title"][other]
        assert any(own in t for t in titles), own
        assert not any(foreign in t for t in titles if foreign != own), foreign


BOTH_SIDES = {"levers", "action-lines", "axes", "resolutions", "practices", "journey-steps", "arguments", "kits", "faq-themes"}


def test_cross_references_shown_on_both_sides(site: Path):
    checked = 0
    for link in CATALOG.links:
        if link.target.collection not in BOTH_SIDES or link.source.collection not in SECTIONS:
            continue
        source_page, _, source_anchor = page_src(link.source).partition("#")
        if source_page == page_src(link.target).split("#")[0]:
            continue  # a question shown on its own theme's page
        target_page = page_path(site, page_src(link.target), "fr").read_text(encoding="utf-8")
        slug = source_page[:-3].split("/")[-1]
        wanted = f'{slug}/#{source_anchor}"' if source_anchor else f'{slug}/"'
        assert wanted in target_page, (link.source.collection, link.source.id, "→", link.target.collection, link.target.id)
        checked += 1
    assert checked > 200


def test_every_reference_text_is_shown(site: Path):
    pages = [(site / p / "index.html").read_text(encoding="utf-8") for p in ("livre-blanc", "texte-orientation", "services", "citations")]
    for text in CATALOG["texts"].values():
        assert any(f'id="{text.id}"' in page for page in pages), text.id


def test_sitemap_lists_record_pages_in_both_languages(site: Path):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for record in CATALOG["practices"].values():
        path = page_src(record)[:-3] + "/"
        assert f"/{path}</loc>" in sitemap and f"/en/{path}</loc>" in sitemap, record.id
