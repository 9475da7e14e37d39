"""make bench (scripts/bench.py) and `mkdocs serve --dirty` (macros/incremental.py), issue #8.

No timing here: the figures live in bench/results/. These tests keep the
synthetic-catalog generator from rotting as the schemas change, and check that
an incremental rebuild gives the same site as a full one.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import MINI, ROOT, copy_data
from macros.catalog import load_catalog

BENCH = ROOT / "scripts" / "bench.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_help():
    result = subprocess.run([sys.executable, str(BENCH), "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "--quick" in result.stdout


def test_synthetic_catalog_is_valid(tmp_path: Path):
    bench = _bench_module()
    data = tmp_path / "data"
    counts = bench.generate(20, data)
    assert sum(counts.values()) == 20 and all(counts.values()), counts
    catalog = load_catalog(data, ROOT)  # raises CatalogError on any problem (schema, reference, text)
    real = load_catalog(ROOT / "data", ROOT)
    for collection, count in counts.items():
        generated = [rid for rid in catalog[collection] if rid not in real[collection]]
        assert len(generated) == count, collection


# Builds ``site`` with --dirty, edits two records, rebuilds it with --dirty, edits
# one again, rebuilds, then builds ``clean`` from scratch: both sites must be the same.
_DIRTY_SCRIPT = textwrap.dedent("""
    import logging, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    data, site, clean = map(Path, sys.argv[2:5])
    logging.disable(logging.WARNING)

    def run(site_dir, dirty, startup=False):
        config = load_config("mkdocs.yml", site_dir=str(site_dir))
        if startup:  # as `mkdocs serve --dirty` does once; plugins that have this event live on
            config.plugins.on_startup(command="serve", dirty=dirty)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=dirty)

    run(site, True, startup=True)
    line = data / "action-lines" / "ligne-traduite.yml"
    line.write_text(line.read_text(encoding="utf-8").replace("Ligne traduite", "Ligne retouchée"), encoding="utf-8")
    lever = data / "levers" / "levier-test.yml"
    lever.write_text(lever.read_text(encoding="utf-8").replace("Levier d'essai", "Levier modifié"), encoding="utf-8")
    run(site, True)
    line.write_text(line.read_text(encoding="utf-8").replace("Ligne retouchée", "Ligne retouchée deux fois"), encoding="utf-8")
    run(site, True)
    sys.argv = sys.argv[:1]  # a clean build
    run(clean, False)
""")


def test_dirty_rebuild_matches_clean_build(tmp_path: Path):
    data = copy_data(MINI, tmp_path / "data")
    site, clean = tmp_path / "site", tmp_path / "clean"
    env = dict(os.environ, CAP_DATA_DIR=str(data), SITE_URL="http://127.0.0.1:8000/", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-c", _DIRTY_SCRIPT, "--dirty", str(data), str(site), str(clean)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Ligne retouchée deux fois" in (site / "livre-blanc" / "lignes" / "ligne-traduite" / "index.html").read_text(encoding="utf-8")
    different = []
    for path in sorted(p for p in clean.rglob("*") if p.is_file()):
        rel = path.relative_to(clean)
        if rel.name == "404.html":
            continue  # its language links follow the last page built (static-i18n), whichever it is
        ours = site / rel
        if rel.name == "search_index.json":  # same entries, not in the same order
            entries = [sorted(json.dumps(d, sort_keys=True) for d in json.loads(p.read_text(encoding="utf-8"))["docs"])
                       for p in (path, ours)]
            same = entries[0] == entries[1]
        else:
            same = ours.is_file() and ours.read_bytes() == path.read_bytes()
        if not same:
            different.append(str(rel))
    assert not different, different


def test_catalog_memo_gives_the_same_answers(tmp_path: Path):
    """`mkdocs serve` reloads the catalog with a memo of the files it read: same records, same problems."""
    import pytest

    from macros.catalog import CatalogError

    data = copy_data(MINI, tmp_path / "data")
    memo: dict = {}
    first = load_catalog(data, tmp_path, memo=memo)
    assert memo and load_catalog(data, tmp_path, memo=memo).collections.keys() == first.collections.keys()
    line = data / "action-lines" / "ligne-traduite.yml"
    line.write_text(line.read_text(encoding="utf-8").replace("lever: levier-test", "lever: levier-absent"), encoding="utf-8")
    (data / "levers" / "levier-test.yml").write_text("id: [", encoding="utf-8")
    problems = []
    for kwargs in ({"memo": memo}, {}):
        with pytest.raises(CatalogError) as caught:
            load_catalog(data, tmp_path, **kwargs)
        problems.append([str(p) for p in caught.value.problems])
    assert problems[0] == problems[1] and len(problems[0]) >= 2
