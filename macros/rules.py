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
