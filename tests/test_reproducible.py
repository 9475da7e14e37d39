"""Issue #7: two builds of the same commit give the same bytes, file for file.

The second build differs from the session's in what must not matter: its
output folder, Python's hash seed (set and dict-of-set orderings) and the
time it runs at. Dates come from git, never from the clock: MkDocs dates the
sitemap from SOURCE_DATE_EPOCH, which macros/hooks.py (on_startup) sets to the
last commit's time when the environment does not.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import re
import subprocess
from pathlib import Path

from conftest import ROOT, mkdocs_build


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path):
    again = tmp_path / "elsewhere" / "site"
    result = mkdocs_build(again, extra_env={"PYTHONHASHSEED": "4242"})
    assert result.returncode == 0, result.stderr
    first, second = hashes(site), hashes(again)
    print(f"\nreproductible : {len(first)} fichiers comparés")
    assert len(first) > 200
    assert sorted(first) == sorted(second), set(first) ^ set(second)
    differ = [path for path in first if first[path] != second[path]]
    assert differ == [], f"{len(differ)} fichier(s) différent(s) d'une construction à l'autre : {differ[:20]}"


def build_epoch() -> int:
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return int(out)


def test_sitemap_dates_come_from_the_last_commit(site: Path):
    day = dt.datetime.fromtimestamp(build_epoch(), dt.timezone.utc).date()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {day.isoformat()}
    raw = (site / "sitemap.xml.gz").read_bytes()
    midnight = dt.datetime.combine(day, dt.time(), dt.timezone.utc)
    assert int.from_bytes(raw[4:8], "little") == int(midnight.timestamp())  # gzip header MTIME
    assert gzip.decompress(raw).decode("utf-8") == sitemap
