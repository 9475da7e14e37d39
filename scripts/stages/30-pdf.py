"""make build, stage « pdf »: every print view to an A4 PDF (issue #4).

For each kit, argumentaire and the cooperator journey, in each language, the
print view built by MkDocs (macros/print_views.py) is opened in headless
Chromium from a local HTTP server and printed with Playwright's ``page.pdf``
(A4 and margins from docs/assets/print.css, page numbers and online URL in
CSS page-margin boxes). Two browser pages print in parallel.

Each PDF is then given its metadata with pypdf, deterministically: title,
language, author, and creation and modification dates set to the document's
date (last commit of what it prints, read from the print view), instead of
Chromium's clock; bookmarks (one per heading) get their spaces back where
Chromium lost them. Two builds of one commit give the same bytes.

Output: ``dist/kits/<name>-<lang>.pdf`` and the same file in the site at
``pdf/<name>-<lang>.pdf``; then the pages' hidden « Télécharger le PDF »
placeholders become links to them (``print_views.offer_pdfs``): a link is
written only where its PDF exists.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import functools
import http.server
import io
import shutil
import sys
import threading
from pathlib import Path
from typing import NamedTuple

NAME = "pdf"
DONE = "PDF des kits, argumentaires et parcours écrits (dist/kits/, site pdf/)"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WORKERS = 2            # two cores: two pages printing at once
TIMEOUT_MS = 120_000


class Job(NamedTuple):  # not a dataclass: scripts/build.py loads stages outside sys.modules
    name: str          # kit-ambassadeur-fr
    url_path: str      # kits/kit-ambassadeur/imprimer/
    html: Path         # the built print view


# -- local HTTP server --------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (http.server's name)
        pass


class SiteServer:
    """``site`` over http://127.0.0.1:<free port>/ in a background thread."""

    def __init__(self, site: Path):
        handler = functools.partial(_QuietHandler, directory=str(site))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="pdf-site-server", daemon=True)

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


# -- what to print --------------------------------------------------------------


def jobs(root: Path, site: Path) -> list[Job]:
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros import print_views, state
    from macros.catalog import LANGUAGES

    out = []
    for doc in print_views.documents(state.catalog()):
        for lang in LANGUAGES:
            html = print_views.built_html(site, doc.src, lang)
            if not html.exists():
                raise RuntimeError(f"version à imprimer absente du site : {html.relative_to(site)}")
            out.append(Job(f"{doc.name}-{lang}", print_views.page_url(doc.src, lang), html))
    return out


# -- metadata -------------------------------------------------------------------


def pdf_date(day: str) -> str:
    """2026-11-23 → D:20261123000000Z (PDF date, midnight UTC)."""
    date = _dt.date.fromisoformat(day)
    return f"D:{date:%Y%m%d}000000Z"


