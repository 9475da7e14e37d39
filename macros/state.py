"""The one Catalog and Renderer of a build process.

Loaded once and shared by every page and both languages; reloaded only when
a file under ``data/`` changes (``mkdocs serve``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from importlib import metadata
from pathlib import Path

from . import build_cache
from .catalog import Catalog, load_catalog
from .render import ROOT, Renderer

DATA_DIR = Path(os.environ.get("CAP_DATA_DIR", ROOT / "data"))
_cache: dict[str, object] = {}
# What load_catalog made of each file (its memo): reused while the file's bytes,
# the schemas and the rules are the same. Kept in memory under `mkdocs serve`
# (a reload re-reads only the files that changed) and on disk between builds.
_file_memo: dict = {}
MEMO_DIR = build_cache.CATALOG


def _memo_file(data_dir: Path) -> Path:
    """One file per data folder and per version of the loader and its libraries:
    a change to catalog.py, PyYAML or jsonschema starts from an empty memo."""
    code = hashlib.sha256((ROOT / "macros" / "catalog.py").read_bytes())
    for package in ("PyYAML", "jsonschema"):
        code.update(metadata.version(package).encode())
    code.update(sys.version.encode())
    where = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:12]
    return MEMO_DIR / f"{where}-{code.hexdigest()[:16]}.pickle"


def _read_memo(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            memo = pickle.load(handle)
        os.utime(path)  # used: kept by _prune
        return memo if isinstance(memo, dict) else {}
    except Exception:  # noqa: BLE001 — absent, damaged or from elsewhere: start afresh
        return {}


def _write_memo(path: Path, memo: dict) -> None:
    try:
        data = pickle.dumps(memo, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 — e.g. rules patched by a test: the memo is only an optimisation
        return
    if build_cache.write_atomic(path, data):
        _prune(path.parent)


KEEP_MEMOS = 16  # data folders remembered (tests and make bench build many temporary ones)


def _prune(folder: Path) -> None:
    """Keep the memos used last; remove the others and forgotten temporary files."""
    memos = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in memos[KEEP_MEMOS:]:
        old.unlink(missing_ok=True)
    for tmp in folder.glob("*.tmp"):
        if time.time() - tmp.stat().st_mtime > 600:
            tmp.unlink(missing_ok=True)


def _load(data_dir: Path) -> Catalog:
    memo_path = _memo_file(data_dir)
    if not _file_memo:
        _file_memo.update(_read_memo(memo_path))
    before = dict(_file_memo)
    try:
        return load_catalog(data_dir, ROOT, memo=_file_memo)
    finally:
        for shown in [k for k in _file_memo if not (ROOT / k).exists()]:
            del _file_memo[shown]  # files deleted or renamed since
        if _file_memo.keys() != before.keys() or any(_file_memo[k] is not before[k] for k in _file_memo):
            _write_memo(memo_path, _file_memo)


def _signature(data_dir: Path) -> tuple:
    """Every file's path, mtime and size: one stat() each."""
    out = []
    for folder, _, names in os.walk(data_dir):
        for name in names:
            stat = os.stat(os.path.join(folder, name))
            out.append((folder, name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(out))


def catalog(data_dir: Path | None = None) -> Catalog:
    """The validated catalog, reloaded if a file of data/ changed since the last
    call; raises CatalogError with every problem.

    Called at the start of each (language) build, not per page: pages use
    ``renderer()``, which reuses the catalog checked last (stat()-ing every
    data file on each page cost more than rendering it)."""
    data_dir = data_dir or DATA_DIR
    signature = _signature(data_dir)
    if _cache.get("signature") != signature:
        _cache.clear()
        _cache["catalog"] = _load(data_dir)
        _cache["signature"] = signature
        _cache["data_dir"] = data_dir
    return _cache["catalog"]  # type: ignore[return-value]


def renderer(site_url: str = "") -> Renderer:
    if _cache.get("data_dir") != DATA_DIR:  # first call, or DATA_DIR changed (tests)
        catalog(DATA_DIR)
    current = _cache["catalog"]
    key = ("renderer", site_url)
    if key not in _cache:
        _cache[key] = Renderer(current, site_url)
    return _cache[key]  # type: ignore[return-value]
