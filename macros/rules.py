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


# -- creation-steps: « Créer sa coopérative, étape par étape » (issue #13) -------

_BRANCHES = {"tous": "tous les projets", "creation": "création", "transformation": "transformation", "reprise": "reprise"}


@rule("creation-steps")
def step_group_is_and_or_or(data, catalog):
    """Records sharing a ``number`` form one step (CONTRIBUTING.md, « Le chemin
    de création »): all « tous » (an « et » step, done together) or each for a
    different branch (an « ou » step, one per situation) — never a mix."""
    mates = [other for rid, other in catalog.get("creation-steps", {}).items()
             if rid != data.get("id") and other.get("number") == data.get("number")]
    if not mates:
        return
    branch = data.get("branch")
    if branch == "tous" and any(m.get("branch") != "tous" for m in mates) or \
            branch != "tous" and any(m.get("branch") == "tous" for m in mates):
        yield (("branch",), f"l'étape {data.get('number')} mêle une fiche « tous » et des fiches réservées à une situation",
               "une étape « et » n'a que des fiches « branch: tous » ; une étape « ou » a une fiche par situation (creation, transformation, reprise) : changez « branch » ou « number »")
    elif branch != "tous":
        same = sorted(m["id"] for m in mates if m.get("branch") == branch)
        if same:
            yield (("branch",), f"deux fiches de l'étape {data.get('number')} s'adressent à la même situation « {branch} » ({', '.join(same)})",
                   "dans une étape « ou », chaque fiche est pour une situation différente : fusionnez-les ou changez « number »")


@rule("creation-steps")
def step_numbers_follow_each_other(data, catalog):
    """The path is numbered 1, 2, 3… without a gap, so the page never says
    « étape 5 » after « étape 3 »."""
    number = data.get("number")
    numbers = {other.get("number") for other in catalog.get("creation-steps", {}).values()}
    if isinstance(number, int) and number > 1 and number - 1 not in numbers:
        yield (("number",), f"étape {number} sans étape {number - 1} avant elle",
               "numérotez les étapes à la suite (1, 2, 3…) : changez « number » ou ajoutez l'étape manquante")
