"""The one Catalog and Renderer of a build process.

Loaded once and shared by every page and both languages; reloaded only when
a file under ``data/`` changes (``mkdocs serve``).
"""

from __future__ import annotations

import os
from pathlib import Path

from .catalog import Catalog, load_catalog
from .render import ROOT, Renderer

DATA_DIR = Path(os.environ.get("CAP_DATA_DIR", ROOT / "data"))
_cache: dict[str, object] = {}


def _signature(data_dir: Path) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in data_dir.rglob("*") if p.is_file()))


def catalog(data_dir: Path | None = None) -> Catalog:
    """The validated catalog; raises CatalogError with every problem."""
    data_dir = data_dir or DATA_DIR
    signature = _signature(data_dir)
    if _cache.get("signature") != signature:
        _cache.clear()
        _cache["catalog"] = load_catalog(data_dir, ROOT)
        _cache["signature"] = signature
    return _cache["catalog"]  # type: ignore[return-value]


def renderer(site_url: str = "") -> Renderer:
    current = catalog(DATA_DIR)
    key = ("renderer", site_url)
    if key not in _cache:
        _cache[key] = Renderer(current, site_url)
    return _cache[key]  # type: ignore[return-value]
