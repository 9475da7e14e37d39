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


# -- quiz: the questions of the game « Je crée ma coopérative » (issue #15) -----


# ``learn`` field → collection (the schema's x-ref): the record that teaches the answer.
LEARN = {"faq": "faq", "glossary": "glossary", "figures": "figures", "practices": "practices",
         "action_lines": "action-lines", "levers": "levers", "resolutions": "resolutions", "axes": "axes",
         "journey": "journey", "journey_steps": "journey-steps", "quotes": "quotes", "services": "services",
         "arguments": "arguments", "sources": "sources"}


def _options(data: Mapping[str, Any]) -> list:
    return list(data.get("options") or ())


@rule("quiz")
def quiz_one_right_answer(data, catalog):
    """CONTRIBUTING.md, « quiz »: 3 or 4 options for « choix », 2 for a « vrai-faux »
    written with options; exactly one option marked « correct: true »."""
    options = _options(data)
    if not options:
        return  # a « vrai-faux » with « answer: true/false » (the schema asks for one or the other)
    count = len(options)
    if data["kind"] == "choix" and not 3 <= count <= 4:
        yield ("options",), f"une question « choix » a 3 ou 4 options, pas {count}", \
            "ajoutez ou retirez des options (une seule bonne réponse)"
    if data["kind"] == "vrai-faux" and count != 2:
        yield ("options",), f"une question « vrai-faux » écrite avec des options en a exactement deux, pas {count}", \
            "gardez deux options (par exemple « Vrai » et « Faux »), ou retirez « options » et écrivez « answer: true » ou « answer: false »"
    right = [i for i, option in enumerate(options) if option.get("correct") is True]
    if not right:
        yield ("options",), "aucune option n'est marquée comme bonne réponse", \
            "ajoutez « correct: true » sous la bonne réponse"
    elif len(right) > 1:
        numbers = ", ".join(str(i + 1) for i in right[:-1]) + f" et {right[-1] + 1}"
        yield ("options", right[1], "correct"), f"{len(right)} bonnes réponses (options {numbers}) : il en faut une seule", \
            "gardez « correct: true » sur la seule bonne réponse et retirez-le des autres"


def _same(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").strip(" .!?…").split())


@rule("quiz")
def quiz_distinct_options(data, catalog):
    """CONTRIBUTING.md, « quiz »: no two options say the same thing, in each language."""
    for lang in ("fr", "en"):
        seen: dict[str, int] = {}
        for index, option in enumerate(_options(data)):
            text = option["text"].get(lang)
            if not text:
                continue
            key = _same(text)
            if key in seen:
                yield ("options", index, "text", lang), \
                    f"l'option {index + 1} répète l'option {seen[key] + 1} (« {text.strip()} », {lang})", \
                    "chaque option doit être différente des autres, dans chaque langue : reformulez-la ou remplacez-la"
            else:
                seen[key] = index


def _texts_of(data: Mapping[str, Any]) -> list[tuple[tuple, Mapping[str, str]]]:
    out = [(("question",), data["question"]), (("explanation",), data["explanation"])]
    out += [(("options", i, "text"), o["text"]) for i, o in enumerate(_options(data))]
    return out


def _name(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@rule("quiz")
def quiz_translated_whole(data, catalog):
    """data/README.md, translations: a question is in English whole or not at all;
    if no text has « en », the English game shows it in French under the notice."""
    texts = _texts_of(data)
    translated = [path for path, text in texts if text.get("en")]
    if not translated:
        return
    for path, text in texts:
        if not text.get("en"):
            yield path, f"traduction anglaise incomplète : « {_name(path)} » n'a pas de ligne « en: », alors que « {_name(translated[0])} » en a une", \
                "traduisez aussi ce texte, ou retirez toutes les lignes « en: » de la question (la page anglaise la montrera alors en français, sous le bandeau « pas encore traduit »)"


# Numbers written in words, as the records write them (« quatre leviers », "thirteen action lines").
# « un », « une », "one" are left out: they are articles far more often than numbers.
_WORDS = {
    "fr": {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
           "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
           "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "mille": 1000},
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
           "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "thousand": 1000},
}
_DIGITS = {
    # 36 000 / 36 000 (thin space) / 63,8 — and 36,000 / 63.8 in English
    "fr": re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(\d+))?"),
    "en": re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"),
}


def numbers(text: str, lang: str) -> dict[float, str]:
    """Every number in ``text`` (digits or words), as a value → how it is written."""
    found: dict[float, str] = {}
    for match in _DIGITS[lang].finditer(text):
        whole = re.sub(r"[^\d]", "", match.group(1))
        value = float(f"{whole}.{match.group(2)}" if match.group(2) else whole)
        found.setdefault(value, match.group(0))
    for word in re.findall(r"[^\W\d_]+", text.casefold()):
        if word in _WORDS[lang]:
            found.setdefault(float(_WORDS[lang][word]), word)
    return found


def record_numbers(record: Any) -> set[float]:
    """Every number a record holds: in its texts (both languages) and its numeric fields."""
    out: set[float] = set()

    def walk(value: Any, lang: str | None) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, (int, float)):
            out.add(float(value))
        elif isinstance(value, str):
            for one in ("fr", "en") if lang is None else (lang,):
                out.update(numbers(value, one))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, key if key in ("fr", "en") else lang)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item, lang)

    walk(record, None)
    return out


