#!/usr/bin/env python3
"""make bench — how fast the site builds, reloads and loads (issue #8).

Build side, for the real data and for synthetic catalogs (the real data plus
N generated records: 100, 500, 1,000 and 5,000):

* our bilingual build (``CAP_DATA_DIR=… mkdocs build -q -d tmp`` in a
  subprocess, which builds English in a second process: macros/parallel.py):
  wall time (median of the runs), pages, time per page, CPU of both
  processes and peak memory of the larger (``os.wait4`` rusage), output
  size, HTML size per page, each language's search index; for the real
  data, once with an empty .cache/ (a machine's first build) and once in
  one process;
* in the same run, interleaved with ours, a **plain Material** build of the
  same Markdown (the pages our renderer produces, both languages, hand-written
  pages with their macros already expanded) with a generated mkdocs.yml: only
  the material theme, the search plugin, the same Markdown extensions and the
  same navigation (the 17 French index pages; every other page, English ones
  included, outside the nav). The two languages are emulated as **one build
  of 2× pages** (French at the root, English under ``en/``): that is the
  least a plain Material site with the same pages costs (one start-up, one
  copy of the theme's assets), so the ratio ours / plain is the whole cost of
  our layer: catalog loading and rendering, mkdocs-macros, static-i18n's
  second build, our hooks and theme overrides.

Live reload: ``mkdocs serve --livereload`` on the real site (a temporary copy
of data/, watched with ``-w``); a practice's title is changed and the served
page polled until it shows the new title (the server answers only once the
rebuild of both languages is over, as the browser's refresh would).

Reader side: each language's search index, the home page's total transfer
(HTML, CSS, JS, fonts, images, uncompressed, from Playwright's network
events) and Lighthouse mobile performance (home, a kit page, the FAQ).

Results: bench/results/latest.json and one table on stdout. ``--quick``:
100 and 1,000 records, one run, no Lighthouse — for development.
"""

from __future__ import annotations

import argparse
import copy
import datetime as _dt
import functools
import gzip
import http.server
import io
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from macros import build_cache  # noqa: E402
from macros import catalog as _catalog  # noqa: E402

RESULTS = ROOT / "bench" / "results"
CACHE = ROOT / ".cache" / "bench"
PY = sys.executable
SITE_URL = "https://cap-cooperatif.github.io/cap-cooperatif/"
LIGHTHOUSE_VERSION = "12.8.2"

# -- synthetic catalogs -----------------------------------------------------------

# Share of the generated records per collection (the collections that get pages,
# and the FAQ whose questions show on their theme's page).
MIX = {
    "practices": 30, "faq": 30, "faq-themes": 3, "action-lines": 10, "levers": 2,
    "resolutions": 8, "axes": 2, "kits": 7, "arguments": 8,
}
TITLE_FIELDS = ("title", "question")


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # the loader refuses anchors and aliases
        return True


def _split(n: int) -> dict[str, int]:
    """``n`` records over MIX (largest remainder; at least one each when n allows)."""
    total = sum(MIX.values())
    exact = {c: n * w / total for c, w in MIX.items()}
    counts = {c: int(v) for c, v in exact.items()}
    for c in sorted(MIX, key=lambda c: exact[c] - counts[c], reverse=True)[: n - sum(counts.values())]:
        counts[c] += 1
    if n >= len(MIX):
        for c in MIX:
            while counts[c] == 0:
                donor = max(counts, key=counts.get)
                counts[donor] -= 1
                counts[c] += 1
    return counts


