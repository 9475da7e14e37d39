"""Print views and PDFs of the kits, the argumentaires, the journey (issue #4) and the game's cards (issue #15).

Every printable *document* gets one extra page per language, generated like
the record pages (``macros/hooks.py``, ``on_files``):

=================  ==================================  ==========================
document           print view (Markdown source)        PDF (site path)
=================  ==================================  ==========================
kit ``<id>``       ``kits/<id>/imprimer.md``           ``pdf/<id>-<lang>.pdf``
argumentaire       ``argumentaires/<id>/imprimer.md``  ``pdf/argumentaire-<id>-<lang>.pdf``
creation path      ``faq/etapes/imprimer.md``          ``pdf/creer-sa-cooperative-etape-par-etape-<lang>.pdf``
journey (3 steps)  ``parcours/imprimer.md``            ``pdf/parcours-cooperateur-<lang>.pdf``
game's cards       ``outils/jeu/imprimer.md``          ``pdf/jeu-cartes-<lang>.pdf``
=================  ==================================  ==========================

A print view is Markdown rendered by ``overrides/cap/print-<kind>.html``
(cover with title, audience, contents, date and QR code, then the pieces: a
kit's at their real size, several to a sheet for the small ones — issue #17,
``macros/formats.py`` —, an argumentaire's as pocket cards, the game's as
cards front and back), shown by the theme template ``overrides/cap/print-page.html``
(no sidebars, excluded from search) and styled by ``docs/assets/print.css``.
``scripts/stages/30-pdf.py`` prints each view to PDF after the site is
built, into ``dist/kits/`` and the site's ``pdf/`` folder.

The kit, argumentaire and journey pages carry an « Imprimer » link and a
« Télécharger le PDF » offer: their templates hold the marker ``MARKER``,
replaced here once the page's final URL is known (for a hand-written page,
like the creation path's docs/faq/etapes.md, by ``resolve_marker``, called
from the hooks' ``on_page_markdown``). The PDF does not exist
when MkDocs writes the pages (and never in a bare ``mkdocs build``: ``make
serve``, previews), and a link is written only where its target exists in
that build (DESIGN.md): the offer is a hidden placeholder without a link
(``pdf_offer`` in ``overrides/cap/print-parts.html``, made relative to the
page for both the online site and the offline bundle), turned into the link
by :func:`offer_pdfs` once the PDF is there — by 30-pdf.py on the site, by
50-offline.py in the bundle. Without it the page offers the print view.

The date on a cover is the last commit touching any record the document
shows (``macros/git_dates.py``), else ``SOURCE_DATE_EPOCH``, else the newest
file time: two builds of one commit print the same date.
"""

from __future__ import annotations

import datetime as _dt
import functools
import html
import json
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import unquote

import segno

from . import formats, git_dates, quiz
from .catalog import DEFAULT_LANGUAGE, LANGUAGES, Catalog, Record
from .render import ROOT, SECTIONS, escape_md, page_src

MARKER = "<!-- cap:print-links -->"
TITLES = {"journey": "journey", "steps": "creation_path"}  # documents titled by a UI string, not a record
PDF_DIR = "pdf"
AUTHOR = "Cap coopératif"
VIEW = "imprimer.md"
QUIZ_CARDS = "jeu-cartes"  # the game's cards: outils/jeu/imprimer.md, pdf/jeu-cartes-<lang>.pdf

# Interface words of the print views: the "print_*" entries of macros/strings.json.
STRINGS: dict[str, dict[str, str]] = {
    key[len("print_"):]: value
    for key, value in json.loads((Path(__file__).with_name("strings.json")).read_text(encoding="utf-8")).items()
    if key.startswith("print_")
}


def _pick(value, lang: str) -> str:
    return " ".join((value.get(lang) or value[DEFAULT_LANGUAGE]).split())


def ps(key: str, lang: str, **values: Any) -> str:
    entry = STRINGS[key]
    return (entry.get(lang) or entry[DEFAULT_LANGUAGE]).format(**values)


# ---------------------------------------------------------------------------
# What is printable
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One printable document: a kit, an argumentaire, the whole journey or the game's cards."""

    name: str                      # file name stem: kit-ambassadeur, argumentaire-elus-locaux
    kind: str                      # kit | argument | steps | journey | quiz
    src: str                       # print view source: kits/kit-ambassadeur/imprimer.md
    page: str                      # the online page the QR code points to: kits/kit-ambassadeur.md
    template: str                  # overrides/cap/print-<kind>.html
    records: tuple[Record, ...]    # the record(s) printed (the journey: its phases; the creation path: its steps; the game: its questions)
    pages: tuple[str, ...] = ()    # hand-written pages that carry the print links (else the records' pages)

    def pdf(self, lang: str) -> str:
        """Site path of the PDF: pdf/kit-ambassadeur-fr.pdf."""
        return f"{PDF_DIR}/{self.file_name(lang)}"

    def file_name(self, lang: str) -> str:
        return f"{self.name}-{lang}.pdf"

    @property
    def linked_from(self) -> tuple[str, ...]:
        """Record pages that show « Imprimer » and « Télécharger le PDF » for this document
        (the creation path and the game's cards: their hand-written pages)."""
        return self.pages or tuple(page_src(r) for r in self.records)