def set_metadata(data: bytes, info: dict) -> bytes:
    """Title, author, language, dates and bookmark titles of a PDF; the same
    input gives the same bytes."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    when = pdf_date(info["date"])
    writer.add_metadata({
        "/Title": info["title"],
        "/Author": info["author"],
        "/Subject": info["url"],
        "/CreationDate": when,
        "/ModDate": when,
    })
    writer._root_object[NameObject("/Lang")] = TextStringObject(info["lang"])
    _fix_outline(writer, info.get("headings") or [])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fix_outline(writer, headings: list[str]) -> None:
    """Bookmark titles as the headings read: Chromium builds them from the laid-out
    text and drops the space where a heading wraps (« monépargne »). A title is
    replaced only by a heading equal to it once all whitespace is removed."""
    from pypdf.generic import NameObject, TextStringObject

    def squeeze(text: str) -> str:
        return "".join(text.split())

    wanted: dict[str, str] = {}
    for heading in headings:
        wanted.setdefault(squeeze(heading), " ".join(heading.split()))

    def walk(node) -> None:
        while node is not None:
            node = node.get_object()
            title = node.get("/Title")
            if title is not None:
                fixed = wanted.get(squeeze(str(title)))
                if fixed and fixed != str(title):
                    node[NameObject("/Title")] = TextStringObject(fixed)
            if "/First" in node:
                walk(node["/First"])
            node = node.get("/Next")

    outlines = writer._root_object.get("/Outlines")
    if outlines is not None:
        walk(outlines.get_object().get("/First"))


# -- printing -------------------------------------------------------------------


async def _print_one(page, base: str, job: Job) -> tuple[bytes, dict[str, str]]:
    response = await page.goto(base + job.url_path, wait_until="load", timeout=TIMEOUT_MS)
    if response is None or not response.ok:
        raise RuntimeError(f"{job.url_path} : réponse {response.status if response else 'aucune'}")
    await page.evaluate("document.fonts.ready.then(() => true)")
    info = await page.evaluate("""() => {
        const view = document.querySelector('.cap-print-view');
        if (!view) return null;
        const d = view.dataset;
        const headings = [...view.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => {
            const copy = h.cloneNode(true);
            copy.querySelectorAll('.headerlink').forEach(a => a.remove());
            return copy.textContent;
        });
        return {title: d.capTitle, lang: d.capLang, date: d.capDate, author: d.capAuthor, url: d.capUrl, headings};
    }""")
    if not info or not all(info[k] for k in ("title", "lang", "date", "author", "url")):
        raise RuntimeError(f"{job.url_path} : ce n'est pas une version à imprimer (.cap-print-view et ses data-cap-*)")
    data = await page.pdf(format="A4", prefer_css_page_size=True, print_background=True,
                          tagged=True, outline=True, display_header_footer=False)
    return data, info


async def _print_all(base: str, todo: list[Job], workers: int) -> dict[str, bytes]:
    from playwright.async_api import async_playwright

    results: dict[str, bytes] = {}
    queue: asyncio.Queue[Job] = asyncio.Queue()
    for job in todo:
        queue.put_nowait(job)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(locale="fr-FR", timezone_id="UTC", java_script_enabled=True)

            async def worker() -> None:
                page = await context.new_page()
                try:
                    while not queue.empty():
                        job = queue.get_nowait()
                        data, info = await _print_one(page, base, job)
                        results[job.name] = set_metadata(data, info)
                finally:
                    await page.close()

            await asyncio.gather(*(worker() for _ in range(max(1, min(workers, len(todo))))))
            await context.close()
        finally:
            await browser.close()
    return results


def print_pdfs(site: Path, todo: list[Job], workers: int = WORKERS) -> dict[str, bytes]:
    """Print ``todo`` from ``site``: {name: PDF bytes}.

    The asyncio loop runs in a thread of its own, so that this works from a
    thread that already has one (a sync Playwright session, as in the tests)."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["pdfs"] = asyncio.run(_print_all(server.base, todo, workers))
        except BaseException as err:  # noqa: BLE001 (re-raised below, in the caller's thread)
            outcome["error"] = err

    with SiteServer(site) as server:
        thread = threading.Thread(target=target, name="pdf-printer")
        thread.start()
        thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["pdfs"]  # type: ignore[return-value]


def run(root: Path, site: Path, dist: Path, tmp: Path) -> None:
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros.print_views import PDF_DIR, offer_pdfs

    todo = jobs(root, site)
    pdfs = print_pdfs(site, todo)
    out_dist = dist / "kits"
    out_site = site / PDF_DIR
    for folder in (out_dist, out_site):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for job in todo:
        data = pdfs[job.name]
        (out_dist / f"{job.name}.pdf").write_bytes(data)
        (out_site / f"{job.name}.pdf").write_bytes(data)
    shown, missing = offer_pdfs(site)
    if missing or not shown:
        raise RuntimeError(f"liens « Télécharger le PDF » : {shown} écrits, {missing} sans leur PDF")
    global DONE
    DONE = f"{len(todo)} PDF écrits (dist/kits/, et pdf/ dans le site), {shown} liens vers eux"
