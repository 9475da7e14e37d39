#!/usr/bin/env python3
"""Crée une fiche à compléter : data/<collection>/<identifiant>.yml.

La fiche contient tous les champs obligatoires de la collection (lus dans
data/schemas/), chacun précédé d'un commentaire qui dit quoi écrire, avec
un exemple. Les valeurs sont laissées vides : tant qu'elles le sont,
`make check` liste, ligne par ligne, ce qui reste à compléter (« … est
vide — remplissez-le », « … doit être un nombre entier, pas une valeur
vide », « renvoi vers «  » introuvable … : fiches de data/…/ : … »).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import textwrap
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from fields import Field, Schemas, example_text, fields, kind, shown_examples  # noqa: E402

USAGE = "make new COLLECTION=faq ID=frais-de-greffe"
WIDTH = 100


class Refused(Exception):
    """A request new.py turns down, with what to do instead."""

    def __init__(self, problem: str, hint: str):
        super().__init__(f"{problem} — {hint}")


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def slug(text: str) -> str:
    """« Capital minimum ! » → capital-minimum."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def check_request(schemas: Schemas, data_dir: Path, collection: str, record_id: str) -> Path:
    """The path of the new file, or :class:`Refused`."""
    if not collection.strip():
        raise Refused("collection manquante", f"indiquez-la : {USAGE}")
    known = schemas.collections()
    if collection not in known:
        close = difflib.get_close_matches(collection, known, n=1)
        advice = f"vouliez-vous dire « {close[0]} » ? " if close else ""
        raise Refused(f"collection « {collection} » inconnue", f"{advice}collections possibles : {', '.join(known)}")
    if not record_id.strip():
        raise Refused("identifiant manquant", f"indiquez-le : {USAGE}")
    id_schema, _ = schemas.resolve(schemas.root(collection)[0]["properties"]["id"], f"{collection}.schema.json")
    pattern, limit = id_schema.get("pattern", r"^[a-z0-9]+(-[a-z0-9]+)*$"), id_schema.get("maxLength", 80)
    if not re.fullmatch(pattern, record_id):
        suggestion = slug(record_id)[:limit].strip("-")
        example = f", par exemple « {suggestion} »" if suggestion else ""
        raise Refused(f"identifiant « {record_id} » invalide",
                      f"utilisez seulement des minuscules sans accent, des chiffres et des tirets{example}")
    if len(record_id) > limit:
        raise Refused(f"identifiant trop long ({len(record_id)} caractères, limite {limit})", "raccourcissez-le")
    path = data_dir / collection / f"{record_id}.yml"
    if path.exists():
        raise Refused(f"la fiche {shown(path, data_dir)} existe déjà",
                      "choisissez un autre identifiant, ou ouvrez ce fichier pour le modifier")
    return path


def shown(path: Path, data_dir: Path) -> str:
    """data/faq/x.yml, whatever the data folder is called on disk."""
    return f"data/{path.relative_to(data_dir).as_posix()}"


# ---------------------------------------------------------------------------
# The file
# ---------------------------------------------------------------------------


def comment(text: str, indent: int) -> list[str]:
    pad = " " * indent
    return textwrap.wrap(text, WIDTH, initial_indent=f"{pad}# ", subsequent_indent=f"{pad}#   ",
                         break_long_words=False, break_on_hyphens=False)


NBSP = "\u00a0"  # « Exemple : » never split across two comment lines


def example(field: Field) -> str:
    examples = shown_examples(field)
    return f" Exemple{NBSP}: {example_text(examples[0])}" if examples else ""


def explain(field: Field) -> str:
    """« Titre — description Exemple : … » for the comment above a field."""
    words = field.title
    if field.description.lower().startswith(words.lower()):
        words = field.description  # « Identifiant : … » says it already
    elif field.description:
        words += f" — {field.description}"
    return words + example(field)


def optional_note(optional: list[Field], indent: int) -> list[str]:
    if not optional:
        return []
    lines = comment("Facultatif (à ajouter si besoin ; dans VS Code, Ctrl+Espace propose les champs) :", indent)
    for field in optional:
        lines += comment(f"- {field.name}{NBSP}: {field.title}.{example(field)}", indent)
    return lines


def one_of_note(chosen: Field, others: list[Field], indent: int) -> list[str]:
    """For a group that takes one field among several: the others, in place of ``chosen``."""
    if not others:
        return []
    lines = comment(f"Ou, à la place de « {chosen.name} », un seul de ces champs :", indent)
    for field in others:
        lines += comment(f"- {field.name}{NBSP}: {field.title}.{example(field)}", indent)
    return lines


