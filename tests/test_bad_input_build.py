"""Issue #7: bad data stops a real build, says why in French, and breaks nothing.

test_loader_cases.py checks every case's exact messages against the loader;
here a representative case of each kind goes through the real commands:

- ``mkdocs build --strict`` (subprocess, CAP_DATA_DIR on the broken copy)
  exits non-zero, prints each message with its file, line and column, and
  leaves the output folder of an earlier good build byte for byte as it was;
- ``scripts/build.py`` (``make build``), run on a copy of the project, keeps
  the previous site/ and dist/ when the site or a later stage fails, and
  swaps both in when everything succeeds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CASES, MINI, ROOT, apply_case, copy_data, mkdocs_build

# One case per kind of bad input (the corpus is in tests/cases/).
BUILD_CASES = {
    "yaml-unclosed-quote": "syntaxe YAML",
    "yaml-billion-laughs": "bombe d'alias",
    "schema-missing-required": "schéma",
    "schema-kits-unknown-piece-kind": "schéma d'une collection nouvelle",
    "text-script": "HTML hostile",
    "text-jinja-include": "gabarit Jinja",
    "ref-self-reference": "renvoi vers soi-même",
    "kits-card-text-too-long": "texte trop long pour le format de sa pièce",
}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` → sha256 of its bytes ('dir' for folders)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def broken_data(case: str, tmp_path: Path) -> Path:
    data = copy_data(MINI, tmp_path / "data")
    apply_case(CASES / case, data)
    return data


def expected_lines(case: str, data: Path) -> list[str]:
    """expected.txt names files data/…; outside the project the build names them by full path."""
    lines = (CASES / case / "expected.txt").read_text(encoding="utf-8").strip().splitlines()
    return [f"{data.as_posix()}/{line[len('data/'):]}" for line in lines]


@pytest.fixture(scope="module")
def good_output(mini_site: Path, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A folder holding a good build (the mini site), and its snapshot."""
    out = tmp_path_factory.mktemp("output") / "site"
    shutil.copytree(mini_site, out)
    return out, snapshot(out)


def test_cases_cover_every_kind():
    assert len(BUILD_CASES) >= 5
    for case in BUILD_CASES:
        assert (CASES / case / "expected.txt").is_file(), case


@pytest.mark.parametrize("case", sorted(BUILD_CASES), ids=sorted(BUILD_CASES))
def test_strict_build_fails_in_french_and_keeps_the_output(case: str, good_output, tmp_path: Path):
    out, before = good_output
    assert len(before) > 100  # a whole site is there to be damaged
    data = broken_data(case, tmp_path)
    result = mkdocs_build(out, data)
    assert result.returncode != 0, f"{case}: the build succeeded on bad data"
    assert "le site n'a pas été construit" in result.stderr
    for line in expected_lines(case, data):
        assert line in result.stderr, f"{case}: message missing from the build's output:\n{line}\n---\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before, f"{case}: the failed build changed the output folder"


# -- make build (scripts/build.py): atomic swap -----------------------------------


FAILING_STAGE = '''NAME = "boum"
DONE = "jamais"


def run(root, site, dist, tmp):
    (dist / "partiel.txt").write_text("à moitié fait", encoding="utf-8")
    raise RuntimeError("étape en échec (test)")
'''

GOOD_STAGE = '''NAME = "livrable"
DONE = "livrable écrit"


def run(root, site, dist, tmp):
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    (dist / "livrable.txt").write_text("nouveau", encoding="utf-8")
'''


def project_copy(tmp_path: Path, stage: str | None = None) -> Path:
    """The project's code on its own (no .git; data/ is the test's to write), with
    ``stage`` as its only stage and an earlier site/ and dist/ in place."""
    root = tmp_path / "project"
    root.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("mkdocs.yml", "docs", "macros", "overrides", "scripts"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=ignore)
        else:
            shutil.copy2(source, root / name)
    stages = root / "scripts" / "stages"
    shutil.rmtree(stages)
    stages.mkdir()
    if stage:
        (stages / "10-test.py").write_text(stage, encoding="utf-8")
    (root / "site" / "en").mkdir(parents=True)
    (root / "site" / "index.html").write_text("<p>site précédent</p>", encoding="utf-8")
    (root / "site" / "en" / "index.html").write_text("<p>previous site</p>", encoding="utf-8")
    (root / "dist").mkdir()
    (root / "dist" / "cap-cooperatif-hors-ligne.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    return root


def make_build(root: Path, data: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, CAP_DATA_DIR=str(data), NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, str(root / "scripts" / "build.py")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".build-") or p.name.endswith(".old"))


def test_make_build_keeps_previous_site_and_dist_when_data_is_bad(tmp_path: Path):
    root = project_copy(tmp_path, GOOD_STAGE)
    before = {name: snapshot(root / name) for name in ("site", "dist")}
    data = broken_data("text-jinja-include", root)
    result = make_build(root, data)
    assert result.returncode != 0
    assert "site/ et dist/ n'ont pas été modifiés" in result.stderr
    # inside the project, files are named as in expected.txt
    assert (CASES / "text-jinja-include" / "expected.txt").read_text(encoding="utf-8").strip() in result.stderr
    assert {name: snapshot(root / name) for name in ("site", "dist")} == before
    assert leftovers(root) == []


def test_make_build_keeps_previous_site_and_dist_when_a_stage_fails(tmp_path: Path):
    root = project_copy(tmp_path, FAILING_STAGE)
    before = {name: snapshot(root / name) for name in ("site", "dist")}
    result = make_build(root, copy_data(MINI, root / "data"))
    assert result.returncode != 0
    assert "étape en échec (test)" in result.stderr
    assert {name: snapshot(root / name) for name in ("site", "dist")} == before
    assert leftovers(root) == []


def test_make_build_swaps_in_the_new_site_and_dist(tmp_path: Path):
    """The same copy, all stages good: the failures above are the swap's doing."""
    root = project_copy(tmp_path, GOOD_STAGE)
    result = make_build(root, copy_data(MINI, root / "data"))
    assert result.returncode == 0, result.stderr
    assert '<html lang="fr"' in (root / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (root / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (root / "dist").iterdir()) == ["livrable.txt"]
    assert leftovers(root) == []
