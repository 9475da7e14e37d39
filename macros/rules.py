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


# -- journey -----------------------------------------------------------------


def _journey_actions(phase: Mapping[str, Any]) -> Iterator[tuple[Path, str, str]]:
    """(path in the record, action id, step id) of every action of a phase, in order."""
    for s, step in enumerate(phase.get("steps") or ()):
        for g, goal in enumerate(step.get("goals") or ()):
            for a, action in enumerate(goal.get("actions") or ()):
                if isinstance(action, Mapping) and isinstance(action.get("id"), str):
                    yield ("steps", s, "goals", g, "actions", a, "id"), action["id"], step.get("id", "?")


@rule("journey")
def journey_action_ids_are_unique(data, catalog):
    """Every action of the journey has its own id, across all phases
    (CONTRIBUTING.md, « journey »): the cooperator passport keeps each
    cooperator's ticks by these ids. The second use of an id is reported
    (phases in the journey's order, then in the order of the file)."""
    def order(phase: Mapping[str, Any]) -> tuple:
        number = phase.get("number")
        return (number if isinstance(number, int) else 0, str(phase.get("id")))

    earlier: dict[str, str] = {}
    for other_id, other in sorted(catalog.get("journey", {}).items(), key=lambda item: order(item[1])):
        if order(other) >= order(data):
            break
        for _, action_id, step_id in _journey_actions(other):
            earlier.setdefault(action_id, f"data/journey/{other_id}.yml, étape « {step_id} »")
    for path, action_id, step_id in _journey_actions(data):
        if action_id in earlier:
            yield (path, f"identifiant d'action « {action_id} » en double (déjà dans {earlier[action_id]})",
                   "donnez à chaque action du parcours un identifiant qui lui est propre")
        else:
            earlier[action_id] = f"l'étape « {step_id} »"
