"""Issue #16: the loader under fuzzing (hypothesis, hypothesis-jsonschema).

Records are drawn from each collection's own JSON Schema (tests/fuzzing.py)
and written as YAML next to a copy of the mini data set:

- drawn valid, made loadable (id = file name, references to existing records),
  a record loads, and reads back as it was written;
- mutated (wrong types, unknown and missing keys, dangling and self references,
  duplicate ids, hostile strings — markup, template syntax, ``javascript:``,
  bidirectional-override and zero-width characters, NUL, very long strings —,
  deep nesting), in its data or in its YAML text, the loader never crashes: it
  loads or raises ``CatalogError``, whose every message is one line,
  ``path:line:col: what — what to do``, in French, pointing at a line of a
  file that exists;
- drawn text never reaches a page unescaped: the pages rendered by
  macros/render.py (record pages, the sections of the hand-written pages,
  the print views), and a whole mini site built by MkDocs, carry no markup,
  attribute or link that came from the data.

``make test`` runs a small, derandomised profile; ``make fuzz`` (``CAP_FUZZ=full``)
draws at least 10,000 records. The count is printed at the end of the module.
"""

from __future__ import annotations

import ast
import html as htmllib
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

import fuzzing as fz
from conftest import MINI, ROOT, SUMMARY, mkdocs_build
from macros import rules
from macros.catalog import CatalogError, load_catalog

DRAWN: Counter = Counter()
FULL_COUNT = 10_000


@pytest.fixture(scope="module", autouse=True)
def count():
    """Print how many records this module drew; the full run must draw 10,000."""
    yield DRAWN
    total = sum(DRAWN.values())
    detail = ", ".join(f"{kind} : {n}" for kind, n in sorted(DRAWN.items()))
    line = f"fuzz ({fz.PROFILE}) : {total} fiches tirées ({detail})"
    SUMMARY.append(line)  # printed at the end of the run (tests/conftest.py)
    if fz.FULL and len(DRAWN) == len(KINDS):
        assert total >= FULL_COUNT, f"{line} : moins de {FULL_COUNT}"


KINDS = ("valides", "mutées", "texte YAML abîmé", "rendues", "site construit")


class Workdir:
    """A copy of the mini data set where one file at a time is written and loaded."""

    def __init__(self, tmp: Path):
        self.root = tmp
        self.data = tmp / "data"
        shutil.copytree(MINI, self.data)  # the schemas link followed
        self.memo: dict = {}
        self.written: list[Path] = []

    def write(self, collection: str, content: str | bytes, stem: str = fz.FUZZ_ID) -> Path:
        path = self.data / collection / f"{stem}.yml"
        self.written.append(path)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.parent.mkdir(exist_ok=True)  # a collection the mini set has no file in (creation-steps)
        path.write_bytes(content)
        return path

    def load(self):
        """Load the copy; the files written stay until ``reset``."""
        return load_catalog(self.data, self.root, self.memo)

    def reset(self) -> None:
        """Back to the mini set for the next example."""
        for path in self.written:
            original = MINI / path.parent.name / path.name
            if original.exists():
                shutil.copyfile(original, path)
            else:
                path.unlink(missing_ok=True)
        self.written.clear()


@pytest.fixture
def workdir(tmp_path: Path) -> Workdir:
    return Workdir(tmp_path)


@pytest.fixture
def no_rules(monkeypatch):
    """The checks of macros/rules.py say what a schema cannot (a sum of 100 %,
    one right answer…): a record drawn from its schema alone may break them.
    They are on for the mutations (never a crash), off for "valid loads"."""
    monkeypatch.setattr(rules, "RULES", {})


