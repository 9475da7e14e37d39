"""Checks that a JSON Schema cannot express, run by the loader (macros/catalog.py).

Each check is a plain function registered for one collection with
``@rule("<collection>")``. The loader calls it once per record whose file
passed its schema, after every reference is resolved, with:

- ``data``: the record as read from YAML (plain dicts and lists);
- ``catalog``: every collection, ``catalog[name][id]`` -> a record's data.

It yields ``(path, message, hint)``: ``path`` is a tuple of keys and list
indexes inside the record (it gives the line and column), ``message`` says
what is wrong and ``hint`` what to do, both in French, for an editor.

Keep each check short, with a docstring saying which rule of
``data/README.md`` or ``CONTRIBUTING.md`` it enforces.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator, Mapping

Path = tuple
Found = tuple[Path, str, str]
Check = Callable[[Mapping[str, Any], Mapping[str, Mapping[str, Mapping[str, Any]]]], Iterator[Found]]

RULES: dict[str, list[Check]] = {}


def rule(collection: str) -> Callable[[Check], Check]:
    """Register ``check`` for the records of ``collection``."""
    def register(check: Check) -> Check:
        RULES.setdefault(collection, []).append(check)
        return check
    return register


def check(collection: str, data: Mapping[str, Any], catalog: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> Iterator[Found]:
    """Every problem the registered checks find in one record."""
    for one in RULES.get(collection, ()):
        yield from one(data, catalog)


# ---------------------------------------------------------------------------
# The checks, one section per collection
# ---------------------------------------------------------------------------


# -- Rules of law (faq, arguments, kits) --------------------------------------

LEGAL_TYPES = ("law", "official")
# « art. 1 », « article 9 », « articles 19 et 20 », « L7331-3 », « art. L. 227-1 »
_ARTICLE = re.compile(r"\bart(?:\.|icles?\b)|\b[LRD]\.?\s?\d", re.I)


def _legal_marks(value: Any, path: Path = ()) -> Iterator[Path]:
    """Paths of every ``legal: true`` in a record (the record itself or its items)."""
    if isinstance(value, Mapping):
        if value.get("legal") is True:
            yield path + ("legal",)
        for key, sub in value.items():
            if key != "legal":
                yield from _legal_marks(sub, path + (key,))
    elif isinstance(value, (list, tuple)):
        for index, sub in enumerate(value):
            yield from _legal_marks(sub, path + (index,))


@rule("faq")
@rule("arguments")
@rule("kits")
def legal_claims_name_the_law(data: Mapping[str, Any], catalog: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> Iterator[Found]:
    """A rule of law is published with its public source (CONTRIBUTING.md, « Une règle de droit »).

    - an element marked ``legal: true`` needs, among the record's ``sources``, at
      least one source of type ``law`` or ``official`` that has its ``url``;
    - every source of type ``law`` it cites gives the article in ``page``;
    - a record citing a ``law``/``official`` source marks the claim it supports.
    """
    marks = list(_legal_marks(data))
    cited = []
    for index, item in enumerate(data.get("sources") or ()):
        source = catalog.get("sources", {}).get(item.get("source"), {})
        if source.get("type") in LEGAL_TYPES:
            cited.append((index, item, source))
    if not marks:
        for index, item, source in cited:
            yield (("sources", index, "source"),
                   f"la fiche cite « {item['source']} » (source de type « {source['type']} ») sans marquer la règle de droit qu'elle énonce",
                   "ajoutez « legal: true » à l'élément qui énonce la règle (la question, la preuve, l'objection ou la pièce), ou retirez cette source")
        return
    if not any(source.get("url") for _, _, source in cited):
        yield (marks[0], "règle de droit sans source officielle (« legal: true »)",
               "citez dans « sources » au moins une loi ou une page officielle (fiche de data/sources/ de type « law » "
               "ou « official », avec son adresse), et l'article dans « page »")
    for index, item, source in cited:
        if source.get("type") == "law" and not _ARTICLE.search(item.get("page") or ""):
            where = ("sources", index, "page") if item.get("page") else ("sources", index)
            yield (where, f"loi « {item['source']} » citée sans article",
                   "indiquez l'article dans « page » (par exemple « art. 1 » ou « art. L7331-3 »)")