def _set(data, path: tuple, value) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def generate(n: int, out: Path, source: Path = ROOT / "data", seed: int = 8) -> dict[str, int]:
    """Write ``source`` plus ``n`` generated records into ``out`` (a data folder).

    Each generated record is a real record of the same collection with a new
    id (``<template>-b<k>``), a numbered title, numbers within the schema's
    bounds, and every reference to a collection that gets pages re-pointed at
    a random record (real or generated) of that collection, so links stay
    valid and backlinks spread evenly. Returns the count per collection."""
    rng = random.Random(seed)
    shutil.copytree(source, out)
    schemas, registry = _catalog._load_schemas(out / "schemas")
    counts = _split(n)
    templates = {c: [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((out / c).glob("*.yml"))]
                 for c in MIX}
    new_ids = {c: [f"{templates[c][k % len(templates[c])]['id'][:68].rstrip('-')}-b{k}" for k in range(counts[c])]
               for c in MIX}
    pools = {c: [t["id"] for t in templates[c]] + new_ids[c] for c in MIX}
    for c in MIX:
        schema = schemas[c]
        props = schema.get("properties", {})
        for k, rid in enumerate(new_ids[c]):
            data = copy.deepcopy(templates[c][k % len(templates[c])])
            data["id"] = rid
            for name in TITLE_FIELDS:
                if isinstance(data.get(name), dict):
                    data[name] = {lang: f"{text} {k + 1}" for lang, text in data[name].items()}
            for name in ("number", "order"):
                if name in data and isinstance(props.get(name, {}).get("maximum"), int):
                    data[name] = 1 + (k + rng.randrange(1000)) % props[name]["maximum"]
            used: dict[tuple, set] = {}
            for path, target, _ in list(_catalog._references(schema, data, (), registry, schema)):
                if target not in pools:
                    continue  # sources, journey steps, figures, quotes: kept as they are
                taken = used.setdefault(path[:-1] if isinstance(path[-1], int) else path, set())
                while True:
                    choice = rng.choice(pools[target])
                    if choice not in taken and not (target == c and choice == rid):
                        break
                taken.add(choice)
                _set(data, path, choice)
            text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
            (out / c / f"{rid}.yml").write_text(
                f"# yaml-language-server: $schema=../schemas/{c}.schema.json\n{text}", encoding="utf-8")
    return counts


def record_count(data_dir: Path) -> int:
    return sum(1 for p in data_dir.glob("*/*.yml") if p.parent.name != "schemas")


# -- the plain Material baseline ---------------------------------------------------

def _yaml_block(text: str, key: str) -> str:
    """The top-level block ``key:`` of mkdocs.yml, as written (tags included)."""
    match = re.search(rf"^{key}:.*?(?=^\S|\Z)", text, re.M | re.S)
    return match.group(0) if match else ""


_ABBREVIATIONS = re.compile(r"(?:\n*^\*\[[^\]\n]+\]:[^\n]*$)+\n*\Z", re.M)
_META_DROPPED = ("template", "render_macros")


