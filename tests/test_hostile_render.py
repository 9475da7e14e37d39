"""Defence in depth: even if hostile text slipped past the validator, the
renderer shows it as text. Validation is switched off here on purpose and
the mini site is built in-process."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import MINI, ROOT, copy_data

HOSTILE = {
    "summary": "Avant <script>alert('x')</script> après <img src=x onerror=alert(1)> "
               "<iframe src=https://evil.example></iframe> [clic](javascript:alert(1)) "
               "{{ config.site_name }} {% include 'mkdocs.yml' %} {{ environment }} "
               "[beau](https://example.org) {: onclick=alert(1) }",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import macros.catalog as catalog_module
    from macros import state

    tmp = tmp_path_factory.mktemp("hostile")
    data = copy_data(MINI, tmp / "data")
    line = data / "action-lines" / "ligne-traduite.yml"
    text = line.read_text(encoding="utf-8")
    line.write_text(text.replace('summary: {fr: "Résumé de la ligne traduite.", en: Summary of the translated line.}',
                                 "summary:\n  fr: " + repr(HOSTILE["summary"]).replace("\\'", "''") + "\n  en: " + repr(HOSTILE["summary"]).replace("\\'", "''")),
                    encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setattr(catalog_module, "_text_problem", lambda text: None)
    mp.setattr(state, "DATA_DIR", data)
    mp.setenv("SECRET_TOKEN", "ne-doit-jamais-sortir")
    state._cache.clear()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp / "site"))
        build(config)
    finally:
        os.chdir(cwd)
        state._cache.clear()
        mp.undo()
    return tmp / "site"


@pytest.mark.parametrize("page", ["livre-blanc/lignes/ligne-traduite/index.html",
                                  "en/livre-blanc/lignes/ligne-traduite/index.html",
                                  "livre-blanc/index.html"])
def test_hostile_text_is_shown_not_run(hostile_site: Path, page: str):
    html = (hostile_site / page).read_text(encoding="utf-8")
    body = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S).group(1)
    assert "<script" not in body and "<iframe" not in body and "<img" not in body
    assert not re.search(r"<[^>]*\son\w+\s*=", body)   # no event attribute on any tag
    assert 'href="javascript' not in body
    assert "&lt;script&gt;" in body                      # shown as text
    assert "{{ config.site_name }}" in body              # never evaluated
    assert "{% include &#39;mkdocs.yml&#39; %}" in body or "{% include 'mkdocs.yml' %}" in body
    assert "Cap coopératif</" not in body.split("Avant")[1][:400]
    assert "ne-doit-jamais-sortir" not in html
    assert 'href="https://example.org"' in body           # ordinary Markdown still works


def test_tool_data_cannot_close_its_script_element():
    """render.json_data: the JSON a tool's script reads (DESIGN.md, interactive
    tools) carries data text; none of it may end the element or become markup."""
    import json

    from macros.render import json_data

    hostile = {"t": "</script><script>alert(1)</script> & <!-- \u2028", "n": 3}
    block = json_data("cap-test-data", hostile)
    inner = re.fullmatch(r'<script type="application/json" id="cap-test-data">(.*)</script>', block, re.S).group(1)
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == hostile
    assert json_data('x"><b', 1).startswith('<script type="application/json" id="xb">')


def test_a_rule_of_macros_rules_reports_with_file_and_line(tmp_path: Path):
    """macros/rules.py: a check registered for a collection runs on each record
    that passed its schema, and its message carries file, line and column."""
    from macros import rules
    from macros.catalog import CatalogError, load_catalog

    def no_word_test(data, catalog):
        if "essai" in data["title"]["fr"]:
            yield ("title", "fr"), "le titre contient « essai »", "retirez-le"

    data = copy_data(MINI, tmp_path / "data")
    rules.RULES.setdefault("levers", []).append(no_word_test)
    try:
        with pytest.raises(CatalogError) as caught:
            load_catalog(data, tmp_path)
    finally:
        rules.RULES["levers"].remove(no_word_test)
    messages = [str(p) for p in caught.value.problems]
    assert messages and all(re.match(r"data/levers/[a-z0-9-]+\.yml:\d+:\d+: le titre contient « essai » — retirez-le$", m) for m in messages), messages
