"""Quotations attributed to a document are verbatim, or visibly marked.

The reference passages are ``tests/fixtures/seed-excerpts.yml``: each sentence
that the data quotes, copied from its document (the five source documents,
and the public texts the site quotes, such as an article of law) with the
document and its line. ``check(root, data_dir, excerpts)`` reports, in French
with file, line and column:

- every record of ``data/quotes/`` whose French text is not found in an excerpt;
- every « … » in the French text of ``data/`` that is not found in an excerpt,
  except the authors' own words: the objections of the argumentaires (heard,
  not quoted), the speaking notes of the kits (pieces of kind « script »), the
  names of the site's own pages (a « … » that is part of another record's
  title or question), the phrases listed under ``author_phrases`` and the
  names of things listed under ``terms`` (« part travail », « capital
  variable »: a term named, not a sentence quoted).

A quotation may be cut, with « […] » where words are left out, and keep a
typo of its document, marked « [sic] ». Comparison ignores case, the form of
apostrophes and ellipses, spaces and line breaks, inner quotation marks and
dashes used as layout, and words the document cut with a hyphen at a line end.

Run by ``make check`` (scripts/check.py) and by tests/test_verbatim.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import textscan
from .catalog import Problem

EXCERPTS = Path("tests") / "fixtures" / "seed-excerpts.yml"

_QUOTED = re.compile(r"«\s*([^«»]+?)\s*»")
_CUT = re.compile(r"\[(?:…|\.\.\.)\]")
_SIC = re.compile(r"\s*\[sic\]", re.I)


def normalise(text: str) -> str:
    """What two renderings of the same words have in common."""
    text = text.replace("’", "'").replace("…", "...").replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)  # a word cut at a line end
    text = re.sub(r"[*_«»“”\"#—–]", " ", text)  # Markdown, inner quotation marks, layout dashes
    text = re.sub(r"\s+%", "%", re.sub(r"\s+", " ", text))
    return text.casefold().strip(" .,;:")


def parts(quotation: str) -> list[str]:
    """The runs of words of a quotation: cut at « […] », without « [sic] »,
    without a leading or trailing ellipsis."""
    out = []
    for part in _CUT.split(_SIC.sub("", quotation)):
        part = normalise(part).strip(" .")
        if part:
            out.append(part)
    return out


@dataclass(frozen=True)
class Excerpts:
    """The reference passages and the authors' phrases."""

    texts: tuple[str, ...]  # normalised
    author_phrases: frozenset[tuple[str, str]]  # (file, normalised phrase)
    terms: frozenset[str] = frozenset()  # normalised names of things, anywhere

    def found(self, quotation: str) -> bool:
        """True when every run of words is in one excerpt, in order."""
        runs = parts(quotation)
        for text in self.texts:
            at = 0
            for run in runs:
                at = text.find(run, at)
                if at < 0:
                    break
                at += len(run)
            else:
                return True
        return not runs


def load_excerpts(path: Path) -> Excerpts:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = tuple(normalise(item["text"]) for key in ("excerpts", "public") for item in data.get(key) or ())
    phrases = frozenset((item["file"], normalise(item["text"])) for item in data.get("author_phrases") or ())
    terms = frozenset(normalise(item["text"]) for item in data.get("terms") or ())
    return Excerpts(texts, phrases, terms)


def _own_names(data_dir: Path, root: Path) -> list[tuple[str, tuple, str]]:
    """(file, context, normalised name) of every French title, question and objection."""
    names = []
    for text in textscan.data_texts(data_dir, root, languages=("fr",)):
        if text.context and text.context[-1] in ("title", "question", "objection"):
            names.append((text.path, text.context, normalise(text.value)))
    return names


def _authors_words(text: textscan.Text) -> bool:
    """Fields written in the authors' own voice, never quotations."""
    context = text.context
    if context and context[-1] == "objection":
        return True
    if len(context) >= 3 and context[0] == "pieces" and isinstance(context[1], int) and text.record:
        pieces = text.record.get("pieces") or []
        if context[1] < len(pieces) and isinstance(pieces[context[1]], dict) and pieces[context[1]].get("kind") == "script":
            return True
    return False


def check(root: Path, data_dir: Path | None = None, excerpts_file: Path | None = None) -> list[Problem]:
    data_dir = data_dir or root / "data"
    excerpts_file = excerpts_file or root / EXCERPTS
    if not excerpts_file.exists():
        return [Problem(textscan.relative(excerpts_file, root), 1, 1, "fichier des extraits des sources introuvable",
                        "recréez-le : il contient les phrases des documents que le site cite")]
    try:
        excerpts = load_excerpts(excerpts_file)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return [Problem(textscan.relative(excerpts_file, root), (mark.line + 1) if mark else 1, (mark.column + 1) if mark else 1,
                        "erreur de syntaxe YAML dans les extraits des sources",
                        "mettez le texte entre apostrophes s'il contient « : » ou « # » (et doublez les apostrophes du texte)")]
    names = _own_names(data_dir, root)
    problems = []
    hint = ("recopiez les mots du document tels quels (mots omis : « […] », coquille du document : « [sic] ») ; "
            f"pour une nouvelle citation, ajoutez la phrase, son document et sa ligne à {EXCERPTS.as_posix()} ; "
            "si ce sont vos propres mots, retirez les guillemets")
    for text in textscan.data_texts(data_dir, root, languages=("fr",)):
        if text.path.startswith(f"{textscan.relative(data_dir, root)}/quotes/") and text.context == ("text",):
            if not excerpts.found(text.value):
                line, column = _start(text)
                problems.append(Problem(text.path, line, column,
                                        f"citation différente du document : « {_short(text.value)} »", hint))
            continue
        if _authors_words(text):
            continue
        for match in _QUOTED.finditer(text.value):
            quotation = match.group(1)
            wanted = normalise(quotation)
            if excerpts.found(quotation) or (text.path, wanted) in excerpts.author_phrases or wanted in excerpts.terms:
                continue
            if any(wanted and wanted in name and (path, context) != (text.path, text.context) for path, context, name in names):
                continue  # the name of another page of the site
            pattern = textscan.phrase_pattern(quotation) if quotation.split() else re.compile(re.escape(quotation))
            line, column, _ = next(textscan.locate(text, pattern), (*_start(text), ""))
            problems.append(Problem(text.path, line, column,
                                    f"texte entre guillemets introuvable dans les sources : « {_short(quotation)} »", hint))
    return sorted(set(problems))


def _start(text: textscan.Text) -> tuple[int, int]:
    """Line and column where a text's value starts in its file."""
    line = text.raw.count("\n", 0, text.start) + 1
    return line, text.start - (text.raw.rfind("\n", 0, text.start) + 1) + 1


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


__all__ = ["check", "normalise", "parts", "load_excerpts", "Excerpts", "EXCERPTS"]
