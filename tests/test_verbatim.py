"""Quotations are verbatim or visibly marked (macros/verbatim.py) against the
passages kept in tests/fixtures/seed-excerpts.yml (the tests never read the
source documents themselves: they are outside the repository)."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import MINI, ROOT, copy_data
from macros import verbatim
from macros.catalog import load_catalog

EXCERPTS = ROOT / verbatim.EXCERPTS
HINT = ("recopiez les mots du document tels quels (mots omis : « […] », coquille du document : « [sic] ») ; "
        "pour une nouvelle citation, ajoutez la phrase, son document et sa ligne à tests/fixtures/seed-excerpts.yml ; "
        "si ce sont vos propres mots, retirez les guillemets")


def test_every_quotation_of_the_real_data_is_verbatim():
    assert verbatim.check(ROOT) == []


def test_the_excerpts_name_their_document_and_line():
    data = yaml.safe_load(EXCERPTS.read_text(encoding="utf-8"))
    sources = load_catalog(ROOT / "data")["sources"]
    assert len(data["excerpts"]) >= 90
    for item in data["excerpts"]:
        assert sources[item["source"]]["type"] == "seed", item
        assert item["file"].endswith(".txt") and item["line"] >= 1, item
    for item in data["public"]:
        assert sources[item["source"]]["type"] in ("law", "official", "movement"), item
        assert item["url"].startswith("https://") and item["page"], item


def test_the_quotes_collection_keeps_the_documents_typo():
    catalog = load_catalog(ROOT / "data")
    mooc = catalog.get("quotes", "master-mooc")
    assert "cessions [sic]" in mooc["text"]["fr"] and "sessions" in mooc["note"]["fr"]
    assert "sessions" in mooc["text"]["en"]


def test_comparison_forgives_layout_not_words():
    excerpts = verbatim.Excerpts((verbatim.normalise("Les ressources du Mouvement existent mais elles sont encore peu con-\nnues"),), frozenset())
    assert excerpts.found("les ressources du Mouvement existent mais elles sont encore peu connues")
    assert excerpts.found("Les ressources du Mouvement existent […] encore peu connues")
    assert excerpts.found("… existent mais elles sont…")
    assert not excerpts.found("les ressources du Mouvement existent et sont encore peu connues")
    assert not excerpts.found("encore peu connues […] Les ressources du Mouvement")  # the order of the words counts
    typo = verbatim.Excerpts((verbatim.normalise("des cessions coopératives"),), frozenset())
    assert typo.found("des cessions [sic] coopératives") and not typo.found("des sessions coopératives")


def planted(tmp_path: Path, quote_text: str | None = None, answer: str | None = None) -> list[str]:
    data = copy_data(MINI, tmp_path / "data")
    excerpts = tmp_path / "excerpts.yml"
    excerpts.write_text(
        "excerpts:\n"
        "  - {source: livre-blanc, file: 002.txt, line: 909, text: \"Le logo SCOP Entreprises visible dans chaque SCOP. C'est simple, facile mais ça n'existe pas encore !\"}\n"
        "  - {source: livre-blanc, file: 002.txt, line: 1577, text: SAS Société Anonyme Simplifiée}\n"
        "author_phrases:\n"
        "  - {file: data/faq/question-test.yml, text: 'une personne, une voix'}\n"
        "terms:\n"
        "  - {text: part travail}\n", encoding="utf-8")
    if quote_text is not None:
        quote = data / "quotes" / "citation-test.yml"
        quote.write_text(quote.read_text(encoding="utf-8").replace("SAS Société Anonyme Simplifiée", quote_text), encoding="utf-8")
    if answer is not None:
        faq = data / "faq" / "question-test.yml"
        faq.write_text(faq.read_text(encoding="utf-8").replace("answer: {fr: Réponse d'essai., en: Test answer.}",
                                                                f"answer:\n  fr: >-\n    {answer}\n  en: Test answer."), encoding="utf-8")
    return [str(p) for p in verbatim.check(tmp_path, data, excerpts)]


def test_planted_altered_quotation_is_reported(tmp_path: Path):
    assert planted(tmp_path, answer="Le Livre blanc le dit : « c'est simple, facile et ça n'existe pas » !") == [
        f"data/faq/question-test.yml:8:31: texte entre guillemets introuvable dans les sources : « c'est simple, facile et ça n'existe pas » — {HINT}"]


def test_planted_altered_quotes_record_is_reported(tmp_path: Path):
    assert planted(tmp_path, quote_text="Une citation d'essai améliorée") == [
        f"data/quotes/citation-test.yml:3:12: citation différente du document : « Une citation d'essai améliorée » — {HINT}"]


def test_marked_cuts_typos_own_names_and_author_phrases_pass(tmp_path: Path):
    answer = ("« C'est simple, facile […] pas encore ! », dit le Livre blanc ; voir « Pratique d'essai » et "
              "« Kit d'essai » ; « une personne, une voix ».")
    assert planted(tmp_path, answer=answer) == []


def test_objections_and_speaking_notes_are_the_authors_words(tmp_path: Path):
    data = copy_data(MINI, tmp_path / "data")
    kit = data / "kits" / "kit-test.yml"
    kit.write_text(kit.read_text(encoding="utf-8").replace("kind: card", "kind: script", 1)
                   .replace("Texte de la carte.", "« Bonjour et bienvenue chez nous. »"), encoding="utf-8")
    excerpts = tmp_path / "excerpts.yml"
    excerpts.write_text("excerpts:\n  - {source: livre-blanc, file: x.txt, line: 1, text: SAS Société Anonyme Simplifiée}\n", encoding="utf-8")
    assert verbatim.check(tmp_path, data, excerpts) == []
    kit.write_text(kit.read_text(encoding="utf-8").replace("kind: script", "kind: card", 1), encoding="utf-8")
    assert [p.message for p in verbatim.check(tmp_path, data, excerpts)] == [
        "texte entre guillemets introuvable dans les sources : « Bonjour et bienvenue chez nous. »"]


def test_a_broken_excerpts_file_is_reported_in_french(tmp_path: Path):
    data = copy_data(MINI, tmp_path / "data")
    excerpts = tmp_path / "excerpts.yml"
    excerpts.write_text("excerpts:\n  - {text: a : b: c}\n", encoding="utf-8")
    found = verbatim.check(tmp_path, data, excerpts)
    assert len(found) == 1 and found[0].message == "erreur de syntaxe YAML dans les extraits des sources"


def test_a_term_named_between_quotation_marks_is_not_a_quotation(tmp_path: Path):
    """« part travail » names a term listed under ``terms``: accepted anywhere.
    An unlisted short phrase in « » is still checked."""
    assert planted(tmp_path / "term", answer="La « part travail » revient aux salariés.") == []
    assert planted(tmp_path / "other", answer="La « part des anges » revient aux salariés.") == [
        f"data/faq/question-test.yml:8:10: texte entre guillemets introuvable dans les sources : « part des anges » — {HINT}"]
