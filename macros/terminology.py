"""English terminology: one English rendering per French term.

The list is ``data/terminology.yml`` (schema ``data/schemas/_terminology.schema.json``):
each French term, its one English rendering and the renderings known to be
wrong. ``check(root, data_dir)`` reports every wrong rendering found in the
English text of the site — the ``en`` fields of ``data/``, the English pages
``docs/**/*.en.md``, the English interface strings ``macros/strings.json`` and
the English navigation (``nav_translations`` of ``mkdocs.yml``) — as
``file:line:column: message — what to write instead``, in French.

Run by ``make check`` (scripts/check.py) and by the tests
(tests/test_terminology.py). Knows nothing of MkDocs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from jsonschema import Draft202012Validator

from . import textscan
from .catalog import Problem, _Located, _nearest, _read_yaml, _schema_problem

FILE_NAME = "terminology.yml"
SCHEMA = "_terminology.schema.json"


@dataclass(frozen=True)
class Term:
    """A French term, its English rendering and the renderings to avoid."""

    fr: str
    en: str
    wrong: tuple[str, ...]
    line: int


def load(data_dir: Path, root: Path) -> tuple[list[Term], list[Problem]]:
    """The terms of ``data_dir/terminology.yml`` (none if the file is absent)."""
    path = data_dir / FILE_NAME
    if not path.exists():
        return [], []
    shown = textscan.relative(path, root)
    try:
        data, positions = _read_yaml(path.read_bytes())
    except _Located as err:
        return [], [Problem(shown, err.line, err.column, err.message, err.hint)]
    schema = json.loads((data_dir / "schemas" / SCHEMA).read_text(encoding="utf-8"))
    problems = []
    for err in Draft202012Validator(schema).iter_errors(data):
        where, message, hint = _schema_problem(err, f"data/schemas/{SCHEMA}")
        problems.append(Problem(shown, *_nearest(positions, where), message, hint))
    if problems:
        return [], problems
    terms = []
    for index, item in enumerate(data["terms"]):
        line, _ = _nearest(positions, ("terms", index))
        kept = []
        for number, variant in enumerate(item["wrong"]):
            # a variant that matches the right rendering would flag every correct use: reported, not used
            if textscan.phrase_pattern(variant).search(item["en"]):
                problems.append(Problem(shown, *_nearest(positions, ("terms", index, "wrong", number)),
                                        f"la variante « {variant} » correspond au bon rendu « {item['en']} »",
                                        "écrivez une variante plus précise (un mot de plus), qui ne se trouve pas dans le bon rendu"))
            else:
                kept.append(variant)
        terms.append(Term(item["fr"], item["en"], tuple(kept), line))
    return terms, problems


def english_texts(root: Path, data_dir: Path) -> Iterator[textscan.Text]:
    """Every English text of the site."""
    yield from textscan.data_texts(data_dir, root, languages=("en",))
    yield from textscan.markdown_texts(root / "docs", root)
    yield from textscan.strings_texts(root / "macros" / "strings.json", root)
    yield from textscan.nav_translation_texts(root / "mkdocs.yml", root)


def check(root: Path, data_dir: Path | None = None) -> list[Problem]:
    """Every wrong English rendering in the site's English text."""
    data_dir = data_dir or root / "data"
    terms, problems = load(data_dir, root)
    patterns = [(term, variant, textscan.phrase_pattern(variant)) for term in terms for variant in term.wrong]
    for text in english_texts(root, data_dir):
        for term, variant, pattern in patterns:
            for line, column, found in textscan.locate(text, pattern):
                problems.append(Problem(
                    text.path, line, column,
                    f"rendu anglais à éviter « {found} » (pour « {term.fr} »)",
                    f"écrivez « {term.en} » (terminologie : data/{FILE_NAME}, ligne {term.line})"))
    return sorted(set(problems))


def _main() -> int:  # pragma: no cover - convenience: python -m macros.terminology
    root = Path(__file__).resolve().parent.parent
    problems = check(root)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())


__all__ = ["Term", "load", "check", "english_texts"]
