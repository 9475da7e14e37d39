"""MkDocs hooks: wire the Catalog into the build (see macros/README.md).

static-i18n builds the site once per language, so every hook here is
language-aware and cheap to run twice; the catalog is loaded once.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import state  # noqa: E402
from macros.catalog import DEFAULT_LANGUAGE, LANGUAGES, CatalogError  # noqa: E402
from macros.safe_html import SafeHtmlExtension  # noqa: E402


def _language(config) -> str:
    plugin = config.plugins.get("i18n")
    return getattr(plugin, "current_language", None) or DEFAULT_LANGUAGE


def _i18n_building(config) -> bool:
    return bool(getattr(config.plugins.get("i18n"), "building", False))


# -- configuration ------------------------------------------------------------


def on_config(config):
    try:
        state.catalog()
    except CatalogError as err:
        raise PluginError(
            f"{len(err.problems)} problème(s) dans data/ — le site n'a pas été construit :\n{err}"
        ) from None
    if not any(isinstance(e, SafeHtmlExtension) for e in config.markdown_extensions):
        config.markdown_extensions.append(SafeHtmlExtension())
    return config


# -- one generated page per record ---------------------------------------------


def _generated(config, src_uri: str, lang: str, content: str | None) -> File:
    """A page made in memory, with the attributes static-i18n expects."""
    file = File.generated(config, src_uri, content=content or "", inclusion=InclusionLevel.NOT_IN_NAV)
    prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
    file.dest_uri = prefix + file.dest_uri
    file.locale = lang
    file.localization = None if lang == DEFAULT_LANGUAGE else lang
    file.norm_src_uri = src_uri
    return file


@event_priority(-110)  # after static-i18n's on_files (-100), which cannot handle them
def on_files(files, config):
    lang = _language(config)
    render = state.renderer(config.site_url or "")
    for record, src_uri in render.record_pages():
        page = _generated(config, src_uri, lang, render.record_page(record, lang))
        page.edit_uri = None
        page.cap_source = record.path
        alternates = {lang: page}
        for other in LANGUAGES:
            if other != lang:
                alternates[other] = _generated(config, src_uri, other, None)
        for alt in alternates.values():
            alt.alternates = alternates
            alt.locale_alternate_of = lang
        files.append(page)
    return files


# -- glossary terms explained on hover -----------------------------------------


def on_page_markdown(markdown, page, config, files):
    """Append the glossary's abbreviations (Markdown ``abbr``) to every page."""
    abbreviations = state.renderer(config.site_url or "").abbreviations(_language(config))
    return f"{markdown}\n\n{abbreviations}\n" if abbreviations else markdown


# -- per-language search index -------------------------------------------------


@event_priority(-200)  # after static-i18n has merged and written the index
def on_post_build(config):
    if _i18n_building(config):
        return
    site = Path(config.site_dir)
    merged = site / "search" / "search_index.json"
    if not merged.exists():
        return
    index = json.loads(merged.read_text(encoding="utf-8"))
    for lang in LANGUAGES:
        prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
        if prefix:
            docs = [dict(d, location=d["location"][len(prefix):]) for d in index["docs"] if d["location"].startswith(prefix)]
        else:
            others = tuple(f"{o}/" for o in LANGUAGES if o != DEFAULT_LANGUAGE)
            docs = [d for d in index["docs"] if not d["location"].startswith(others)]
        config_part = dict(index["config"], lang=[lang])
        out = site / prefix / "search" / "search_index.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"config": config_part, "docs": docs}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
