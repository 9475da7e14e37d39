"""What the property-based tests of the loader draw (tests/test_fuzz_loader.py).

Records are drawn from each collection's own JSON Schema (data/schemas/,
through the mini data set's link) with hypothesis-jsonschema: the ``$ref`` to
``_defs.schema.json`` are inlined and the project's own keywords (``x-ref``,
``x-text``) and annotations dropped. A drawn record is then made *loadable*
the way an editor's would be: its id is its file name, its references name
records that exist (``x-ref``), its text passes the loader's text rules.
Mutations then break it on purpose, in its data or in its YAML text.

Profiles: ``quick`` (``make test``, derandomised: the same examples every
run) and ``full`` (``make fuzz``, ``CAP_FUZZ=full``: at least 10,000 drawn
records, random, failures kept in .cache/hypothesis/ to replay them).
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any, Iterator

from hypothesis.configuration import set_hypothesis_home_dir

from conftest import MINI, ROOT

set_hypothesis_home_dir(ROOT / ".cache" / "hypothesis")  # before any draw: not .hypothesis/ at the root

import hypothesis_jsonschema._from_schema as _hjs  # noqa: E402
import yaml  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402
from hypothesis_jsonschema import from_schema  # noqa: E402

from macros import catalog as loader  # noqa: E402

SCHEMAS = MINI / "schemas"  # a link to data/schemas
FUZZ_ID = "fuzz-fiche"      # the drawn record's id and file name

# -- profiles -----------------------------------------------------------------------

PROFILE = os.environ.get("CAP_FUZZ", "quick")
FULL = PROFILE == "full"
_common = dict(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
settings.register_profile("quick", max_examples=10, derandomize=True, database=None, **_common)
settings.register_profile("full", max_examples=100, database=DirectoryBasedExampleDatabase(ROOT / ".cache" / "hypothesis" / "examples"),
                          **_common)


def examples(quick: int, full: int) -> settings:
    """Settings of one property: ``quick`` examples in make test, ``full`` in make fuzz."""
    return settings(settings.get_profile(PROFILE), max_examples=full if FULL else quick)


# -- schemas ------------------------------------------------------------------------

_DOCS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMAS.glob("*.schema.json"))}
_ANNOTATIONS = {"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default",
                "x-ref", "x-text"}
_MAPS = {"properties", "patternProperties", "dependentSchemas"}

COLLECTIONS = sorted(p.name[: -len(".schema.json")] for p in SCHEMAS.glob("*.schema.json")
                     if not p.name.startswith("_") and p.name[: -len(".schema.json")] not in loader.DERIVED)


def inline(schema: Any, doc: str) -> Any:
    """``schema`` (from the file ``doc``) with every ``$ref`` replaced by its
    target and the annotations and x- keywords dropped: what hypothesis-jsonschema reads."""
    if isinstance(schema, list):
        return [inline(s, doc) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        file, _, pointer = schema["$ref"].partition("#")
        target_doc = file or doc
        target = _DOCS[target_doc]
        for part in filter(None, pointer.split("/")):
            target = target[part]
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return {**inline(target, target_doc), **inline(rest, doc)}
    out = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS:
            continue
        out[key] = {name: inline(sub, doc) for name, sub in value.items()} if key in _MAPS else inline(value, doc)
    return out


def _tame(schema: Any) -> Any:
    """Shorter free strings and lists while drawing (hypothesis-jsonschema slows
    down with size; the very long strings and lists are the mutations' work)."""
    if isinstance(schema, list):
        return [_tame(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: ({n: _tame(s) for n, s in v.items()} if k in _MAPS else _tame(v)) for k, v in schema.items()}
    if out.get("type") == "string" and "pattern" not in out and "enum" not in out and "const" not in out:
        out["maxLength"] = min(out.get("maxLength", 10**9), 80)
    if out.get("type") == "array":
        out["maxItems"] = min(out.get("maxItems", 10**9), out.get("minItems", 0) + 3)
    return out


# hypothesis-jsonschema 0.23.1 builds the strategy of every property again at
# each draw of an object (its ``merged_as_strategies``): the same schemas give
# the same strategy, so they are kept (10 to 20 times faster on our schemas).
_STRATEGIES: dict[tuple, Any] = {}
_merged_as_strategies = _hjs.merged_as_strategies


def _kept_strategies(schemas, *, alphabet, custom_formats):
    key = (json.dumps(schemas, sort_keys=True), id(alphabet), id(custom_formats))
    if key not in _STRATEGIES:
        _STRATEGIES[key] = _merged_as_strategies(schemas, alphabet=alphabet, custom_formats=custom_formats)
    return _STRATEGIES[key]


_hjs.merged_as_strategies = _kept_strategies

DRAWN = {name: from_schema(_tame(inline(_DOCS[f"{name}.schema.json"], f"{name}.schema.json"))) for name in COLLECTIONS}


# -- the mini data set, and the real one ------------------------------------------

_SCHEMAS_LOADED, _REGISTRY = loader._load_schemas(SCHEMAS)
MINI_CATALOG = loader.load_catalog(MINI, MINI.parent)
IDS = {name: sorted(records) for name, records in MINI_CATALOG.collections.items()}


def raw_records(name: str) -> list[dict]:
    """Every record of ``name`` as YAML reads it, from the mini set and from data/:
    the starting points of the mutations, as an editor's edits start from a real file."""
    out = []
    for folder in (MINI / name, ROOT / "data" / name):
        for path in sorted(folder.glob("*.yml")):
            out.append(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


def references(name: str, record: Any) -> list[tuple[tuple, str]]:
    """(path, target collection) of every reference in ``record`` (``x-ref`` in its schema)."""
    schema = _SCHEMAS_LOADED[name]
    return [(path, target) for path, target, _ in loader._references(schema, record, (), _REGISTRY, schema)]


def texts(name: str, record: Any) -> list[tuple]:
    """Path of every translatable text (``x-text``) of ``record``, language included."""
    schema = _SCHEMAS_LOADED[name]
    return [path + (lang,) for path, text in loader._texts(schema, record, (), _REGISTRY, schema)
            for lang, value in text.items() if isinstance(value, str)]


def leaves(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every (path, value) of a record, the record itself first."""
    yield path, value
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from leaves(sub, path + (key,))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from leaves(sub, path + (index,))


def get(record: Any, path: tuple) -> Any:
    for part in path:
        record = record[part]
    return record


def put(record: Any, path: tuple, value: Any) -> Any:
    """``record`` with ``value`` at ``path`` (the record itself when ``path`` is empty)."""
    if not path:
        return value
    get(record, path[:-1])[path[-1]] = value
    return record


# -- loadable records -----------------------------------------------------------------

_NOT_IN_TEXT = [(re.compile(r"<"), "‹"), (re.compile(r"[{}]"), "|"),
                (re.compile(r"(?i)(javascript|vbscript|data|file)(\s*):"), r"\1\2;"),
                (re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069\ufeff]"), "?")]


def tidy(text: str) -> str:
    """``text`` without what the loader refuses in a text (markup, template
    syntax, dangerous links, invisible control characters); same length."""
    for pattern, replacement in _NOT_IN_TEXT:
        text = pattern.sub(replacement, text)
    return text


@st.composite
def loadable(draw, name: str, hostile: bool = False) -> dict:
    """A record of ``name`` drawn from its schema, then made loadable next to
    the mini data set: id = file name, references to existing records, nested
    ids unique, text the loader accepts. With ``hostile``, texts are drawn
    from HOSTILE_BUT_ALLOWED (markup look-alikes the loader lets through)."""
    record = draw(DRAWN[name])
    record["id"] = FUZZ_ID
    for path, target in references(name, record):
        put(record, path, draw(st.sampled_from(IDS[target])))
    # Lists of references are sets: a repeated id after the rewrite goes.
    for path, target in references(name, record):
        parent = get(record, path[:-1])
        if isinstance(parent, list):
            put(record, path[:-1], list(dict.fromkeys(parent)))
    for derived, (parent, field) in loader.DERIVED.items():
        if parent == name:
            for index, item in enumerate(record.get(field) or ()):
                item["id"] = f"fuzz-{derived}-{index}"
    refs = {path for path, _ in references(name, record)}
    for path, value in list(leaves(record)):  # patterns too: a link must not hide a control character
        if isinstance(value, str) and path not in refs:
            put(record, path, tidy(value))
    if hostile:
        for path, value in list(leaves(record)):
            if isinstance(value, str) and path not in refs and not _constrained(name, path):
                put(record, path, draw(st.sampled_from(HOSTILE_BUT_ALLOWED)))
            elif isinstance(value, str) and value.startswith("https://"):  # a link: no space allowed
                link = "".join(draw(st.sampled_from(HOSTILE_BUT_ALLOWED)).split())  # « {%raw%} » would be template syntax
                put(record, path, "https://example.org/" + link.replace("{", "%7B").replace("}", "%7D"))
    return record


def _constrained(name: str, path: tuple) -> bool:
    """Is the string at ``path`` an id, a reference, an enum or a pattern (left as drawn)?"""
    schema = inline(_DOCS[f"{name}.schema.json"], f"{name}.schema.json")
    for part in path:
        if isinstance(part, int):
            schema = schema.get("items", {})
        else:
            schema = schema.get("properties", {}).get(part, {})
    return bool({"pattern", "enum", "const"} & set(schema)) or (path and path[-1] == "id")


def valid(name: str, record: Any) -> bool:
    return not any(loader.Draft202012Validator(_SCHEMAS_LOADED[name], registry=_REGISTRY).iter_errors(record))


def dump(record: Any) -> str:
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)


# -- hostile strings -------------------------------------------------------------------

CANARY = "cap-fuzz"

# Let through by the loader (no "<" before a letter, no "{{", no "javascript:"
# after a space), yet each would be markup, an attribute or a script if a
# template pasted it raw into HTML.
HOSTILE_BUT_ALLOWED = [
    f'" {CANARY}-a="1',
    f"' {CANARY}-b='1",
    f"x {CANARY}-c=1 > y",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    '[clic](https://example.org){: onclick="alert(1)" }',
    '[clic](https://example.org/"onmouseover="alert(1))',
    "[clic](https://example.org/#x){: .md-button target=_blank }",
    "Texte {: onmouseover=alert(1) style=color:red }",
    "a &lt; b et c > d, 3 <4 <= 5",
    "**gras** *italique* `code` ~~barré~~",
    "&amp; &quot; &apos; &#x3C;",
    "{ config } { % raw % } { #x }",
    f"https://example.org/?q=\"{CANARY}-d=1",
    "Édition coopérative : « guillemets » — tiret ; ponctuation !",
    "ligne 1\n\n> citation\n\n- puce\n1. liste",
]

HOSTILE = HOSTILE_BUT_ALLOWED + [
    "[clic](java&#115;cript:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic][r]\n\n[r]:javascript:alert(1)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</textarea><svg onload=alert(1)>",
    "<!-- commentaire -->",
    "{{ config.site_name }}",
    "{% include 'mkdocs.yml' %}",
    "{# commentaire #}",
    "[clic](javascript:alert(1))",
    "voir javascript:alert(1)",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "abc\u202eexe.txt",                  # right-to-left override
    "a\u2066b\u2069c",                   # isolate
    "zéro\u200blargeur",                 # zero-width space
    "\ufeffBOM au milieu",
    "NUL\x00ici",
    "bip\x07\x1b[31m",
    "\x85\u2028\u2029",
    "x" * 20_001,
    "é" * 100_000,
    "\n" * 500,
    "   ",
    "",
    "yes", "no", "on", "null", "~", "1e3", "0x10", "2026-11-29", "12:30",
    "- liste", ": deux-points", "# dièse", "&ancre", "*alias", "!etiquette", "%directive", "@", "`",
]


def nested(depth: int, leaf: Any = "x", kind: str = "list") -> Any:
    out = leaf
    for _ in range(depth):
        out = [out] if kind == "list" else {"k": out}
    return out


def any_value(depth: int = 2) -> st.SearchStrategy:
    """A value of any YAML type: what an editor may type where something else is expected."""
    base = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                     st.sampled_from(HOSTILE), st.dates())
    if depth == 0:
        return base
    return st.one_of(base, st.lists(any_value(depth - 1), max_size=3),
                     st.dictionaries(st.one_of(st.text(max_size=10), st.integers(), st.booleans(), st.none()),
                                     any_value(depth - 1), max_size=3),
                     st.builds(nested, st.integers(10, 60), st.sampled_from(["x", 1, None]), st.sampled_from(["list", "dict"])))


__all__ = ["COLLECTIONS", "DRAWN", "FUZZ_ID", "HOSTILE", "HOSTILE_BUT_ALLOWED", "CANARY", "IDS", "MINI_CATALOG",
           "loadable", "raw_records", "references", "texts", "leaves", "get", "put", "valid", "dump", "nested",
           "any_value", "examples", "copy", "FULL", "PROFILE"]
