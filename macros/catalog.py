"""Load, validate and cross-reference the YAML data of ``data/``.

One loader for the build, ``make check`` and the tests. It knows nothing of
MkDocs. ``load_catalog(data_dir)`` returns an immutable :class:`Catalog` or
raises :class:`CatalogError` carrying *every* problem found, each located as
``path:line:column`` with a French message and what to do about it.

Rules (see data/README.md):
- a collection is a folder of ``data/``; each ``.yml`` file is one record
  whose ``id`` equals the file name;
- ``data/schemas/<collection>.schema.json`` validates each record;
- a property carrying ``"x-ref": "<collection>"`` in the schema is a
  reference and must name an existing record (not itself);
- nested records with an ``id`` (journey steps) form derived collections;
- text never contains raw HTML, template syntax or dangerous links.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import difflib
import functools
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from . import rules

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40  # lists and maps inside one another (a journey phase uses 6)

# Derived collections: records nested inside the records of another one.
# name -> (parent collection, list field holding them)
DERIVED = {"journey-steps": ("journey", "steps")}

# ---------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, in words an editor can act on."""

    path: str
    line: int
    column: int
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message} — {self.hint}"


class CatalogError(Exception):
    """Raised with every problem found; ``str()`` lists them one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


# ---------------------------------------------------------------------------
# Records and catalog
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Record:
    """One validated record: its collection, id, source file and data."""

    collection: str
    id: str
    path: str  # relative to the project root, e.g. data/levers/x.yml
    data: Mapping[str, Any]
    parent: "Record | None" = None

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass(frozen=True, eq=False)
class Link:
    """``source`` refers to ``target`` through the field ``field``."""

    source: Record
    target: Record
    field: str


@dataclass(frozen=True)
class Catalog:
    """All records, by collection then id, with links in both directions."""

    collections: Mapping[str, Mapping[str, Record]]
    links: tuple[Link, ...] = ()
    _backlinks: Mapping[tuple[str, str], tuple[Link, ...]] = field(default_factory=dict)
    _forward: Mapping[tuple[str, str, str], tuple[tuple[Record, Record], ...]] | None = None  # (collection, id, field) -> (target, source)

    def __getitem__(self, collection: str) -> Mapping[str, Record]:
        return self.collections.get(collection, MappingProxyType({}))

    def get(self, collection: str, record_id: str) -> Record:
        try:
            return self.collections[collection][record_id]
        except KeyError:
            raise KeyError(f"aucune fiche « {record_id} » dans la collection « {collection} »") from None

    def sorted(self, collection: str) -> list[Record]:
        """Records of a collection by ``number`` (then ``order``), then id."""
        return sorted(
            self[collection].values(),
            key=lambda r: (r.get("number") or r.get("order") or 0, r.id),
        )

    def backlinks(self, record: Record, collection: str | None = None) -> list[Record]:
        """Records that refer to ``record`` (optionally from one collection)."""
        found = self._backlinks.get((record.collection, record.id), ())
        out = [l.source for l in found if collection is None or l.source.collection == collection]
        return sorted(dict.fromkeys(out), key=lambda r: (r.get("number") or r.get("order") or 0, r.id))

    def forward(self, record: Record, field_name: str) -> list[Record]:
        """Records that ``record`` refers to through ``field_name``."""
        if self._forward is not None:  # indexed: templates call this per record, per page
            found = self._forward.get((record.collection, record.id, field_name), ())
            return [t for t, s in found if s is record]
        return [l.target for l in self.links if l.source is record and l.field == field_name]


# ---------------------------------------------------------------------------
# YAML reading with positions
# ---------------------------------------------------------------------------


class _Located(Exception):
    def __init__(self, line: int, column: int, message: str, hint: str):
        self.line, self.column, self.message, self.hint = line, column, message, hint


_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


@functools.lru_cache(maxsize=2)
def _line_starts(text: str) -> list[int] | None:
    """Where each line of ``text`` starts, counting "\\n" only, as editors and
    GitHub do; None when PyYAML, which also breaks lines at \\r, U+0085,
    U+2028 and U+2029, counts the same."""
    if not _OTHER_BREAKS.search(text):
        return None
    return [0] + [found.end() for found in re.finditer("\n", text)]


def _mark(node_or_mark, text: str | None = None) -> tuple[int, int]:
    """(line, column) of a node or mark, from 1; lines counted as in ``text``'s editor."""
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    if mark is None:
        return (1, 1)
    starts = _line_starts(text) if text is not None else None
    if starts is None:
        return (mark.line + 1, mark.column + 1)
    line = bisect.bisect_right(starts, mark.index)
    return (line, mark.index - starts[line - 1] + 1)