def _view_src(record: Record) -> str:
    return posixpath.splitext(page_src(record))[0] + "/" + VIEW


def documents(catalog: Catalog) -> list[Document]:
    """Every printable document, in a stable order."""
    docs = [Document(k.id, "kit", _view_src(k), page_src(k), "print-kit.html", (k,))
            for k in catalog.sorted("kits")]
    docs += [Document(f"argumentaire-{a.id}", "argument", _view_src(a), page_src(a), "print-argument.html", (a,))
             for a in catalog.sorted("arguments")]
    steps = tuple(catalog.sorted("creation-steps"))
    if steps:
        page = SECTIONS["creation-steps"].anchor_of
        docs.append(Document("creer-sa-cooperative-etape-par-etape", "steps", posixpath.splitext(page)[0] + "/" + VIEW,
                             page, "print-steps.html", steps, pages=(page,)))
    questions = tuple(sorted(catalog["quiz"].values(), key=lambda r: r.id))
    if questions:  # the game's cards (issue #15): one print view, beside the game page
        docs.append(Document(QUIZ_CARDS, "quiz", quiz.CARDS, quiz.PAGE, "print-quiz.html", questions, pages=(quiz.PAGE,)))
    phases = tuple(catalog.sorted("journey"))
    if phases:
        folder = SECTIONS["journey"].folder
        docs.append(Document("parcours-cooperateur", "journey", f"{folder}/{VIEW}", f"{folder}/index.md",
                             "print-journey.html", phases))
    return docs


def shown_records(catalog: Catalog, doc: Document) -> list[Record]:
    """Every record whose text the document prints (for its date)."""
    out: list[Record] = []

    def add(records: Iterable[Record]) -> None:
        for r in records:
            if r not in out:
                out.append(r)

    def argument(arg: Record) -> None:
        add([arg])
        add(catalog.get("figures", p["figure"]) for p in arg.get("proof_points") or () if p.get("figure"))
        add(catalog.forward(arg, "quotes"))

    for record in doc.records:
        add([record])
        if doc.kind == "kit":  # its argumentaires: their titles and addresses (each prints its own cards)
            add(catalog.forward(record, "arguments"))
            add(catalog.forward(record, "figures"))
            add(catalog.forward(record, "quotes"))
            add(catalog.forward(record, "faq"))
        elif doc.kind == "argument":
            argument(record)
        elif doc.kind == "steps":
            add(catalog.forward(record, "faq"))  # the questions' titles are printed
        elif doc.kind == "journey":
            for step in record["steps"]:
                add(catalog.backlinks(catalog.get("journey-steps", step["id"]), "practices"))
        elif doc.kind == "quiz":
            add(catalog.forward(record, "learn"))
    for record in list(out):  # the sources they cite are printed too
        add(catalog.get("sources", item["source"]) for item in record.get("sources") or ())
    return out


def site_pdfs(catalog: Catalog) -> list[str]:
    """Every PDF the stage writes into the site (pdf/<name>-<lang>.pdf): the
    targets of the « Télécharger le PDF » links, absent from a bare mkdocs build
    (which then writes no such link: :func:`offer_pdfs`)."""
    return [doc.pdf(lang) for doc in documents(catalog) for lang in LANGUAGES]


def source_items(catalog: Catalog, shown: Iterable[Record], lang: str,
                 collections: tuple[str, ...] = ("kits", "arguments", "journey", "creation-steps")) -> list[str]:
    """« Title, page » (Markdown-safe) for the sources of the printed kits,
    argumentaires, journey stages and creation steps (``collections``: a kit names only its
    own, its argumentaires print theirs); figures name theirs beside them. A law
    or an official page is printed with its address: a printed rule of law names
    where to check it."""
    items: list[str] = []
    for record in shown:
        if record.collection not in collections:
            continue
        for item in record.get("sources") or ():
            source = catalog.get("sources", item["source"])
            text = escape_md(_pick(source["title"], lang))
            if item.get("page"):
                text += ", " + escape_md(" ".join(item["page"].split()))
            if source.get("type") in ("law", "official") and source.get("url"):
                text += f" — {source['url']}"
            if text not in items:
                items.append(text)
    return items


# ---------------------------------------------------------------------------
# Dates, URLs, QR codes
# ---------------------------------------------------------------------------