def thaw(value: Any) -> Any:
    """A loaded record's data as plain dicts and lists, without the optional
    fields the loader fills with None."""
    if isinstance(value, (dict, MappingProxyType)):
        return {k: thaw(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [thaw(v) for v in value]
    return value


# -- the messages an editor reads --------------------------------------------------

MESSAGE = re.compile(r"(?P<path>data/[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<what>[^\n]+?) — (?P<hint>[^\n]+)")
# English words of jsonschema's and PyYAML's own messages: never shown to an editor.
ENGLISH = re.compile(r"\b(is not|is a required|does not match|Additional properties|is too (long|short)|should|"
                     r"expected|unexpected|is not valid|non-empty|Failed|found|character|while|scanning|"
                     r"parsing|mapping|sequence|unhashable|could not|cannot|instance|None|True|False)\b")
QUOTED = re.compile(r"«[^«»]*»")


def check_problems(err: CatalogError, data: Path) -> list[str]:
    """Every problem: one line, ``path:line:col: what — what to do``, French, on a line of a real file."""
    out = []
    assert err.problems, "CatalogError without a problem"
    for problem in err.problems:
        text = str(problem)
        found = MESSAGE.fullmatch(text)
        assert found, f"not « path:line:col: what — what to do » on one line: {text[:300]!r}"
        assert len(text) < 1000, f"message too long ({len(text)}): {text[:300]!r}"
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text), f"control character in {text[:300]!r}"
        target = data.parent / found["path"]
        assert target.exists(), f"{found['path']}: no such file ({text[:200]!r})"
        line, col = int(found["line"]), int(found["col"])
        assert line >= 1 and col >= 1
        if target.is_file():
            lines = target.read_bytes().count(b"\n") + 1
            assert line <= lines, f"line {line} of a file of {lines} lines: {text[:200]!r}\n{target.read_bytes()[:2000]!r}"
        words = QUOTED.sub("", found["what"] + " " + found["hint"])
        english = ENGLISH.search(words)
        assert not english, f"English in a message for editors ({english.group(0)!r}): {text[:300]!r}"
        out.append(text)
    return out


def load_or_explain(workdir: Workdir) -> None:
    """The loader's contract: a Catalog, or CatalogError with located French messages."""
    try:
        workdir.load()
    except CatalogError as err:
        check_problems(err, workdir.data)
    finally:
        workdir.reset()


# -- 1. drawn valid records load --------------------------------------------------------


@pytest.mark.parametrize("name", fz.COLLECTIONS)
def test_drawn_valid_records_load_and_read_back(name: str, workdir: Workdir, no_rules):
    @fz.examples(quick=6, full=160)
    @given(record=fz.loadable(name))
    def check(record):
        assume(fz.valid(name, record))  # a list of references may be too short once repeats go
        DRAWN["valides"] += 1
        workdir.write(name, fz.dump(record))
        try:
            catalog = workdir.load()
        except CatalogError as err:
            raise AssertionError(f"a valid {name} record was refused:\n{err}\n\n{fz.dump(record)[:3000]}") from None
        finally:
            workdir.reset()
        assert thaw(catalog[name][fz.FUZZ_ID].data) == record

    check()


# -- 2. mutated records: never a crash, always a located French message -------------------


@st.composite
def mutated(draw, name: str) -> tuple[str, dict]:
    """(file stem, record): a real or drawn record of ``name``, then one to three mutations."""
    bases = RAW[name]
    record = fz.copy.deepcopy(draw(st.one_of(st.sampled_from(bases), st.sampled_from(bases), fz.loadable(name))))
    stem = record.get("id") if isinstance(record.get("id"), str) else fz.FUZZ_ID
    for _ in range(draw(st.integers(1, 3))):
        record = draw(MUTATION[draw(st.sampled_from(sorted(MUTATION)))](name, record, stem))
    return stem, record


def _paths(record, kind=None):
    return [p for p, v in fz.leaves(record) if kind is None or isinstance(v, kind)]


@st.composite
def wrong_type(draw, name, record, stem):
    path = draw(st.sampled_from(_paths(record)))
    return fz.put(record, path, draw(fz.any_value()))


@st.composite
def unknown_key(draw, name, record, stem):
    path = draw(st.sampled_from(_paths(record, dict) or [()]))
    target = fz.get(record, path)
    if isinstance(target, dict):
        named = [k for k in target if isinstance(k, str)]
        near = [k + "s" for k in named] + [k.upper() for k in named] + [k.replace("_", "-") for k in named]
        key = draw(st.one_of(st.sampled_from(near or ["x"]), st.text(min_size=1, max_size=20),
                             st.integers(), st.booleans(), st.none(), st.sampled_from(fz.HOSTILE[:20])))
        target[key] = draw(fz.any_value(1))
    return record


@st.composite
def missing_key(draw, name, record, stem):
    path = draw(st.sampled_from(_paths(record, dict) or [()]))
    target = fz.get(record, path)
    if isinstance(target, dict) and target:
        del target[draw(st.sampled_from(list(target)))]
    return record


@st.composite
def dangling_or_self_reference(draw, name, record, stem):
    refs = fz.references(name, record)
    if refs:
        path, target = draw(st.sampled_from(refs))
        choices = [st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,3}", fullmatch=True),
                   st.sampled_from([fz.FUZZ_ID, "", "Kit Test", "kit-test ", "KIT-TEST"])]
        if target == name:
            choices.append(st.just(stem))  # itself
        fz.put(record, path, draw(st.one_of(choices)))
    return record