def _capture(out: Path) -> None:
    """(In a subprocess with CAP_DATA_DIR set.) Run our build without rendering
    anything and write every page's final Markdown into ``out/docs``: French at
    its path, English under ``en/``; without the glossary abbreviations our hook
    appends (part of our layer) and without our templates (``template:``)."""
    from mkdocs.commands import build as build_module
    from mkdocs.config import load_config
    from mkdocs.plugins import BasePlugin, event_priority
    from mkdocs.structure.pages import Page

    docs = out / "docs"

    class Capture(BasePlugin):
        @event_priority(-1000)  # after every other on_page_markdown, ours included
        def on_page_markdown(self, markdown, page, config, files):
            lang = getattr(page.file, "locale", None) or _catalog.DEFAULT_LANGUAGE
            src = getattr(page.file, "norm_src_uri", None) or page.file.src_uri
            if src.endswith(f".{lang}.md"):
                src = src[: -len(f".{lang}.md")] + ".md"
            dest = docs / ("" if lang == _catalog.DEFAULT_LANGUAGE else f"{lang}/") / src
            meta = {k: v for k, v in page.meta.items() if k not in _META_DROPPED}
            front = f"---\n{json.dumps(meta, ensure_ascii=False, default=str)}\n---\n\n" if meta else ""
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(front + _ABBREVIATIONS.sub("\n", markdown), encoding="utf-8")
            return markdown

    Page.render = lambda self, config, files: setattr(self, "content", "")  # Markdown is all we need
    build_module._build_page = lambda *args, **kwargs: None
    build_module._build_theme_template = lambda *args, **kwargs: None
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(out / "site"))
    config.plugins["bench-capture"] = Capture()
    build_module.build(config)
    for path in sorted((ROOT / "docs").rglob("*")):  # images, CSS: copied as MkDocs would
        if path.is_file() and path.suffix != ".md":
            target = docs / path.relative_to(ROOT / "docs")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    separator = (config.plugins.get("material/search") or config.plugins["search"]).config.separator
    ours = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (out / "mkdocs.yml").write_text(
        "site_name: Plain Material\n"
        f"site_url: {SITE_URL}\n"
        "docs_dir: docs\n"
        "theme:\n  name: material\n  language: fr\n  font: false\n"
        f"plugins:\n  - search:\n      lang: fr\n      separator: {json.dumps(separator)}\n"
        "validation:\n  omitted_files: info\n  unrecognized_links: info\n  anchors: info\n  absolute_links: info\n"
        "  nav:\n    omitted_files: info\n    not_found: info\n  links:\n    not_found: info\n"
        + _yaml_block(ours, "nav") + _yaml_block(ours, "markdown_extensions"),
        encoding="utf-8")
    shutil.rmtree(out / "site", ignore_errors=True)


def export_plain(data_dir: Path, out: Path) -> Path:
    """A plain Material project with the Markdown our build renders; returns its mkdocs.yml."""
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    run([PY, str(Path(__file__).resolve()), "--capture", str(out)], _env(data_dir), log=out.parent / "capture.log")
    return out / "mkdocs.yml"


# -- running and measuring one build ---------------------------------------------


def run(cmd: list[str], env: dict | None = None, log: Path | None = None) -> dict:
    """Run ``cmd``; wall time, CPU time (with the processes it waited for: our
    English build) and peak memory (of the largest of those processes)."""
    keep = log is not None
    if log is None:
        handle, name = tempfile.mkstemp(prefix="cap-bench-", suffix=".log")
        os.close(handle)
        log = Path(name)
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-4000:])
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({proc.returncode}), see {log}")
    if not keep:
        log.unlink()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss}


def _env(data_dir: Path | None = None) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    env.pop("CAP_DATA_DIR", None)
    if data_dir is not None:
        env["CAP_DATA_DIR"] = str(data_dir)
    return env


def build_ours(data_dir: Path, site: Path, **env) -> dict:
    shutil.rmtree(site, ignore_errors=True)
    return run([PY, "-m", "mkdocs", "build", "-q", "-d", str(site)], dict(_env(data_dir), **env))


CACHES = build_cache.FOLDERS  # what builds keep between them (macros/build_cache.py)


def variants(data_dir: Path, work: Path) -> dict:
    """Our build two other ways, once each: with nothing kept from earlier
    builds (a machine's first build: no compiled template, no loader memo) and
    in one process (CAP_SEQUENTIAL=1, as static-i18n builds: no second process
    for English, macros/parallel.py)."""
    for cache in CACHES:
        shutil.rmtree(cache, ignore_errors=True)
    cold = build_ours(data_dir, work / "site-variant")
    sequential = build_ours(data_dir, work / "site-variant", CAP_SEQUENTIAL="1")
    shutil.rmtree(work / "site-variant", ignore_errors=True)
    return {"cold_cache": {k: cold[k] for k in ("wall", "cpu", "rss_kb")},
            "sequential": {k: sequential[k] for k in ("wall", "cpu", "rss_kb")}}


def build_plain(config: Path, site: Path) -> dict:
    shutil.rmtree(site, ignore_errors=True)
    return run([PY, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)], _env())


