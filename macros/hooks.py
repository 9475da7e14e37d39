"""MkDocs hooks: wire the Catalog into the build (see macros/README.md).

static-i18n builds the site once per language, so every hook here is
language-aware and cheap to run twice; the catalog is loaded once.
"""

from __future__ import annotations

import copy
import html as htmllib
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import git_dates, incremental, parallel, search, state  # noqa: E402
from macros import print_views  # noqa: E402  (issue #4: print views and PDFs)
from macros import memo  # noqa: E402  (issue #14: the deadlines memo's calendars)
from macros.catalog import DEFAULT_LANGUAGE, LANGUAGES, CatalogError  # noqa: E402
from macros.render import BYTECODE_CACHE  # noqa: E402
from macros.safe_html import SafeHtmlExtension  # noqa: E402


def _language(config) -> str:
    plugin = config.plugins.get("i18n")
    return getattr(plugin, "current_language", None) or DEFAULT_LANGUAGE


def _i18n_building(config) -> bool:
    return bool(getattr(config.plugins.get("i18n"), "building", False))


# -- configuration ------------------------------------------------------------


@event_priority(100)  # first: the other languages' builds start as early as possible
def on_config(config):
    _strict_even_if_quiet(config)
    try:
        state.catalog()
    except CatalogError as err:
        raise PluginError(
            f"{len(err.problems)} problème(s) dans data/ — le site n'a pas été construit :\n{err}"
        ) from None
    parallel.configure(config)  # `mkdocs build`: a process per other language, forked with the catalog
    if not any(isinstance(e, SafeHtmlExtension) for e in config.markdown_extensions):
        config.markdown_extensions.append(SafeHtmlExtension())
    _glossary_abbreviations(config)
    return config


def _strict_even_if_quiet(config) -> None:
    """``mkdocs build --strict -q`` (make build, the tests) passed with warnings:
    ``-q`` raises MkDocs' log level to ERROR, so warnings were neither shown
    nor counted by strict mode. Under strict, warnings stay on (``-q`` still
    hides the INFO lines)."""
    logger = logging.getLogger("mkdocs")
    if config.strict and logger.level > logging.WARNING:
        logger.setLevel(logging.WARNING)


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


def _static(config, src_uri: str, dest_uri: str, content: bytes) -> File:
    """A file made in memory (a calendar), written at ``dest_uri`` (under the language's folder)."""
    file = File.generated(config, src_uri, content=content)
    file.dest_uri = dest_uri
    return file


def _edit_uri(config, source: str) -> str | None:
    """``source`` (data/levers/x.yml) relative to docs_dir: MkDocs appends it to
    ``repo_url`` + ``edit_uri`` (edit/main/docs/), and the URL joining resolves
    the ``..``: …/edit/main/data/levers/x.yml. None for data outside the repository."""
    path = Path(source)
    if path.is_absolute():
        return None
    return Path(os.path.relpath(ROOT / path, config.docs_dir)).as_posix()


@event_priority(-110)  # after static-i18n's on_files (-100), which cannot handle them
def on_files(files, config):
    lang = _language(config)
    render = state.renderer(config.site_url or "")
    for record, src_uri in render.record_pages():
        page = _generated(config, src_uri, lang, render.record_page(record, lang))
        page.cap_source = record.path
        page.edit_uri = _edit_uri(config, record.path)  # « Modifier cette page » opens the YAML
        alternates = {lang: page}
        for other in LANGUAGES:
            if other != lang:
                alternates[other] = _generated(config, src_uri, other, None)
        for alt in alternates.values():
            alt.alternates = alternates
            alt.locale_alternate_of = lang
        files.append(page)
    # Print views (kits/<id>/imprimer.md…) and the « Imprimer » / PDF links of the pages above.
    print_views.add_pages(files, config, lang, render, _generated)
    memo.add_files(files, config, lang, render, lambda src, dest, content: _static(config, src, dest, content))
    incremental.mark(files, config, lang, render)  # serve --dirty only
    # static-i18n's sitemap lists the pages it saw in its own on_files: add ours.
    i18n = config.plugins.get("i18n")
    if i18n is not None and hasattr(i18n, "i18n_files_per_language"):
        i18n.i18n_files_per_language[lang] = files.documentation_pages()
    return files


def on_page_markdown(markdown, page, config, files):
    """The « Imprimer » / PDF links of hand-written pages that have a print view
    (docs/faq/etapes*.md: the creation path), once the page's URL is known."""
    if print_views.MARKER not in markdown:
        return markdown
    src = getattr(page.file, "norm_src_uri", None) or page.file.src_uri
    return print_views.resolve_marker(state.renderer(config.site_url or ""), markdown, src, _language(config), page.file.dest_uri)


# -- glossary terms explained on hover -----------------------------------------


def _glossary_abbreviations(config) -> None:
    """The glossary's abbreviations (Markdown ``abbr``) on every page of the
    language being built: given once to the extension as its ``glossary``
    option, the same ``<abbr>`` as definitions appended to each page's Markdown,
    without parsing them again on every page (issue #8: −8 % CPU, real site)."""
    if "abbr" in config.markdown_extensions:
        glossary = state.renderer(config.site_url or "").abbreviation_glossary(_language(config))
        config.mdx_configs["abbr"] = {**(config.mdx_configs.get("abbr") or {}), "glossary": glossary}


