"""Content truth (issue #12): the rules that keep the audited facts right.

The loader cases (tests/cases/rule-legal-*, schema-figures-base-without-source,
schema-sources-law-without-url) show each check failing with its French
message; here, what the real data must keep true, and the checks passing on
valid data.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import MINI, ROOT, copy_data
from macros import rules, textscan
from macros.catalog import load_catalog

CATALOG = load_catalog(ROOT / "data")


def test_a_rule_of_law_citing_an_official_page_and_a_law_with_its_article_loads(tmp_path: Path):
    data = copy_data(MINI, tmp_path / "data")
    (data / "sources" / "loi-test.yml").write_text(
        "id: loi-test\ntype: law\ntitle: {fr: Loi, en: Act}\npublisher: {fr: RF, en: RF}\nsummary: {fr: Loi., en: Act.}\n"
        "url: https://www.legifrance.gouv.fr/loda/id/JORFTEXT000000684004\n", encoding="utf-8")
    kit = data / "kits" / "kit-test.yml"
    text = kit.read_text(encoding="utf-8")
    text = text.replace("    body: {fr: Texte de la carte., en: Card text.}\n", "    legal: true\n    body: {fr: Texte de la carte., en: Card text.}\n", 1)
    text = text.replace("sources:\n  - source: livre-blanc\n", "sources:\n  - source: livre-blanc\n  - source: loi-test\n    page: art. L7331-3\n")
    kit.write_text(text, encoding="utf-8")
    catalog = load_catalog(data, tmp_path)
    assert catalog.get("kits", "kit-test")["pieces"][0]["legal"] is True


def test_articles_are_recognised_in_the_page_field():
    for page in ("art. 1", "article 9", "articles 19 et 20", "art. L7331-3", "art. 49 ter", "L227-1"):
        assert rules._ARTICLE.search(page), page
    for page in ("Titre Ier, chapitre Ier", "Gestion démocratique", "Scop d'amorçage", ""):
        assert not rules._ARTICLE.search(page), page


def test_every_published_rule_of_law_is_marked_and_sourced():
    """The checks are not empty shells: the real FAQ, argumentaires and kits mark
    their rules of law, and each marked record cites an official source."""
    marked = [r for name in ("faq", "arguments", "kits") for r in CATALOG[name].values() if list(rules._legal_marks(r.data))]
    assert len(marked) >= 25
    for name in ("qu-est-ce-qu-une-scop", "une-personne-une-voix", "qu-est-ce-qu-une-cae", "scop-d-amorcage", "devenir-associe"):
        assert CATALOG.get("faq", name)["legal"] is True, name
    for record in marked:
        types = {CATALOG.get("sources", s["source"])["type"] for s in record["sources"]}
        assert types & {"law", "official"}, record.path


def test_the_51_65_rule_is_never_stated_as_absolute():
    """Everywhere the site says 51 % / 65 %, it says « en principe » (the Scop
    d'amorçage is an exception), in both languages, kits included."""
    seen = 0
    for text in textscan.data_texts(ROOT / "data", ROOT):
        value = " ".join(text.value.split()).replace("\u202f", " ")
        for match in re.finditer(r"51 ?%", value):
            seen += 1
            window = value[max(0, match.start() - 220): match.end() + 40].lower()
            assert ("en principe" if text.lang == "fr" else "in principle") in window, (text.path, text.context, text.lang)
    assert seen >= 10


def test_survey_figures_carry_no_base_the_document_does_not_give():
    for figure in CATALOG["figures"].values():
        if figure.get("base") is not None:
            assert figure["base_source"] and str(figure["base"]) in figure["base_source"], figure.id
    assert [f.id for f in CATALOG["figures"].values() if f.get("base")] == ["moments-echanges"]
    for figure in CATALOG["figures"].values():
        note = (figure.get("note") or {}).get("fr", "")
        assert "rapporté par le document à l'ensemble du sondage" not in note, figure.id


def test_the_cae_associate_deadline_and_the_sas_name_are_right():
    cae = " ".join(CATALOG.get("faq", "qu-est-ce-qu-une-cae")["answer"]["fr"].split())
    assert "trois ans" in cae and "L7331-3" in cae
    sas = CATALOG.get("glossary", "sas")
    assert sas["expansion"]["fr"] == "Société par actions simplifiée"
    assert "erreur" in sas["definition"]["fr"]


def test_law_sources_have_official_addresses():
    for source in CATALOG["sources"].values():
        if source["type"] in ("law", "official"):
            assert source["url"].startswith("https://"), source.id
    laws = {s.id for s in CATALOG["sources"].values() if s["type"] == "law"}
    assert {"loi-1947-cooperation", "loi-1978-scop", "loi-2014-ess", "code-du-travail"} <= laws
    assert "cgscop-site" not in CATALOG["sources"]  # declared, never read, never cited: removed

