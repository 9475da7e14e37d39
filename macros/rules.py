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


class Records(dict):
    """``catalog`` as the checks see it: collection → id → data, for the files
    that could be read; ``known``: collection → every record file's id, read or
    not (a reference to a broken file is that file's problem, not the referrer's)."""

    known: dict = {}


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


# -- deadlines (data/deadlines/, the yearly memo: macros/memo.py) --------------

_OFFICIAL_HOSTS = ("legifrance.gouv.fr", "service-public.fr", "urssaf.fr")


def _host(url: str) -> str:
    from urllib.parse import urlsplit
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _official(url: str) -> bool:
    host = _host(url)
    return host.endswith(".gouv.fr") or any(host == h or host.endswith("." + h) for h in _OFFICIAL_HOSTS)


@rule("deadlines")
def deadline_has_an_official_source(data, catalog):
    """Every deadline rests on a public, official text (CONTRIBUTING.md, « deadlines »): at least
    one article address on Légifrance, service-public.fr, urssaf.fr or a .gouv.fr site; each
    article address is on the site of the source it belongs to."""
    items = data.get("sources") or []
    if not any(_official(item.get("url", "")) for item in items):
        yield (("sources",), "aucune source officielle pour cette échéance",
               "citez au moins un article sur legifrance.gouv.fr, service-public.fr, urssaf.fr ou un site en .gouv.fr (champ « url »)")
    for index, item in enumerate(items):
        source = catalog.get("sources", {}).get(item.get("source"), {})
        if source.get("url") and item.get("url") and _host(source["url"]) != _host(item["url"]):
            yield (("sources", index, "url"),
                   f"l'adresse de l'article n'est pas sur le site de la source « {item['source']} » ({_host(source['url'])})",
                   "corrigez l'adresse, ou citez la source qui publie cet article")


@rule("deadlines")
def deadline_fields_match_its_kind(data, catalog):
    """Each kind of date has its own fields (data/schemas/deadlines.schema.json, « kind »)."""
    from .memo import FIELDS_OF_KIND, WHEN_FIELDS
    kind = data.get("kind")
    allowed = FIELDS_OF_KIND.get(kind, set())
    for name in sorted(WHEN_FIELDS - allowed):
        if name in data:
            fits = ", ".join(sorted(k for k, v in FIELDS_OF_KIND.items() if name in v))
            yield ((name, "__key__"), f"champ « {name} » sans effet pour une échéance « {kind} »",
                   f"retirez-le, ou changez « kind » ({name} va avec : {fits})")


@rule("deadlines")
def deadline_anchor_exists(data, catalog):
    """A relative date or a cycle starts from « cloture » or from another dated deadline,
    without going round in a loop."""
    import difflib
    from .memo import CLOSING, LoopError, place
    if data.get("kind") not in ("relative", "cycle") or not isinstance(data.get("anchor"), str):
        return
    anchor, records = data["anchor"], catalog.get("deadlines", {})
    if anchor == CLOSING:
        return
    if anchor not in records:
        if anchor in getattr(catalog, "known", {}).get("deadlines", ()):
            return  # the file exists but cannot be read: reported there
        close = difflib.get_close_matches(anchor, [CLOSING, *records], n=1)
        advice = f"vouliez-vous dire « {close[0]} » ? " if close else ""
        yield (("anchor",), f"point de départ « {anchor} » inconnu",
               f"{advice}écrivez « {CLOSING} » (la clôture de l'exercice) ou l'identifiant d'une échéance de data/deadlines/")
        return
    if records[anchor].get("kind") not in ("relative", "fixed", "cycle"):
        yield (("anchor",), f"l'échéance « {anchor} » n'a pas de date : elle ne peut pas servir de point de départ",
               f"partez de « {CLOSING} » ou d'une échéance datée")
        return
    try:
        place({data["id"]: data, **{k: v for k, v in records.items() if k != data["id"]}}, 12, 2001)
    except LoopError as loop:
        if data["id"] in loop.chain:
            yield (("anchor",), f"les points de départ tournent en rond ({' → '.join(loop.chain)})",
                   f"faites partir l'une de ces échéances de « {CLOSING} »")
    except (KeyError, TypeError):
        return  # another deadline's own problem, reported there


@rule("deadlines")
def deadline_cycle_lasts_a_year_or_more(data, catalog):
    """A cycle comes back after a whole number of years, one at least."""
    years = data.get("every_years")
    if data.get("kind") == "cycle" and isinstance(years, int) and years < 1:
        yield (("every_years",), f"un cycle de {years} an(s) n'existe pas", "écrivez un nombre d'années, au moins 1 (1 = chaque année)")


@rule("deadlines")
def deadline_fixed_date_exists(data, catalog):
    """A fixed date is a day that every year has (no 30 February, no 29 February)."""
    import calendar
    month, day = data.get("month"), data.get("day")
    if data.get("kind") == "fixed" and isinstance(month, int) and isinstance(day, int) and 1 <= month <= 12:
        if day > calendar.monthrange(2001, month)[1]:  # 2001: not a leap year
            yield (("day",), f"le {day}/{month} n'existe pas chaque année",
                   "choisissez un jour qui existe tous les ans (pour février : le 28 au plus)")


@rule("deadlines")
def deadline_falls_within_the_year(data, catalog):
    """A dated deadline falls in the twelve months that start on the closing day, whatever the
    closing month (the memo shows one year; the calendars repeat it)."""
    from .memo import LoopError, place, window, closing_date, DATED
    if data.get("kind") not in DATED:
        return
    records = {**catalog.get("deadlines", {}), data["id"]: data}
    try:
        for month in range(1, 13):
            due = place(records, month, 2001)[data["id"]]
            start, end = window(closing_date(2001, month))
            if not start <= due.date < end:
                yield (("kind",), f"l'échéance tombe hors des douze mois qui suivent la clôture (pour un exercice clos le {start:%d/%m}, elle tomberait le {due.date:%d/%m}, {'avant la clôture' if due.date < start else 'plus d’un an après'})",
                       "vérifiez le signe et la valeur de « months » et « days » (négatif = avant)")
                return
    except (LoopError, KeyError, TypeError, ValueError):
        return  # reported by the anchor rule


@rule("deadlines")
def deadline_reviewed_is_a_date(data, catalog):
    """« reviewed » is a real day, written AAAA-MM-JJ (PyYAML reads it as a date; an editor may quote it)."""
    import datetime as dt
    value = data.get("reviewed")
    if isinstance(value, dt.date):
        return
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        yield (("reviewed",), f"« reviewed » n'est pas une date : « {value} »", "écrivez la date au format AAAA-MM-JJ, par exemple 2026-11-29")

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
