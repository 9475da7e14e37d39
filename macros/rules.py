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