def _index_sizes(index_file: Path, split: bool) -> dict[str, int]:
    """Bytes of each language's search index (split out of a merged one for plain)."""
    if not split:
        return {"fr": index_file.stat().st_size,
                "en": (index_file.parent.parent / "en" / "search" / "search_index.json").stat().st_size}
    index = json.loads(index_file.read_text(encoding="utf-8"))
    out = {}
    for lang in _catalog.LANGUAGES:
        docs = [d for d in index["docs"] if d["location"].startswith("en/") == (lang == "en")]
        out[lang] = len(json.dumps({"config": index["config"], "docs": docs}, ensure_ascii=False,
                                   separators=(",", ":")).encode("utf-8"))
    return out


def measure_site(site: Path, plain: bool) -> dict:
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    html = sum(p.stat().st_size for p in pages)
    return {"pages": len(pages), "output_bytes": total, "html_bytes": html,
            "html_per_page": html / max(1, len(pages)),
            "search_index": _index_sizes(site / "search" / "search_index.json", split=plain)}


def bench_size(label: str, data_dir: Path, runs: int, work: Path) -> dict:
    """Ours and plain, interleaved, ``runs`` times each; medians."""
    plain_dir = work / f"plain-{label}"
    config = export_plain(data_dir, plain_dir)
    ours_runs, plain_runs = [], []
    for i in range(runs):
        ours_runs.append(build_ours(data_dir, work / "site-ours"))
        plain_runs.append(build_plain(config, work / "site-plain"))
        print(f"  {label}: run {i + 1}/{runs}  ours {ours_runs[-1]['wall']:.1f} s, "
              f"plain {plain_runs[-1]['wall']:.1f} s", flush=True)
    ours = dict(measure_site(work / "site-ours", plain=False), **_medians(ours_runs))
    plain = dict(measure_site(work / "site-plain", plain=True), **_medians(plain_runs))
    for side in (ours, plain):
        side["time_per_page_ms"] = 1000 * side["wall"] / max(1, side["pages"])
    shutil.rmtree(plain_dir, ignore_errors=True)
    out = {"label": label, "records": record_count(data_dir), "runs": runs, "ours": ours, "plain": plain}
    if label == "real":
        out["variants"] = variants(data_dir, work)
        print(f"  {label}: empty .cache/ {out['variants']['cold_cache']['wall']:.1f} s, "
              f"one process {out['variants']['sequential']['wall']:.1f} s", flush=True)
    return out


def _medians(runs: list[dict]) -> dict:
    return {"wall": statistics.median(r["wall"] for r in runs),
            "cpu": statistics.median(r["cpu"] for r in runs),
            "rss_kb": max(r["rss_kb"] for r in runs),
            "walls": [round(r["wall"], 3) for r in runs]}


