"""Issue #8: `mkdocs build` builds the English site in a second process (macros/parallel.py).

- the result is byte for byte the sequential build's (static-i18n's way, one
  process, kept with CAP_SEQUENTIAL=1);
- the main process really leaves English to the other one;
- an error that only the English build meets fails the whole build, with
  the English build's message, and no temporary folder is left behind;
  so does invalid data.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CASES, MINI, ROOT, apply_case, copy_data, mkdocs_build
from test_bad_input_build import snapshot


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_parallel_build_equals_sequential_build(mini_site, tmp_path):
    sequential = tmp_path / "sequential"
    result = mkdocs_build(sequential, MINI, {"CAP_SEQUENTIAL": "1"})
    assert result.returncode == 0, result.stderr
    parallel, one = snapshot(mini_site), snapshot(sequential)
    assert any(name.startswith("en/") for name in parallel)
    assert sorted(parallel) == sorted(one)
    different = [name for name in parallel if parallel[name] != one[name]]
    assert different == []


def test_main_process_builds_only_the_default_language(tmp_path):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CAP_DATA_DIR=str(MINI))
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    assert "Building 'fr' documentation" in result.stderr
    assert "Building 'en' documentation" not in result.stderr  # done by the other process
    assert (site / "en" / "index.html").is_file()
    assert (site / "en" / "search" / "search_index.json").is_file()
    assert _leftovers(tmp_path) == []

    sequential = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "seq")],
                                cwd=ROOT, env=dict(env, CAP_SEQUENTIAL="1"), capture_output=True, text=True, timeout=900)
    assert sequential.returncode == 0, sequential.stderr
    assert "Building 'en' documentation" in sequential.stderr


@pytest.mark.parametrize("page", ["zz-essai.en.md", "zz-essai.md"])
def test_warning_in_one_language_fails_the_quiet_strict_build(tmp_path, page):
    """``-q`` (as make build and the tests run it) must not silence strict mode, in either process."""
    docs = tmp_path / "docs"
    subprocess.run(["cp", "-r", str(ROOT / "docs"), str(docs)], check=True)
    (docs / page).write_text("# Essai\n\n[lien cassé](page-absente.md)\n", encoding="utf-8")
    config = ROOT / f".test-parallel-{os.getpid()}.yml"
    config.write_text(f"INHERIT: mkdocs.yml\ndocs_dir: {docs}\n", encoding="utf-8")
    try:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CAP_DATA_DIR=str(MINI))
        out = tmp_path / "out"
        out.mkdir()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                                 "-d", str(out / "site")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    finally:
        config.unlink()
    assert result.returncode != 0
    if page.endswith(".en.md"):
        assert "la version « en » n'a pas été construite" in result.stderr
    assert page in result.stderr and "page-absente.md" in result.stderr
    assert "Aborted with 1 warnings in strict mode" in result.stderr
    assert _leftovers(out) == []


def test_invalid_data_leaves_no_temporary_folder(tmp_path):
    data = copy_data(MINI, tmp_path / "data")
    apply_case(CASES / "schema-missing-required", data)
    out = tmp_path / "out"
    out.mkdir()
    result = mkdocs_build(out / "site", data)
    assert result.returncode != 0
    assert "le site n'a pas été construit" in result.stderr
    assert _leftovers(out) == []
