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