# -- live reload ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 120) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def measure_livereload(work: Path, edits: int = 3, dirty: bool = False) -> dict:
    """Seconds from a one-file YAML edit to the served page showing it."""
    data = work / "live-data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(ROOT / "data", data)
    record = sorted((data / "practices").glob("*.yml"))[0]
    page = f"bonnes-pratiques/{record.stem}/"
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{page}"
    cmd = [PY, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}", "-w", str(data)]
    if dirty:  # only what the edit changed is rebuilt (macros/incremental.py)
        cmd.append("--dirty")
    log = work / f"serve{'-dirty' if dirty else ''}.log"
    with open(log, "wb") as out:
        env = dict(_env(data), SITE_URL=f"http://127.0.0.1:{port}/")  # served at the root, as `make serve`
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        started = time.perf_counter()
        while _get(url, timeout=5) is None:
            if proc.poll() is not None or time.perf_counter() - started > 600:
                raise SystemExit(f"bench: mkdocs serve did not start, see {log}")
            time.sleep(0.2)
        first_build = time.perf_counter() - started
        times, notes, seen = [], [], len(log.read_text(encoding="utf-8", errors="replace"))
        original = record.read_text(encoding="utf-8")
        for i in range(edits):
            time.sleep(1.5)  # let the watcher settle
            marker = f"Titre bench {i} {time.time_ns()}"
            text = re.sub(r"^(title:\n  fr: ).*$", lambda m: m.group(1) + marker, original, count=1, flags=re.M)
            assert marker in text, "bench: the practice's title line was not found"
            t0 = time.perf_counter()
            record.write_text(text, encoding="utf-8")
            while True:
                body = _get(url)
                if body and marker in body:
                    break
                if time.perf_counter() - t0 > 300:
                    raise SystemExit(f"bench: the edit never showed, see {log}")
                time.sleep(0.05)
            times.append(time.perf_counter() - t0)
            text = log.read_text(encoding="utf-8", errors="replace")
            builds = text[seen:].count("Building documentation")  # > 1: someone else's edit also rebuilt the site
            rebuilt = re.findall(r"incremental build \((\w+)\): (\d+) of", text[seen:])
            seen = len(text)
            notes.append({"builds": builds, "rebuilt_pages": {lang: int(n) for lang, n in rebuilt} or "all"})
            print(f"  live reload{' (--dirty)' if dirty else ''}: edit {i + 1}/{edits} shown after {times[-1]:.2f} s"
                  f" ({builds} build(s), pages rebuilt: {notes[-1]['rebuilt_pages']})", flush=True)
    finally:
        proc.send_signal(signal.SIGINT)  # as Ctrl-C: mkdocs serve removes its temporary site
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return {"first_build": first_build, "median": statistics.median(times), "times": [round(t, 3) for t in times],
            "dirty": dirty, "edits": notes, "page": page}


