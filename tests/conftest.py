"""Shared fixtures: project paths, data copies, built sites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MINI = ROOT / "tests" / "fixtures" / "mini"
CASES = ROOT / "tests" / "cases"


def copy_data(source: Path, target: Path) -> Path:
    """Copy a data tree (following the schemas link) to ``target``."""
    shutil.copytree(source, target, symlinks=False)
    return target


def apply_case(case: Path, data: Path) -> None:
    """Overlay a bad case's files on a copy of the mini data set."""
    for path in case.rglob("*"):
        if path.is_file() and path.name not in ("expected.txt", "patch.txt"):
            target = data / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    patch = case / "patch.txt"
    if patch.exists():
        rel, old, new = patch.read_text(encoding="utf-8").split("\n")[:3]
        target = data / rel
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{case.name}: patch does not apply"
        target.write_text(text.replace(old, new), encoding="utf-8")


def mkdocs_build(site_dir: Path, data_dir: Path | None = None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(extra_env or {}))
    if data_dir is not None:
        env["CAP_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    """The mini data set (one record not translated) built in both languages."""
    site = tmp_path_factory.mktemp("mini-site")
    result = mkdocs_build(site, MINI)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once per test session."""
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(out)
    assert result.returncode == 0, result.stderr
    return out
