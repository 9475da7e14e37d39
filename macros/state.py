"""The one Catalog and Renderer of a build process.

Loaded once and shared by every page and both languages; reloaded only when
a file under ``data/`` changes (``mkdocs serve``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .catalog import Catalog, load_catalog
from .render import ROOT, Renderer

DATA_DIR = Path(os.environ.get("CAP_DATA_DIR", ROOT / "data"))
_cache: dict[str, object] = {}
# Under `mkdocs serve`, each reload re-reads only the files that changed (load_catalog's memo).
_file_memo: dict | None = {} if sys.argv[1:2] == ["serve"] else None


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
        _cache["catalog"] = load_catalog(data_dir, ROOT, memo=_file_memo)
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