# -- reader side ---------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip when asked (as GitHub Pages does)."""

    def log_message(self, *args):  # quiet
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        text = path.suffix in (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
        if not (text and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


PAGES_PATH = "cap-cooperatif"  # GitHub Pages serves the site under /<repository>/ (site_url)


def serve_static(site: Path, root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """``site`` served at /cap-cooperatif/ as on GitHub Pages (``root``: an empty
    folder for the link): absolute links such as Material's language menu and
    its sitemap requests then behave as on the real site."""
    link = root / PAGES_PATH
    link.unlink(missing_ok=True)
    link.symlink_to(site.resolve(), target_is_directory=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/{PAGES_PATH}/"


def home_transfer(base: str) -> dict:
    """Bytes the home page loads: bodies uncompressed (and gzip-compressed, as
    GitHub Pages serves them), by resource type, from Playwright's network events."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        return {"error": f"playwright not installed: {err}"}
    responses = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("response", lambda response: responses.append(response))
            page.goto(base, wait_until="networkidle")
            page.wait_for_timeout(1500)  # anything requested once the page is up (the search index waits for a search)
            by_type: dict[str, int] = {}
            files, compressed = [], 0
            for response in responses:
                if response.url.startswith("data:"):
                    continue
                try:
                    body = response.body()
                except Exception:  # noqa: BLE001 — redirects have no body
                    continue
                kind = response.request.resource_type
                by_type[kind] = by_type.get(kind, 0) + len(body)
                compressed += len(gzip.compress(body, 6)) if kind not in ("image", "font") else len(body)
                files.append((response.url.replace(base, "/"), kind, len(body)))
        finally:
            browser.close()
    return {"total": sum(by_type.values()), "total_gzip": compressed, "by_type": by_type,
            "files": sorted(files, key=lambda f: -f[2])}


LIGHTHOUSE_AUDITS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                     "cumulative-layout-shift", "speed-index")


def _lighthouse_binary() -> Path | str:
    """The lighthouse CLI, installed with npm into .cache/lighthouse on first use."""
    prefix = ROOT / ".cache" / "lighthouse"
    binary = prefix / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None:
        return "npm not found: Lighthouse needs Node.js and npm"
    prefix.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                             f"lighthouse@{LIGHTHOUSE_VERSION}"], capture_output=True, text=True)
    if result.returncode != 0 or not binary.exists():
        return f"npm install lighthouse@{LIGHTHOUSE_VERSION} failed: {result.stderr.strip()[-800:]}"
    return binary


def lighthouse(base: str, pages: dict[str, str], runs: int, tag: str) -> dict:
    """Lighthouse mobile performance (default: emulated phone, simulated slow 4G
    and 4× CPU slowdown), median of ``runs`` per page."""
    binary = _lighthouse_binary()
    if isinstance(binary, str):
        return {"error": binary}
    out = {}
    env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
    for name, path in pages.items():
        scores, errors = [], []
        for i in range(runs):
            report = CACHE / f"lighthouse-{tag}-{name}-{i}.json"
            report.parent.mkdir(parents=True, exist_ok=True)
            report.unlink(missing_ok=True)
            result = subprocess.run(
                [str(binary), base + path, "--only-categories=performance", "--output=json",
                 f"--output-path={report}", "--quiet", "--chrome-flags=--headless --no-sandbox"],
                capture_output=True, text=True, env=env, timeout=300)
            if result.returncode != 0 or not report.exists():
                errors.append((result.stderr or result.stdout).strip()[-800:])
                continue
            data = json.loads(report.read_text(encoding="utf-8"))
            scores.append({"performance": round(100 * (data["categories"]["performance"]["score"] or 0)),
                           "benchmark_index": data.get("environment", {}).get("benchmarkIndex"),
                           **{k: data["audits"][k]["numericValue"] for k in LIGHTHOUSE_AUDITS if k in data["audits"]}})
        if not scores:
            out[name] = {"url": path, "error": errors[-1] if errors else "no report"}
            continue
        median = sorted(scores, key=lambda r: r["performance"])[len(scores) // 2]
        out[name] = {"url": path, **median, "runs": [r["performance"] for r in scores]}
    return out


def reader_side(site: Path, plain: bool, lighthouse_runs: int) -> dict:
    out: dict = {"search_index": _index_sizes(site / "search" / "search_index.json", split=plain)}
    root = Path(tempfile.mkdtemp(prefix="cap-bench-serve-"))
    server, base = serve_static(site, root)
    try:
        out["home"] = home_transfer(base)
        if lighthouse_runs:
            kit = sorted(p.parent.name for p in (site / "kits").glob("*/index.html"))[0]
            out["lighthouse"] = lighthouse(base, {"home": "", "kit": f"kits/{kit}/", "faq": "faq/"},
                                           lighthouse_runs, "plain" if plain else "ours")
    finally:
        server.shutdown()
        shutil.rmtree(root, ignore_errors=True)  # the link only
    return out


# -- report ----------------------------------------------------------------------------


def _kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB" if n < 10 * 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "—"


def _grid(rows: list[tuple]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def table(results: dict) -> str:
    rows = [("size", "records", "pages", "build wall (s)", "build CPU (s)", "ms/page", "peak memory",
             "output", "HTML/page", "search fr", "search en")]
    for r in results["sizes"]:
        o, p = r["ours"], r["plain"]
        rows.append((f"{r['label']} ×{r['runs']}", f"{r['records']:,}", f"{o['pages']:,}",
                     f"{o['wall']:.1f} / {p['wall']:.1f} = {_ratio(o['wall'], p['wall'])}",
                     f"{o['cpu']:.1f} / {p['cpu']:.1f} = {_ratio(o['cpu'], p['cpu'])}",
                     f"{o['time_per_page_ms']:.1f} / {p['time_per_page_ms']:.1f}",
                     f"{_kb(o['rss_kb'] * 1024)} = {_ratio(o['rss_kb'], p['rss_kb'])}",
                     f"{_kb(o['output_bytes'])} = {_ratio(o['output_bytes'], p['output_bytes'])}",
                     f"{_kb(o['html_per_page'])} = {_ratio(o['html_per_page'], p['html_per_page'])}",
                     f"{_kb(o['search_index']['fr'])} = {_ratio(o['search_index']['fr'], p['search_index']['fr'])}",
                     f"{_kb(o['search_index']['en'])} = {_ratio(o['search_index']['en'], p['search_index']['en'])}"))
    lines = _grid(rows)
    lines.append("ours / plain Material = ratio (one build of the same Markdown, 2× pages); wall = median of the ×n runs;")
    lines.append("ours = `mkdocs build`: English in a second process (2 cores), with what earlier builds left in .cache/"
                 " (compiled templates, loader memo); CPU counts both processes, peak memory is the larger one")
    for r in results["sizes"]:
        if "variants" in r:
            v, p = r["variants"], r["plain"]
            lines.append(f"{r['label']}, ours once each: first build (empty .cache/) {v['cold_cache']['wall']:.1f} s"
                         f" ({_ratio(v['cold_cache']['wall'], p['wall'])} plain), in one process (CAP_SEQUENTIAL=1)"
                         f" {v['sequential']['wall']:.1f} s ({_ratio(v['sequential']['wall'], p['wall'])} plain,"
                         f" CPU {v['sequential']['cpu']:.1f} s)")
    lines.append("")
    sizes = {r["label"]: r for r in results["sizes"]}
    small, large = sizes.get("500"), sizes.get("5000")
    if small and large:
        lines.append(f"time per page, 5,000 / 500: ours {_ratio(large['ours']['time_per_page_ms'], small['ours']['time_per_page_ms'])}"
                     f" wall, {_ratio(large['ours']['cpu'] / large['ours']['pages'], small['ours']['cpu'] / small['ours']['pages'])} CPU"
                     f" (plain {_ratio(large['plain']['time_per_page_ms'], small['plain']['time_per_page_ms'])} wall);"
                     f" HTML per page {_ratio(large['ours']['html_per_page'], small['ours']['html_per_page'])}")
    for live in results.get("livereload", []):
        lines.append(f"live reload{' with --dirty' if live['dirty'] else ''}: {live['median']:.2f} s median from the YAML edit"
                     f" to the served page (edits: {', '.join(f'{t:.2f}' for t in live['times'])} s; first build {live['first_build']:.1f} s)")
    reader = results.get("reader")
    if reader:
        ours, plain = reader["ours"], reader["plain"]
        rows = [("reader side (real site)", "ours", "plain", "ratio")]
        for lang in ("fr", "en"):
            rows.append((f"search index {lang}", _kb(ours["search_index"][lang]), _kb(plain["search_index"][lang]),
                         _ratio(ours["search_index"][lang], plain["search_index"][lang])))
        if "total" in ours["home"] and "total" in plain["home"]:
            rows.append(("home page transfer", _kb(ours["home"]["total"]), _kb(plain["home"]["total"]),
                         _ratio(ours["home"]["total"], plain["home"]["total"])))
            rows.append(("  of which gzip-compressed", _kb(ours["home"]["total_gzip"]), _kb(plain["home"]["total_gzip"]),
                         _ratio(ours["home"]["total_gzip"], plain["home"]["total_gzip"])))
            for kind in sorted(ours["home"]["by_type"], key=lambda k: -ours["home"]["by_type"][k]):
                a, b = ours["home"]["by_type"][kind], plain["home"]["by_type"].get(kind, 0)
                rows.append((f"  {kind}", _kb(a), _kb(b), _ratio(a, b)))
        for name in ("home", "kit", "faq"):
            a = ours.get("lighthouse", {}).get(name, {})
            b = plain.get("lighthouse", {}).get(name, {})
            if "performance" in a:
                rows.append((f"Lighthouse mobile, {name}", f"{a['performance']} {a['runs']}",
                             f"{b.get('performance', '—')} {b.get('runs', '')}",
                             _ratio(a["performance"], b["performance"]) if "performance" in b else "—"))
            elif a:
                rows.append((f"Lighthouse mobile, {name}", "error", a.get("error", "")[:80], ""))
        if "error" in ours.get("lighthouse", {}):
            rows.append(("Lighthouse", "error", ours["lighthouse"]["error"][:80], ""))
        lines += [""] + _grid(rows)
    return "\n".join(lines)


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "system": platform.platform(),
            "load_average_at_start": os.getloadavg()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Results: bench/results/latest.json (see bench/README.md).")
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 records, one run, no Lighthouse (development)")
    parser.add_argument("--sizes", help="comma-separated record counts (default 100,500,1000,5000; the real data is always measured)")
    parser.add_argument("--runs", type=int, help="runs per size (default 3, 1 with --quick)")
    parser.add_argument("--runs-large", type=int, default=1, help="runs for sizes of 5,000 and more (default 1: a run takes minutes)")
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page (median; 0 = no Lighthouse)")
    parser.add_argument("--no-live", action="store_true", help="skip the live reload measurement")
    parser.add_argument("--no-reader", action="store_true", help="skip the reader-side measurements")
    parser.add_argument("--live-only", action="store_true",
                        help="measure only the live reload and update it in the existing results file")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json", help="where to write the results")
    parser.add_argument("--capture", type=Path, help=argparse.SUPPRESS)  # internal: see _capture()
    args = parser.parse_args(argv)
    if args.capture:
        _capture(args.capture)
        return 0
    if args.live_only:
        results = json.loads(args.output.read_text(encoding="utf-8")) if args.output.exists() else {"sizes": []}
        with tempfile.TemporaryDirectory(prefix="cap-bench-") as tmp:
            results["livereload"] = [measure_livereload(Path(tmp), edits=5),
                                     measure_livereload(Path(tmp), edits=5, dirty=True)]
        results["livereload_date"] = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        _write(results, args.output)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s] if args.sizes is not None else ([100, 1000] if args.quick else [100, 500, 1000, 5000])
    runs = args.runs or (1 if args.quick else 3)
    lighthouse_runs = 0 if args.quick else args.lighthouse_runs
    results: dict = {"date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"), "machine": machine(),
                     "quick": args.quick, "sizes": []}
    print(f"bench: real data + {sizes} generated records, {runs} run(s) each ({args.runs_large} for ≥ 5,000); "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}", flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cap-bench-") as tmp:
        work = Path(tmp)
        results["sizes"].append(bench_size("real", ROOT / "data", runs, work))
        shutil.copytree(work / "site-ours", work / "real-ours")
        shutil.copytree(work / "site-plain", work / "real-plain")
        for n in sizes:
            data = work / f"data-{n}"
            generate(n, data)
            results["sizes"].append(bench_size(str(n), data, args.runs_large if n >= 5000 else runs, work))
            shutil.rmtree(data, ignore_errors=True)
        if not args.no_live:
            edits = 2 if args.quick else 5
            results["livereload"] = [measure_livereload(work, edits=edits), measure_livereload(work, edits=edits, dirty=True)]
        if not args.no_reader:
            results["reader"] = {"ours": reader_side(work / "real-ours", False, lighthouse_runs),
                                 "plain": reader_side(work / "real-plain", True, lighthouse_runs)}
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["duration_s"] = round(time.perf_counter() - started)
    _write(results, args.output)
    return 0


def _write(results: dict, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    report = table(results)
    live = f"; live reload measured {results['livereload_date']}" if "livereload_date" in results else ""
    output.with_suffix(".txt").write_text(f"make bench, {results.get('date')}, {os.cpu_count()} CPUs{live}\n\n{report}\n",
                                          encoding="utf-8")
    print()
    print(report)
    print(f"\nwritten to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output} (and .txt)")


if __name__ == "__main__":
    sys.exit(main())