@st.composite
def duplicate_id(draw, name, record, stem):
    ids = fz.IDS.get(name) or ["x"]
    if isinstance(record, dict):
        record["id"] = draw(st.sampled_from(ids + [stem.upper(), stem + "-", "é", "../x"]))
        for derived, (parent, field) in fz.loader.DERIVED.items():  # nested ids (journey steps)
            if parent == name and isinstance(record.get(field), list) and record[field]:
                item = draw(st.sampled_from(record[field]))
                if isinstance(item, dict):
                    item["id"] = draw(st.sampled_from(fz.IDS.get(derived) or ["x"]))
    return record


@st.composite
def hostile_string(draw, name, record, stem):
    strings = _paths(record, str) or [()]
    return fz.put(record, draw(st.sampled_from(strings)), draw(st.sampled_from(fz.HOSTILE)))


@st.composite
def deep_nesting(draw, name, record, stem):
    path = draw(st.sampled_from(_paths(record)))
    depth = draw(st.integers(20, 400))
    return fz.put(record, path, fz.nested(depth, draw(st.sampled_from(["x", 1, None, []])), draw(st.sampled_from(["list", "dict"]))))


MUTATION = {f.__name__: f for f in (wrong_type, unknown_key, missing_key, dangling_or_self_reference, duplicate_id,
                                     hostile_string, deep_nesting)}
RAW = {name: fz.raw_records(name) for name in fz.COLLECTIONS}


def _dump_any(record: Any) -> str:
    """YAML of a mutated record; very deep nesting is written in flow style by
    hand (PyYAML's emitter recurses), the way an editor could type it."""
    try:
        return fz.dump(record)
    except RecursionError:
        return yaml.safe_dump({"id": "x"}) + "deep: " + "[" * 900 + "]" * 900 + "\n"


@pytest.mark.parametrize("name", fz.COLLECTIONS)
def test_mutated_records_never_crash_the_loader(name: str, workdir: Workdir):
    @fz.examples(quick=20, full=420)
    @given(case=mutated(name))
    def check(case):
        stem, record = case
        DRAWN["mutées"] += 1
        workdir.write(name, _dump_any(record), stem if re.fullmatch(r"[a-z0-9-]{1,80}", stem) else fz.FUZZ_ID)
        load_or_explain(workdir)

    check()


# -- 3. the YAML text itself, broken ---------------------------------------------------------

RAW_TEXT = [(path.parent.name, path.stem, path.read_text(encoding="utf-8"))
            for name in fz.COLLECTIONS for folder in (MINI / name, ROOT / "data" / name)
            for path in sorted(folder.glob("*.yml"))]
PIECES = ["\t", ": ", "- ", "&a ", "*a", "!!python/object:os.system ", "!x ", "? ", "|", ">", "{", "}", "[", "]",
          "'", '"', "#", "%YAML 1.2\n", "---\n", "...\n", "\x00", "\x85", "\ufeff", "\u2028", "\r", "\\", "@", "`",
          "\n  ", "\n", "é", "{{ x }}", "<b>", "javascript:x"]


