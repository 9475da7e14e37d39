"""`mkdocs build`: the languages built side by side, one process each (issue #8).

static-i18n builds the languages one after the other in one process: the
default language, then each other one in a nested build. The machine has
two cores; a build of the real site spends ~3 s per language. So, for a
clean ``mkdocs build`` only (``mkdocs serve`` and ``--dirty`` builds keep one
process, for their incremental rebuilds):

1. once the catalog is loaded (our on_config, before static-i18n's), the
   main process forks one process per other language: it inherits the
   imported modules, the configuration and the validated catalog, and
   carries on the same build into a temporary folder next to the site, its
   messages going to a log file;
2. in the fork, static-i18n starts with that language and stops there (its
   ``building`` flag, which it uses for its own nested builds);
3. the main process builds the default language only, then waits and merges
   what the other languages wrote: their ``<lang>/`` folder (with their
   search index, which each process writes for its language:
   macros/search.py) and their sitemap entries. The result is byte for byte the
   sequential build's (tests/test_parallel_build.py).

A failing language build fails the main build with its messages. Set
``CAP_SEQUENTIAL=1`` to build in one process as static-i18n does (also the
case where ``os.fork`` does not exist: Windows).
"""

from __future__ import annotations

import atexit
import gzip
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

ENV_SEQUENTIAL = "CAP_SEQUENTIAL"


class _Job:
    def __init__(self, lang: str, folder: Path, pid: int, log: Path):
        self.lang, self.folder, self.pid, self.log = lang, folder, pid, log
        self.status: int | None = None

    def wait(self) -> int:
        if self.status is None:
            self.status = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        return self.status


_command: str | None = None
_jobs: list[_Job] = []
_child: str | None = None  # in a forked language build: its language


def startup(command: str, dirty: bool = False) -> None:
    """on_startup: only a clean ``mkdocs build`` is split (``--dirty`` builds stay in one process)."""
    global _command
    _command = None if dirty else command


def child_language() -> str | None:
    """The language this process builds alone, in a process forked by ``configure``."""
    return _child


def active() -> bool:
    """True in the main process of a parallel build."""
    return bool(_jobs)


def _wanted(i18n) -> list[str]:
    if _command != "build" or _child or os.environ.get(ENV_SEQUENTIAL, "") not in ("", "0"):
        return []
    if not hasattr(os, "fork") or i18n is None or getattr(i18n, "building", False):
        return []
    return [lang for lang in i18n.build_languages if lang != i18n.default_language]


def configure(config) -> None:
    """on_config, once the catalog is loaded and before static-i18n's on_config:
    fork one process per other language. The fork carries on the same build
    with that language only, into a temporary folder next to the site; the
    main process carries on with the default language only."""
    global _child
    i18n = config.plugins.get("i18n")
    others = _wanted(i18n)
    if not others:
        return
    site = Path(config.site_dir)
    site.parent.mkdir(parents=True, exist_ok=True)
    for other in others:
        folder = Path(tempfile.mkdtemp(prefix=f".{site.name}-{other}-", dir=site.parent))
        log = folder.with_suffix(".log")
        sys.stdout.flush()
        sys.stderr.flush()
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        pid = os.fork()
        if pid == 0:  # the language build: its messages go to the log the main build reads
            os.dup2(out, 1)
            os.dup2(out, 2)
            os.close(out)
            _child = other
            _jobs.clear()
            config.site_dir = str(folder)
            i18n.current_language = other
            i18n.building = True  # static-i18n: this language only
            return
        os.close(out)
        if not _jobs:
            atexit.register(cleanup)  # whatever stops this build (an error, Ctrl-C)
        _jobs.append(_Job(other, folder, pid, log))
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
    if _child:
        return
    while _jobs:
        job = _jobs.pop()
        if job.status is None:
            try:
                os.kill(job.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            job.wait()
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
            if job.wait() != 0:
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