class Writer:
    def __init__(self, schemas: Schemas, collection: str):
        self.schemas = schemas
        self.fields = fields(schemas, collection)

    def children(self, prefix: str, depth: int) -> list[Field]:
        return [f for f in self.fields if f.depth == depth and f.path.startswith(prefix)
                and "." not in f.path[len(prefix):] and "[]" not in f.path[len(prefix):]]

    def mapping(self, prefix: str, depth: int, indent: int, first: bool, *, record_id: str | None = None,
                dash: bool = False, pick_one: bool = False) -> list[str]:
        """The required keys under ``prefix``, explained when ``first`` (the first list item only).

        ``dash``: the mapping is a list item, its first key follows « - ». A comment
        sits at the column of the line after it (yamllint's comments-indentation).
        Optional keys are listed in a comment: at the end of the file for the
        record itself, before the first key inside a nested group.
        ``pick_one``: a group that needs one of its fields, whichever (``minProperties``,
        a quiz question's ``learn``): the first is written, to fill in or swap for another.
        """
        kids = self.children(prefix, depth)
        required = [f for f in kids if f.required]
        optional = [f for f in kids if not f.required]
        if pick_one and not required and optional:
            required, optional = optional[:1], optional[1:]
        lines: list[str] = []
        for index, field in enumerate(required):
            item_start = dash and index == 0
            column = indent - 2 if item_start else indent
            if first:
                lines += comment(explain(field), column)
                if depth > 0 and index == 0:
                    lines += (one_of_note(field, optional, column) if pick_one else optional_note(optional, column))
            start = " " * (indent - 2) + "- " if item_start else " " * indent
            if field.name == "id" and record_id is not None:
                lines.append(f"{start}id: {record_id}")
            else:
                lines += self.value(field, start, indent, first)
        if not required:  # a group whose fields are all optional
            lines += optional_note(optional, indent) if first else []
            lines.append(" " * (indent - 2) + "- {}" if dash else " " * indent + "{}")
        elif first and depth == 0:
            lines += optional_note(optional, indent)
        return lines

    def value(self, field: Field, start: str, indent: int, first: bool) -> list[str]:
        s = field.schema
        k = kind(s, self.schemas, field.doc)
        head = f"{start}{field.name}:"
        if k == "text":
            return [head] + self.text(indent + 2)
        if k in ("ref", "enum", "id") or (k == "string" and s.get("minLength", 0) > 0):
            return [f'{head} ""']  # fails: unknown reference (lists the ids), enum, pattern or minLength
        if k in ("integer", "number", "boolean", "string"):
            return [head]  # empty = null: fails the type check (« pas une valeur vide »)
        if k == "object":
            body = self.mapping(f"{field.path}.", field.depth + 1, indent + 2, first,
                                pick_one=s.get("minProperties", 0) > 0)
            if body[-1].strip() == "{}":
                return body[:-1] + [f"{head} {{}}"]
            return [head] + body
        count = s.get("minItems", 0)
        if count == 0:
            return [f"{head} []"]
        lines = [head]
        for index in range(count):
            if k == "texts":
                lines += self.text(indent + 4, dash=indent + 2)
            elif k in ("refs", "list"):
                lines.append(" " * (indent + 2) + '- ""')
            else:  # a list of groups of fields
                lines += self.mapping(f"{field.path}[].", field.depth + 1, indent + 4, first and index == 0, dash=True)
        return lines

    @staticmethod
    def text(indent: int, dash: int | None = None) -> list[str]:
        fr = f"{' ' * dash}- fr: \"\"" if dash is not None else f"{' ' * indent}fr: \"\""
        return [fr, f'{" " * indent}en: ""  # traduction anglaise, ou retirez cette ligne']


def scaffold(schemas: Schemas, collection: str, record_id: str) -> str:
    root, _ = schemas.root(collection)
    lines = [f"# yaml-language-server: $schema=../schemas/{collection}.schema.json"]
    lines += comment(f"{root.get('title', collection)} — fiche créée par `make new`, à compléter.", 0)
    lines += comment("Remplissez chaque valeur vide (\"\" ou rien après « : »), puis lancez `make check` : "
                     "il liste ce qui reste à compléter, ligne par ligne. Guide : CONTRIBUTING.md.", 0)
    lines += Writer(schemas, collection).mapping("", 0, 0, True, record_id=record_id)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------


def parser(schemas: Schemas | None) -> argparse.ArgumentParser:
    known = ", ".join(schemas.collections()) if schemas else "voir data/schemas/"
    p = argparse.ArgumentParser(
        prog="scripts/new.py", add_help=False,
        description="Crée data/<collection>/<identifiant>.yml avec tous les champs obligatoires, "
                    "des valeurs vides à remplir et un commentaire par champ.",
        epilog=f"Exemple : {USAGE}\nCollections : {known}.\nEnsuite : remplissez les valeurs vides, "
               "puis `make check` (guide : CONTRIBUTING.md).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-h", "--help", action="help", help="affiche cette aide")
    p.add_argument("collection", help="dossier de data/ (faq, practices…)")
    p.add_argument("id", help="identifiant = nom du fichier : minuscules sans accent, chiffres, tirets")
    p.add_argument("--data-dir", type=Path, default=ROOT / "data",
                   help="dossier des données (par défaut : data/ du projet)")
    p._positionals.title = "arguments"
    return p


def main(argv: list[str] | None = None) -> int:
    default = ROOT / "data" / "schemas"
    args = parser(Schemas(default) if default.is_dir() else None).parse_args(argv)
    data_dir: Path = args.data_dir
    schemas = Schemas(data_dir / "schemas")
    try:
        path = check_request(schemas, data_dir, args.collection, args.id)
    except Refused as refused:
        print(f"✗ {refused}", file=sys.stderr)
        return 1
    path.parent.mkdir(exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite
        out.write(scaffold(schemas, args.collection, args.id))
    print(f"✓ {shown(path, data_dir)} créé.\n"
          "  Remplissez les valeurs vides, puis lancez `make check` : "
          "il dit ligne par ligne ce qui reste à compléter.")
    return 0


def placeholders(data: Any, path: tuple = ()) -> list[tuple]:
    """Paths of the values left empty in a scaffold (used by the tests)."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in placeholders(value, path + (key,))]
    if isinstance(data, list):
        return [p for index, value in enumerate(data) for p in placeholders(value, path + (index,))]
    return [path] if data in ("", None) else []


if __name__ == "__main__":
    sys.exit(main())