@st.composite
def broken_text(draw) -> tuple[str, str, bytes]:
    name, stem, text = draw(st.sampled_from(RAW_TEXT))
    lines = text.split("\n")
    how = draw(st.sampled_from(["insert", "delete", "duplicate-line", "swap-lines", "bom", "latin-1", "truncate",
                                "tabs", "deep", "anchor", "tag", "documents", "huge", "empty", "comments", "binary"]))
    if how == "insert":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.one_of(st.sampled_from(PIECES), st.text(max_size=5))) + text[at:]
    elif how == "delete":
        a = draw(st.integers(0, len(text)))
        text = text[:a] + text[a + draw(st.integers(1, 40)):]
    elif how == "duplicate-line" and len(lines) > 1:
        i = draw(st.integers(1, len(lines) - 1))
        text = "\n".join(lines[: i + 1] + [lines[i]] + lines[i + 1:])
    elif how == "swap-lines" and len(lines) > 2:
        i = draw(st.integers(1, len(lines) - 2))
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
        text = "\n".join(lines)
    elif how == "tabs":
        text = text.replace("  ", "\t", draw(st.integers(1, 5)))
    elif how == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif how == "deep":
        n = draw(st.integers(50, 5000))
        text += "\nprofond: " + draw(st.sampled_from(["[" * n + "]" * n, "{a: " * n + "x" + "}" * n,
                                                      "".join(f"\n{'  ' * i}k{i}:" for i in range(min(n, 300))) + " x"]))
    elif how == "anchor":
        text += "\nbombe: &a [x, x]\nb2: &b [*a, *a]\nb3: [*b, *b]\n"
    elif how == "tag":
        text += draw(st.sampled_from(["\nx: !!python/object/apply:os.system [ls]\n", "\nx: !!binary aGk=\n",
                                      "\nx: !custom 1\n", "\nx: !!set {a, b}\n", "\n? [a, b]\n: x\n"]))
    elif how == "documents":
        text += "\n---\nid: autre\n"
    elif how == "empty":
        text = draw(st.sampled_from(["", "\n", "   \n", "---\n", "...\n", "null\n", "[]\n", "42\n", "'texte'\n"]))
    elif how == "comments":
        text = "# rien\n# que des commentaires\n"
    data = text.encode("utf-8", "surrogatepass")
    if how == "bom":
        data = b"\xef\xbb\xbf" + data
    elif how == "latin-1":
        data = text.encode("latin-1", "replace")
    elif how == "huge":
        data += b"\nlong: " + b"x" * 1_100_000 + b"\n"
    elif how == "binary":
        data = draw(st.binary(max_size=200))
    return name, stem, data


def test_broken_yaml_text_never_crashes_the_loader(workdir: Workdir):
    @fz.examples(quick=60, full=1500)
    @given(case=broken_text())
    def check(case):
        name, stem, data = case
        DRAWN["texte YAML abîmé"] += 1
        workdir.write(name, data, stem)
        load_or_explain(workdir)

    check()


# -- 4. drawn text never reaches a page unescaped ----------------------------------------------

BAD_TAGS = {"script", "iframe", "object", "embed", "style", "form", "base", "meta", "link", "frame", "frameset",
            "textarea", "noscript", "template", "applet", "math"}
BAD_SCHEMES = re.compile(r"^(javascript|vbscript|data|file):", re.I)
# The only style attribute a template writes (print-parts.html, crop marks): a
# custom property set to a number — data cannot write an attribute at all.
TEMPLATE_STYLE = re.compile(r"--[a-z]+: \d+")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]], int]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs, self.getpos()[0]))


