"""English terminology (data/terminology.yml, macros/terminology.py): one English
rendering per French term, checked in every English text of the site."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import MINI, ROOT, copy_data
from macros import terminology

TERMS = """\
terms:
  - fr: Texte d'orientation
    en: Policy Statement
    wrong: [orientation text]
  - fr: « nous ne possédons pas, nous transmettons »
    en: we do not own, we pass on
    wrong: ['we do not own, we hand on']
"""


def site_root(tmp_path: Path, terms: str = TERMS) -> Path:
    """A project root with the mini data set, the terms, one English page,
    the interface strings and a navigation: every kind of English text."""
    root = tmp_path / "project"
    data = copy_data(MINI, root / "data")
    (data / "terminology.yml").write_text(terms, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.en.md").write_text("# Home\n\nRead the Policy Statement.\n", encoding="utf-8")
    (root / "macros").mkdir()
    (root / "macros" / "strings.json").write_text(json.dumps({"orientation": {"en": "Policy Statement", "fr": "Texte d'orientation"}},
                                                             ensure_ascii=False, indent=2), encoding="utf-8")
    (root / "mkdocs.yml").write_text("plugins:\n  - i18n:\n      languages:\n        - locale: en\n          nav_translations:\n"
                                     "            Texte d'orientation: Policy Statement\n\nnav:\n  - Accueil: index.md\n", encoding="utf-8")
    return root


def test_the_real_site_uses_one_english_rendering_per_term():
    assert terminology.check(ROOT) == []


def test_the_real_list_covers_the_audited_terms():
    terms, problems = terminology.load(ROOT / "data", ROOT)
    assert problems == []
    english = {t.fr: t.en for t in terms}
    assert english["Texte d'orientation"] == "Policy Statement"
    assert english["révision coopérative"] == "cooperative review"
    assert english["relocalisation"] == "reshoring"
    assert any(t.en == "White Paper" for t in terms)
    assert any(t.en == "we were a model company" for t in terms)


def test_a_clean_root_passes(tmp_path: Path):
    assert terminology.check(site_root(tmp_path)) == []


def test_planted_wrong_renderings_are_reported_with_file_line_and_fix(tmp_path: Path):
    root = site_root(tmp_path)
    # a data text, the wrong phrase split over two lines of a folded block
    lever = root / "data" / "levers" / "levier-test.yml"
    lever.write_text(lever.read_text(encoding="utf-8") + "body:\n  fr: Corps.\n  en: >-\n    As the orientation\n    text says.\n", encoding="utf-8")
    (root / "docs" / "index.en.md").write_text("# Home\n\nSee the Orientation text and\nwe do not own, we hand on.\n", encoding="utf-8")
    strings = root / "macros" / "strings.json"
    strings.write_text(strings.read_text(encoding="utf-8").replace('"en": "Policy Statement"', '"en": "Orientation text"'), encoding="utf-8")
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("Texte d'orientation: Policy Statement", "Texte d'orientation: Orientation text"), encoding="utf-8")
    found = [str(p) for p in terminology.check(root)]
    fix = "écrivez « Policy Statement » (terminologie : data/terminology.yml, ligne 2)"
    assert found == [
        f"data/levers/levier-test.yml:12:12: rendu anglais à éviter « orientation text » (pour « Texte d'orientation ») — {fix}",
        f"docs/index.en.md:3:9: rendu anglais à éviter « Orientation text » (pour « Texte d'orientation ») — {fix}",
        "docs/index.en.md:4:1: rendu anglais à éviter « we do not own, we hand on » (pour « « nous ne possédons pas, nous transmettons » »)"
        " — écrivez « we do not own, we pass on » (terminologie : data/terminology.yml, ligne 5)",
        f"macros/strings.json:3:12: rendu anglais à éviter « Orientation text » (pour « Texte d'orientation ») — {fix}",
        f"mkdocs.yml:6:34: rendu anglais à éviter « Orientation text » (pour « Texte d'orientation ») — {fix}",
    ]


def test_french_text_is_not_checked(tmp_path: Path):
    root = site_root(tmp_path)
    lever = root / "data" / "levers" / "levier-test.yml"
    lever.write_text(lever.read_text(encoding="utf-8") + "body:\n  fr: the orientation text\n  en: Body.\n", encoding="utf-8")
    assert terminology.check(root) == []


@pytest.mark.parametrize("terms, expected", [
    ("terms:\n  - fr: Texte d'orientation\n    en: Policy Statement\n    wrong: [policy statement]\n",
     "data/terminology.yml:4:13: la variante « policy statement » correspond au bon rendu « Policy Statement » — écrivez une variante "
     "plus précise (un mot de plus), qui ne se trouve pas dans le bon rendu"),
    ("terms:\n  - fr: Texte d'orientation\n    en: Policy Statement\n",
     "data/terminology.yml:2:5: champ obligatoire « terms[1].wrong » manquant — ajoutez-le (description dans data/schemas/_terminology.schema.json)"),
])
def test_a_broken_list_is_reported_in_french(tmp_path: Path, terms: str, expected: str):
    root = site_root(tmp_path, terms)
    assert [str(p) for p in terminology.check(root)] == [expected]


def test_no_list_no_check(tmp_path: Path):
    root = site_root(tmp_path)
    (root / "data" / "terminology.yml").unlink()
    (root / "docs" / "index.en.md").write_text("The orientation text.\n", encoding="utf-8")
    assert terminology.check(root) == []


def test_make_check_fails_on_a_wrong_rendering(tmp_path: Path):
    """scripts/check.py (make check) runs the terminology check and exits 1."""
    import subprocess
    import sys

    root = tmp_path / "repo"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".venv", ".git", "site", "site-offline", "dist", ".cache", "node_modules"))
    page = root / "docs" / "index.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nThe orientation text.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(root / "scripts" / "check.py")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "docs/index.en.md" in result.stderr and "rendu anglais à éviter « orientation text »" in result.stderr