# -- interface words that Markdown extensions write in one language only ------

_PERMALINK = ('title="Lien vers cette section"', 'title="Link to this section"')


def on_post_page(output, page, config):
    if _language(config) != DEFAULT_LANGUAGE:
        output = output.replace(*_PERMALINK)
    return output


# -- last update, from git (macros/git_dates.py) -------------------------------


def on_pre_build(config):
    git_dates.refresh(ROOT)  # one `git log` for the whole build (again only if HEAD moved)


def on_page_context(context, page, config, nav):
    """``page.meta.revision_date``: shown under the page by Material (partials/source-file.html)."""
    source = getattr(page.file, "cap_source", None) or page.file.abs_src_path
    date = git_dates.last_updated(source) if source else None
    if date is not None:
        page.meta["revision_date"] = git_dates.html(date, _language(config))
    return context


# -- search: per-language, French-aware indexes (macros/search.py) ------------


def on_env(env, config, files):
    """Material's search worker → ours (overrides/main.html, block config)."""
    problem = search.check_offline(config)
    if problem:
        raise PluginError(problem)
    env.globals["cap_search_worker"] = search.worker_urls(config)
    env.globals["cap_offline"] = search.offline(config)
    env.bytecode_cache = BYTECODE_CACHE  # the theme's templates compiled once per process, not per language
    return env


@event_priority(-200)  # after static-i18n merged the index and the offline plugin wrote its .js
def on_post_build(config):
    if parallel.child_language():  # a language built beside the main build: its own index only
        search.write_indexes(config, state.catalog(), (parallel.child_language(),))
        return
    if _i18n_building(config) and not parallel.active():
        return  # a language built inside the main build (static-i18n): the main build ends it
    try:
        others = parallel.finish(config)  # the other languages' folders (with their index) and sitemap entries
    except RuntimeError as err:
        raise PluginError(str(err)) from None
    incremental.complete_search_index(config)  # serve --dirty only: the pages not rebuilt
    search.write_indexes(config, state.catalog(), tuple(lang for lang in LANGUAGES if lang not in others))
    search.write_worker(config)


def on_build_error(error):
    parallel.cleanup()


# -- reproducible builds (issue #7) ---------------------------------------------


def on_startup(command, dirty):
    parallel.startup(command, dirty)
    _source_date_epoch()


def _source_date_epoch() -> None:
    """Two builds of one commit give the same bytes: MkDocs dates the sitemap
    (``<lastmod>``, the ``sitemap.xml.gz`` header) from SOURCE_DATE_EPOCH, or
    from today's clock when it is unset; default it to the last commit's time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return
    try:
        stamp = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                               capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return
    if stamp.isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = stamp


# -- one 404 page per language (issue #7) -----------------------------------------

_page_404: dict[str, str] = {}


def on_pre_template(template, template_name, config):
    """static-i18n leaves ``extra.alternate`` (the language switcher) as the last
    page built set it: give the 404 page the site's home pages instead."""
    i18n = config.plugins.get("i18n")
    if template_name == "404.html" and getattr(i18n, "extra_alternate", None):
        config.extra.alternate = copy.deepcopy(i18n.extra_alternate)  # as static-i18n sets it
    return template


def on_post_template(output_content, template_name, config):
    """static-i18n renders the theme's 404.html once per language, each time to
    site/404.html, so the last language (English) used to win. The default
    language's stays at the root; every other one goes to ``<lang>/404.html``."""
    if template_name != "404.html":
        return output_content
    lang = _language(config)
    if lang == DEFAULT_LANGUAGE:
        _page_404[lang] = output_content
        return output_content
    target = Path(config.site_dir) / lang / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output_content, encoding="utf-8")
    return _page_404.get(DEFAULT_LANGUAGE, output_content)  # the root keeps the default language's


# -- HTML details for validity and accessibility (issue #7) -------------------------

_TASK = re.compile(r'(<label class="task-list-control"><input type="checkbox")([^>]*>)(.*?)(?=</li>|<ul|<ol|<p>|<div)', re.S)


def _name_checkbox(match: re.Match) -> str:
    text = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", match.group(3))).split())
    if not text or "aria-label" in match.group(2):
        return match.group(0)
    return f'{match.group(1)} aria-label="{Markup.escape(text)}"{match.group(2)}{match.group(3)}'


def on_page_content(html, page, config, files):
    """Two fixes on every page:

    - Material writes ``page.meta.description`` into ``<meta content="…">`` as
      it is (MkDocs' templates do not autoescape): a double quote in a summary
      (the "my cooperator journey" sheet) ended the attribute and broke the
      tag. Escaped once here, as Markup, so that templates escaping it again
      (``| e``) keep it as is.
    - The checkboxes of task lists (kit checklists, pymdownx.tasklist) get
      their item's text as accessible name: the tasklist label wraps the box
      only, so screen readers announced an unnamed checkbox (WCAG 4.1.2)."""
    description = page.meta.get("description")
    if isinstance(description, str) and not isinstance(description, Markup):
        page.meta["description"] = Markup.escape(description)
    if 'class="task-list-control"' in html:
        html = _TASK.sub(_name_checkbox, html)
    return html
