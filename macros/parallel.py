"""`mkdocs build`: the languages built side by side, one process each (issue #8).

static-i18n builds the languages one after the other in one process: the
default language, then each other one in a nested build. The machine has
two cores; a build of the real site spends ~3 s per language. So, for a
clean ``mkdocs build`` only (``mkdocs serve`` and ``--dirty`` builds keep one
process, for their incremental rebuilds):

1. the main process (default language) starts, as soon as it has read its
   configuration, one ``mkdocs build`` per other language (``CAP_BUILD_LANGUAGE=en``), each
   into its own temporary folder next to the site;
2. in those, static-i18n starts with that language and stops there (its
   ``building`` flag, which it uses for its own nested builds);
3. the main process builds the default language only, then waits and merges
   what the other languages wrote: their ``<lang>/`` folder (with their
   search index, which each process writes for its language:
   macros/search.py) and their sitemap entries. The result is byte for byte the
   sequential build's (tests/test_parallel_build.py).

A failing language build fails the main build with its messages. Set
``CAP_SEQUENTIAL=1`` to build in one process as static-i18n does.
"""

from __future__ import annotations

import atexit
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ENV_LANGUAGE = "CAP_BUILD_LANGUAGE"  # set in the language builds started here
ENV_SEQUENTIAL = "CAP_SEQUENTIAL"


class _Job:
    def __init__(self, lang: str, folder: Path, proc: subprocess.Popen, log: Path):
        self.lang, self.folder, self.proc, self.log = lang, folder, proc, log


_command: str | None = None
_jobs: list[_Job] = []


def startup(command: str, dirty: bool = False) -> None:
    """on_startup: only a clean ``mkdocs build`` is split (``--dirty`` builds stay in one process)."""
    global _command
    _command = None if dirty else command


def child_language() -> str | None:
    """The language this process builds alone, when started by ``start``."""
    return os.environ.get(ENV_LANGUAGE) or None


def active() -> bool:
    """True in the main process of a parallel build."""
    return bool(_jobs)


def _wanted(i18n) -> list[str]:
    if _command != "build" or child_language() or os.environ.get(ENV_SEQUENTIAL, "") not in ("", "0"):
        return []
    if i18n is None or getattr(i18n, "building", False):
        return []
    return [lang for lang in i18n.build_languages if lang != i18n.default_language]


def configure(config) -> None:
    """on_config, before static-i18n's: in a language build, start static-i18n
    with that language and without its nested builds; in the main build,
    start the other languages' builds."""
    i18n = config.plugins.get("i18n")
    lang = child_language()
    if lang:
        if i18n is None or lang not in i18n.build_languages:
            raise SystemExit(f"{ENV_LANGUAGE}={lang}: langue inconnue de mkdocs.yml")
        i18n.current_language = lang
        i18n.building = True
        return
    others = _wanted(i18n)
    if not others:
        return
    site = Path(config.site_dir)
    site.parent.mkdir(parents=True, exist_ok=True)
    atexit.register(cleanup)  # whatever stops this build (invalid data, an error, Ctrl-C)
    for other in others:
        folder = Path(tempfile.mkdtemp(prefix=f".{site.name}-{other}-", dir=site.parent))
        log = folder.with_suffix(".log")
        cmd = [sys.executable, "-m", "mkdocs", "build", "-f", config.config_file_path, "-d", str(folder)]
        if config.strict:
            cmd.append("--strict")
        env = dict(os.environ, **{ENV_LANGUAGE: other})
        with log.open("wb") as out:
            proc = subprocess.Popen(cmd, cwd=Path(config.config_file_path).parent, env=env,
                                    stdout=out, stderr=subprocess.STDOUT)
        _jobs.append(_Job(other, folder, proc, log))
    i18n.building = True  # static-i18n: no nested build of the other languages here


def _messages(log: Path) -> str:
    """The build's output without its INFO messages (and their continuation lines)."""
    kept, info = [], False
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line[:1].strip():
            info = line.startswith("INFO")
        if not info:
            kept.append(line)
    return "\n".join(kept).strip()


def cleanup() -> None:
    """Stop the language builds still running and remove their folders."""
    while _jobs:
        job = _jobs.pop()
        if job.proc.poll() is None:
            job.proc.kill()
            job.proc.wait()
        shutil.rmtree(job.folder, ignore_errors=True)
        job.log.unlink(missing_ok=True)


def finish(config) -> list[str]:
    """on_post_build of the main build: wait for the other languages, move
    their folders (pages and search index) into the site, merge their sitemap
    entries; return those languages. Raises RuntimeError with the failed
    build's messages."""
    site = Path(config.site_dir)
    done: list[str] = []
    try:
        for job in _jobs:
            if job.proc.wait() != 0:
                raise RuntimeError(f"la version « {job.lang} » n'a pas été construite :\n{_messages(job.log)}")
            warnings = _messages(job.log)
            if warnings.strip():
                sys.stderr.write(warnings + "\n")
            target = site / job.lang
            shutil.rmtree(target, ignore_errors=True)
            (job.folder / job.lang).rename(target)
            _merge_sitemap(site, job.folder)
            done.append(job.lang)
    finally:
        cleanup()
    return done


_URLSET_END = "\n</urlset>"


def _entries(sitemap: str) -> str:
    """The ``<url>`` entries of a sitemap written by static-i18n's template."""
    start = sitemap.find("\n    <url>")
    end = sitemap.rfind(_URLSET_END)
    return sitemap[start:end] if start != -1 and end != -1 else ""


def _merge_sitemap(site: Path, other: Path) -> None:
    main, extra = site / "sitemap.xml", other / "sitemap.xml"
    if not (main.exists() and extra.exists()):
        return
    text = main.read_text(encoding="utf-8")
    end = text.rfind(_URLSET_END)
    if end == -1:
        return
    text = text[:end] + _entries(extra.read_text(encoding="utf-8")) + text[end:]
    main.write_text(text, encoding="utf-8")
    packed = main.with_name("sitemap.xml.gz")
    # As MkDocs writes it: same name and date in the gzip header.
    mtime = int.from_bytes(packed.read_bytes()[4:8], "little") if packed.exists() else 0
    with packed.open("wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(packed), mode="wb", mtime=mtime) as gz:
        gz.write(text.encode("utf-8"))
