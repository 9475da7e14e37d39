"""Helpers for the checks of a built site (issue #7): parse every page once,
crawl its internal links, list one page of every page type per language.

Pure standard library (html.parser), no MkDocs: a built site is a folder of
files and these helpers only read it.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=4)
def public_url(site: Path) -> str:
    """The site's public address, as the build wrote it (canonical link of the home page)."""
    import re

    html = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    assert found, "no canonical link on the home page: is site_url set?"
    url = found.group(1)
    if url.endswith("/index.html"):  # the offline bundle: no directory URLs
        url = url[: -len("index.html")]
    return url if url.endswith("/") else url + "/"


# Attributes that point at another resource, per element.
LINK_ATTRIBUTES = {
    "a": ("href",), "link": ("href",), "area": ("href",),
    "img": ("src",), "script": ("src",), "source": ("src",), "iframe": ("src",),
    "audio": ("src",), "video": ("src", "poster"), "track": ("src",), "embed": ("src",),
    "object": ("data",), "form": ("action",),
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Chart:
    has_title: bool = False
    title_text: str = ""
    bars: int = 0
    table_follows: bool | None = None  # is the next element after </figure> (in a <div> or not) a table?
    table_rows: int = 0


@dataclass
class Page:
    """What the checks need from one HTML file."""

    path: str  # relative to the site, POSIX
    lang: str | None = None
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str, str, int]] = field(default_factory=list)  # (tag, attribute, value, line)
    headings: list[tuple[int, int]] = field(default_factory=list)  # (level, line)
    images_without_alt: list[int] = field(default_factory=list)
    svg_roles: list[tuple[str | None, bool, int]] = field(default_factory=list)  # (role, labelled, line) of content <svg>
    charts: list[Chart] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[str] = []
        self.chart: Chart | None = None       # inside <figure class="cap-chart">
        self.in_title = False
        self.after_chart: Chart | None = None  # the chart whose <figure> just closed
        self.in_table_of: Chart | None = None
        self.table_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        page, line = self.page, self.getpos()[0]
        if self.after_chart is not None and tag != "div":  # the table may be wrapped (print views)
            self.after_chart.table_follows = tag == "table"
            if tag == "table":
                self.in_table_of = self.after_chart
            self.after_chart = None
        if tag == "html":
            page.lang = a.get("lang")
        for key in ("id",) + (("name",) if tag == "a" else ()):
            if a.get(key):
                page.ids.add(a[key])
        for attribute in LINK_ATTRIBUTES.get(tag, ()):
            if a.get(attribute) is not None:
                page.links.append((tag, attribute, a[attribute], line))
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            page.headings.append((int(tag[1]), line))
        if tag == "img" and a.get("alt") is None:
            page.images_without_alt.append(line)
        if tag == "figure" and "cap-chart" in (a.get("class") or "").split():
            self.chart = Chart()
            page.charts.append(self.chart)
        if tag == "svg" and self.chart is not None:
            page.svg_roles.append((a.get("role"), bool(a.get("aria-labelledby") or a.get("aria-label")), line))
        if tag == "title" and self.chart is not None:
            self.in_title = True
            self.chart.has_title = True
        if tag == "g" and self.chart is not None:
            self.chart.bars += 1
        if tag == "tr" and self.in_table_of is not None and "tbody" in self.stack:
            self.in_table_of.table_rows += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "figure" and self.chart is not None:
            self.after_chart, self.chart = self.chart, None
        if tag == "table":
            self.in_table_of = None
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.in_title and self.chart is not None:
            self.chart.title_text += data


def parse(site: Path, path: Path) -> Page:
    page = Page(path.relative_to(site).as_posix())
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return page


@functools.lru_cache(maxsize=4)
def pages(site: Path) -> dict[str, Page]:
    """Every HTML file of ``site``, parsed once per test session."""
    return {p.relative_to(site).as_posix(): parse(site, p) for p in sorted(site.rglob("*.html"))}


# ---------------------------------------------------------------------------
# Internal links
# ---------------------------------------------------------------------------


@dataclass
class LinkReport:
    pages: int = 0
    checked: int = 0          # internal links resolved to a file
    anchors: int = 0          # of which with a #fragment checked against the target's ids
    external: int = 0         # other sites, mailto:, tel: — not followed
    broken: list[str] = field(default_factory=list)


