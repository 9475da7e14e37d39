"""One fixture folder per bad case (tests/cases/<case>/): the loader must
report exactly the messages of its expected.txt, with file, line and column.

A case folder holds files laid over a copy of tests/fixtures/mini/ (and/or a
patch.txt: file, old line, new line); expected.txt lists every problem.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import CASES, MINI, apply_case, copy_data
from macros.catalog import CatalogError, load_catalog

CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())


def problems_for(case: Path, tmp_path: Path) -> list[str]:
    data = copy_data(MINI, tmp_path / "data")
    apply_case(case, data)
    with pytest.raises(CatalogError) as caught:
        load_catalog(data, tmp_path)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("case", CASE_DIRS, ids=[c.name for c in CASE_DIRS])
def test_bad_case_reports_exact_messages(case: Path, tmp_path: Path):
    expected = (case / "expected.txt").read_text(encoding="utf-8").strip().splitlines()
    assert problems_for(case, tmp_path) == expected


def test_corpus_is_large_enough():
    assert len(CASE_DIRS) >= 40


def test_valid_mini_data_loads():
    catalog = load_catalog(MINI)
    assert set(catalog["action-lines"]) == {"ligne-traduite", "ligne-non-traduite"}


def test_alias_bomb_fails_fast_with_bounded_memory(tmp_path: Path):
    tracemalloc.start()
    start = time.perf_counter()
    problems = problems_for(CASES / "yaml-billion-laughs", tmp_path)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "ancre ou alias YAML" in problems[0]
    assert peak < 50_000_000, peak  # a constructed bomb would need gigabytes
    assert elapsed < 10, elapsed


def test_five_megabyte_text_is_refused(tmp_path: Path):
    data = copy_data(MINI, tmp_path / "data")
    lever = data / "levers" / "levier-test.yml"
    lever.write_text(lever.read_text(encoding="utf-8") + "body:\n  fr: " + "b" * 5_000_000 + "\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(data, tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"data/levers/levier-test.yml:1:1: fichier trop gros ({lever.stat().st_size} octets, limite 1000000)"
        " — découpez le contenu en plusieurs fiches"
    ]


def test_all_problems_reported_in_one_run(tmp_path: Path):
    data = copy_data(MINI, tmp_path / "data")
    for case in ("schema-unknown-field", "ref-dangling-source"):
        apply_case(CASES / case, data)
    apply_case(CASES / "ref-dangling", data)
    with pytest.raises(CatalogError) as caught:
        load_catalog(data, tmp_path)
    files = {p.path for p in caught.value.problems}
    assert files == {"data/levers/levier-test.yml", "data/action-lines/ligne-traduite.yml"}
