"""Build the mini data set (tests/fixtures/mini) and check the generated site."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import MINI, mkdocs_build


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def article(html: str) -> str:
    return re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S).group(1)


def test_one_page_per_record_in_each_language(mini_site: Path):
    for path in ("livre-blanc/leviers/levier-test", "livre-blanc/lignes/ligne-traduite",
                 "livre-blanc/lignes/ligne-non-traduite", "texte-orientation/axes/axe-test",
                 "texte-orientation/resolutions/resolution-test"):
        assert (mini_site / path / "index.html").is_file(), path
        assert (mini_site / "en" / path / "index.html").is_file(), path


def test_lang_attribute_per_language(mini_site: Path):
    assert '<html lang="fr"' in read(mini_site, "livre-blanc/lignes/ligne-traduite/index.html")
    assert '<html lang="en"' in read(mini_site, "en/livre-blanc/lignes/ligne-traduite/index.html")


def test_untranslated_record_shows_french_under_notice(mini_site: Path):
    body = article(read(mini_site, "en/livre-blanc/lignes/ligne-non-traduite/index.html"))
    notice = body.index("Not yet translated")
    assert body.index("Ce résumé n&rsquo;existe qu&rsquo;en français" if "&rsquo;" in body else "Ce résumé n'existe qu'en français") > notice
    assert "Action line 2" in body  # the template itself is translated
    translated = article(read(mini_site, "en/livre-blanc/lignes/ligne-traduite/index.html"))
    assert "Not yet translated" not in translated
    assert "Pas encore traduit" not in article(read(mini_site, "livre-blanc/lignes/ligne-non-traduite/index.html"))


def test_links_shown_in_both_directions(mini_site: Path):
    resolution = article(read(mini_site, "texte-orientation/resolutions/resolution-test/index.html"))
    assert 'href="../../../livre-blanc/lignes/ligne-traduite/"' in resolution
    line = article(read(mini_site, "livre-blanc/lignes/ligne-traduite/index.html"))
    assert 'href="../../../texte-orientation/resolutions/resolution-test/"' in line
    assert "Rapprochement éditorial" in line


def test_adding_a_record_adds_its_page(tmp_path: Path):
    from conftest import copy_data
    data = copy_data(MINI, tmp_path / "data")
    new = data / "action-lines" / "ligne-ajoutee.yml"
    new.write_text((data / "action-lines" / "ligne-traduite.yml").read_text(encoding="utf-8")
                   .replace("id: ligne-traduite", "id: ligne-ajoutee").replace("number: 1", "number: 3")
                   .replace("Ligne traduite", "Ligne ajoutée"), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(site, data)
    assert result.returncode == 0, result.stderr
    assert "Ligne ajoutée" in read(site, "livre-blanc/lignes/ligne-ajoutee/index.html")
    assert "ligne-ajoutee/" in read(site, "livre-blanc/index.html")


def test_search_index_per_language(mini_site: Path):
    fr = json.loads(read(mini_site, "search/search_index.json"))
    en = json.loads(read(mini_site, "en/search/search_index.json"))
    assert fr["config"]["lang"] == ["fr"] and en["config"]["lang"] == ["en"]
    fr_titles = {d["title"] for d in fr["docs"]}
    en_titles = {d["title"] for d in en["docs"]}
    assert "Ligne d'actions 1 — Ligne traduite" in fr_titles
    assert "Action line 1 — Translated line" in en_titles
    assert not any(t.startswith("Ligne d'actions") for t in en_titles)
    assert not any(t.startswith("Action line") for t in fr_titles)
    assert not any(d["location"].startswith("en/") for d in fr["docs"] + en["docs"])
    # English pages fetch the English index
    assert '"base": "../../../../en/"' in read(mini_site, "en/livre-blanc/lignes/ligne-traduite/index.html")


def test_language_switcher_points_to_same_page(mini_site: Path):
    html = read(mini_site, "en/livre-blanc/lignes/ligne-traduite/index.html")
    assert re.search(r'href="../../../../livre-blanc/lignes/ligne-traduite/" hreflang="fr"', html)
    html = read(mini_site, "livre-blanc/lignes/ligne-traduite/index.html")
    assert re.search(r'href="../../../en/livre-blanc/lignes/ligne-traduite/" hreflang="en"', html)