def _target(site: Path, page_path: str, value: str, base: str | None = None) -> tuple[str | None, str] | None:
    """(file relative to the site, fragment) for an internal link; None if external.

    A page's address is ``base + its path``, so relative links, links
    absolute on the host (/cap-cooperatif/…, the 404 page's) and full URLs of
    the site itself (hreflang alternates, canonical) resolve alike. ``base``
    defaults to the site's public address; the offline bundle is crawled at
    a ``file:`` address of its own (OFFLINE_BASE), where links to the online
    site are external and links absolute on the host lead nowhere."""
    base = base or public_url(site)
    value = value.strip()
    scheme = urlsplit(value).scheme.lower()
    if scheme in ("mailto", "tel"):
        return None
    if scheme in ("javascript", "data", "vbscript", "file"):
        return ("<dangerous>", value)
    url = urljoin(base + page_path, value)
    if url.split("#")[0] == base.rstrip("/"):
        url = base + url[len(base) - 1:]
    if not url.startswith(base):
        if urlsplit(url).netloc == urlsplit(base).netloc:
            return ("<outside the site>", value)
        return None
    parts = urlsplit(url[len(base):])
    rel = posixpath.normpath(unquote(parts.path)) if parts.path else ""
    rel = "" if rel == "." else rel
    if not rel or parts.path.endswith("/") or (site / rel).is_dir():
        rel = posixpath.join(rel, "index.html") if rel else "index.html"
    return rel, unquote(parts.fragment)


# Where the unpacked offline bundle is opened (file://…/cap-cooperatif/index.html).
OFFLINE_BASE = "file:///unpacked/cap-cooperatif/"


def crawl(site: Path, base: str | None = None) -> LinkReport:
    """Check every internal link and anchor of every HTML page of ``site``
    (published at ``base``: the site's public address unless given)."""
    parsed = pages(site)
    report = LinkReport(pages=len(parsed))
    for page in parsed.values():
        for tag, attribute, value, line in page.links:
            found = _target(site, page.path, value, base)
            if found is None:
                report.external += 1
                continue
            rel, fragment = found
            where = f"{page.path}:{line} <{tag} {attribute}=\"{value}\">"
            if rel.startswith("<"):
                report.broken.append(f"{where}: {rel}")
                continue
            report.checked += 1
            if not (site / rel).is_file():
                report.broken.append(f"{where}: no file {rel}")
                continue
            if fragment and rel.endswith(".html"):
                report.anchors += 1
                target = parsed.get(rel) or parse(site, site / rel)
                if fragment not in target.ids:
                    report.broken.append(f"{where}: no id=\"{fragment}\" in {rel}")
    return report


# ---------------------------------------------------------------------------
# One page of every page type, in both languages
# ---------------------------------------------------------------------------


def page_file(src: str, lang: str) -> str:
    """Markdown source path (docs/…) → built file, e.g. faq/x.md → en/faq/x/index.html."""
    stem = src.split("#")[0][: -len(".md")]
    rel = stem[: -len("index")] if stem.endswith("index") else stem + "/"
    return ("en/" if lang == "en" else "") + rel + "index.html"


def page_types(catalog) -> dict[str, str]:
    """Page type → Markdown source of one page of that type (the first record of
    each generated type), for the checks that run one page per type."""
    from macros.render import SECTIONS

    hand_written = {
        "home": "index.md",
        "faq-index": "faq/index.md",
        "creation-path": "faq/etapes.md",
        "journey-index": "parcours/index.md",
        "practices-index": "bonnes-pratiques/index.md",
        "kits-index": "kits/index.md",
        "tool-passport": "outils/passeport.md",
        "arguments-index": "argumentaires/index.md",
        "white-paper": "livre-blanc/index.md",
        "orientation-text": "texte-orientation/index.md",
        "figures": "chiffres.md",
        "quotes": "citations.md",
        "services": "services.md",
        "glossary": "glossaire.md",
        "sources": "sources.md",
        "about": "a-propos.md",
        "contribute": "contribuer.md",
        "legal": "mentions-legales.md",
        "memo": "outils/memo-echeances.md",
        "game": "outils/jeu.md",  # issue #15 (its cards' print view: print:outils, below)
        "accessibility": "accessibilite.md",
    }
    generated = {}
    for name, section in SECTIONS.items():
        if section.folder and catalog[name]:
            first = catalog.sorted(name)[0]
            generated[f"record:{name}"] = f"{section.folder}/{first.id}.md"
    return {**hand_written, **generated}


def sample_pages(catalog, site: Path | None = None) -> list[tuple[str, str, str]]:
    """(page type, language, file relative to the site) for both languages, 404
    included; with ``site``, also the first printable view (…/imprimer/) of each
    section that has them."""
    kinds = dict(page_types(catalog))
    if site is not None:
        for path in sorted(site.glob("*/**/imprimer/index.html")):
            rel = path.relative_to(site).as_posix()
            if not rel.startswith("en/"):
                kinds.setdefault(f"print:{rel.split('/')[0]}", rel)
    out = []
    for lang in ("fr", "en"):
        for kind, src in kinds.items():
            if src.endswith(".html"):
                out.append((kind, lang, ("en/" if lang == "en" else "") + src))
            else:
                out.append((kind, lang, page_file(src, lang)))
        out.append(("404", lang, "en/404.html" if lang == "en" else "404.html"))
    return out
