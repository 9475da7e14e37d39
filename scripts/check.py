#!/usr/bin/env python3
"""Vérifie les données de data/ et affiche la couverture des traductions.

Trois vérifications, chacune avec fichier:ligne:colonne et ce qu'il faut faire :
- les fiches (schémas, renvois, textes, règles de macros/rules.py) ;
- la terminologie anglaise (data/terminology.yml, macros/terminology.py) ;
- les citations mot pour mot (tests/fixtures/seed-excerpts.yml, macros/verbatim.py).

Liste aussi les réponses de la FAQ vérifiées il y a plus de 12 mois (champ
« reviewed » ; date de référence : SOURCE_DATE_EPOCH si elle est définie,
sinon aujourd'hui — voir macros/freshness.py) : un avertissement, pas une
erreur, leurs pages affichent « Réponse peut-être dépassée ».

Usage : python scripts/check.py [DOSSIER_DATA]
Sortie 0 si tout va bien, 1 sinon.
Sur GitHub Actions, chaque problème devient aussi une annotation de la PR.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import freshness, terminology, verbatim  # noqa: E402
from macros.catalog import LANGUAGES, CatalogError, coverage, load_catalog  # noqa: E402


def _annotate(problem) -> str:
    message = f"{problem.message} — {problem.hint}".replace("%", "%25").replace("\n", "%0A")
    return f"::error file={problem.path},line={problem.line},col={problem.column},title=Données invalides::{message}"


def _freshness(catalog) -> None:
    """The FAQ answers to check again (not an error: the build still runs)."""
    questions = list(catalog["faq"].values())
    today = freshness.reference_date()
    old = freshness.stale(questions, today)
    if old:
        print(f"\n⚠ {len(old)} réponse(s) de la FAQ vérifiée(s) il y a plus de {freshness.REVIEW_MONTHS} mois"
              f" (date de référence : {today.isoformat()}) :")
        for record in old:
            print(f"  {record.path} : vérifiée le {record['reviewed']} — relisez-la contre ses sources,"
                  " puis mettez « reviewed » à la date du jour")


def main(argv: list[str]) -> int:
    data_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "data"
    status = 0
    try:
        catalog = load_catalog(data_dir, ROOT if data_dir.resolve().is_relative_to(ROOT) else data_dir.parent)
    except CatalogError as err:
        print(f"✗ {len(err.problems)} problème(s) dans {data_dir.name}/ :", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
            if os.environ.get("GITHUB_ACTIONS") == "true":
                print(_annotate(problem))
        status = 1
    else:
        total = sum(len(records) for records in catalog.collections.values())
        print(f"✓ {total} fiches valides dans {len(catalog.collections)} collections.")
        _freshness(catalog)

    for label, problems in (("terminologie anglaise", terminology.check(ROOT, data_dir)),
                            ("citations", verbatim.check(ROOT, data_dir))):
        if problems:
            print(f"✗ {len(problems)} problème(s) de {label} :", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
                if os.environ.get("GITHUB_ACTIONS") == "true":
                    print(_annotate(problem))
            status = 1
        else:
            print(f"✓ {label} : rien à signaler.")

    print("\nTraductions (textes traduits / textes) :")
    for name, per_lang in coverage(data_dir).items():
        cells = []
        for lang in LANGUAGES:
            done, count = per_lang[lang]
            percent = 100 * done / count if count else 100.0
            cells.append(f"{lang} {done}/{count} ({percent:.0f} %)")
        print(f"  {name:<14} " + "  ".join(cells))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
