"""Offline bundle: the whole site for file://, zipped (issue #5).

``dist/cap-cooperatif-hors-ligne.zip`` holds LISEZMOI.txt and one folder,
``cap-cooperatif/``: the site built from ``mkdocs-offline.yml`` (open
``cap-cooperatif/index.html``; search works without a server) plus the
PDFs that 30-pdf.py wrote to ``dist/kits/`` (kits, argumentaires, journey),
in ``cap-cooperatif/pdf/`` (``PDF_DIR`` of macros/print_views.py); the
bundle's « Télécharger le PDF » placeholders become links to the PDFs it
holds (``print_views.offer_pdfs``), and stay hidden without them.

The zip is also copied to the root of the online site, and the pages that
offer it (a hidden ``<p data-cap-offline>`` in docs/index*.md and
docs/a-propos*.md) are shown with the right link and size. Without this
stage (``mkdocs serve``, a bare ``mkdocs build``) they stay hidden, their
link without href: no dead link, never a wrong size.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

NAME = "offline"
DONE = "dist/cap-cooperatif-hors-ligne.zip (site hors ligne, recherche comprise)"

ZIP = "cap-cooperatif-hors-ligne.zip"
FOLDER = "cap-cooperatif"
SKIP = (".map",)  # source maps: 1.3 MB nobody reads offline
# No server, no 404 page: its links are absolute on the host (a 404 page is
# served at any depth), so none of them would resolve from file://.
SKIP_NAMES = ("404.html",)

README = """Cap coopératif — hors ligne / offline

Ouvrez cap-cooperatif/index.html dans votre navigateur : tout le site,
en français et en anglais, sans connexion ; la recherche fonctionne aussi.
Les kits et argumentaires à imprimer (PDF) sont dans cap-cooperatif/pdf/.

Open cap-cooperatif/index.html in your browser: the whole site, in French
and English, with no connection; search works too. The printable kits and
argumentaires (PDF) are in cap-cooperatif/pdf/.

Contenus : Licence Ouverte Etalab 2.0 · code : licence MIT.
"""


STARTED = "construction hors ligne lancée (en parallèle des étapes suivantes)"


def start_offline(root: Path, out: Path) -> subprocess.Popen:
    """mkdocs build --strict -f mkdocs-offline.yml, with the offline plugin on, in the background."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CAP_OFFLINE="true")
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs-offline.yml", "-d", str(out)],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_offline(proc: subprocess.Popen) -> None:
    _, errors = proc.communicate()
    if proc.returncode != 0:
        sys.stderr.write(errors)
        raise SystemExit("La construction hors ligne a échoué (mkdocs-offline.yml).")


def build_offline(root: Path, out: Path) -> None:
    wait_offline(start_offline(root, out))


_started: dict[Path, subprocess.Popen] = {}


def start(root: Path, tmp: Path) -> None:
    """Called by scripts/build.py before the other stages: the offline site needs nothing from them."""
    _started[tmp] = start_offline(root, tmp / "site-offline")


def stop(tmp: Path) -> None:
    """When an earlier stage failed: end the background build before its folder goes."""
    proc = _started.pop(tmp, None)
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.communicate()


def pdf_dir(root: Path) -> str:
    """Where the site links its PDFs (``pdf``), as 30-pdf.py writes them."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros.print_views import PDF_DIR
    return PDF_DIR


def add_pdfs(offline: Path, pdfs: Path, pdf_folder: str = "pdf") -> int:
    """Copy the PDFs of ``pdfs`` (dist/kits/) into the offline site's ``pdf_folder``,
    then show the links to them (hidden placeholders until then). Returns the
    number of links shown."""
    pdf_dir(Path(__file__).resolve().parents[2])  # the project on sys.path
    from macros.print_views import offer_pdfs

    if pdfs.is_dir():
        for path in sorted(pdfs.rglob("*")):
            if path.is_file():
                target = offline / pdf_folder / path.relative_to(pdfs)
                if target.exists():
                    raise SystemExit(f"Fichier en double dans le paquet hors ligne : {target.relative_to(offline)}")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
    return offer_pdfs(offline)[0]


def write_zip(offline: Path, target: Path) -> None:
    files = [(p, f"{FOLDER}/{p.relative_to(offline).as_posix()}") for p in sorted(offline.rglob("*"))
             if p.is_file() and not p.name.endswith(SKIP) and p.name not in SKIP_NAMES]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        bundle.writestr("LISEZMOI.txt", README)
        for path, name in files:
            bundle.write(path, name)


def human_size(size: int, lang: str) -> str:
    """3,2 Mo / 3.2 MB (SI units, one decimal)."""
    value, unit = (size / 1e6, "Mo" if lang == "fr" else "MB") if size >= 1e6 else (size / 1e3, "ko" if lang == "fr" else "kB")
    text = f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return f"{text.replace('.', ',') if lang == 'fr' else text}\u00a0{unit}"


def show_links(site: Path, size: int) -> list[Path]:
    """Unhide the download offers of the online site; set their link and size."""
    shown = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if "data-cap-offline" not in html:
            continue
        lang = "en" if '<html lang="en"' in html else "fr"
        href = Path(os.path.relpath(site / ZIP, page.parent)).as_posix()
        html = re.sub(r"(<p [^>]*data-cap-offline[^>]*?) hidden", r"\1", html)
        html = html.replace("<a data-cap-offline-link", f'<a href="{href}"')
        html = re.sub(r"(<span data-cap-offline-size>)[^<]*(</span>)", rf"\g<1>zip, {human_size(size, lang)}\g<2>", html)
        page.write_text(html, encoding="utf-8")
        shown.append(page)
    return shown


def run(root: Path, site: Path, dist: Path, tmp: Path) -> None:
    offline = tmp / "site-offline"
    if tmp in _started:
        wait_offline(_started.pop(tmp))
    else:
        build_offline(root, offline)
    target = dist / ZIP
    add_pdfs(offline, dist / "kits", pdf_dir(root))
    write_zip(offline, target)
    shutil.copyfile(target, site / ZIP)
    if not show_links(site, target.stat().st_size):
        raise SystemExit("Aucune page ne propose le paquet hors ligne (data-cap-offline).")
