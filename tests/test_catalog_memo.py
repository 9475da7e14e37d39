"""Issue #8: what the loader made of each data file is kept on disk (macros/state.py).

A new process reads no unchanged file again; an edited file is read and
checked again (its problems are reported as on a first load); a deleted
file leaves the memo; a damaged memo file is ignored.
"""

from __future__ import annotations

import pytest

from conftest import CASES, MINI, apply_case, copy_data
from macros import catalog as catalog_module
from macros import state
from macros.catalog import CatalogError


@pytest.fixture
def loader(tmp_path, monkeypatch):
    """A fresh process each call (empty memory), the memo folder in tmp_path; counts files parsed."""
    monkeypatch.setattr(state, "MEMO_DIR", tmp_path / "memo")
    parsed = []
    real = catalog_module._read_yaml
    monkeypatch.setattr(catalog_module, "_read_yaml", lambda raw: parsed.append(raw) or real(raw))

    def load(data):
        state._file_memo.clear()
        parsed.clear()
        return state._load(data), len(parsed)

    yield load
    state._file_memo.clear()


def test_second_process_parses_nothing_unchanged(loader, tmp_path):
    data = copy_data(MINI, tmp_path / "data")
    first, parsed = loader(data)
    assert parsed == len(list(data.glob("*/*.yml")))
    again, parsed = loader(data)
    assert parsed == 0
    assert {n: sorted(c) for n, c in again.collections.items()} == {n: sorted(c) for n, c in first.collections.items()}

    question = data / "faq" / "question-test.yml"
    question.write_text(question.read_text(encoding="utf-8").replace("question:", "question:  ", 1), encoding="utf-8")
    _, parsed = loader(data)
    assert parsed == 1

    question.unlink()
    catalog, _ = loader(data)
    assert "question-test" not in catalog.collections["faq"]
    memo = state._read_memo(state._memo_file(data))
    assert memo and not any(key.endswith("question-test.yml") for key in memo)


def test_problems_are_reported_from_the_memo_too(loader, tmp_path):
    data = copy_data(MINI, tmp_path / "data")
    apply_case(CASES / "schema-missing-required", data)
    with pytest.raises(CatalogError) as first:
        loader(data)
    with pytest.raises(CatalogError) as again:
        loader(data)
    assert str(again.value) == str(first.value)
    assert "schéma" in str(again.value) or "obligatoire" in str(again.value)


def test_damaged_memo_is_ignored(loader, tmp_path):
    data = copy_data(MINI, tmp_path / "data")
    loader(data)
    state._memo_file(data).write_bytes(b"not a pickle")
    catalog, parsed = loader(data)
    assert parsed == len(list(data.glob("*/*.yml")))
    assert catalog.collections["faq"]


def test_only_the_last_memos_are_kept(loader, tmp_path):
    for i in range(state.KEEP_MEMOS + 3):
        loader(copy_data(MINI, tmp_path / f"data-{i}"))
    assert len(list((tmp_path / "memo").glob("*.pickle"))) == state.KEEP_MEMOS
    assert state._memo_file(tmp_path / f"data-{state.KEEP_MEMOS + 2}").exists()
