"""What editors rely on: annotated schemas, the guide (CONTRIBUTING.md) and
its generated field reference, editor settings."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import CASES, ROOT, copy_data
from macros.catalog import CatalogError, load_catalog

sys.path.insert(0, str(ROOT / "scripts"))
from fields import Schemas  # noqa: E402

SCHEMA_DIR = ROOT / "data" / "schemas"
SCHEMAS = Schemas(SCHEMA_DIR)
COLLECTIONS = SCHEMAS.collections()
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


# -- schemas: every field explained --------------------------------------------


def properties(schemas: Schemas, schema: dict, doc: str, prefix: str, seen: set):
    """(path, own schema, resolved schema) of every property, at any depth."""
    schema, doc = schemas.resolve(schema, doc)
    for name, own in schema.get("properties", {}).items():
        resolved, sub_doc = schemas.resolve(own, doc)
        yield f"{prefix}{name}", own, resolved
        if resolved.get("x-text"):
            continue
        if resolved.get("type") == "object":
            yield from properties(schemas, resolved, sub_doc, f"{prefix}{name}.", seen)
        items = resolved.get("items")
        if isinstance(items, dict):
            item, item_doc = schemas.resolve(items, sub_doc)
            if item.get("type") == "object" and not item.get("x-text"):
                yield from properties(schemas, item, item_doc, f"{prefix}{name}[].", seen)


def all_properties():
    for collection in COLLECTIONS:
        root, doc = SCHEMAS.root(collection)
        for path, own, resolved in properties(SCHEMAS, root, doc, "", set()):
            yield collection, path, own, resolved


def test_every_property_has_a_french_description():
    missing = [f"{c}: {p}" for c, p, _, resolved in all_properties() if not resolved.get("description")]
    assert not missing, "propriétés sans « description » (affichée par l'éditeur) :\n" + "\n".join(missing)


def test_every_property_has_a_title_and_examples():
    missing = [f"{c}: {p} ({', '.join(k for k in ('title', 'examples') if not resolved.get(k))})"
               for c, p, _, resolved in all_properties()
               if not (resolved.get("title") and resolved.get("examples"))]
    assert not missing, "propriétés sans « title » ou « examples » :\n" + "\n".join(missing)


def test_translated_texts_have_their_own_title():
    """« Texte traduit » (the shared definition's title) says nothing: each text names itself."""
    generic = [f"{c}: {p}" for c, p, own, resolved in all_properties() if resolved.get("x-text") and "title" not in own]
    assert not generic, "\n".join(generic)


def test_examples_are_valid_values():
    """An example offered by the editor must itself pass the schema."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    registry = Registry(retrieve=lambda uri: Resource.from_contents(
        json.loads((SCHEMA_DIR / uri).read_text(encoding="utf-8"))))
    wrong = []
    for collection, path, own, resolved in all_properties():
        for example in resolved.get("examples", []):
            schema = dict(own, **{"$schema": "https://json-schema.org/draft/2020-12/schema"})
            schema.pop("examples", None)
            validator = Draft202012Validator(schema, registry=registry.with_resource(
                "", Resource.from_contents(SCHEMAS.doc(f"{collection}.schema.json"))))
            try:
                errors = [e.message for e in validator.iter_errors(example)]
            except Exception:  # a reference local to another file: checked through the record tests
                continue
            if errors:
                wrong.append(f"{collection}: {path}: {example!r} — {errors[0]}")
    assert not wrong, "\n".join(wrong)


def test_schemas_are_valid_json_schemas():
    result = subprocess.run([str(Path(sys.executable).parent / "check-jsonschema"), "--check-metaschema",
                             *map(str, sorted(SCHEMA_DIR.glob("*.schema.json")))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_record_names_its_schema_on_its_first_line():
    """The modeline is what gives completion in any editor with a YAML language server."""
    wrong = []
    for collection in COLLECTIONS:
        for path in sorted((ROOT / "data" / collection).glob("*.yml")):
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
            if first != f"# yaml-language-server: $schema=../schemas/{collection}.schema.json":
                wrong.append(f"{path.relative_to(ROOT)}: {first}")
    assert not wrong, "\n".join(wrong)


# -- generated parts are up to date ---------------------------------------------


def test_field_reference_and_vscode_mapping_are_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "fields.py"), "--check"],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr


def test_field_reference_lists_every_collection():
    reference = GUIDE[GUIDE.index("<!-- champs:début -->"):GUIDE.index("<!-- champs:fin -->")]
    for collection in COLLECTIONS:
        assert f"### `{collection}` — " in reference
        assert f"make new COLLECTION={collection} ID=…" in reference


# -- the guide ------------------------------------------------------------------


def test_guide_has_english_pointer_and_both_roles():
    assert GUIDE.startswith("# Contribuer à Cap coopératif\n\n*English:")
    assert "\n## Rédactrices et rédacteurs\n" in GUIDE
    assert "\n## Développeuses et développeurs\n" in GUIDE
    for topic in ("make serve", "make new COLLECTION=faq ID=frais-de-greffe", "make check", "make test",
                  "Traduire", "Publier une version", "data/", "docs/"):
        assert topic in GUIDE, topic


def worked_examples() -> dict[str, str]:
    """The ```yaml blocks of the guide that are whole records, by collection."""
    found: dict[str, str] = {}
    for block in re.findall(r"```yaml\n(.*?)```", GUIDE, re.S):
        match = re.match(r"# yaml-language-server: \$schema=\.\./schemas/([a-z-]+)\.schema\.json\n", block)
        if match and re.search(r"^id: ", block, re.M):
            assert match[1] not in found, f"deux exemples pour {match[1]}"
            found[match[1]] = block
    return found


EXAMPLES = worked_examples()


def test_one_worked_example_per_collection():
    missing = sorted(set(COLLECTIONS) - set(EXAMPLES))
    assert not missing, ("collections sans exemple commenté dans CONTRIBUTING.md "
                         f"(section « Exemples commentés ») : {', '.join(missing)}")


@pytest.mark.parametrize("collection", sorted(EXAMPLES))
def test_worked_example_is_a_valid_record(collection: str, tmp_path: Path):
    block = EXAMPLES[collection]
    record_id = yaml.safe_load(block)["id"]
    data = copy_data(ROOT / "data", tmp_path / "data")
    (data / collection / f"{record_id}.yml").write_text(block, encoding="utf-8")
    shown = f"data/{collection}/{record_id}.yml"
    try:
        load_catalog(data, tmp_path)
    except CatalogError as err:
        mine = [str(p) for p in err.problems if p.path == shown]
        assert not mine, "\n".join(mine)


def quoted_messages() -> list[str]:
    lines = []
    for block in re.findall(r"```text\n(.*?)```", GUIDE, re.S):
        lines += [line for line in block.splitlines() if re.match(r"data/\S+\.yml:\d+:\d+: ", line)]
    return lines


def test_quoted_messages_are_real(tmp_path: Path):
    """Every message the guide quotes is one the loader really prints."""
    quoted = quoted_messages()
    assert len(quoted) >= 10
    from_cases = {line for case in CASES.iterdir() if (case / "expected.txt").exists()
                  for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()}
    # the scaffold's messages: make new COLLECTION=faq ID=frais-de-greffe on today's data
    data = copy_data(ROOT / "data", tmp_path / "data")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "new.py"), "faq", "frais-de-greffe",
                    "--data-dir", str(data)], check=True, capture_output=True)
    try:
        load_catalog(data, tmp_path)
        scaffold = set()
    except CatalogError as err:
        scaffold = {str(p) for p in err.problems if p.path == "data/faq/frais-de-greffe.yml"}
    # (lines of a scaffold move with the comments drawn from the schemas: compare without them)
    unplaced = {re.sub(r":\d+:\d+: ", ": ", line, count=1) for line in scaffold}
    unknown = [line for line in quoted if line not in from_cases
               and re.sub(r":\d+:\d+: ", ": ", line, count=1) not in unplaced]
    assert not unknown, "messages cités dans CONTRIBUTING.md que le chargeur n'écrit pas :\n" + "\n".join(unknown)


# -- editor settings --------------------------------------------------------------


def test_vscode_settings():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["files.encoding"] == "utf8"
    assert settings["editor.insertSpaces"] is True
    assert settings["[yaml]"]["editor.insertSpaces"] is True
    mapping = settings["yaml.schemas"]
    for collection in COLLECTIONS:
        schema = f"./data/schemas/{collection}.schema.json"
        assert mapping[schema] == f"data/{collection}/*.yml"
        assert (ROOT / schema).is_file()
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_editorconfig():
    text = (ROOT / ".editorconfig").read_text(encoding="utf-8")
    assert text.count("root = true") == 1
    star = text.split("[*]", 1)[1].split("\n[", 1)[0]
    for setting in ("charset = utf-8", "end_of_line = lf", "indent_style = space", "insert_final_newline = true"):
        assert setting in star, setting
    assert "[Makefile]\nindent_style = tab" in text
