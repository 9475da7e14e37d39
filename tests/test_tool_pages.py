"""The interactive tools' pages (DESIGN.md, "Interactive tools"; issue #14).

- The values of the practices' ``tool`` field (data/schemas/practices.schema.json)
  are exactly the tools of ``render.TOOL_PAGES``, each a hand-written page in
  both languages with its button label in macros/strings.json.
- Every script named by a page's ``cap_tools`` (hand-written pages and print
  views) exists in overrides/assets/javascripts/ and is loaded by the built page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from conftest import ROOT
from macros import print_views
from macros.catalog import LANGUAGES, load_catalog
from macros.render import TOOL_PAGES

SCRIPTS = ROOT / "overrides" / "assets" / "javascripts"
STRINGS = json.loads((ROOT / "macros" / "strings.json").read_text(encoding="utf-8"))


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(match.group(1)) if match else {}


def test_practice_tool_values_are_the_site_tools():
    schema = json.loads((ROOT / "data" / "schemas" / "practices.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]["tool"]["enum"]) == set(TOOL_PAGES)
    for tool, src in TOOL_PAGES.items():
        stem = src[: -len(".md")]
        for path in (ROOT / "docs" / src, ROOT / "docs" / f"{stem}.en.md"):
            assert path.is_file(), path
            assert _front_matter(path).get("cap_tools"), f"{path}: no cap_tools"
        assert set(STRINGS[f"tool_{tool}"]) == set(LANGUAGES), tool


def test_every_cap_tools_script_exists(site: Path):
    built: list[tuple[Path, list[str]]] = []
    for path in (ROOT / "docs").rglob("*.md"):
        tools = _front_matter(path).get("cap_tools")
        if tools:
            src = path.relative_to(ROOT / "docs").as_posix()
            lang = "en" if src.endswith(".en.md") else "fr"
            src = src.replace(".en.md", ".md")
            built.append((print_views.built_html(site, src, lang), tools))
    assert built, "no tool page"
    catalog = load_catalog(ROOT / "data")
    for doc in print_views.documents(catalog):
        if print_views.carries_cooperative(doc):
            built += [(print_views.built_html(site, doc.src, lang), ["kit-form"]) for lang in LANGUAGES]
    for html_file, tools in built:
        html = html_file.read_text(encoding="utf-8")
        for tool in tools:
            assert (SCRIPTS / f"cap-{tool}.js").is_file(), (html_file, tool)
            src = re.search(rf'<script src="([^"]*assets/javascripts/cap-{tool}\.js)"', html)
            assert src and (html_file.parent / src.group(1)).resolve().is_file(), (html_file, tool)
