"""« Modifier cette page » and « dernière mise à jour » on every page.

Record pages open their YAML file, hand-written pages their Markdown (the
English page its .en.md); the date is the last commit touching that file
(macros/git_dates.py), and nothing is shown without git history.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import yaml

from conftest import MINI, ROOT, mkdocs_build
from macros import git_dates

REPO = "https://github.com/cap-cooperatif/cap-cooperatif"
MINI_REL = MINI.relative_to(ROOT).as_posix()  # tests/fixtures/mini


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def edit_link(html: str) -> tuple[str, str]:
    """(href, title) of the page's edit button."""
    match = re.search(r'<a href="([^"]+)" title="([^"]+)" class="md-content__button md-icon" rel="edit">', html)
    assert match, "pas de bouton « Modifier cette page »"
    return match[1], match[2]


def updated(html: str) -> str | None:
    match = re.search(r'<aside class="md-source-file">.*?<time datetime="([0-9-]+)">', html, re.S)
    return match[1] if match else None


def last_commit_day(path: str) -> str:
    return subprocess.run(["git", "log", "-1", "--format=%cs", "--", path], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.strip()


class _AnyTag(yaml.SafeLoader):
    """mkdocs.yml has !ENV and !!python/name tags: read them as plain values."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)
_AnyTag.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def test_mkdocs_config_names_the_repository():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTag)
    assert config["repo_url"] == REPO
    assert config["edit_uri"] == "edit/main/docs/"
    assert "content.action.edit" in config["theme"]["features"]


def test_record_page_edits_its_yaml(mini_site: Path):
    expected = f"{REPO}/edit/main/{MINI_REL}/levers/levier-test.yml"
    assert edit_link(read(mini_site, "livre-blanc/leviers/levier-test")) == (expected, "Modifier cette page")
    assert edit_link(read(mini_site, "en/livre-blanc/leviers/levier-test")) == (expected, "Edit this page")
    assert edit_link(read(mini_site, "livre-blanc/lignes/ligne-traduite"))[0] == \
        f"{REPO}/edit/main/{MINI_REL}/action-lines/ligne-traduite.yml"


def test_real_record_page_edits_data(site: Path):
    """The URL the issue asks for, from the real data folder."""
    assert edit_link(read(site, "livre-blanc/leviers/personne-au-coeur"))[0] == \
        f"{REPO}/edit/main/data/levers/personne-au-coeur.yml"


def test_hand_written_page_edits_its_markdown(mini_site: Path):
    assert edit_link(read(mini_site, ""))[0] == f"{REPO}/edit/main/docs/index.md"
    assert edit_link(read(mini_site, "en"))[0] == f"{REPO}/edit/main/docs/index.en.md"
    assert edit_link(read(mini_site, "a-propos"))[0] == f"{REPO}/edit/main/docs/a-propos.md"
    assert edit_link(read(mini_site, "en/a-propos"))[0] == f"{REPO}/edit/main/docs/a-propos.en.md"


def test_every_page_has_an_edit_link(mini_site: Path):
    """Every page but the print views (macros/print_views.py), made to be printed."""
    pages = [p for p in mini_site.rglob("index.html")
             if 'class="cap-print-view' not in p.read_text(encoding="utf-8")]
    assert len(pages) > 10
    for page in pages:
        href, _ = edit_link(page.read_text(encoding="utf-8"))
        assert href.startswith(f"{REPO}/edit/main/"), page
        assert not href.startswith(f"{REPO}/edit/main/docs/livre-blanc/leviers"), "record pages never point into docs/"
        target = href.removeprefix(f"{REPO}/edit/main/")
        assert (ROOT / target).is_file(), f"{page}: {target} n'existe pas"


def test_last_update_from_git(mini_site: Path):
    record = read(mini_site, "livre-blanc/leviers/levier-test")
    assert updated(record) == last_commit_day(f"{MINI_REL}/levers/levier-test.yml")
    assert updated(read(mini_site, "en")) == last_commit_day("docs/index.en.md")
    day = dt.date.fromisoformat(updated(record))
    assert f'<time datetime="{day}">{git_dates.text(day, "fr")}</time>' in record
    assert f'<time datetime="{day}">{git_dates.text(day, "en")}</time>' in \
        read(mini_site, "en/livre-blanc/leviers/levier-test")


def test_no_history_no_date(tmp_path: Path):
    """A tarball without .git builds the same site, without dates."""
    site = tmp_path / "site"
    result = mkdocs_build(site, MINI, extra_env={"GIT_DIR": str(tmp_path / "pas-de-git"),
                                                 "GIT_CEILING_DIRECTORIES": str(ROOT.parent)})
    assert result.returncode == 0, result.stderr
    html = read(site, "livre-blanc/leviers/levier-test")
    assert updated(html) is None
    assert edit_link(html)[0].endswith(f"{MINI_REL}/levers/levier-test.yml")


# -- macros/git_dates.py -------------------------------------------------------------


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


def make_repo(repo: Path) -> None:
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "data").mkdir()
    (repo / "data" / "a.yml").write_text("1\n", encoding="utf-8")
    (repo / "data" / "é.yml").write_text("1\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "un", date="2026-05-01T10:00:00+02:00")
    (repo / "data" / "a.yml").write_text("2\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "deux", date="2026-11-23T23:30:00+01:00")


def test_read_history_one_pass(tmp_path: Path):
    repo = tmp_path / "depot"
    make_repo(repo)
    dates = git_dates.read_history(repo)
    assert dates == {"data/a.yml": dt.date(2026, 11, 23), "data/é.yml": dt.date(2026, 5, 1)}
    # relative to a folder below the top of the repository
    assert git_dates.read_history(repo / "data") == {"a.yml": dt.date(2026, 11, 23), "é.yml": dt.date(2026, 5, 1)}


def test_refresh_and_lookup(tmp_path: Path):
    repo = tmp_path / "depot"
    make_repo(repo)
    git_dates.refresh(repo)
    assert git_dates.last_updated("data/a.yml") == dt.date(2026, 11, 23)
    assert git_dates.last_updated(repo / "data" / "é.yml") == dt.date(2026, 5, 1)
    (repo / "data" / "nouveau.yml").write_text("3\n", encoding="utf-8")
    assert git_dates.last_updated("data/nouveau.yml") is None, "never committed: no date"
    assert git_dates.last_updated(tmp_path / "ailleurs.yml") is None
    (repo / "data" / "nouveau.yml").unlink()
    git_dates.refresh(ROOT)  # leave the module as the build expects it


def test_no_git_history(tmp_path: Path):
    assert git_dates.read_history(tmp_path) == {}
    repo = tmp_path / "depot"
    make_repo(repo)
    shallow = tmp_path / "superficiel"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True, capture_output=True)
    assert git_dates.read_history(shallow) == {}, "a shallow clone would date every file to its last commit"


def test_date_words():
    assert git_dates.text(dt.date(2026, 5, 1), "fr") == "1er mai 2026"
    assert git_dates.text(dt.date(2026, 11, 23), "fr") == "23 novembre 2026"
    assert git_dates.text(dt.date(2026, 8, 2), "en") == "2 August 2026"
    assert git_dates.html(dt.date(2026, 2, 3), "fr") == '<time datetime="2026-02-03">3 février 2026</time>'
