#!/usr/bin/env python3
"""Les champs de chaque collection, lus dans data/schemas/.

Sert à `scripts/new.py` (la fiche à compléter) et tient à jour, à partir des
schémas, deux fichiers qu'on n'écrit pas à la main :

- la référence des champs de CONTRIBUTING.md (entre les marqueurs
  `<!-- champs:début -->` et `<!-- champs:fin -->`) ;
- la correspondance schéma ↔ dossier de `.vscode/settings.json` (`yaml.schemas`).

Usage :
  python scripts/fields.py            réécrit ces deux parties
  python scripts/fields.py --check    sortie 1 si elles ne sont plus à jour
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.catalog import DERIVED  # noqa: E402

CONTRIBUTING = ROOT / "CONTRIBUTING.md"
VSCODE_SETTINGS = ROOT / ".vscode" / "settings.json"
BEGIN, END = "<!-- champs:début -->", "<!-- champs:fin -->"


# ---------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------


class Schemas:
    """The schemas of one data folder, with ``$ref`` resolution."""

    def __init__(self, schema_dir: Path):
        self.dir = Path(schema_dir)
        self._docs: dict[str, dict] = {}

    def doc(self, name: str) -> dict:
        if name not in self._docs:
            self._docs[name] = json.loads((self.dir / name).read_text(encoding="utf-8"))
        return self._docs[name]

    def collections(self) -> list[str]:
        """Collections that have their own folder and schema (derived ones excluded)."""
        names = (p.name[: -len(".schema.json")] for p in self.dir.glob("*.schema.json"))
        return sorted(n for n in names if not n.startswith("_") and n not in DERIVED)

    def root(self, collection: str) -> tuple[dict, str]:
        return self.doc(f"{collection}.schema.json"), f"{collection}.schema.json"

    def resolve(self, schema: dict, doc: str) -> tuple[dict, str]:
        """Follow ``$ref``; the referring schema's own keywords win (as in catalog.py)."""
        while "$ref" in schema:
            target_doc, _, pointer = schema["$ref"].partition("#")
            doc = target_doc or doc
            target: Any = self.doc(doc)
            for part in (p for p in pointer.split("/") if p):
                target = target[part]
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema, doc


@dataclass(frozen=True)
class Field:
    """One property of a collection, at any depth (``sources[].source``)."""

    path: str
    name: str
    depth: int
    required: bool
    schema: dict  # resolved
    doc: str  # the schema file ``schema`` was found in (for nested refs)
    examples: tuple = ()  # the property's own, else its definition's (not the generic text one)

    @property
    def title(self) -> str:
        return self.schema.get("title") or self.name

    @property
    def description(self) -> str:
        return self.schema.get("description", "")


def kind(schema: dict, schemas: Schemas, doc: str) -> str:
    """text, texts, ref, refs, enum, id, string, integer, number, boolean, object, objects, list."""
    if schema.get("x-text"):
        return "text"
    if "x-ref" in schema:
        return "ref"
    if "enum" in schema:
        return "enum"
    kind_ = schema.get("type")
    if kind_ == "array":
        items, _ = schemas.resolve(schema.get("items", {}), doc)
        if items.get("x-text"):
            return "texts"
        if "x-ref" in items:
            return "refs"
        return "objects" if items.get("type") == "object" else "list"
    if kind_ == "string" and str(schema.get("pattern", "")).startswith("^[a-z0-9]"):
        return "id"
    return kind_ if isinstance(kind_, str) else "string"


def fields(schemas: Schemas, collection: str) -> list[Field]:
    """Every property of ``collection``, depth first, in schema order."""
    root, doc = schemas.root(collection)
    return list(_walk(schemas, root, doc, "", 0))


def _walk(schemas: Schemas, schema: dict, doc: str, prefix: str, depth: int) -> Iterator[Field]:
    schema, doc = schemas.resolve(schema, doc)
    required = set(schema.get("required", ()))
    for name, sub in schema.get("properties", {}).items():
        resolved, sub_doc = schemas.resolve(sub, doc)
        path = f"{prefix}{name}"
        examples = sub.get("examples") or ([] if resolved.get("x-text") else resolved.get("examples", []))
        yield Field(path, name, depth, name in required, resolved, sub_doc, tuple(examples))
        if resolved.get("x-text"):
            continue
        if resolved.get("type") == "object":
            yield from _walk(schemas, resolved, sub_doc, f"{path}.", depth + 1)
        elif resolved.get("type") == "array":
            items, items_doc = schemas.resolve(resolved.get("items", {}), sub_doc)
            if items.get("type") == "object" and not items.get("x-text"):
                yield from _walk(schemas, items, items_doc, f"{path}[].", depth + 1)


# ---------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------


def is_group(value: Any) -> bool:
    """A group of fields (not a translated text): its own fields carry the examples."""
    if isinstance(value, list):
        return any(is_group(v) for v in value)
    return isinstance(value, dict) and not set(value) <= {"fr", "en"}


def shown_examples(field: Field) -> list:
    """The examples worth showing: none for a group of fields (see its fields)."""
    return [e for e in field.examples if not is_group(e)]