def unsafe(html: str, body_only_tags: bool = True) -> list[str]:
    """What in ``html`` could only come from data pasted raw: a canary attribute,
    an event or style attribute, a script-like element, a dangerous link."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs, line in parser.tags:
        for attr, value in attrs:
            template_style = attr == "style" and TEMPLATE_STYLE.fullmatch(value or "")  # crop marks: style="--i: 3"
            if attr.startswith(fz.CANARY) or (body_only_tags and (attr.startswith("on") or attr == "style" and not template_style)):
                found.append(f"{line}: <{tag} {attr}=…>")
            if attr in ("href", "src", "action", "formaction", "xlink:href") and value \
                    and BAD_SCHEMES.match("".join(ch for ch in value if ch > " ")):  # entities already decoded
                found.append(f"{line}: <{tag} {attr}={value[:60]!r}>")
        if body_only_tags and tag in BAD_TAGS and not (tag == "script" and dict(attrs).get("type") in
                                                        ("application/json", "application/ld+json")):
            found.append(f"{line}: <{tag}>")
    return found


def _markdown():
    """Python-Markdown as the site configures it (mkdocs.yml), with macros/safe_html.py."""
    import markdown
    from mkdocs.utils.yaml import yaml_load

    from macros.safe_html import SafeHtmlExtension

    with open(ROOT / "mkdocs.yml", "rb") as config:
        items = yaml_load(config)["markdown_extensions"]
    names, configs = [], {}
    for item in items:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            configs[name] = options
    return markdown.Markdown(extensions=[*names, SafeHtmlExtension()], extension_configs=configs)


SECTION_CALL = re.compile(r"\{\{\s*section\((.*?)\)\s*\}\}", re.S)


def section_calls(catalog) -> list[tuple[str, dict]]:
    """The ``section(…)`` calls of the hand-written pages (docs/), their ids
    pointed at the records of ``catalog`` (the mini set has other ids)."""
    real = REAL_CATALOG
    calls = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for found in SECTION_CALL.finditer(page.read_text(encoding="utf-8")):
            call = ast.parse(f"f({found.group(1)})", mode="eval").body
            name = ast.literal_eval(call.args[0])
            values = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords}
            for key in ("id", "ids"):
                if key in values:
                    first = values[key] if key == "id" else values[key][0]
                    collection = next(c for c, records in real.collections.items() if first in records)
                    values[key] = sorted(catalog[collection])  # "id": each of them in turn
            if (name, repr(values)) not in [(n, repr(v)) for n, v in calls]:
                calls.append((name, values))
    return calls


REAL_CATALOG = load_catalog(ROOT / "data")


def rendered_pages(catalog) -> list[tuple[str, str]]:
    """(name, Markdown) of every page macros/ renders for ``catalog``, both languages."""
    from macros import print_views
    from macros.render import Renderer

    render = Renderer(catalog, "https://example.org/cap/")
    pages = []
    for lang in ("fr", "en"):
        for record, src in render.record_pages():
            pages.append((f"{lang}:{src}", render.record_page(record, lang).split("\n---\n", 1)[1]))
        for name, values in section_calls(catalog):
            for one in (values["id"] if isinstance(values.get("id"), list) else [values.get("id")]):
                args = dict(values, **({"id": one} if one else {}))
                pages.append((f"{lang}:section-{name}({one or ''})", render.fragment(f"section-{name}.html", lang, "index.md", **args)))
        for doc in print_views.documents(catalog):
            dest = print_views.page_url(doc.src, lang) + "index.html"
            text = print_views.view_markdown(render, catalog, doc, lang, "https://example.org/cap/", dest)
            pages.append((f"{lang}:{doc.src}", text.split("\n---\n", 1)[1]))
    return pages


@pytest.fixture(scope="module")
def to_html():
    md = _markdown()

    def convert(text: str) -> str:
        md.reset()
        return md.convert(text)
    return convert


RENDER_RULES = {"deadlines": [rules.deadline_fields_match_its_kind, rules.deadline_anchor_exists,
                              rules.deadline_fixed_date_exists, rules.deadline_falls_within_the_year],
                "quiz": [rules.quiz_one_right_answer]}


def renderable(name: str, record: dict) -> bool:
    """``record`` passes the RENDER_RULES, among the mini set's records."""
    records = {c: {rid: dict(r.data) for rid, r in recs.items()} for c, recs in fz.MINI_CATALOG.collections.items()}
    records.setdefault(name, {})[record["id"]] = record
    return not any(problem for check_ in RENDER_RULES.get(name, ()) for problem in check_(record, records))


@pytest.mark.parametrize("name", fz.COLLECTIONS)
def test_drawn_text_never_reaches_a_rendered_page_unescaped(name: str, workdir: Workdir, no_rules, to_html):
    @fz.examples(quick=2, full=24)
    @given(record=fz.loadable(name, hostile=True))
    def check(record):
        assume(fz.valid(name, record))
        # Rules off (most hostile draws break one), but a page may rely on the
        # rules that say whether a record can be shown at all: the memo cannot
        # place a 30 February in a calendar, the game cannot show a question
        # without its right answer.
        assume(renderable(name, record))
        DRAWN["rendues"] += 1
        workdir.write(name, fz.dump(record))
        try:
            catalog = workdir.load()
        finally:
            workdir.reset()
        problems = []
        for page, markdown_text in rendered_pages(catalog):
            problems += [f"{page}:{p}" for p in from_data(page, unsafe(to_html(markdown_text)), to_html)]
        assert problems == [], "\n".join(problems[:20])

    check()


_TEMPLATE_TAGS: dict[str, Counter] = {}


def from_data(page: str, found: list[str], to_html) -> list[str]:
    """``found`` less the elements the page's own template writes (the memo's
    month picker is a <form>, the passport's notice a <noscript>): those the
    same page rendered from the mini data set, with no drawn record, has too."""
    if not _TEMPLATE_TAGS:
        for name, markdown_text in rendered_pages(load_catalog(MINI)):
            _TEMPLATE_TAGS[name] = Counter(p.split(": ", 1)[1] for p in unsafe(to_html(markdown_text)) if p.split(": ", 1)[1][1:].rstrip(">") in BAD_TAGS)
    return _less(found, _TEMPLATE_TAGS.get(page, Counter()))


