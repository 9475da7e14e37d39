"""What a build keeps for the next ones, under ``.cache/`` (git-ignored, issue #8).

Every entry is only an optimisation, keyed on all that changes its meaning:
deleting the folder (``make clean``) is always safe, and a file that cannot
be written (read-only checkout) or read back (damaged) is simply ignored.

- ``jinja/``   compiled templates (macros/render.py, SharedBytecodeCache)
- ``catalog/`` what the loader made of each data file (macros/state.py)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JINJA = ROOT / ".cache" / "jinja"
CATALOG = ROOT / ".cache" / "catalog"
FOLDERS = (JINJA, CATALOG)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` at once (two builds, one per language, may
    write the same file together). False, and nothing left behind, on failure."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return False
