"""Turn the Catalog into Markdown, one language at a time.

Plain Python and Jinja, nothing of MkDocs: the same functions serve the
MkDocs hooks, the macros of hand-written pages and the tests. Markup lives
in ``overrides/cap/*.html`` (Markdown templates despite the suffix, which
keeps MkDocs from copying them into the site).

Data text is escaped on the way in: ``<`` becomes ``&lt;`` so raw HTML is
shown, never rendered, and data is never compiled as a template.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import jinja2

from . import build_cache, freshness, git_dates, memo, quiz
from .catalog import DEFAULT_LANGUAGE, LANGUAGES, Catalog, Record

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "overrides" / "cap"
STRINGS = ROOT / "macros" / "strings.json"


# ---------------------------------------------------------------------------
# Where each collection is shown
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """How a collection appears on the site.

    ``folder``: records get their own page ``<folder>/<id>.md``;
    ``anchor_of``: records are anchors ``#<id>`` on another page (a Markdown
    source path, or ``"parent"`` for records nested in a parent's page).
    """

    collection: str
    folder: str | None = None
    anchor_of: str | None = None
    template: str | None = None
    via: tuple[str, str] | None = None  # (field, collection): shown on the page of the record it names


SECTIONS: dict[str, Section] = {s.collection: s for s in (
    Section("levers", folder="livre-blanc/leviers", template="lever.html"),
    Section("action-lines", folder="livre-blanc/lignes", template="action-line.html"),
    Section("axes", folder="texte-orientation/axes", template="axis.html"),
    Section("resolutions", folder="texte-orientation/resolutions", template="resolution.html"),
    Section("journey", folder="parcours", template="journey-phase.html"),
    Section("journey-steps", anchor_of="parent"),
    Section("practices", folder="bonnes-pratiques", template="practice.html"),
    Section("faq-themes", folder="faq", template="faq-theme.html"),
    Section("faq", via=("theme", "faq-themes")),
    Section("creation-steps", anchor_of="faq/etapes.md"),
    Section("kits", folder="kits", template="kit.html"),
    Section("arguments", folder="argumentaires", template="argument.html"),
    Section("figures", anchor_of="chiffres.md"),
    Section("quotes", anchor_of="citations.md"),
    Section("services", anchor_of="services.md"),
    Section("glossary", anchor_of="glossaire.md"),
    Section("sources", anchor_of="sources.md"),
    Section("deadlines", anchor_of="outils/memo-echeances.md"),  # the memo's items (macros/memo.py)
    Section("quiz", anchor_of=quiz.PAGE),
)}


# The interactive tools' pages (hand-written, docs/outils/), by the value the
# practices' ``tool`` field gives them (an enum of data/schemas/practices.schema.json).
TOOL_PAGES: dict[str, str] = {
    "memo-echeances": "outils/memo-echeances.md",
    "passeport-cooperateur": "outils/passeport.md",
}


def page_src(record: Record) -> str:
    """Markdown source path of the page showing ``record`` (with ``#anchor`` if any)."""
    section = SECTIONS.get(record.collection)
    if section is None:
        raise KeyError(f"la collection « {record.collection} » n'a pas de place sur le site (render.SECTIONS)")
    if section.folder:
        return f"{section.folder}/{record.id}.md"
    if section.via:
        field_name, collection = section.via
        return f"{SECTIONS[collection].folder}/{record[field_name]}.md#{record.id}"
    if section.anchor_of == "parent":
        return f"{section_page(record.parent)}#{record.id}"
    return f"{section.anchor_of}#{record.id}"


def section_page(record: Record) -> str:
    """The page (without anchor) that shows ``record``."""
    return page_src(record).split("#")[0]


# ---------------------------------------------------------------------------
# Text helpers (escaping, language choice)
# ---------------------------------------------------------------------------

# Braces too: a brace group in a title (« { #x } ») would stop attr_list from
# reading the anchor the template puts after it (found by tests/test_fuzz_loader.py).
_ESCAPES = str.maketrans({"<": "&lt;", ">": "&gt;", "{": "\\{", "}": "\\}"})


def escape_md(text: str) -> str:
    """Neutralise raw HTML in Markdown text; keep Markdown itself.

    A ``>`` opening a line stays (Markdown quote); elsewhere both angle
    brackets become entities, so ``<script>`` is shown, never run, and braces
    are escaped, so that no attribute list comes from data.
    """
    lines = []
    for line in text.split("\n"):
        quote = re.match(r"^(\s*>)+", line)
        head = quote.group(0) if quote else ""
        lines.append(head + line[len(head):].translate(_ESCAPES))
    return "\n".join(lines)


def missing_translation(value: Any, lang: str) -> bool:
    """True when some text in ``value`` has no version in ``lang``."""
    if isinstance(value, Mapping):
        if "fr" in value and all(isinstance(v, (str, type(None))) for v in value.values()):
            return not value.get(lang)
        return any(missing_translation(v, lang) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(missing_translation(v, lang) for v in value)
    return False


class SharedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process and on disk (issue #8):
    the second language's build, every ``mkdocs serve`` rebuild and every later
    build reuse them instead of compiling ~100 templates (the theme's and ours)
    again. Jinja checks each template's source checksum and its own version's
    magic header, so an edited template is compiled afresh; environments set up
    differently do not share code. The folder (``.cache/jinja/``, git-ignored)
    can be deleted at any time; without it, templates are compiled as usual."""

    def __init__(self, folder: Path | None = None) -> None:
        self._code: dict[tuple, bytes] = {}
        self.folder = folder

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple:
        env = bucket.environment
        setup = (tuple(sorted(env.extensions)), env.autoescape if isinstance(env.autoescape, bool) else repr(env.autoescape),
                 env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline, env.newline_sequence, env.optimized,
                 env.block_start_string, env.variable_start_string, env.comment_start_string, env.line_statement_prefix)
        return (bucket.key, setup)

    def _file(self, key: tuple) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / (hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32] + ".bin")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = self._key(bucket)
        code = self._code.get(key)
        if code is None and (path := self._file(key)) is not None:
            try:
                code = path.read_bytes()
            except OSError:
                code = None
        if code is not None:
            bucket.bytecode_from_string(code)  # left empty (compiled again) if stale

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = self._key(bucket)
        code = self._code[key] = bucket.bytecode_to_string()
        path = self._file(key)
        if path is None:
            return
        build_cache.write_atomic(path, code)


BYTECODE_CACHE = SharedBytecodeCache(build_cache.JINJA)


class Renderer:
    """Renders pages and fragments for one catalog; cheap to call per page."""

    def __init__(self, catalog: Catalog, site_url: str = ""):
        self.catalog = catalog
        self.site_url = site_url
        self.strings = json.loads(STRINGS.read_text(encoding="utf-8"))
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=BYTECODE_CACHE,
        )
        self.env.filters.update(indent_md=_indent)
        self.env.globals.update(catalog=catalog)
        # The deadlines memo (section-memo.html): its schedule and its script's data, per language.
        self.env.globals.update(memo_page=lambda lang: memo.page_data(catalog, lang, self.strings, site_url=self.site_url))

    # -- per-call context ---------------------------------------------------

    def _context(self, lang: str, here: str) -> dict[str, Any]:
        """Template helpers bound to a language and to the current page."""

        def text(value: Mapping[str, str] | None) -> str:
            if not value:
                return ""
            return escape_md(value.get(lang) or value[DEFAULT_LANGUAGE])

        def inline(value: Mapping[str, str] | None) -> str:
            return " ".join(text(value).split())

        def href(record: Record) -> str:
            target = page_src(record)
            path, _, anchor = target.partition("#")
            rel = posixpath.relpath(path, posixpath.dirname(here) or ".") if path != here else ""
            return rel + (f"#{anchor}" if anchor else "")

        def src_href(src: str) -> str:
            """A hand-written page or print view (``outils/jeu.md``) relative to this page."""
            return posixpath.relpath(src, posixpath.dirname(here) or ".")

        def tool_href(tool: str) -> str:
            """Relative link to a tool's page (TOOL_PAGES), from the current page."""
            return src_href(TOOL_PAGES[tool])

        def link(record: Record, label: str | None = None) -> str:
            """Markdown link to a record; ``label`` (already safe) replaces its title."""
            return f"[{label or inline(record['title'])}]({href(record)})"

        def s(key: str, **values: Any) -> str:
            entry = self.strings[key]
            return (entry.get(lang) or entry[DEFAULT_LANGUAGE]).format(**values)

        def back(record: Record, collection: str) -> list[Record]:
            return self.catalog.backlinks(record, collection)

        def fwd(record: Record, field_name: str) -> list[Record]:
            return self.catalog.forward(record, field_name)

        def number(value: float) -> str:
            if float(value).is_integer():
                formatted = f"{int(value):,}"
            else:
                formatted = f"{value:,}"
            if lang == "fr":
                return formatted.replace(",", "\u202f").replace(".", ",")
            return formatted

        def plain(value: Mapping[str, str] | None) -> str:
            """Raw text in the page's language, for attributes and SVG (escape it with |e)."""
            return " ".join((value.get(lang) or value[DEFAULT_LANGUAGE]).split()) if value else ""

        def text_only(value: Mapping[str, str] | None) -> str:
            """Text in the page's language without its Markdown, on one line: the label
            of a form control (escape it with |e)."""
            return plain_text(value.get(lang) or value[DEFAULT_LANGUAGE]) if value else ""

        def unit_after(value: float, unit: Mapping[str, str] | None) -> str:
            shown = number(value)
            if not unit:
                return shown
            u = plain(unit)
            return f"{shown}\u202f{u}" if (u == "%" and lang == "fr") else (f"{shown}{u}" if u == "%" else f"{shown} {u}")

        def figure_value(figure: Record) -> str:
            if figure.get("value") is not None:
                return unit_after(figure["value"], figure.get("unit"))
            return inline(figure["title"])

        def attribution(figure: Record) -> str:
            """Whose figure it is, in a few words: the ``attribution`` of the first
            source that has one (a survey), as inline Markdown; "" otherwise."""
            for item in figure.get("sources") or ():
                source = self.catalog["sources"].get(item["source"])
                if source is not None and source.get("attribution"):
                    words = inline(source["attribution"])
                    return words[:1].upper() + words[1:]
            return ""

        def chart(figure: Record) -> list[dict[str, Any]]:
            """Bars of a figure: label, value, shown value, width in % of the scale."""
            rows = []
            if figure.get("kind") == "distribution":
                rows = [(plain(v["label"]), v["value"]) for v in figure["values"] if v.get("value") is not None]
            elif figure.get("value") is not None and figure.get("unit") and plain(figure["unit"]) == "%":
                rows = [(plain(figure["title"]), figure["value"])]
            if not rows:
                return []
            scale = 100 if figure.get("unit") and plain(figure["unit"]) == "%" else (max(v for _, v in rows) or 1)  # all 0: no bar
            return [dict(label=l, value=v, shown=unit_after(v, figure.get("unit")), width=round(100 * v / scale, 1))
                    for l, v in rows]

        def reviewed(record: Record) -> str:
            """« <time datetime=…>29 novembre 2026</time> », or "" when the record has no date."""
            date = freshness.parse(record.get("reviewed"))
            return git_dates.html(date, lang) if date else ""

        def stale(record: Record) -> bool:
            return freshness.is_stale(record.get("reviewed"))

        return dict(lang=lang, here=here, t=text, reviewed=reviewed, stale=stale,
                    creation_path=lambda: creation_path(self.catalog), json_data=json_data, inline=inline, href=href, src_href=src_href, link=link, s=s, plain=plain,
                    text_only=text_only, tool_href=tool_href,
                    figure_value=figure_value, chart=chart, unit_after=unit_after, attribution=attribution,
                    back=back, fwd=fwd, number=number, missing=lambda r: missing_translation(r.data, lang),
                    sorted_records=self.catalog.sorted,
                    # the game « Je crée ma coopérative » (issue #15, macros/quiz.py)
                    quiz_entries=lambda: quiz.entries(self.catalog, self.strings),
                    quiz_payload=lambda: quiz.payload(quiz.entries(self.catalog, self.strings), lang, self.strings, plain_text),
                    quiz_label=lambda record: quiz.label(record, inline, s), quiz_sheets=quiz.sheets,
                    quiz_page=quiz.PAGE, quiz_cards=quiz.CARDS)

    # -- public API ---------------------------------------------------------

    def record_page(self, record: Record, lang: str) -> str:
        """Whole Markdown page (front matter included) for one record."""
        section = SECTIONS[record.collection]
        here = page_src(record)
        ctx = self._context(lang, here)
        body = self.env.get_template(section.template).render(record=record, **ctx)
        meta = {
            "title": ctx["inline"](record["title"]),
            "description": ctx["inline"](record.get("summary")) or ctx["inline"](record["title"]),
            "render_macros": False,
            "cap_source": record.path,
            "cap_untranslated": lang != DEFAULT_LANGUAGE and missing_translation(record.data, lang),
        }
        if record.collection == "faq-themes":
            meta["cap_jsonld"] = self.faq_jsonld(record, lang)
        front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
        return f"---\n{front}\n---\n\n{body}"

    def faq_jsonld(self, theme: Record, lang: str) -> dict[str, Any]:
        """schema.org FAQPage for one theme page: every question, answer as plain text."""
        def pick(value):
            return value.get(lang) or value[DEFAULT_LANGUAGE]
        return {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "inLanguage": lang,
            "mainEntity": [
                {"@type": "Question", "name": plain_text(pick(q["question"])),
                 "acceptedAnswer": {"@type": "Answer", "text": plain_text(pick(q["answer"]))}}
                for q in self.catalog.backlinks(theme, "faq")
            ],
        }

    def abbreviation_glossary(self, lang: str) -> dict[str, str]:
        """Every glossary term (and variant) with its expansion, for the ``abbr``
        extension's ``glossary`` option: hover explanations on every page."""
        out: dict[str, str] = {}
        for term in sorted(self.catalog["glossary"].values(), key=lambda r: r.id):
            if not term.get("expansion"):
                continue
            expansion = escape_md(" ".join((term["expansion"].get(lang) or term["expansion"][DEFAULT_LANGUAGE]).split()))
            for written in dict.fromkeys([term["term"], *(term.get("variants") or ())]):
                if written.strip() and expansion.strip():
                    out[written.strip()] = expansion.strip()
        return out

    def fragment(self, template: str, lang: str, here: str, **values: Any) -> str:
        """Markdown fragment for a hand-written page (``here`` = its source path)."""
        return self.env.get_template(template).render(**values, **self._context(lang, here))

    def record_pages(self) -> list[tuple[Record, str]]:
        """Every (record, source path) that gets its own page."""
        out = []
        for name, section in SECTIONS.items():
            if section.folder:
                out.extend((r, page_src(r)) for r in self.catalog.sorted(name))
        return out


def creation_path(catalog: Catalog) -> list[dict[str, Any]]:
    """The steps of « Créer sa coopérative, étape par étape », grouped by
    ``number``: ``kind`` is ``one`` (a single record), ``and`` (several
    records for every project, done together) or ``or`` (one record per
    situation: creation, transformation, reprise). macros/rules.py makes sure a
    group is never a mix."""
    order = {"creation": 0, "transformation": 1, "reprise": 2, "tous": 3}
    groups: dict[int, list[Record]] = {}
    for step in catalog.sorted("creation-steps"):
        groups.setdefault(step["number"], []).append(step)
    out = []
    for number in sorted(groups):
        steps = sorted(groups[number], key=lambda r: (order[r["branch"]], r.id))
        kind = "one" if len(steps) == 1 else ("and" if steps[0]["branch"] == "tous" else "or")
        out.append({"number": number, "steps": steps, "kind": kind})
    return out


def json_data(element_id: str, value: Any) -> str:
    """``value`` as a ``<script type="application/json">`` block for a tool's
    script (DESIGN.md, "Interactive tools"). ``<``, ``>`` and ``&`` are
    written as ``\u003c``… so that no text of the data can close the element
    or be read as markup; the script reads it with ``JSON.parse``."""
    payload = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        payload = payload.replace(char, code)
    safe_id = re.sub(r"[^a-z0-9-]", "", element_id)
    return f'<script type="application/json" id="{safe_id}">{payload}</script>'


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def plain_text(markdown_text: str) -> str:
    """Markdown reduced to plain text (links keep their label), on one line."""
    text = _MD_LINK.sub(r"\1", markdown_text)
    text = re.sub(r"[*_`]+", "", text)
    text = re.sub(r"^\s*(?:[-+]|\d+\.)\s+", "", text, flags=re.M)
    return " ".join(text.split())


def _indent(text: str, width: int = 4) -> str:
    """Indent every line but the first (for Markdown inside list items)."""
    pad = " " * width
    return text.replace("\n", "\n" + pad)


__all__ = ["Renderer", "SECTIONS", "page_src", "escape_md", "missing_translation", "LANGUAGES"]
