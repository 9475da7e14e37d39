"""Shared fixtures: project paths, data copies, built sites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MINI = ROOT / "tests" / "fixtures" / "mini"
CASES = ROOT / "tests" / "cases"


# -- nothing beside the checkout is read (tests/guard/sitecustomize.py) ----------

GUARD = ROOT / "tests" / "guard"
_OWN_LOG = None  # the log this session made (a nested session started by a test shares its parent's)
if os.environ.get("CAP_GUARD_ROOT") != str(ROOT) or not os.environ.get("CAP_GUARD_LOG"):
    _log, _log_path = tempfile.mkstemp(prefix="cap-guard-", suffix=".log")
    os.close(_log)
    _OWN_LOG = Path(_log_path)
    os.environ["CAP_GUARD_ROOT"], os.environ["CAP_GUARD_LOG"] = str(ROOT), _log_path
    os.environ["PYTHONPATH"] = os.pathsep.join([str(GUARD), *filter(None, [os.environ.get("PYTHONPATH")])])
sys.path.insert(0, str(GUARD))
import sitecustomize as _guard  # noqa: E402  (the hook, for this process too)

_guard.install()


def read_outside_checkout() -> list[str]:
    """Every path beside the checkout that this session (or a process it started) opened."""
    log = Path(os.environ["CAP_GUARD_LOG"])
    return sorted(set(log.read_text(encoding="utf-8").splitlines())) if log.exists() else []


def pytest_sessionfinish(session, exitstatus):
    outside = read_outside_checkout()
    if _OWN_LOG is not None:
        _OWN_LOG.unlink(missing_ok=True)
    if outside:
        session.config._cap_outside = outside
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


SUMMARY: list[str] = []  # lines a test module leaves for the end of the run (the fuzzing count)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for line in SUMMARY:
        terminalreporter.write_line(line)
    outside = getattr(config, "_cap_outside", None)
    if outside:
        terminalreporter.section("lectures hors du dépôt", red=True)
        terminalreporter.write_line(f"ÉCHEC : {len(outside)} chemin(s) à côté du dépôt lu(s) par les tests "
                                    "(un clone seul ne les a pas ; gardez ces données dans tests/fixtures/) :")
        for line in outside[:50]:
            terminalreporter.write_line("  " + line.replace("\t", "  "))


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


# -- browser, local server and offline bundle (search and offline tests) -------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium, driven by Playwright (never `playwright install`).

    One per test module, not per session: while sync Playwright runs, this
    thread has a running asyncio loop, and asyncio.run() elsewhere (30-pdf.py,
    tests/test_print.py) would fail."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def settle(page) -> None:
    """Wait until no CSS transition or animation runs: axe judges the colours a
    reader sees, not a button caught half-way through its hover transition (a
    button drawn under the pointer, as the game's score screen is, fades to its
    hover colour in 125 ms, which a loaded machine stretches)."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


@pytest.fixture(scope="session")
def site_url(site: Path):
    """The real site served over http://127.0.0.1 on a free port."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _catch(fn, failures: list) -> None:
    try:
        fn()
    except BaseException as err:  # noqa: BLE001 (SystemExit included: stages use it)
        failures.append(err)


@pytest.fixture(scope="session")
def deliverables(site: Path, tmp_path_factory) -> dict[str, Path]:
    """What `make build` makes after the site: every stage of scripts/stages/
    run in order on a copy of the session's site. Keys: site, dist, bundle
    (the zip unpacked: bundle/cap-cooperatif/index.html)."""
    import importlib.util
    import threading
    import zipfile

    work = tmp_path_factory.mktemp("make-build")
    copy, dist = work / "site", work / "dist"
    shutil.copytree(site, copy)
    dist.mkdir()
    def stages():
        for path in sorted((ROOT / "scripts" / "stages").glob("[0-9]*.py")):
            spec = importlib.util.spec_from_file_location(path.stem, path)
            stage = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(stage)
            stage.run(root=ROOT, site=copy, dist=dist, tmp=work)

    # In a thread of their own: a stage may run asyncio (30-pdf.py), which it
    # cannot do where a sync Playwright browser already runs a loop.
    failure = []
    thread = threading.Thread(target=lambda: _catch(stages, failure))
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    bundle = work / "bundle"
    with zipfile.ZipFile(dist / "cap-cooperatif-hors-ligne.zip") as archive:
        archive.extractall(bundle)
    return {"site": copy, "dist": dist, "bundle": bundle}


@pytest.fixture(scope="module")
def offline_context(deliverables, browser):
    """A browser context for the unpacked bundle that lets only file:// through:
    every other request is aborted and recorded in ``context.blocked``."""
    context = browser.new_context()
    context.blocked = []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            context.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    # requests the router does not see (data:, blob: are not requests)
    context.on("request", lambda r: None if r.url.startswith(("file://", "data:", "blob:", "about:"))
               or r.url in context.blocked else context.blocked.append(r.url))
    context.root = deliverables["bundle"] / "cap-cooperatif"
    yield context
    context.close()