def _read_yaml(raw: bytes) -> tuple[Any, dict[tuple, tuple[int, int]]]:
    """Parse one YAML document safely; return data and a path -> (line, col) map."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _Located(1, 1, "le fichier commence par une marque d'ordre d'octets (BOM)",
                       "enregistrez le fichier en « UTF-8 » sans BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise _Located(line, col, "le fichier n'est pas en UTF-8",
                       "enregistrez-le en UTF-8 (réglage « Encodage » de votre éditeur)") from None
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in text.splitlines()):
        raise _Located(1, 1, "le fichier est vide", "remplissez-le (voir `make new`) ou supprimez-le")
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            raise _Located(number, line.index("\t") + 1, "tabulation dans l'indentation",
                           "indentez avec des espaces (deux par niveau)")
    if _FAST_LOADER is not None:
        try:
            return _parse(text, _FAST_LOADER)
        except Exception:  # noqa: BLE001 — any problem: parse again below, for the exact message
            pass
    return _parse(text, yaml.SafeLoader)


# A folded block scalar (« >- », « > ») reads an empty line as a single line
# break: two Markdown paragraphs written that way run together into one.
_FOLDED = re.compile(r"^(?P<indent> *)(?:- +|(?:- +)?[\w\"'-]+: +)(?P<style>>[-+]?[0-9]?) *(?:#.*)?$")


def folded_with_empty_line(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, indicator) of each folded block scalar holding an empty line
    between two of its lines (read from the raw text: the parsed value no longer
    shows it)."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        match = _FOLDED.match(line)
        if not match:
            continue
        indent, inside = len(match.group("indent")), []
        for following in lines[number + 1:]:
            if following.strip() and len(following) - len(following.lstrip(" ")) <= indent:
                break
            inside.append(following.strip())
        while inside and not inside[-1]:
            inside.pop()
        if "" in inside:
            yield number + 1, match.start("style") + 1, match.group("style")


# libyaml (C) when PyYAML has it: about 10× faster on valid files; a file it
# rejects is parsed again with the pure-Python loader, whose messages
# _YAML_PROBLEMS translates. Both give the same marks (line, column).
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _parse(text: str, loader_class) -> tuple[Any, dict[tuple, tuple[int, int]]]:
    try:
        # Anchors and aliases are refused before anything is built: they are
        # never needed in content and are the way to an "alias bomb". So is
        # nesting deeper than any record needs (the builder would recurse).
        depth = 0
        for event in yaml.parse(text, Loader=loader_class):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line, col = _mark(event, text)
                raise _Located(line, col, "ancre ou alias YAML (« & » ou « * ») non autorisé",
                               "recopiez le texte au lieu d'utiliser « & » et « * »")
            depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
            if depth > MAX_DEPTH:
                line, col = _mark(event, text)
                raise _Located(line, col, f"listes ou champs imbriqués sur plus de {MAX_DEPTH} niveaux",
                               "vérifiez les crochets « [ ] », les accolades « { } » et l'indentation autour de cette ligne")
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise _Located(1, 1, "le fichier est vide", "remplissez-le ou supprimez-le")
            positions: dict[tuple, tuple[int, int]] = {}
            _walk(node, (), positions, text)
            try:
                data = loader.construct_document(node)
            except ValueError:  # a value YAML reads as a date that does not exist (2026-02-30)
                bad = _impossible_date(node)
                line, col = _mark(bad) if bad is not None else (1, 1)
                raise _Located(line, col, f"date impossible « {bad.value if bad is not None else '?'} »",
                               "écrivez une date qui existe, au format AAAA-MM-JJ") from None
        finally:
            loader.dispose()
    except _Located:
        raise
    except yaml.constructor.ConstructorError as err:
        line, col = _mark(err.problem_mark, text)
        raise _Located(line, col, f"étiquette YAML non autorisée ({_tag(err.problem)})",
                       "retirez l'étiquette commençant par « ! » : seuls textes, nombres, listes et cartes sont permis") from None
    except yaml.reader.ReaderError as err:  # a character YAML does not accept (NUL, other control characters)
        before = text[: err.position]
        line, col = before.count("\n") + 1, err.position - (before.rfind("\n") + 1) + 1
        code = err.character if isinstance(err.character, int) else ord(str(err.character)[:1] or "\0")
        raise _Located(line, col, f"caractère de contrôle invisible U+{code:04X} interdit dans le fichier",
                       "retirez-le (souvent collé depuis un autre logiciel) ; retapez le texte à cet endroit") from None
    except yaml.MarkedYAMLError as err:
        line, col = _mark(err.problem_mark or err.context_mark, text)
        raise _Located(line, col, f"erreur de syntaxe YAML : {_yaml_problem(err)}",
                       "vérifiez l'indentation, les deux-points et les guillemets autour de cette ligne") from None
    except yaml.YAMLError:
        raise _Located(1, 1, "le fichier n'est pas du YAML lisible", "vérifiez le fichier (voir data/README.md)") from None
    if not isinstance(data, dict):
        kind = "une liste" if isinstance(data, list) else "une valeur simple"
        raise _Located(1, 1, f"le fichier contient {kind} au lieu d'une fiche",
                       "une fiche est une suite de champs « nom: valeur » (voir data/README.md)")
    return data, positions


def _impossible_date(node: yaml.Node) -> yaml.Node | None:
    """The first scalar that YAML reads as a date (tag timestamp) but that no calendar has."""
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    else:
        if node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.constructor.SafeConstructor().construct_yaml_timestamp(node)
            except ValueError:
                return node
        return None
    for child in children:
        found = _impossible_date(child)
        if found is not None:
            return found
    return None


def _tag(problem: str | None) -> str:
    match = re.search(r"tag '([^']+)'", problem or "")
    return _shown(match.group(1).replace("tag:yaml.org,2002:", "!!")) if match else "inconnue"


_YAML_PROBLEMS = {
    "mapping values are not allowed here": "deux-points inattendu (mettez le texte entre guillemets)",
    "could not find expected ':'": "deux-points attendu",
    "found character that cannot start any token": "caractère qui ne peut pas commencer une valeur",
    "found undefined alias": "alias non défini",
    "expected <block end>, but found": "indentation incohérente",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
    "did not find expected key": "clé attendue (indentation incohérente ?)",
    "found unknown escape character": "caractère d'échappement inconnu après « \\ »",
    "did not find expected node content": "valeur attendue",
    "found unexpected ':'": "deux-points inattendu",
    "expected ',' or '}'": "virgule ou « } » attendue (accolade non fermée ?)",
    "expected ',' or ']'": "virgule ou « ] » attendu (crochet non fermé ?)",
    "while scanning a quoted scalar": "guillemet non fermé",
    "but found another document": "plusieurs documents dans le fichier (« --- » ou « ... » au milieu)",
    "found unexpected document separator": "séparateur de documents « --- » ou « ... » inattendu",
    "expected '<document start>', but found": "contenu inattendu après la fin de la fiche",
    "found undefined tag handle": "étiquette « ! » inconnue",
    "found duplicate YAML directive": "directive « %YAML » en double",
    "found incompatible YAML document": "version de YAML non prise en charge (directive « %YAML »)",
    "expected the node content, but found": "valeur attendue",
    "expected a comment or a line break, but found": "texte inattendu en fin de ligne (guillemet mal placé ?)",
    "expected chomping or indentation indicators, but found": "« | » ou « > » suivi d'un caractère inattendu",
    "mapping keys are not allowed here": "clé inattendue (indentation ou « ? » en trop)",
}


def _yaml_problem(err: yaml.MarkedYAMLError) -> str:
    """PyYAML's problem in French (its English never reaches an editor)."""
    problem = err.problem or ""
    for english, french in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return french
    return "structure incorrecte"


