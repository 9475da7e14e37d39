"""Issue #7: valid HTML, checked by the Nu HTML Checker (vnu.jar, scripts/vnu.sh).

One page of every page type in both languages (sitecheck.sample_pages: home,
index pages, each generated record type, FAQ theme, figures, glossary,
printable views, 404), in one run of the checker. Our templates must produce
no error at all; the errors that come from Material's own markup are listed
below, each with the reason it is accepted. A rule that no longer matches
anything fails too, so the list shrinks when Material fixes its markup.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

import sitecheck
from conftest import ROOT
from macros.catalog import load_catalog

VNU = ROOT / "scripts" / "vnu.sh"


@dataclass(frozen=True)
class Accepted:
    message: str   # regular expression on vnu's message
    extract: str   # regular expression on the markup vnu quotes
    reason: str


# Errors from Material for MkDocs 9.8.1's own templates (base.html, partials/nav-item.html,
# partials/toc.html), not from Cap coopératif's. Each is harmless, explained here.
MATERIAL = (
    Accepted(r"^Attribute “autocomplete” is only allowed when the input type is",
             r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)" autocomplete="off">',
             "Material's base.html puts autocomplete=off on its two hidden checkbox toggles (drawer, search) so "
             "that Firefox does not restore them open on back/forward navigation; the attribute is simply ignored "
             "on a checkbox by every browser and by assistive technology."),
    Accepted(r"^Bad value “” for attribute “tabindex” on element “label”",
             r'<label class="md-nav__link[^"]*" for="__nav_[0-9_]+" id="__nav_[0-9_]+_label" tabindex="">',
             "Material's partials/nav-item.html writes tabindex=\"{{ tabindex }}\" on navigation section labels and "
             "leaves it empty for sections (navigation.sections): browsers treat an empty tabindex as absent, which "
             "is the intended behaviour (section titles are not focusable; their links are)."),
    Accepted(r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
             r'<label class="md-nav__title" for="__toc">',
             "Material's partials/toc.html labels the mobile table-of-contents toggle #__toc, which "
             "partials/nav-item.html only renders for a page that is in the navigation; generated record pages "
             "are deliberately not in the navigation (hundreds of pages), so the label has no control. It only "
             "affects the mobile 'table of contents' title, which then does nothing when tapped; links of the "
             "table of contents still work."),
)

INVALID_PROBE = '<!doctype html><html lang="fr"><head><title>t</title><meta name="description" content="a "b" c"></head><body><p>x</p></body></html>'


def vnu(files: list[Path]) -> list[dict]:
    result = subprocess.run(["bash", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
                            capture_output=True, text=True, timeout=900)
    start = result.stderr.find("{")
    assert '"messages"' in result.stderr and start >= 0, f"vnu did not answer (exit {result.returncode}):\n{result.stdout}\n{result.stderr[-3000:]}"
    return json.JSONDecoder().raw_decode(result.stderr[start:])[0]["messages"]


def accepted_by(message: dict) -> Accepted | None:
    text, extract = message.get("message", ""), message.get("extract", "")
    for rule in MATERIAL:
        if re.search(rule.message, text) and re.search(rule.extract, extract):
            return rule
    return None


@pytest.fixture(scope="module")
def published(deliverables) -> Path:
    return deliverables["site"]  # what make build publishes


@pytest.fixture(scope="module")
def checked(published: Path, tmp_path_factory) -> tuple[list, list[dict], Path]:
    site = published
    samples = sitecheck.sample_pages(load_catalog(ROOT / "data"), site)
    probe = tmp_path_factory.mktemp("vnu") / "invalide.html"
    probe.write_text(INVALID_PROBE, encoding="utf-8")
    files = [site / rel for _, _, rel in samples]
    missing = [str(f) for f in files if not f.is_file()]
    assert missing == [], missing
    return samples, vnu(files + [probe]), probe


def test_the_checker_runs_and_finds_errors(checked):
    _, messages, probe = checked
    assert any(m["url"].endswith(probe.name) and m.get("type") == "error" for m in messages)


def test_every_page_type_is_valid_html(checked, published: Path):
    site = published
    samples, messages, probe = checked
    kinds = {kind for kind, _, _ in samples}
    assert {"home", "faq-index", "figures", "glossary", "404", "record:faq-themes", "record:kits"} <= kinds
    ours, used = [], {}
    for m in messages:
        if m["url"].endswith(probe.name) or m.get("type") != "error":
            continue
        rule = accepted_by(m)
        if rule is None:
            where = m["url"].split(site.as_posix(), 1)[-1]
            ours.append(f"{where}:{m.get('lastLine')}: {m['message']}\n    {(m.get('extract') or '').strip()}")
        else:
            used[rule] = used.get(rule, 0) + 1
    print(f"\nvnu : {len(samples)} pages ({len(kinds)} types × 2 langues), "
          f"{sum(used.values())} erreurs de Material acceptées ({len(used)} règles), {len(ours)} des nôtres")
    assert ours == [], f"{len(ours)} erreur(s) HTML :\n" + "\n".join(ours[:40])
    unused = [rule.message for rule in MATERIAL if rule not in used]
    assert unused == [], f"accepted errors no longer found — remove them from MATERIAL: {unused}"


class _Metas(HTMLParser):
    def __init__(self):
        super().__init__()
        self.metas: list[list[tuple[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            self.metas.append(attrs)


def test_every_meta_tag_of_every_page_is_whole(published: Path):
    """Descriptions come from the data and may hold quotes (« the "my cooperator
    journey" sheet »): on every page, not only the sample, each <meta> keeps its
    own attributes (a stray quote used to split the content into attributes)."""
    broken, checked = [], 0
    for path in sorted(published.rglob("*.html")):
        parser = _Metas()
        parser.feed(path.read_text(encoding="utf-8"))
        for attrs in parser.metas:
            checked += 1
            names = [name for name, _ in attrs]
            if not set(names) <= {"name", "content", "property", "charset", "http-equiv"} or len(names) != len(set(names)):
                broken.append(f"{path.relative_to(published)}: <meta {' '.join(names)}>")
    assert checked > 1000
    assert broken == [], "\n".join(broken[:20])