def test_drawn_text_never_reaches_a_built_page_unescaped(tmp_path_factory):
    """The whole mini site, built by MkDocs with one hostile drawn record per
    collection: Material's templates (titles, descriptions, navigation, search)
    included, every HTML page of both languages."""
    baseline = tmp_path_factory.mktemp("fuzz-baseline")
    assert mkdocs_build(baseline / "site", MINI).returncode == 0
    template_tags = {page.relative_to(baseline / "site").as_posix(): _article_tags(page) for page in (baseline / "site").rglob("*.html")}

    @fz.examples(quick=1, full=3)
    # A few collections per site (each drawn record may refer to a collection
    # the mini set has no record in, which discards the whole draw): every
    # collection is drawn alone, in-process, by the test above.
    @given(records=st.sets(st.sampled_from(fz.COLLECTIONS), min_size=3, max_size=7).flatmap(
        lambda names: st.fixed_dictionaries({name: fz.loadable(name, hostile=True) for name in sorted(names)})))
    def check(records):
        tmp = tmp_path_factory.mktemp("fuzz-site")
        data = tmp / "data"
        shutil.copytree(MINI, data)
        for name, record in records.items():
            (data / name).mkdir(exist_ok=True)
            (data / name / f"{fz.FUZZ_ID}.yml").write_text(fz.dump(record), encoding="utf-8")
        # A drawn record the loader refuses (its schema or a rule) would stop the
        # build, with its message (the mutation tests' business): take it out,
        # keep the others.
        for _ in fz.COLLECTIONS:
            try:
                load_catalog(data)
                break
            except CatalogError as err:
                refused = set(re.findall(r"data/([a-z-]+)/" + re.escape(fz.FUZZ_ID) + r"\.yml", str(err)))
                assert refused, str(err)
                for name in refused:
                    (data / name / f"{fz.FUZZ_ID}.yml").unlink()
        kept = [name for name in records if (data / name / f"{fz.FUZZ_ID}.yml").exists()]
        assume(kept)
        DRAWN["site construit"] += len(kept)
        result = mkdocs_build(tmp / "site", data)
        assert result.returncode == 0, result.stderr[-3000:]
        problems = []
        pages = sorted((tmp / "site").rglob("*.html"))
        assert len(pages) > 40
        for page in pages:
            html = page.read_text(encoding="utf-8")
            body = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
            problems += [f"{page.relative_to(tmp)}:{p}" for p in unsafe(html, body_only_tags=False)]
            if body:
                rel = page.relative_to(tmp / "site").as_posix()
                problems += [f"{page.relative_to(tmp)}:article:{p}"
                             for p in _less(unsafe(body.group(1)), template_tags.get(rel, Counter()))]
            title = re.search(r"<title>(.*?)</title>", html, re.S)
            assert title and "<" not in title.group(1), page
        assert problems == [], "\n".join(problems[:20])

    check()


def _article_tags(page: Path) -> Counter:
    """The elements of a page's article its template writes (a <form>, a <noscript>)."""
    body = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page.read_text(encoding="utf-8"), re.S)
    return Counter(p.split(": ", 1)[1] for p in unsafe(body.group(1)) if p.split(": ", 1)[1][1:].rstrip(">") in BAD_TAGS) \
        if body else Counter()


def _less(found: list[str], template: Counter) -> list[str]:
    """``found`` less as many of each element as the template writes."""
    left, out = Counter(template), []
    for problem in found:
        what = problem.split(": ", 1)[1]
        if left[what] > 0:
            left[what] -= 1
        else:
            out.append(problem)
    return out


def test_the_page_check_sees_what_raw_data_would_make():
    """The check above is not vacuous: a canary attribute, an event attribute,
    a script, an entity-encoded javascript: link are each reported; text
    shown as text is not."""
    assert unsafe(f'<p title="x" {fz.CANARY}-a="1">t</p>')
    assert unsafe('<p onclick="alert(1)">t</p>') and unsafe('<script>alert(1)</script>')
    assert unsafe('<a href="java&#115;cript:alert(1)">x</a>') and unsafe('<a href=" JaVa\tScRiPt:x">x</a>')
    assert unsafe('<p>a</p><img src="data:text/html,x">')
    assert unsafe('<script type="application/json">{}</script>') == []
    assert unsafe("<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot; cap-fuzz-a=&quot;1</p>") == []
