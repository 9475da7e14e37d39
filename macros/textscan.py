"""Find phrases in the texts of the repository, with file, line and column.

Shared by the checks on wording that a JSON Schema cannot express and that
look beyond one record: the English terminology (macros/terminology.py) and
the verbatim quotes (macros/verbatim.py). Knows nothing of MkDocs.

A *text* is ``(file, language, context, value, raw, start)``: the parsed
value, and the raw file text with the offset where the value starts, so
that a phrase found in the value can be located on its line even inside a
folded YAML block.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import yaml


@dataclass(frozen=True)
class Text:
    """One piece of text to check."""

    path: str  # relative to the project root
    lang: str  # "fr" or "en"
    context: tuple  # keys and indexes from the top of the file (YAML), or () elsewhere
    value: str
    raw: str  # the whole file
    start: int  # offset of the value in ``raw``
    end: int
    record: dict | None = None  # the YAML record the text belongs to, if any


def phrase_pattern(phrase: str) -> re.Pattern:
    """``phrase`` as a case-insensitive pattern: whole words, any spaces or line
    breaks between them (a folded YAML text may break a phrase over two lines)."""
    words = phrase.split()
    body = r"[\s\u00a0\u202f]+".join(re.escape(w) for w in words)
    return re.compile(r"(?<![\w-])" + body + r"(?![\w-])", re.I)


def locate(text: Text, pattern: re.Pattern) -> Iterator[tuple[int, int, str]]:
    """(line, column, matched text) of each match of ``pattern`` in ``text``.

    Searched in the raw file between the value's start and end, so the line is
    exact; when quoting rules make the raw text differ from the value (``''``
    in a quoted YAML string), the match in the value is reported at its start."""
    found = False
    for match in pattern.finditer(text.raw, text.start, text.end):
        found = True
        line = text.raw.count("\n", 0, match.start()) + 1
        column = match.start() - (text.raw.rfind("\n", 0, match.start()) + 1) + 1
        yield line, column, " ".join(match.group(0).split())
    if not found:
        match = pattern.search(text.value)
        if match:
            line = text.raw.count("\n", 0, text.start) + 1
            column = text.start - (text.raw.rfind("\n", 0, text.start) + 1) + 1
            yield line, column, " ".join(match.group(0).split())


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# ---------------------------------------------------------------------------
# Where the texts are
# ---------------------------------------------------------------------------


def data_texts(data_dir: Path, root: Path, languages: tuple[str, ...] = ("fr", "en")) -> Iterator[Text]:
    """Every translated text (a mapping with ``fr``) of every record of ``data_dir``.

    Files that are not valid YAML are skipped: the loader reports them."""
    for path in sorted(data_dir.glob("*/*.yml")):
        if path.parent.name == "schemas":
            continue
        try:
            raw = path.read_text(encoding="utf-8")
            node = yaml.compose(raw, Loader=yaml.SafeLoader)
            record = yaml.safe_load(raw)
        except (UnicodeDecodeError, yaml.YAMLError):
            continue
        if node is None or not isinstance(record, dict):
            continue
        yield from _walk(node, (), relative(path, root), raw, languages, record)


def _walk(node: yaml.Node, context: tuple, shown: str, raw: str, languages, record) -> Iterator[Text]:
    if isinstance(node, yaml.MappingNode):
        keys = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        if "fr" in keys and all(isinstance(v, yaml.ScalarNode) for v in keys.values()):
            for lang in languages:
                value = keys.get(lang)
                if value is not None and isinstance(value.value, str):
                    yield Text(shown, lang, context, value.value, raw, value.start_mark.index, value.end_mark.index, record)
            return
        for key, value in node.value:
            yield from _walk(value, context + (key.value,), shown, raw, languages, record)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, context + (index,), shown, raw, languages, record)


def markdown_texts(docs_dir: Path, root: Path, suffix: str = ".en.md") -> Iterator[Text]:
    """Each hand-written page of one language, as one text."""
    for path in sorted(docs_dir.rglob(f"*{suffix}")):
        raw = path.read_text(encoding="utf-8")
        yield Text(relative(path, root), "en", (), raw, raw, 0, len(raw))


def strings_texts(strings_file: Path, root: Path, lang: str = "en") -> Iterator[Text]:
    """Each interface string of one language (macros/strings.json)."""
    if not strings_file.exists():
        return
    raw = strings_file.read_text(encoding="utf-8")
    for key, entry in json.loads(raw).items():
        value = entry.get(lang)
        if not value:
            continue
        found = re.search(r'"' + re.escape(key) + r'"\s*:\s*\{', raw)
        start = found.end() if found else 0
        at = raw.find(json.dumps(value, ensure_ascii=False), start)
        at = at if at >= 0 else start
        yield Text(relative(strings_file, root), lang, (key,), value, raw, at, at + len(json.dumps(value, ensure_ascii=False)))


def nav_translation_texts(mkdocs_file: Path, root: Path) -> Iterator[Text]:
    """The English names of the navigation (``nav_translations`` in mkdocs.yml),
    read line by line: mkdocs.yml has tags a safe YAML reader refuses."""
    if not mkdocs_file.exists():
        return
    raw = mkdocs_file.read_text(encoding="utf-8")
    lines = raw.split("\n")
    offset, inside, indent = 0, False, 0
    for line in lines:
        stripped = line.strip()
        current = len(line) - len(line.lstrip())
        if inside and stripped and current <= indent:
            inside = False
        if inside and ":" in stripped:
            key, _, value = stripped.partition(": ")
            start = offset + line.index(value) if value else offset
            yield Text(relative(mkdocs_file, root), "en", ("nav_translations", key), value, raw, start, start + len(value))
        if stripped == "nav_translations:":
            inside, indent = True, current
        offset += len(line) + 1