def _walk(node: yaml.Node, path: tuple, positions: dict, text: str) -> None:
    positions[path] = _mark(node, text)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # « ? [a, b] : x »
                line, col = _mark(key_node, text)
                raise _Located(line, col, "clé composée (une liste ou une carte avant « : ») non autorisée",
                               "un nom de champ est un simple mot suivi de « : » ; retirez le « ? » ou les crochets")
            key = key_node.value
            if key in seen:
                line, col = _mark(key_node, text)
                first = _mark(seen[key], text)[0]
                raise _Located(line, col, f"champ « {_shown(key)} » en double (déjà à la ligne {first})",
                               "gardez un seul exemplaire de ce champ")
            seen[key] = key_node
            positions[path + (key, "__key__")] = _mark(key_node, text)
            _walk(value_node, path + (key,), positions, text)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), positions, text)


# ---------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------


def _load_schemas(schema_dir: Path) -> tuple[dict[str, dict], Registry]:
    schemas = {}
    for path in sorted(schema_dir.glob("*.schema.json")):
        name = path.name[: -len(".schema.json")]
        if not name.startswith("_"):
            schemas[name] = json.loads(path.read_text(encoding="utf-8"))

    @functools.lru_cache(maxsize=None)  # else every $ref to _defs re-reads the file
    def retrieve(uri: str) -> Resource:
        return Resource.from_contents(json.loads((schema_dir / uri).read_text(encoding="utf-8")))

    # Shared definitions registered and crawled once: without them, every
    # ``$ref`` met while validating retrieves and crawls _defs again.
    shared = [(p.name, retrieve(p.name)) for p in sorted(schema_dir.glob("_*.schema.json"))]
    return schemas, Registry(retrieve=retrieve).with_resources(shared).crawl()