def learned_from(data: Mapping[str, Any], catalog) -> tuple[str, str, Mapping[str, Any] | None]:
    """(collection, id, the record's data or None) of the record named by ``learn``."""
    key, target = next(iter(data["learn"].items()))
    collection = LEARN[key]
    if collection == "journey-steps":
        for phase in catalog.get("journey", {}).values():
            for step in phase.get("steps") or ():
                if isinstance(step, Mapping) and step.get("id") == target:
                    return collection, target, step
        return collection, target, None
    return collection, target, catalog.get(collection, {}).get(target)


@rule("quiz")
def quiz_numbers_from_the_record(data, catalog):
    """data/README.md, « quiz »: the game never says a figure the site does not. Every
    number of the question, of its right answer and of its explanation (in digits,
    or in words from « deux » to « mille ») is in the record named by ``learn``.
    Wrong options may hold other numbers (they are wrong on purpose), and so may a
    vrai/faux statement whose answer is « false » (its explanation gives the right one)."""
    collection, target, record = learned_from(data, catalog)
    if record is None:
        return  # the reference itself is reported by the loader
    known = record_numbers(record)
    paths = [("explanation",)]
    if not (data["kind"] == "vrai-faux" and data.get("answer") is False):
        paths.append(("question",))
    right = [i for i, o in enumerate(_options(data)) if o.get("correct") is True]
    if len(right) == 1:  # else quiz_one_right_answer says so, and which option is right is unknown
        paths.append(("options", right[0], "text"))
    for path in paths:
        value: Any = data
        for part in path:
            value = value[part]
        for lang, text in value.items():
            for number, written in numbers(text, lang).items():
                if number not in known:
                    yield path + (lang,), \
                        f"le nombre « {written} » n'est pas dans la fiche qui enseigne la réponse ({collection} : {target})", \
                        "un chiffre du jeu doit venir de cette fiche : corrigez-le, ou renvoyez (« learn ») vers la fiche qui le donne"


# -- kits ----------------------------------------------------------------------------


@rule("kits")
def kit_game_has_questions(data, catalog):
    """CONTRIBUTING.md, « kits »: a kit that offers the game (``game: true``) needs
    questions in data/quiz/, or its links to the game would lead nowhere."""
    if data.get("game") and not catalog.get("quiz"):
        yield ("game",), "le kit propose le jeu (« game: true »), mais data/quiz/ n'a aucune question", \
            "ajoutez des questions dans data/quiz/ ou retirez « game: true »"


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


@rule("kits")
def kit_piece_format_suits_it(data, catalog):
    """CONTRIBUTING.md, « Les formats des pièces »: a format suits some kinds of
    piece (an affiche is a ``poster`` or ``poster-a3``…), and only a ``card`` or
    a ``pocket`` card has a back."""
    from .formats import FORMATS
    for index, piece in enumerate(data.get("pieces") or ()):
        fmt, kind = FORMATS.get(piece.get("format")), piece.get("kind")
        if fmt is None:
            continue
        if kind not in fmt.kinds:
            fitting = ", ".join(f.name for f in FORMATS.values() if kind in f.kinds)
            yield ("pieces", index, "format"), \
                f"pièce « {piece.get('id')} » : le format « {fmt.name} » ne convient pas à une pièce de nature « {kind} »", \
                f"choisissez l'un des formats d'une pièce « {kind} » : {fitting}"
        if piece.get("back") and not fmt.back:
            with_back = ", ".join(f.name for f in FORMATS.values() if f.back)
            yield ("pieces", index, "back"), \
                f"pièce « {piece.get('id')} » : le format « {fmt.name} » n'a pas de verso (« back »)", \
                f"retirez « back » et mettez son texte dans « body », ou choisissez un format recto verso ({with_back})"


def _chars(n: int) -> str:
    return f"{n} caractère" + ("s" if n > 1 else "")