def document_date(paths: Iterable[str]) -> _dt.date:
    """Last content change of ``paths`` (relative to the project root): git,
    else SOURCE_DATE_EPOCH, else the newest modification time."""
    paths = list(dict.fromkeys(paths))
    known = [d for d in (git_dates.last_updated(p) for p in paths) if d is not None]
    if known:
        return max(known)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date()
    times = [(ROOT / p).stat().st_mtime for p in paths if (ROOT / p).exists()]
    return _dt.datetime.fromtimestamp(max(times), _dt.timezone.utc).date() if times else _dt.date(1970, 1, 1)


def page_url(src: str, lang: str, use_directory_urls: bool = True) -> str:
    """URL of a page, relative to the site root: kits/x.md → kits/x/ (en/kits/x/)."""
    stem = posixpath.splitext(src)[0]
    if use_directory_urls:
        url = (stem[: -len("index")] if posixpath.basename(stem) == "index" else stem + "/")
    else:
        url = stem + ".html"
    return ("" if lang == DEFAULT_LANGUAGE else f"{lang}/") + url


def built_html(site: Path, src: str, lang: str) -> Path:
    """The HTML file of a page in a site built with directory URLs."""
    url = page_url(src, lang)
    return site / url / "index.html"


def online_url(site_url: str, src: str, lang: str) -> str:
    return site_url.rstrip("/") + "/" + page_url(src, lang)


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal, safe inside a <style> element."""
    escaped = "".join(c if c.isalnum() or c in " :/.-_~?&=%#+," else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


@functools.lru_cache(maxsize=4096)  # the same codes at each build of `mkdocs serve` (issue #8)
def qr_svg(url: str, title: str = "") -> str:
    """The QR code of ``url`` as inline SVG (segno, no network), black on white."""
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True,
                         title=title or url, svgclass="segno cap-qr__code")


# ---------------------------------------------------------------------------
# MkDocs: generated pages (called from macros/hooks.py, on_files)
# ---------------------------------------------------------------------------


def _links_block(render, doc: Document, lang: str, here: str, pdf_href: str) -> str:
    return render.fragment("print-links.html", lang, here, view=posixpath.relpath(doc.src, posixpath.dirname(here)),
                           pdf_href=pdf_href, pdf_name=doc.file_name(lang),
                           ps=lambda key, **v: ps(key, lang, **v)).strip()


def links_block(render, name: str, lang: str, here: str, dest_uri: str) -> str:
    """« Imprimer » and « Télécharger le PDF » of the document ``name`` for a
    hand-written page (``here``, written at ``dest_uri``): the game page shows
    its cards' (macros/main.py, ``print_links``). Empty if there is no such document."""
    doc = next((d for d in documents(render.catalog) if d.name == name), None)
    if doc is None:
        return ""
    return _links_block(render, doc, lang, here, _relative(doc.pdf(lang), dest_uri))


def _relative(target: str, from_dest: str) -> str:
    """``target`` (a path from the site root) relative to the page written at ``from_dest``."""
    return posixpath.relpath(target, posixpath.dirname(from_dest) or ".")


def view_markdown(render, catalog: Catalog, doc: Document, lang: str, site_url: str, dest_uri: str) -> str:
    """The whole print view page (front matter included) for one language."""
    shown = shown_records(catalog, doc)
    date = document_date(r.path for r in shown)
    url = online_url(site_url, doc.page, lang)
    if doc.kind in TITLES:
        plain_title = _pick(render.strings[TITLES[doc.kind]], lang)
    elif doc.kind == "quiz":
        plain_title = ps("quiz_title", lang)
    else:
        plain_title = _pick(doc.records[0]["title"], lang)
    title = escape_md(plain_title)  # Markdown-safe, like the record pages' titles
    values = dict(
        doc=doc, records=list(doc.records), record=doc.records[0], shown=shown,
        ps=lambda key, **v: ps(key, lang, **v),
        page_href=posixpath.relpath(doc.page, posixpath.dirname(doc.src)),
        pdf_href=_relative(doc.pdf(lang), dest_uri),
        url=url, url_html=html.escape(url), qr=qr_svg(url, f"{ps('online', lang)}{' :' if lang == 'fr' else ':'} {url}"),
        date_html=git_dates.html(date, lang), date_text=git_dates.text(date, lang),
        title=title, colon=" :" if lang == "fr" else ":",
        source_items=source_items(catalog, shown, lang, ("kits",) if doc.kind == "kit" else ("kits", "arguments", "journey", "creation-steps")),
        online=lambda src: online_url(site_url, src, lang),  # a kit offering the game prints its address
        qr_of=lambda target: qr_svg(target, f"{ps('online', lang)}{' :' if lang == 'fr' else ':'} {target}"),
        view_of=_view_src,  # an argumentaire's print view, whose address a kit prints
        # pieces at their real size (issue #17): formats, imposition on sheets
        formats=formats.FORMATS, quiz_format=formats.QUIZ, impose=formats.impose, copies=formats.copies,
    )
    body = render.fragment(doc.template, lang, doc.src, **values)
    meta = {
        "title": f"{title} — {ps('print_view', lang)}",
        "description": f"{ps('print_view', lang)}{' :' if lang == 'fr' else ':'} {title}",
        "render_macros": False,
        "template": "cap/print-page.html",
        "search": {"exclude": True},
        "hide": ["navigation", "toc", "footer"],
        "cap_source": doc.records[0].path,
        "cap_print": {
            "name": doc.name, "kind": doc.kind, "lang": lang, "pdf_title": f"{plain_title} — {AUTHOR}",
            "date": date.isoformat(), "url": url, "author": AUTHOR, "file": doc.file_name(lang),
            "footer_css": _css_string(url),  # printed at the foot of every page (print-page.html)
        },
    }
    if carries_cooperative(doc):
        meta["cap_tools"] = ["kit-form"]  # overrides/assets/javascripts/cap-kit-form.js (issue #14)
    front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
    return f"---\n{front}\n---\n\n{body}"


