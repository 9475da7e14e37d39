"""``mkdocs serve --dirty``: after a data edit, rebuild only the pages it changed (issue #8).

MkDocs' dirty mode rebuilds a page when its source file is newer than its
output. That is wrong both ways for us: generated pages have no source file
(MkDocs rebuilds them all, every time), and the hand-written pages that list
records (``section()`` macros) have not changed when a record has. So, in a
dirty build (``--dirty`` on the command line, as static-i18n checks it):

* when nothing but records changed since the previous build of the same
  language into the same folder (same ``docs/``, ``overrides/``, ``macros/``,
  ``mkdocs.yml``, same glossary abbreviations): a generated page is rebuilt
  only if its Markdown changed (a record's own page, the pages listing or
  naming it), a hand-written page if what its ``section()`` macros show
  changed (or, as in MkDocs, its source);
* otherwise (first build, template or code edit…): every page is rebuilt.

The search index of a dirty build only holds the rebuilt pages:
``complete_search_index`` adds back the other pages' entries from the
previous build, so search still finds every page in the preview (Material's
own attempt at it, which assumes one page per rebuild, is switched off).

Knows MkDocs' ``File.is_modified`` and the merged ``search/search_index.json``;
nothing here runs in a normal (clean) build.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ("docs", "overrides", "macros", "mkdocs.yml")
log = logging.getLogger("mkdocs.plugins.cap.incremental")
_previous: dict[tuple[str, str], dict] = {}  # (site_dir, language) -> what the last build saw
_search: dict[str, list[dict]] = {}  # site_dir -> every entry of the last merged index


def dirty() -> bool:
    """Is this a ``--dirty`` build (``mkdocs serve --dirty``, ``mkdocs build --dirty``)?"""
    return any(arg in ("--dirty", "--dirtyreload") for arg in sys.argv[1:])


class _QuietDirtyWarning(logging.Filter):
    """MkDocs warns at each dirty build that pages may be stale, which strict
    mode (mkdocs.yml) turns into a failed build. Here they are not: drop it,
    and say instead how many pages were rebuilt (``mark``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


if dirty():
    logging.getLogger("mkdocs.commands.build").addFilter(_QuietDirtyWarning())


def _code_signature() -> tuple:
    """Path, mtime and size of every file that shapes pages other than data/."""
    out = []
    for name in WATCHED:
        path = ROOT / name
        walk = [(str(path.parent), [], [path.name])] if path.is_file() else os.walk(path)
        for folder, _, names in walk:
            for file in names:
                stat = os.stat(os.path.join(folder, file))
                out.append((folder, file, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(out))


def _fixed(value: bool):
    return lambda: value


def mark(files, config, lang: str, render) -> int | None:
    """Set ``is_modified`` on this language's pages; returns how many will be
    rebuilt, or None when everything is (not a dirty build, or more than data changed)."""
    if not dirty():
        return None
    search = config.plugins.get("material/search")
    if search is not None:
        # Material keeps its previous index across dirty rebuilds and replaces
        # the entries of one page only: with several pages and two languages,
        # stale entries pile up. complete_search_index() does it instead.
        search.is_dirty, search.search_index_prev = False, None
    key = (str(config.site_dir), lang)
    pages = files.documentation_pages()
    shown = {f.src_uri: hash(f.content_string) for f in pages if f.abs_src_path is None}
    for file in pages:
        if file.abs_src_path is not None:
            shown[file.src_uri] = _macros_output(file, render, lang)
    now = {"code": _code_signature(), "abbreviations": render.abbreviation_glossary(lang), "pages": shown,
           "urls": {f.url.removeprefix("./") for f in pages}}  # as in the search index: "" for ./
    before, _previous[key] = _previous.get(key), now
    if before is None or before["code"] != now["code"] or before["abbreviations"] != now["abbreviations"]:
        for file in pages:
            file.is_modified = _fixed(True)
        return None
    count = 0
    for file in pages:
        changed = before["pages"].get(file.src_uri, -1) != shown[file.src_uri] or not os.path.isfile(file.abs_dest_path)
        if file.abs_src_path is not None and not changed:
            changed = file.is_modified()  # MkDocs' rule: source newer than output
        file.is_modified = _fixed(changed)
        count += changed
    log.info(f"incremental build ({lang}): {count} of {len(pages)} pages to rebuild")
    return count


_SECTION = re.compile(r"\{\{\s*section\((.*?)\)\s*\}\}", re.S)


def _macros_output(file, render, lang: str) -> int | None:
    """What the macros of a hand-written page show (a hash), None without
    macros; a page with other template syntax gets a new value every time."""
    with open(file.abs_src_path, encoding="utf-8") as handle:
        text = handle.read()
    if not (text.startswith("---") and "render_macros: true" in text.split("\n---", 1)[0]):
        return None
    calls = _SECTION.findall(text)
    if len(calls) != text.count("{{") or "{%" in text or "{#" in text:
        return object.__hash__(object())  # unknown: always rebuilt
    here = getattr(file, "norm_src_uri", None) or file.src_uri
    out = []
    for call in calls:
        node = ast.parse(f"f({call})", mode="eval").body
        args = [ast.literal_eval(a) for a in node.args]
        values = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
        out.append(render.fragment(f"section-{args[0]}.html", lang, here, **values))
    return hash(tuple(out))


def complete_search_index(config) -> None:
    """In a dirty build, add back the entries of the pages not rebuilt (see above)."""
    index_file = Path(config.site_dir) / "search" / "search_index.json"
    if not index_file.exists():
        return
    if not dirty():
        _search.pop(str(config.site_dir), None)
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    rebuilt = {d["location"].split("#")[0] for d in index["docs"]}
    pages = set().union(*(v["urls"] for (site, _), v in _previous.items() if site == str(config.site_dir)))
    kept = [d for d in _search.get(str(config.site_dir), [])
            if d["location"].split("#")[0] not in rebuilt and d["location"].split("#")[0] in pages]
    if kept:
        index["docs"] = kept + index["docs"]
        index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    _search[str(config.site_dir)] = [d for d in index["docs"]]
