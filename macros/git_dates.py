"""Last update of each file, from git: one ``git log`` pass for the whole tree.

``refresh(root)`` reads the history once (again only when HEAD moves) and
``last_updated(path)`` answers from memory, so a build costs one git call
whatever its number of pages. Without usable history (no git, a tarball, a
shallow clone whose dates would all be the same) nothing is known and pages
simply show no date. A file never committed has no date either.

``html(date, lang)`` is what the page shows: ``<time datetime="2026-11-23">23
novembre 2026</time>``, rendered by Material's ``partials/source-file.html``
from ``page.meta.revision_date`` (see macros/hooks.py, ``on_page_context``).
Knows nothing of MkDocs.
"""

from __future__ import annotations

import datetime as _dt
import subprocess
from pathlib import Path

_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet",
           "août", "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December"),
}

_state: dict[str, object] = {"root": None, "head": None, "dates": {}}


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), "-c", "core.quotepath=off", *args],
                                capture_output=True, text=True, encoding="utf-8", timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def read_history(root: str | Path) -> dict[str, _dt.date]:
    """Path (relative to the repository root, POSIX) -> date of its last commit.

    Empty when ``root`` is not a git work tree with full history.
    """
    root = Path(root)
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return {}
    log = _git(root, "log", "--no-renames", "--name-only", "-z", "--format=%x1e%cI", "HEAD")
    if log is None:
        return {}
    # Paths are relative to the repository's top; ``root`` may be below it.
    prefix = Path(root).resolve().relative_to(Path(top.strip()).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    dates: dict[str, _dt.date] = {}
    for chunk in log.split("\x1e")[1:]:  # newest commit first
        stamp, *names = chunk.split("\0")
        try:
            day = _dt.date.fromisoformat(stamp.strip()[:10])
        except ValueError:
            continue
        for name in names:
            name = name.strip("\n")
            if name.startswith(prefix) and name:
                dates.setdefault(name[len(prefix):], day)
    return dates


def refresh(root: str | Path) -> None:
    """Read the history of ``root`` unless HEAD is where it was last time."""
    root = Path(root).resolve()
    head = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if _state["root"] == root and _state["head"] == head and head is not None:
        return
    _state.update(root=root, head=head, dates=read_history(root) if head else {})


def last_updated(path: str | Path) -> _dt.date | None:
    """Date of the last commit touching ``path`` (absolute or relative to the root)."""
    root = _state["root"]
    if root is None:
        return None
    path = Path(path)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(root)  # type: ignore[arg-type]
        except ValueError:
            return None
    return _state["dates"].get(path.as_posix())  # type: ignore[union-attr]


def text(date: _dt.date, lang: str) -> str:
    """``23 novembre 2026``, ``1er mai 2026``, ``23 November 2026``."""
    months = _MONTHS.get(lang, _MONTHS["en"])
    day = "1er" if lang == "fr" and date.day == 1 else str(date.day)
    return f"{day} {months[date.month - 1]} {date.year}"


def html(date: _dt.date, lang: str) -> str:
    return f'<time datetime="{date.isoformat()}">{text(date, lang)}</time>'