def carries_cooperative(doc: Document) -> list[str]:
    """Ids of the kit's pieces that print the cooperative's block (kits schema,
    ``cooperative_block``): its print view then has the form that fills them."""
    if doc.kind != "kit":
        return []
    return [p["id"] for p in doc.records[0]["pieces"] if p.get("cooperative_block")]


def add_pages(files, config, lang: str, render, generated: Callable) -> None:
    """Add the print views of ``lang`` to ``files`` and resolve the print links
    of the record pages already there. ``generated`` is hooks._generated."""
    catalog: Catalog = render.catalog
    git_dates.refresh(ROOT)  # no-op when hooks.on_pre_build already read this HEAD
    site_url = config.site_url or ""
    for doc in documents(catalog):
        if files.get_file_from_path(doc.src) is not None:
            raise ValueError(f"{doc.src} : cette page existe déjà, la version à imprimer ne peut pas y être créée")
        view = generated(config, doc.src, lang, None)
        view.content_string = view_markdown(render, catalog, doc, lang, site_url, view.dest_uri)
        view.cap_source = doc.records[0].path
        view.edit_uri = None
        alternates = {lang: view}
        for other in LANGUAGES:
            if other != lang:
                alternates[other] = generated(config, doc.src, other, None)
        for alt in alternates.values():
            alt.alternates = alternates
            alt.locale_alternate_of = lang
        files.append(view)
        for src in doc.linked_from:
            page = files.get_file_from_path(src)
            if page is None or not getattr(page, "generated_by", None):
                continue
            content = page.content_string
            if MARKER in content:
                block = _links_block(render, doc, lang, src, _relative(doc.pdf(lang), page.dest_uri))
                page.content_string = content.replace(MARKER, block, 1)


def resolve_marker(render, markdown: str, src: str, lang: str, dest_uri: str) -> str:
    """The print links of a hand-written page (``Document.pages``) in place of
    ``MARKER``; pages that are no document's are returned unchanged."""
    for doc in documents(render.catalog):
        if src in doc.pages and MARKER in markdown:
            block = _links_block(render, doc, lang, src, _relative(doc.pdf(lang), dest_uri))
            markdown = markdown.replace(MARKER, block, 1)
    return markdown


# The placeholder written by pdf_offer (overrides/cap/print-parts.html).
_PDF_OFFER = re.compile(r'<span class="cap-pdf-offer" data-cap-pdf="([^"]+)" data-cap-pdf-name="([^"]+)" hidden>'
                        r'<a class="md-button md-button--primary" data-cap-pdf-link>')


def offer_pdfs(site: Path) -> tuple[int, int]:
    """Turn each « Télécharger le PDF » placeholder of ``site`` whose PDF exists
    (relative to its page) into the link; leave the others hidden. Returns
    (links written, placeholders left because their PDF is absent)."""
    shown = missing = 0
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "data-cap-pdf-link" not in text:
            continue

        def swap(found: re.Match) -> str:
            nonlocal shown, missing
            href, name = found.group(1), found.group(2)
            if not (page.parent / unquote(html.unescape(href))).is_file():
                missing += 1
                return found.group(0)
            shown += 1
            return (f'<span class="cap-pdf-offer"><a class="md-button md-button--primary" href="{href}" '
                    f'type="application/pdf" download="{name}">')

        new = _PDF_OFFER.sub(swap, text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    return shown, missing


__all__ = ["offer_pdfs", "resolve_marker", "Document", "documents", "carries_cooperative", "links_block", "QUIZ_CARDS", "shown_records", "source_items", "site_pdfs", "document_date", "page_url", "built_html",
           "online_url", "qr_svg", "add_pages", "view_markdown", "MARKER", "AUTHOR", "STRINGS", "ps"]