def _resolve(schema: dict, registry: Registry, root: dict) -> tuple[dict, dict]:
    """Follow ``$ref`` (one file deep is all we use) and return (schema, its root)."""
    while "$ref" in schema:
        ref = schema["$ref"]
        doc, _, pointer = ref.partition("#")
        if doc:
            root = registry.get_or_retrieve(doc).value.contents
        target = root
        for part in [p for p in pointer.split("/") if p]:
            target = target[part]
        merged = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        schema = merged
    return schema, root


def _find(schema: dict, data: Any, path: tuple, registry: Registry, root: dict, match) -> Iterator:
    """Walk ``data`` alongside its schema; yield ``match(schema, data, path)`` where it is not None."""
    schema, root = _resolve(schema, registry, root)
    found = match(schema, data, path)
    if found is not None:
        yield found
    elif isinstance(data, dict):
        for key, value in data.items():
            sub = schema.get("properties", {}).get(key)
            if sub is not None:
                yield from _find(sub, value, path + (key,), registry, root, match)
    elif isinstance(data, list) and "items" in schema:
        for index, item in enumerate(data):
            yield from _find(schema["items"], item, path + (index,), registry, root, match)


def _references(schema: dict, data: Any, path: tuple, registry: Registry, root: dict) -> Iterator[tuple[tuple, str, str]]:
    """Yield (path, target collection, id) for each reference in ``data``."""
    return _find(schema, data, path, registry, root,
                 lambda sub, value, at: (at, sub["x-ref"], value) if "x-ref" in sub and isinstance(value, str) else None)


def _complete(schema: dict, data: Any, registry: Registry, root: dict) -> Any:
    """Frozen copy of ``data`` where every optional property absent is None.

    Templates can then test ``record.body`` while a misspelt field name
    still fails (strict undefined).
    """
    schema, root = _resolve(schema, registry, root)
    if isinstance(data, dict):
        props = schema.get("properties", {})
        out = {key: None for key in props}
        for key, value in data.items():
            out[key] = _complete(props[key], value, registry, root) if key in props else _freeze(value)
        return MappingProxyType(out)
    if isinstance(data, list):
        items = schema.get("items")
        return tuple(_complete(items, v, registry, root) if items else _freeze(v) for v in data)
    return data


def _texts(schema: dict, data: Any, path: tuple, registry: Registry, root: dict) -> Iterator[tuple[tuple, dict]]:
    """Yield (path, {lang: text}) for each translatable text in ``data``."""
    return _find(schema, data, path, registry, root,
                 lambda sub, value, at: (at, value) if sub.get("x-text") and isinstance(value, dict) else None)


# ---------------------------------------------------------------------------
# Messages for schema errors
# ---------------------------------------------------------------------------

_TYPES = {"string": "un texte", "integer": "un nombre entier", "number": "un nombre",
          "array": "une liste", "object": "une carte de champs", "boolean": "vrai ou faux (true/false)"}


_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def _shown(value: Any, limit: int = 60) -> str:
    """A value from the data as a message quotes it: on one line, every
    invisible or direction-changing character written as U+XXXX, cut after
    ``limit`` characters (messages are read in a terminal and as GitHub annotations)."""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, (dict, list)) \
            else ("une carte" if isinstance(value, dict) else "une liste")
    if len(value) > limit:
        value = value[:limit] + "…"
    return _INVISIBLE.sub(lambda m: f"U+{ord(m.group(0)):04X}", value)


