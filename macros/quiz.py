"""The game « Je crée ma coopérative » (issue #15): what the game page and the
printed cards need from the questions of ``data/quiz/``.

Plain Python, nothing of MkDocs. The loader has already checked each question
(``macros/rules.py``): one right answer, distinct options, a ``learn``
reference that resolves. Here:

- :func:`entries`: the questions in card order (easiest first), each with its
  choices, the index of the right one and the record that teaches it;
- :func:`payload`: the JSON the page's script reads (``json_data``), texts in
  the page's language as plain text (the script writes them with
  ``textContent``, never as HTML);
- :func:`sheets`: the printed cards laid out on A4 sheets, the back of each
  sheet mirroring the front's columns so that a card's answer is printed
  behind its question when the sheet is printed double-sided (long-edge flip).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from . import formats
from .catalog import DEFAULT_LANGUAGE, Catalog, Record

PAGE = "outils/jeu.md"              # the game page (hand-written: docs/outils/jeu.md and .en.md)
CARDS = "outils/jeu/imprimer.md"    # the cards' print view (macros/print_views.py)
LEVELS = ("facile", "moyen", "difficile")
AUDIENCES = ("tous", "famille", "etudiants")
ROUND = 10          # questions in a round (more in « play together », so that every player has as many turns)
PLAYERS = (2, 6)    # « play together »: from 2 to 6 players
COLUMNS, ROWS = formats.QUIZ.columns, formats.QUIZ.rows  # printed cards per A4 sheet (macros/formats.py)


@dataclass(frozen=True)
class Entry:
    """One question as the game shows it."""

    number: int                        # card number, 1 to n, in the order of entries()
    record: Record
    choices: tuple[Mapping[str, str], ...]  # translated texts, in the data's order (Vrai, Faux for « answer »)
    right: int                         # index of the right choice
    learn: Record                      # the record that teaches the answer

    @property
    def id(self) -> str:
        return self.record.id

    def untranslated(self, lang: str) -> bool:
        """No English at all: the English page shows the French under the notice."""
        return lang != DEFAULT_LANGUAGE and not self.record["question"].get(lang)


def entries(catalog: Catalog, strings: Mapping[str, Mapping[str, str]]) -> list[Entry]:
    """Every question, easiest first (then by id): the order of the list on the
    page and of the printed cards. ``strings``: macros/strings.json (Vrai, Faux)."""
    out = []
    records = sorted(catalog["quiz"].values(), key=lambda r: (LEVELS.index(r["difficulty"]), r.id))
    for number, record in enumerate(records, 1):
        options = record.get("options")
        if options:
            choices = tuple(o["text"] for o in options)
            right = next(i for i, o in enumerate(options) if o.get("correct") is True)
        else:  # a « vrai-faux » written with « answer »
            choices = (strings["quiz_true"], strings["quiz_false"])
            right = 0 if record["answer"] else 1
        learn = catalog.forward(record, "learn")[0]
        out.append(Entry(number, record, choices, right, learn))
    return out


def label(record: Record, pick: Callable[[Mapping[str, str]], str], s: Callable[..., str]) -> str:
    """How a « learn more » link names the record: a FAQ question, « SCOP —
    Société coopérative… », « Ligne d'actions 1 — … », a quote between quotation
    marks, else the title. ``pick`` chooses (and escapes) a translated text."""
    kind = record.collection
    if kind == "faq":
        return pick(record["question"])
    if kind == "glossary":
        return f"{record['term']} — {pick(record['expansion'])}" if record.get("expansion") else record["term"]
    if kind == "action-lines":
        return f"{s('action_line', n=record['number'])} — {pick(record['title'])}"
    if kind == "resolutions":
        return f"{s('resolution', n=record['number'])} — {pick(record['title'])}"
    if kind == "quotes":
        return s("quoted", text=pick(record["text"]))
    return pick(record["title"])


def payload(items: Sequence[Entry], lang: str, strings: Mapping[str, Mapping[str, str]],
            plain: Callable[[str], str]) -> dict[str, Any]:
    """What cap-quiz.js reads: the questions (plain text, in ``lang`` or in French
    with ``fr: true``) and the interface words (the ``quiz_*`` keys of
    macros/strings.json). Links to learn more are not here: the script takes
    them from the list of questions on the page, whose Markdown links MkDocs
    checks and writes for the online site and for the offline bundle alike."""
    def pick(value: Mapping[str, str] | None) -> str:
        return plain(value.get(lang) or value[DEFAULT_LANGUAGE]) if value else ""

    def s(key: str, **values: Any) -> str:
        entry = strings[key]
        return (entry.get(lang) or entry[DEFAULT_LANGUAGE]).format(**values)

    questions = []
    for e in items:
        r = e.record
        questions.append({
            "id": e.id, "n": e.number, "kind": r["kind"], "level": LEVELS.index(r["difficulty"]),
            "audience": r["audience"], "text": pick(r["question"]), "choices": [pick(c) for c in e.choices],
            "right": e.right, "why": pick(r["explanation"]), "learn": label(e.learn, pick, s),
            "fr": e.untranslated(lang),
        })
    words = {key[len("quiz_"):]: strings[key].get(lang) or strings[key][DEFAULT_LANGUAGE]  # {n}… filled in by the script
             for key in sorted(strings) if key.startswith("quiz_")}
    return {"lang": lang, "round": ROUND, "players": list(PLAYERS), "audiences": list(AUDIENCES),
            "questions": questions, "t": words}


def sheets(items: Sequence[Entry]) -> list[dict[str, Any]]:
    """The cards on A4 sheets (macros/formats.py, ``impose``, format « quiz »: two
    columns of four): for each sheet, ``front`` and ``back`` are lists of rows,
    each row a list of slots (an entry or None for an empty place). The back's
    rows are the front's read right to left: printed on the other side of the
    sheet (long-edge flip), each answer lands behind its question, and the cut
    lines of both sides coincide. ``first`` and ``last``: the card numbers."""
    out = formats.impose(items, formats.QUIZ)
    for sheet in out:
        sheet["first"], sheet["last"] = items[sheet["first"]].number, items[sheet["last"]].number
    return out


__all__ = ["PAGE", "CARDS", "Entry", "entries", "label", "payload", "sheets", "LEVELS", "AUDIENCES", "ROUND", "PLAYERS", "COLUMNS", "ROWS"]
