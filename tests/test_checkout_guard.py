"""Issue #16: a fresh clone passes `make test` — no test and no build step
reads anything beside the checkout (DESIGN.md, "Tests stay inside the
repository"; the guard: tests/guard/sitecustomize.py, installed by
tests/conftest.py).

The guard is proved here on planted tests run in a pytest of their own: one
that reads ``../shared/…`` (directly, and from a Python process it starts,
as a build would) makes the session fail although the test itself passes;
one that reads only inside the checkout and temporary files does not.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import ROOT
from guard.sitecustomize import beside

PLANTED = '''
import subprocess, sys
from pathlib import Path
from conftest import ROOT

def test_planted(tmp_path):
    (tmp_path / "x.txt").write_text("inside", encoding="utf-8")
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "inside"
    assert "Cap coopératif" in (ROOT / "README.md").read_text(encoding="utf-8")
    subprocess.run([sys.executable, "-c", "import os; os.listdir({inside!r})"], check=True)
    {trap}
'''
TRAP = '''seed = ROOT.parent / "shared" / "seeds" / "planted.txt"
    try:
        seed.read_text(encoding="utf-8")   # the ../shared trap: absent from a user's clone
    except FileNotFoundError:
        pass
    subprocess.run([sys.executable, "-c", "import os; os.path.isdir({shared!r}) and os.listdir({shared!r})"], check=True)
    subprocess.run([sys.executable, "-c", "open({subprocess_seed!r})"], capture_output=True)'''


def run_planted(tmp_path: Path, trap: bool) -> subprocess.CompletedProcess:
    shared = str(ROOT.parent / "shared")
    body = PLANTED.replace("{trap}", TRAP if trap else "pass").format(
        inside=str(ROOT / "data"), shared=shared, subprocess_seed=str(ROOT.parent / "shared" / "from-a-subprocess.txt"))
    test = tmp_path / "planted" / "test_planted.py"
    test.parent.mkdir()
    test.write_text(body, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAP_GUARD_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")])  # no guard yet: conftest installs it
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-q",
                           "--rootdir", str(test.parent), "--basetemp", str(tmp_path / "base"), str(test)],
                          cwd=test.parent, env=env, capture_output=True, text=True, timeout=300)


def test_a_test_reading_beside_the_checkout_fails_the_session(tmp_path: Path):
    result = run_planted(tmp_path, trap=True)
    out = result.stdout + result.stderr
    assert "1 passed" in out, out            # the planted test itself passes…
    assert result.returncode == 1, out       # …the session fails
    assert "lectures hors du dépôt" in out
    assert str(ROOT.parent / "shared" / "seeds" / "planted.txt") in out
    assert str(ROOT.parent / "from-a-subprocess.txt") not in out
    assert str(ROOT.parent / "shared" / "from-a-subprocess.txt") in out, "a Python subprocess is watched too"
    assert str(ROOT / "README.md") not in out and str(ROOT / "data") not in out


def test_a_test_reading_only_the_checkout_and_temporary_files_passes(tmp_path: Path):
    result = run_planted(tmp_path, trap=False)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "1 passed" in out and "lectures hors du dépôt" not in out


def test_what_is_beside_the_checkout():
    root = "/work/clones/cap"
    assert beside("/work/clones/shared/seeds/001.txt", root)
    assert beside("/work/clones/cap-other/x", root)          # a sibling whose name starts like the checkout's
    assert beside("/work/clones", root) is False               # the parent itself (git looks up for .git)
    assert not beside("/work/clones/cap/tests/fixtures/mini/x.yml", root)
    assert not beside("/work/clones/cap", root)
    assert not beside("/usr/lib/python3/os.py", root)
    temp = tempfile.gettempdir()
    assert not beside(os.path.join(temp, "pytest-of-root", "x"), os.path.join(temp, "cap"))
    assert not beside(os.path.join(temp, "tmpabc", "site"), os.path.join(temp, "cap"))
    assert beside(os.path.join(temp, "shared", "seeds"), os.path.join(temp, "cap"))
    # a fresh clone inside a temporary folder (/tmp/fresh-xyz/cap): its siblings are beside it
    assert beside(os.path.join(temp, "fresh", "shared", "x.txt"), os.path.join(temp, "fresh", "cap"))
    assert not beside(os.path.join(temp, "pytest-of-root", "x"), os.path.join(temp, "fresh", "cap"))