def example_text(value: Any) -> str:
    """An example as an editor would type it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict) and "fr" in value:
        return str(value["fr"])
    if isinstance(value, list):
        return "[" + ", ".join(example_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {example_text(v)}" for k, v in value.items())
    return str(value)


def type_words(field: Field, schemas: Schemas) -> str:
    """What the value is, in French (the « type » column of the reference)."""
    s = field.schema
    k = kind(s, schemas, field.doc)
    items, _ = schemas.resolve(s.get("items", {}), field.doc) if "items" in s else ({}, field.doc)
    count = _count(s)
    if k == "text":
        return "texte traduit (`fr` obligatoire, `en`)"
    if k == "texts":
        return f"liste de textes traduits{count}"
    if k == "ref":
        return f"identifiant d'une fiche de `data/{s['x-ref']}/`"
    if k == "refs":
        return f"liste d'identifiants de `data/{items['x-ref']}/`{count}"
    if k == "enum":
        return "une valeur parmi " + ", ".join(f"`{v}`" for v in s["enum"])
    if k == "id":
        return "identifiant (minuscules sans accent, chiffres, tirets)"
    if k in ("integer", "number"):
        word = "nombre entier" if k == "integer" else "nombre"
        low, high = s.get("minimum"), s.get("maximum")
        if low is not None and high is not None:
            return f"{word} de {low} à {high}"
        if low is not None:
            return f"{word}, au moins {low}"
        return word
    if k == "objects":
        return f"liste d'éléments{count}, champs ci-dessous"
    if k == "object":
        return "groupe de champs ci-dessous"
    if k == "boolean":
        return "`true` ou `false`"
    if s.get("pattern", "").startswith("^https://"):
        return "adresse `https://…`"
    return "texte"


def _count(schema: dict) -> str:
    low, high = schema.get("minItems"), schema.get("maxItems")
    if low and high:
        return f" (de {low} à {high})"
    if low:
        return f" (au moins {low})"
    return ""


# ---------------------------------------------------------------------------
# The field reference of CONTRIBUTING.md
# ---------------------------------------------------------------------------


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def reference(schemas: Schemas) -> str:
    """The Markdown put between the markers of CONTRIBUTING.md."""
    out = [BEGIN,
           "<!-- Généré par `python scripts/fields.py` à partir de data/schemas/ : ne pas modifier à la main. -->",
           ""]
    for collection in schemas.collections():
        root, _ = schemas.root(collection)
        out += [f"### `{collection}` — {root.get('title', collection)}", ""]
        if root.get("description"):
            out += [_cell(root["description"]), ""]
        out += [f"Dossier `data/{collection}/`, schéma `data/schemas/{collection}.schema.json`, "
                f"nouvelle fiche : `make new COLLECTION={collection} ID=…`.", ""]
        out += ["| champ | obligatoire | valeur | description | exemple |",
                "| --- | --- | --- | --- | --- |"]
        for field in fields(schemas, collection):
            example = "; ".join(f"`{_cell(_short(example_text(e)))}`" for e in shown_examples(field)[:2]) or "—"
            title, description = field.schema.get("title"), _cell(field.description)
            if title and not description.lower().startswith(title.lower()):
                description = f"**{_cell(title)}.** {description}"
            out.append(f"| `{field.path}` | {'oui' if field.required else 'non'} | {_cell(type_words(field, schemas))} "
                       f"| {description} | {example} |")
        out.append("")
    out.append(END)
    return "\n".join(out)


def _replace_between(text: str, block: str) -> str:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"CONTRIBUTING.md : marqueurs {BEGIN} … {END} introuvables")
    return text[:start] + block + text[end + len(END):]


# ---------------------------------------------------------------------------
# .vscode/settings.json: which schema for which folder
# ---------------------------------------------------------------------------


def vscode_schemas(schemas: Schemas) -> dict[str, str]:
    return {f"./data/schemas/{c}.schema.json": f"data/{c}/*.yml" for c in schemas.collections()}


def vscode_settings(schemas: Schemas, current: dict) -> dict:
    return {**current, "yaml.schemas": vscode_schemas(schemas)}


# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="ne rien écrire ; sortie 1 si CONTRIBUTING.md ou .vscode/settings.json n'est plus à jour")
    args = parser.parse_args(argv)
    schemas = Schemas(ROOT / "data" / "schemas")

    text = CONTRIBUTING.read_text(encoding="utf-8")
    new_text = _replace_between(text, reference(schemas))
    current = json.loads(VSCODE_SETTINGS.read_text(encoding="utf-8")) if VSCODE_SETTINGS.exists() else {}
    new_settings = vscode_settings(schemas, current)
    settings_text = json.dumps(new_settings, ensure_ascii=False, indent=2) + "\n"

    stale = []
    if new_text != text:
        stale.append("CONTRIBUTING.md (référence des champs)")
    if not VSCODE_SETTINGS.exists() or VSCODE_SETTINGS.read_text(encoding="utf-8") != settings_text:
        stale.append(".vscode/settings.json (yaml.schemas)")
    if args.check:
        for name in stale:
            print(f"✗ {name} n'est plus à jour — lancez `.venv/bin/python scripts/fields.py`", file=sys.stderr)
        return 1 if stale else 0
    CONTRIBUTING.write_text(new_text, encoding="utf-8")
    VSCODE_SETTINGS.parent.mkdir(exist_ok=True)
    VSCODE_SETTINGS.write_text(settings_text, encoding="utf-8")
    print("✓ " + (", ".join(stale) + " mis à jour." if stale else "déjà à jour."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