def _field(path: tuple) -> str:
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part + 1}]"
        else:
            out += f".{_shown(part, 40)}" if out else _shown(part, 40)
    return out or "(fiche)"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "vrai/faux"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "une date (mettez-la entre guillemets)"
    for python_type, name in ((str, "un texte"), (int, "un nombre entier"), (float, "un nombre"),
                              (list, "une liste"), (dict, "une carte de champs")):
        if isinstance(value, python_type):
            return name
    return "une valeur vide" if value is None else type(value).__name__


def _schema_problem(err, schema_file: str) -> tuple[tuple, str, str]:
    """Return (path to point at, message, hint) for one jsonschema error."""
    path = tuple(err.absolute_path)
    name = _field(path)
    kind, sub = err.validator, err.schema
    if kind == "required":
        missing = re.search(r"'([^']+)'", err.message).group(1)
        if sub.get("x-text") and missing == "fr":
            return path, f"texte français manquant dans « {name} »", "ajoutez une ligne « fr: … » : le français est obligatoire"
        if missing == "url" and isinstance(err.instance, dict) and err.instance.get("type") in ("law", "official"):
            return path, f"source de type « {err.instance['type']} » sans adresse (« url »)", \
                "ajoutez l'adresse officielle du texte que vous avez lu (Légifrance, service-public.fr…) : une règle de droit se vérifie"
        return path, f"champ obligatoire « {_field(path + (missing,))} » manquant", f"ajoutez-le (description dans {schema_file})"
    if kind == "dependentRequired":
        # e.g. a figure's « base » without « base_source »: the document must state the base
        need, have = re.search(r"'([^']+)' is a dependency of '([^']+)'", err.message).groups()
        return path + (have, "__key__"), f"« {_field(path + (have,))} » sans « {_field(path + (need,))} »", \
            (f"indiquez dans « {need} » où le document source donne cette valeur (partie et mots exacts), "
             f"ou retirez « {have} » si le document ne la donne pas (voir {schema_file})")
    if kind == "additionalProperties":
        allowed = sorted(sub.get("properties", {}))
        extras = sorted((k for k in err.instance if k not in sub.get("properties", {})), key=str)
        key = extras[0] if extras else "?"
        if sub.get("x-text"):
            return path + (key, "__key__"), f"langue inconnue « {_shown(key)} » dans « {name} »", f"langues permises : {', '.join(LANGUAGES)}"
        close = difflib.get_close_matches(str(key), allowed, n=1)
        advice = f"vouliez-vous dire « {close[0]} » ? " if close else ""
        return path + (key, "__key__"), f"champ inconnu « {_field(path + (key,))} »", f"{advice}champs permis ici : {', '.join(allowed)}"
    if kind == "type":
        expected = err.validator_value
        expected = " ou ".join(_TYPES.get(t, t) for t in (expected if isinstance(expected, list) else [expected]))
        if sub.get("x-text"):
            return path, f"« {name} » doit être un texte traduit, pas {_kind(err.instance)}", "écrivez « fr: … » (et « en: … ») sur les lignes suivantes, indentées"
        return path, f"« {name} » doit être {expected}, pas {_kind(err.instance)}", f"corrigez la valeur (voir {schema_file})"
    if kind == "pattern":
        if path and path[-1] == "id" or (sub.get("pattern", "").startswith("^[a-z0-9]")):
            return path, f"identifiant « {_shown(err.instance)} » invalide dans « {name} »", "utilisez seulement des minuscules sans accent, des chiffres et des tirets"
        return path, f"valeur « {_shown(err.instance)} » invalide dans « {name} »", f"format attendu : {sub.get('description', err.validator_value)}"
    if kind in ("enum", "const"):
        allowed = err.validator_value if kind == "enum" else [err.validator_value]
        return path, f"valeur « {_shown(err.instance)} » non permise dans « {name} »", f"valeurs permises : {', '.join(map(str, allowed))}"
    if kind in ("minLength", "minItems", "minProperties"):
        return path, f"« {name} » est vide", "remplissez-le ou retirez le champ s'il est facultatif"
    if kind == "maxProperties" and isinstance(err.instance, dict):
        keys = ", ".join(sorted(err.instance))
        if err.validator_value == 1:
            return path, f"« {name} » ne peut avoir qu'un seul champ, pas {len(err.instance)} ({keys})", f"gardez-en un seul (voir {schema_file})"
        return path, f"« {name} » a {len(err.instance)} champs ({keys}), {err.validator_value} au plus", f"retirez-en (voir {schema_file})"
    if kind in ("maxLength", "maxItems"):
        return path, f"« {name} » est trop long (limite : {err.validator_value})", "raccourcissez-le ou découpez-le"
    if kind in ("minimum", "maximum"):
        return path, f"« {name} » vaut {_shown(err.instance)}, hors limites ({kind} {err.validator_value})", f"corrigez la valeur (voir {schema_file})"
    if kind == "uniqueItems":
        return path, f"élément en double dans « {name} »", "retirez le doublon"
    if kind == "not" and isinstance(err.instance, dict) and list(sub.get("not", {})) == ["required"]:
        # "this field must not be there" (e.g. a figure's ``rank`` where ``kind`` asks for ``value``)
        key = next((k for k in sub["not"]["required"] if k in err.instance), "?")
        return path + (key, "__key__"), f"champ « {_field(path + (key,))} » non permis ici", \
            f"retirez-le : il ne va pas avec les autres champs de la fiche (voir {schema_file})"
    return path, f"« {name} » ne respecte pas le schéma (règle « {kind} »)", f"corrigez la valeur (voir {schema_file})"