@rule("kits")
def kit_piece_text_fits_its_format(data, catalog):
    """CONTRIBUTING.md, « Les formats des pièces »: each face of a piece holds its
    text in each language (title included), by the budget of its format
    (macros/formats.py, measured in Chromium); else the build stops and says by
    how many characters."""
    from .formats import FORMATS, LANGUAGE_NAMES, larger, piece_faces
    for index, piece in enumerate(data.get("pieces") or ()):
        fmt = FORMATS.get(piece.get("format"))
        if fmt is None:
            continue
        languages = [lang for lang in LANGUAGE_NAMES if (piece.get("body") or {}).get(lang)
                     or (piece.get("title") or {}).get(lang) or (piece.get("back") or {}).get(lang)]
        for lang in languages:
            for side, fit in piece_faces(piece, lang):
                if fit.fits:
                    continue
                field_name = "back" if side == "back" else "body"
                where = ("pieces", index, field_name, lang) if (piece.get(field_name) or {}).get(lang) \
                    else ("pieces", index, field_name)
                face = {"front": " (recto)" if piece.get("back") and fmt.back else "", "back": " (verso)"}[side]
                bigger = larger(fmt, piece.get("kind"))
                advice = "raccourcissez-le"
                if fmt.back and not piece.get("back"):
                    advice += ", reportez-en une partie au verso (« back »)"
                if bigger:
                    advice += f" ou choisissez un format plus grand ({', '.join(bigger)})"
                yield where, \
                    (f"pièce « {piece.get('id')} » (format {fmt.name}){face} : texte {LANGUAGE_NAMES[lang]} trop long "
                     f"de {_chars(fit.over)} pour {fmt.noun} ({fit.chars(fit.used)} pour {fit.chars(fit.room)} au plus)"), \
                    advice


# -- arguments: the pocket cards --------------------------------------------------


def _pick(value: Mapping[str, str] | None, lang: str) -> str:
    return (value.get(lang) or value.get("fr") or "") if value else ""


@rule("arguments")
def argument_cards_fit_their_pocket_card(data, catalog):
    """CONTRIBUTING.md, « Les formats des pièces »: an argumentaire prints as pocket
    cards (format ``pocket``, macros/formats.py): key messages, proof points, one
    card per objection, quotes. Each card holds its text in each language."""
    from .formats import FORMATS, LANGUAGE_NAMES, face

    fmt = FORMATS["pocket"]
    head = 6.5 * 1.2 + 1.5  # the card's head line (docs/assets/print.css, .cap-card__head), pt
    label = " " * 25        # a card's own title: « Messages clés », « Preuves à l'appui »…

    def figure_words(item: Mapping[str, Any], lang: str) -> str:
        figure = catalog.get("figures", {}).get(item.get("figure") or "", {})
        words = ""
        if figure.get("value") is not None:
            words += f"{figure['value']:,} %  — "
        for ref in figure.get("sources") or ():
            source = catalog.get("sources", {}).get(ref.get("source"), {})
            if source.get("attribution"):
                words += " — " + _pick(source["attribution"], lang)
                break
        return words

    for lang in LANGUAGE_NAMES:
        cards = [(("key_messages",), "des messages clés", label,
                  "\n".join("1. " + _pick(m, lang) for m in data.get("key_messages") or ()))]
        if data.get("proof_points"):
            cards.append((("proof_points",), "des preuves", label, "\n".join(
                "- " + _pick(p.get("text"), lang) + figure_words(p, lang) for p in data["proof_points"])))
        for index, objection in enumerate(data.get("objections") or ()):
            cards.append((("objections", index, "answer", lang) if (objection.get("answer") or {}).get(lang)
                          else ("objections", index, "answer"), f"de l'objection « {objection.get('id')} »",
                          "« " + _pick(objection.get("objection"), lang) + " »", _pick(objection.get("answer"), lang)))
        quotes = [catalog.get("quotes", {}).get(q, {}) for q in data.get("quotes") or ()]
        if quotes:
            cards.append((("quotes",), "des citations", label, "\n\n".join("> " + _pick(q.get("text"), lang) for q in quotes)))
        for path, name, title, body in cards:
            fit = face(fmt, body, title, foot=True, extra=head)
            if not fit.fits:
                yield path, \
                    (f"carte {name} : texte {LANGUAGE_NAMES[lang]} trop long de {_chars(fit.over)} "
                     f"pour {fmt.noun} ({fit.chars(fit.used)} pour {fit.chars(fit.room)} au plus)"), \
                    "raccourcissez-le : une carte de poche ne s'agrandit pas"
