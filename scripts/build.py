#!/usr/bin/env python3
"""make build: the public site, then the deliverables, swapped in atomically.

Stages (each prints a progress line):
  1. site      mkdocs build --strict into a temporary folder
  2. extras    each module of scripts/stages/ (offline bundle, PDFs…) runs
               on the temporary site and writes into the temporary dist/;
               a stage with a ``start`` function starts its work that needs
               no site first (the offline build), so that it runs beside the
               stages before it (the PDFs)
  3. swap      site/ and dist/ are replaced only when every stage succeeded;
               a failure leaves the previous site/ and dist/ untouched.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ROOT / "scripts" / "stages"


def _say(stage: str, message: str, started: float) -> None:
    print(f"[{stage:<8}] {message} ({time.perf_counter() - started:.1f} s)", flush=True)


def build_site(site_dir: Path, config: str = "mkdocs.yml") -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config, "-d", str(site_dir)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"La construction a échoué ({config}) : site/ et dist/ n'ont pas été modifiés.")


def _stages() -> list:
    modules = []
    for path in sorted(STAGES.glob("[0-9]*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def main() -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=".build-", dir=ROOT) as tmp:
        tmp = Path(tmp)
        site, dist = tmp / "site", tmp / "dist"
        dist.mkdir()
        build_site(site)
        _say("site", "site construit (fr + en)", started)
        stages = _stages()
        try:
            for stage in stages:
                if hasattr(stage, "start"):
                    stage.start(root=ROOT, tmp=tmp)
                    _say(stage.NAME, stage.STARTED, started)
            for stage in stages:
                stage.run(root=ROOT, site=site, dist=dist, tmp=tmp)
                _say(stage.NAME, stage.DONE, started)
        finally:
            for stage in stages:
                if hasattr(stage, "stop"):
                    stage.stop(tmp)
        _swap(site, ROOT / "site")
        _swap(dist, ROOT / "dist")
    _say("swap", "site/ et dist/ remplacés", started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