# ---------------------------------------------------------------------------
# Text safety
# ---------------------------------------------------------------------------

_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
_TEMPLATE = re.compile(r"\{\{|\{%|\{#|%\}|\}\}")
# Inline links, reference definitions ([x]: …) and bare words; checked on the
# text as written and as a browser reads a link (entities decoded, so that
# « java&#115;cript: » is caught, and tabs and line breaks dropped).
_BAD_LINK = re.compile(r"\]\(\s*<?\s*(?:javascript|data|vbscript|file)\s*:|\]:\s*<?\s*(?:javascript|data|vbscript|file)\s*:"
                       r"|(?:^|[\s\"'(=])(?:javascript|vbscript)\s*:", re.I)
# Control characters (NUL…) and the bidirectional embeddings, overrides and
# isolates, which can make a text display in another order than it reads.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _text_problem(text: str) -> tuple[str, str] | None:
    """What the loader refuses in any text of the data, or None."""
    if _HTML.search(text):
        return ("HTML brut interdit dans le texte",
                "retirez la balise « <…> » ; pour la mise en forme, utilisez le Markdown (**gras**, listes, [lien](https://…))")
    if _TEMPLATE.search(text):
        return ("syntaxe de gabarit (« {{ », « {% », « {# ») interdite dans le texte",
                "retirez ces accolades : le texte est affiché tel quel, jamais exécuté")
    if _BAD_LINK.search(text) or _BAD_LINK.search(re.sub(r"[\t\n\r]", "", html.unescape(text))):
        return ("lien dangereux (javascript:, data:, vbscript:, file:)",
                "utilisez un lien https:// ou un lien vers une page du site")
    control = _CONTROL.search(text)
    if control:
        return (f"caractère invisible U+{ord(control.group(0)):04X} interdit dans le texte",
                "retirez-le (souvent collé depuis un autre logiciel) : il peut couper le texte ou en inverser l'ordre d'affichage")
    return None


