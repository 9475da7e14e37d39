#!/usr/bin/env python3
"""Mesure, dans Chromium, combien de caractères tiennent sur une ligne de chaque
format imprimé (issue #17) : les valeurs ``cpl`` de macros/formats.py.

Chaque bloc de texte de data/ (paragraphes, éléments de liste, titres : toutes
les fiches, les deux langues) est mis en page dans chaque format, avec la
feuille de style du site (docs/assets/print.css, média « print »), à la
largeur de la pièce ; on compte ses lignes. Pour qu'un bloc de c caractères
tienne toujours dans ceil(c / cpl) lignes, il faut cpl < c / (lignes − 1) pour
chaque bloc mesuré : le script retient le plus petit de ces quotients, moins
une marge (SAFETY), et affiche les valeurs à reporter dans macros/formats.py.

Usage :
  python scripts/calibrate-formats.py [--site DOSSIER]
      --site : un site déjà construit (sinon : mkdocs build dans un dossier temporaire)
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import math
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import markdown
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import formats  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SAFETY = 0.97   # the line count of a text never seen before: a little below the worst measured
KINDS = ("title", "meta", "body", "item", "heading")


def corpus() -> list[tuple[str, str]]:
    """(kind of block, inline HTML) for every block of every translated text of data/."""
    out: set[tuple[str, str]] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            if value and set(value) <= {"fr", "en"} and all(isinstance(v, str) for v in value.values()):
                for text in value.values():
                    add(text)
            else:
                for sub in value.values():
                    walk(sub)
        elif isinstance(value, list):
            for sub in value:
                walk(sub)

    def add(text: str) -> None:
        for kind, raw in formats.blocks(text, raw=True):
            if len(formats.shown(raw)) >= 20:  # a few words tell nothing about long lines
                html = markdown.markdown(raw.replace("<", "&lt;")).strip()
                out.add((kind, html[3:-4] if html.startswith("<p>") and html.endswith("</p>") else html))

    for path in sorted((ROOT / "data").rglob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(out)


MEASURE = """([fmt, kind, samples]) => {
  const view = document.querySelector('.cap-print-view');
  const host = document.createElement('section');
  host.className = `cap-sheet cap-fmt cap-fmt--${fmt}`;
  host.innerHTML = `<div class="cap-paper"><div class="cap-paper__area" style="height:auto">
    <div class="cap-paper__grid" style="grid-template-rows:auto"><div class="cap-slot" style="overflow:visible">
    <div class="cap-piece" style="height:auto;overflow:visible">
    <div class="cap-piece__body" style="overflow:visible"></div></div></div></div></div></div>`;
  view.appendChild(host);
  const piece = host.querySelector('.cap-piece'), body = host.querySelector('.cap-piece__body');
  const made = samples.map(html => {
    let el;
    if (kind === 'title' || kind === 'meta') {
      el = document.createElement('p'); el.className = `cap-piece__${kind}`; el.innerHTML = html;
      piece.insertBefore(el, body);
    } else if (kind === 'item') {
      const ul = document.createElement('ul'); el = document.createElement('li'); el.innerHTML = html;
      ul.appendChild(el); body.appendChild(ul);
    } else {
      el = document.createElement(kind === 'heading' ? 'h2' : 'p'); el.innerHTML = html; body.appendChild(el);
    }
    return el;
  });
  const out = made.map(el => {
    const line = parseFloat(getComputedStyle(el).lineHeight);
    return [el.textContent.replace(/\\s+/g, ' ').trim().length, Math.round(el.getBoundingClientRect().height / line)];
  });
  host.remove();
  return out;
}"""


def measure(site: Path) -> dict[str, dict[str, int]]:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    blocks = corpus()
    results: dict[str, dict[str, int]] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/kits/kit-ambassadeur/imprimer/")
            page.emulate_media(media="print")
            page.evaluate("document.fonts.ready.then(() => true)")
            for name, fmt in formats.FORMATS.items():
                results[name] = {}
                for kind in KINDS:
                    if kind == "meta" and fmt.meta is None:
                        continue
                    samples = [html for _, html in blocks]  # every block, shown as this kind of text
                    measured = page.evaluate(MEASURE, [name, kind, samples])
                    bound = min((chars / (lines - 1) for chars, lines in measured if lines > 1), default=math.inf)
                    results[name][kind] = int(math.floor(bound * SAFETY))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path)
    args = parser.parse_args()
    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="cap-calibrate-")) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT, check=True)
    results = measure(site)
    print(json.dumps(results, indent=1))
    for name, values in results.items():
        fmt = formats.FORMATS[name]
        now = {k: getattr(fmt, k).cpl for k in KINDS if getattr(fmt, k) is not None}
        if now != values:
            print(f"{name} : macros/formats.py a {now}, mesuré {values}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
