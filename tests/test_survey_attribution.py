"""A survey figure is never shown without saying whose survey it is (issue #12).

The survey of the contributory workshops is one regional union's survey of
its members, with 105 questionnaires: not the view of the Movement or of
cooperators in general. Its source record carries an ``attribution``; the
templates print it beside every survey figure (macros/render.py
``attribution``, ``_parts.html`` ``credit``) and data texts that quote a
survey percentage say it in their own words.

Checked on the built site, both languages, print views included: every page
showing one of the survey's percentages also shows the attribution. A new
template or text that shows a survey figure without it fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from macros.catalog import load_catalog
from test_build_site import text_of

CATALOG = load_catalog(ROOT / "data")


def survey_figures():
    attributed = {sid for sid, s in CATALOG["sources"].items() if s.get("attribution")}
    return [f for f in CATALOG["figures"].values() if any(i["source"] in attributed for i in f["sources"])], attributed


def percentages(lang: str) -> set[str]:
    """Every survey percentage as a page shows it in ``lang`` (63,8 % / 63.8%)."""
    figures, _ = survey_figures()
    values = set()
    for figure in figures:
        if not figure.get("unit") or figure["unit"]["fr"] != "%":
            continue
        numbers = [figure["value"]] if figure.get("value") is not None else [v["value"] for v in figure["values"]]
        for number in numbers:
            shown = f"{number:g}"
            values.add(f"{shown.replace('.', ',')} %" if lang == "fr" else f"{shown}%")
    return values


def pages(site: Path, lang: str) -> list[Path]:
    root = site / "en" if lang == "en" else site
    found = []
    for path in sorted(root.rglob("index.html")):
        rel = path.relative_to(site).as_posix()
        if lang == "fr" and rel.startswith("en/"):
            continue
        if "md-content__inner" in path.read_text(encoding="utf-8"):
            found.append(path)
    return found


def test_the_survey_source_says_whose_survey_it_is():
    figures, attributed = survey_figures()
    assert attributed == {"ateliers-contributifs"}
    words = CATALOG.get("sources", "ateliers-contributifs")["attribution"]
    assert "union régionale" in words["fr"] and "105 questionnaires" in words["fr"]
    assert "regional union" in words["en"] and "105 questionnaires" in words["en"]
    assert len(figures) >= 10  # every figure of the survey is found by its source, none forgotten


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_with_a_survey_figure_says_whose_survey_it_is(site: Path, lang: str):
    words = " ".join(CATALOG.get("sources", "ateliers-contributifs")["attribution"][lang].split()).casefold()
    values = percentages(lang)
    assert {"63,8 %", "40,8 %", "79 %"} <= values or {"63.8%", "40.8%", "79%"} <= values
    checked, missing = 0, []
    for path in pages(site, lang):
        text = text_of(path)
        shown = sorted(v for v in values if re.search(rf"(?<![\d,.]){re.escape(v)}", text))
        if not shown:
            continue
        checked += 1
        if words not in text.casefold():
            missing.append(f"{path.relative_to(site)}: {', '.join(shown)}")
    assert not missing, "survey figures without « " + words + " »:\n" + "\n".join(missing)
    # the figures page, the home page, the kits, the argumentaires and their print views at least
    assert checked >= 10, checked


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_attribution_line_sits_with_each_chart(site: Path, lang: str):
    """On the figures page, each survey figure's own section carries the line
    (not only the page intro)."""
    figures, _ = survey_figures()
    html = (site / ("en" if lang == "en" else "") / "chiffres" / "index.html").read_text(encoding="utf-8")
    for figure in figures:
        section = re.search(rf'<h2 id="{figure.id}".*?(?=<h2 |</article>)', html, re.S)
        assert section, figure.id
        assert 'class="cap-credit"' in section.group(0), figure.id