def _strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every string of a record: translated texts and the
    others alike (a source's page, a glossary term, a link…)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _strings(sub, path + (key,))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from _strings(sub, path + (index,))


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def load_catalog(data_dir: str | Path, root: str | Path | None = None, memo: dict | None = None) -> Catalog:
    """Read every collection of ``data_dir``; raise CatalogError listing all problems.

    ``memo`` (a dict kept by the caller between loads, as ``mkdocs serve``
    does): per file, what the last load made of it (parsed data, positions,
    schema and text problems), reused while its bytes, the schemas and the text
    rules are the same, so a reload after one edit re-reads one file (issue #8).
    The data is never mutated (records hold frozen copies)."""
    data_dir = Path(data_dir)
    root = Path(root) if root is not None else data_dir.parent
    problems: list[Problem] = []
    schemas, registry = _load_schemas(data_dir / "schemas")

    raw_records: dict[str, dict[str, tuple[dict, dict, str]]] = {}
    positions_of: dict[str, dict] = {}
    invalid: set[str] = set()  # files with a problem of their own: no rule of macros/rules.py runs on them

    def rel(path: Path) -> str:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    # 1. every folder is a collection with a schema
    folders = sorted(p for p in data_dir.iterdir() if p.is_dir() and p.name != "schemas")
    for folder in folders:
        if folder.name not in schemas:
            problems.append(Problem(rel(folder), 1, 1, f"dossier « {folder.name} » sans schéma",
                                    f"ajoutez data/schemas/{folder.name}.schema.json ou déplacez ces fichiers"))
    for name in schemas:
        if name in DERIVED:
            continue
        raw_records[name] = {}

    # Every .yml file name counts as an existing id, even when the file cannot
    # be read: its own problem is reported, not one per reference to it.
    known: dict[str, set[str]] = {name: set() for name in schemas}
    for folder in folders:
        if folder.name in known:
            known[folder.name] = {p.stem for p in folder.glob("*.yml")}

    # 2. read, parse and validate each file
    validators = {name: Draft202012Validator(schema, registry=registry) for name, schema in schemas.items()}
    schemas_key = hashlib.sha256(json.dumps(schemas, sort_keys=True).encode("utf-8")).hexdigest()
    for folder in folders:
        if folder.name not in schemas:
            continue
        for path in sorted(folder.iterdir()):
            shown = rel(path)
            if path.is_dir() or path.name.startswith("."):
                continue
            if path.suffix != ".yml":
                hint = "renommez-le en « .yml »" if path.suffix == ".yaml" else "seuls les fichiers « .yml » sont lus ; retirez celui-ci"
                problems.append(Problem(shown, 1, 1, "fichier ignoré : extension autre que « .yml »", hint))
                continue
            if path.stat().st_size > MAX_FILE_BYTES:
                problems.append(Problem(shown, 1, 1, f"fichier trop gros ({path.stat().st_size} octets, limite {MAX_FILE_BYTES})",
                                        "découpez le contenu en plusieurs fiches"))
                continue
            raw = path.read_bytes()
            memo_key = (raw, schemas_key, _text_problem)
            known_file = memo.get(shown) if memo is not None else None
            if known_file is not None and known_file[0] == memo_key:
                data, positions, file_problems = known_file[1]
                file_problems = list(file_problems)
            else:
                try:
                    data, positions = _read_yaml(raw)
                except _Located as err:
                    problems.append(Problem(shown, err.line, err.column, err.message, err.hint))
                    continue
                schema_file = f"data/schemas/{folder.name}.schema.json"
                file_problems = []
                for err in validators[folder.name].iter_errors(data):
                    p, message, hint = _schema_problem(err, schema_file)
                    line, col = _nearest(positions, p)
                    file_problems.append(Problem(shown, line, col, message, hint))
                for spath, value in _strings(data):
                    found = _text_problem(value)
                    if found:
                        line, col = _nearest(positions, spath)
                        file_problems.append(Problem(shown, line, col, f"{found[0]} (« {_field(spath)} »)", found[1]))
                for line, col, style in folded_with_empty_line(raw.decode("utf-8")):
                    file_problems.append(Problem(
                        shown, line, col, f"paragraphes fusionnés : dans un bloc « {style} », une ligne vide ne sépare pas les paragraphes",
                        f"écrivez « |{style[1:]} » à la place de « {style} »"))
                if memo is not None:
                    memo[shown] = (memo_key, (data, positions, tuple(file_problems)))
            positions_of[shown] = positions
            record_id = data.get("id")
            if isinstance(record_id, str) and record_id != path.stem:
                line, col = _nearest(positions, ("id",))
                if record_id in known[folder.name]:
                    file_problems.append(Problem(shown, line, col, f"identifiant « {_shown(record_id)} » en double (déjà utilisé par {rel(folder / record_id)}.yml)",
                                                 f"chaque fiche a son propre identifiant : écrivez « id: {path.stem} »"))
                else:
                    file_problems.append(Problem(shown, line, col, f"l'identifiant « {_shown(record_id)} » diffère du nom du fichier « {path.stem} »",
                                                 f"écrivez « id: {path.stem} » ou renommez le fichier en « {_shown(record_id)}.yml »"))
            problems.extend(file_problems)
            if file_problems:
                invalid.add(shown)
            # Kept even when invalid, so that its references and the references
            # to it are checked too (no cascade of "not found" messages).
            raw_records[folder.name][path.stem] = (data, positions, shown)

    # 3. build records, derived collections, check duplicate ids
    collections: dict[str, dict[str, Record]] = {}
    for name, records in raw_records.items():
        collections[name] = {rid: Record(name, rid, shown, _complete(schemas[name], data, registry, schemas[name]))
                             for rid, (data, _, shown) in records.items()}
    for derived, (parent, list_field) in DERIVED.items():
        collections[derived] = {}
        for parent_record in sorted(collections.get(parent, {}).values(), key=lambda r: r.id):
            items = parent_record.get(list_field)
            for index, item in enumerate(items if isinstance(items, (list, tuple)) else ()):
                if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
                    continue
                other = collections[derived].get(item["id"])
                if other is not None:
                    line, col = _nearest(positions_of[parent_record.path], (list_field, index, "id"))
                    problems.append(Problem(parent_record.path, line, col, f"identifiant « {_shown(item['id'])} » en double (déjà dans {other.path})",
                                            "donnez un identifiant unique à chaque élément"))
                    continue
                collections[derived][item["id"]] = Record(derived, item["id"], parent_record.path, item, parent_record)

    # 4. resolve references
    links: list[Link] = []
    for name, records in raw_records.items():
        for rid, (data, positions, shown) in records.items():
            source = collections[name][rid]
            for rpath, target, value in _references(schemas[name], data, (), registry, schemas[name]):
                field_name = next(str(p) for p in rpath if isinstance(p, str))
                line, col = _nearest(positions, rpath)
                if target not in collections:
                    problems.append(Problem(shown, line, col, f"collection « {target} » inconnue (schéma)", "corrigez « x-ref » dans le schéma"))
                    continue
                if value not in collections[target]:
                    if value in known.get(target, ()):
                        continue  # the target file exists but is broken: reported there
                    close = difflib.get_close_matches(value, list(collections[target]), n=3)
                    advice = f"vouliez-vous dire « {close[0]} » ? " if close else ""
                    listed = ", ".join(close or sorted(collections[target])[:5])
                    where = f"fiches de data/{target}/" if target not in DERIVED else \
                        f"« {DERIVED[target][1]} » des fiches de data/{DERIVED[target][0]}/"  # journey steps live in their phase
                    problems.append(Problem(shown, line, col, f"renvoi vers « {_shown(value)} » introuvable dans {target} (« {_field(rpath)} »)",
                                            f"{advice}vérifiez l'identifiant ({where} : {listed}…)" if listed else f"aucun élément dans les {where} : créez-le d'abord"))
                    continue
                if target == name and value == rid:
                    problems.append(Problem(shown, line, col, f"la fiche renvoie à elle-même (« {_field(rpath)} »)", "retirez ce renvoi"))
                    continue
                links.append(Link(source, collections[target][value], field_name))

    # 5. checks a schema cannot express (macros/rules.py), on records that passed it
    plain = rules.Records({name: {rid: data for rid, (data, _, _) in records.items()} for name, records in raw_records.items()})
    plain.known = known  # every record file, readable or not (no cascade of « not found »)
    for name, records in raw_records.items():
        for rid, (data, positions, shown) in records.items():
            if shown in invalid:
                continue
            for rpath, message, hint in rules.check(name, data, plain):
                line, col = _nearest(positions, tuple(rpath))
                problems.append(Problem(shown, line, col, message, hint))

    if problems:
        raise CatalogError(problems)

    back: dict[tuple[str, str], list[Link]] = {}
    forward: dict[tuple[str, str, str], list[tuple[Record, Record]]] = {}
    for link in links:
        back.setdefault((link.target.collection, link.target.id), []).append(link)
        forward.setdefault((link.source.collection, link.source.id, link.field), []).append((link.target, link.source))
    return Catalog(
        collections=MappingProxyType({k: MappingProxyType(v) for k, v in collections.items()}),
        links=tuple(links),
        _backlinks=MappingProxyType({k: tuple(v) for k, v in back.items()}),
        _forward=MappingProxyType({k: tuple(v) for k, v in forward.items()}),
    )


def _nearest(positions: dict, path: tuple) -> tuple[int, int]:
    """Position of ``path`` or of its closest ancestor."""
    while path:
        if path in positions:
            return positions[path]
        path = path[:-1]
    return positions.get((), (1, 1))


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


# ---------------------------------------------------------------------------
# Translation coverage
# ---------------------------------------------------------------------------


def coverage(data_dir: str | Path) -> dict[str, dict[str, tuple[int, int]]]:
    """Per collection and language: (translated texts, total texts)."""
    data_dir = Path(data_dir)
    schemas, registry = _load_schemas(data_dir / "schemas")
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for name, schema in sorted(schemas.items()):
        if name in DERIVED or not (data_dir / name).is_dir():
            continue
        counts = {lang: [0, 0] for lang in LANGUAGES}
        for path in sorted((data_dir / name).glob("*.yml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError:
                continue
            for _, text in _texts(schema, data, (), registry, schema):
                for lang in LANGUAGES:
                    counts[lang][1] += 1
                    counts[lang][0] += bool(text.get(lang))
        out[name] = {lang: (done, total) for lang, (done, total) in counts.items()}
    return out
