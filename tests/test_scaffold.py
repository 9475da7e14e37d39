"""`make new` (scripts/new.py): a scaffold for every collection, and its messages.

Design (see CONTRIBUTING.md, « Créer une fiche ») : the scaffold holds every
required field with an empty value. The loader then reports exactly one
problem per empty value, at its line and column, and nothing else; filling
the blanks with ordinary values makes a valid record.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import MINI, ROOT, copy_data
from macros.catalog import CatalogError, load_catalog

sys.path.insert(0, str(ROOT / "scripts"))
from fields import Schemas, fields, kind  # noqa: E402
from new import placeholders  # noqa: E402

NEW = ROOT / "scripts" / "new.py"
SCHEMAS = Schemas(ROOT / "data" / "schemas")
COLLECTIONS = SCHEMAS.collections()


def run_new(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(NEW), *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def problems_in(data: Path, root: Path, shown: str) -> list[str]:
    """The loader's problems for one file (the rest of the data may be mid-work)."""
    try:
        load_catalog(data, root)
    except CatalogError as err:
        return [str(p) for p in err.problems if p.path == shown]
    return []


def field_name(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def positions(text: str) -> dict[tuple, tuple[int, int]]:
    """(line, column) of each scalar of a YAML document, by path."""
    out: dict[tuple, tuple[int, int]] = {}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, path + (index,))
        else:
            out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)

    walk(yaml.compose(text), ())
    return out


BLANK = (r"« {f} » est vide — remplissez-le ou retirez le champ s'il est facultatif",
         r"« {f} » doit être [^,]+, pas une valeur vide — corrigez la valeur \(voir data/schemas/[a-z-]+\.schema\.json\)",
         r"renvoi vers «  » introuvable dans [a-z-]+ \(« {f} »\) — .+",
         r"identifiant «  » invalide dans « {f} » — utilisez seulement des minuscules sans accent, des chiffres et des tirets",
         r"valeur «  » non permise dans « {f} » — valeurs permises : .+")


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_scaffold_reports_exactly_its_blanks(collection: str, tmp_path: Path):
    data = copy_data(ROOT / "data", tmp_path / "data")
    result = run_new(collection, "fiche-essai", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"✓ data/{collection}/fiche-essai.yml créé.")
    path = data / collection / "fiche-essai.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../schemas/{collection}.schema.json\n")
    record = yaml.safe_load(text)
    assert record["id"] == "fiche-essai"
    required = {f.name for f in fields(SCHEMAS, collection) if f.depth == 0 and f.required}
    assert set(record) == required, "every required field, and only those"

    blanks = placeholders(record)
    assert blanks, "a new record has something to fill in"
    where = positions(text)
    expected = {where[p]: field_name(p) for p in blanks}
    reported = problems_in(data, tmp_path, f"data/{collection}/fiche-essai.yml")
    assert len(reported) == len(expected), "\n".join(reported)
    for problem in reported:
        match = re.match(rf"data/{collection}/fiche-essai\.yml:(\d+):(\d+): (.*)$", problem)
        assert match, problem
        at = (int(match[1]), int(match[2]))
        assert at in expected, f"{problem} : pas une valeur à compléter"
        name = re.escape(expected[at])
        assert any(re.fullmatch(p.format(f=name), match[3]) for p in BLANK), problem


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_filling_the_blanks_gives_a_valid_record(collection: str, tmp_path: Path):
    data = copy_data(ROOT / "data", tmp_path / "data")
    assert run_new(collection, "fiche-essai", data_dir=data).returncode == 0
    path = data / collection / "fiche-essai.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_path = {f.path: f for f in fields(SCHEMAS, collection)}
    counter = iter(range(1, 1000))

    def schema_path(p: tuple) -> str:
        """("sources", 0, "source") -> "sources[].source", as in fields.py."""
        parts: list[str] = []
        for part in p:
            if isinstance(part, int):
                parts[-1] += "[]"
            else:
                parts.append(part)
        return ".".join(parts)

    def value_for(p: tuple):
        if p[-1] in ("fr", "en"):  # a translated text
            return "Texte d'essai."
        name = schema_path(p)
        field = by_path[name.removesuffix("[]")] if name.endswith("[]") else by_path[name]
        s, k = field.schema, kind(field.schema, SCHEMAS, field.doc)
        if name.endswith("[]"):  # an element of a list of references
            s = SCHEMAS.resolve(s["items"], field.doc)[0]
            k = "ref"
        if k == "ref":
            target = s["x-ref"]
            if target == "journey-steps":
                ids = sorted(step["id"] for f in (data / "journey").glob("*.yml")
                             for step in yaml.safe_load(f.read_text(encoding="utf-8")).get("steps", []))
            else:
                ids = sorted(f.stem for f in (data / target).glob("*.yml") if f != path)
            if target == "sources" and collection == "deadlines":  # a deadline's rule cites a law (macros/rules.py)
                ids = [i for i in ids if "type: law" in (data / "sources" / f"{i}.yml").read_text(encoding="utf-8")]
            assert ids, f"aucune fiche dans data/{target}/ pour remplir {name}"
            return ids[0]
        if k == "id":
            return f"element-essai-{next(counter)}"
        if k == "enum":
            return field.examples[0] if field.examples else s["enum"][0]
        if k in ("integer", "number"):
            return field.examples[0] if field.examples else s.get("minimum", 1)
        return field.examples[0] if field.examples else "Texte d'essai"

    def put(target, p: tuple, value):
        for part in p[:-1]:
            target = target[part]
        target[p[-1]] = value

    for p in placeholders(record):
        put(record, p, value_for(p))
    shown = f"data/{collection}/fiche-essai.yml"
    for _ in range(3):  # a field may become required by another's value (figures: kind → value)
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
        problems = problems_in(data, tmp_path, shown)
        missing = [re.search(r"champ obligatoire « ([^»]+) » manquant", p) for p in problems]
        if not problems or not all(missing):
            break
        for found in missing:
            put(record, (found[1],), value_for((found[1],)))
    assert problems == []


# -- messages, word for word ----------------------------------------------------


def test_messages_of_a_new_record_word_for_word(tmp_path: Path):
    data = copy_data(MINI, tmp_path / "data")
    result = run_new("action-lines", "ligne-nouvelle", data_dir=data)
    assert result.returncode == 0
    assert result.stdout == (
        "✓ data/action-lines/ligne-nouvelle.yml créé.\n"
        "  Remplissez les valeurs vides, puis lancez `make check` : il dit ligne par ligne ce qui reste à compléter.\n")
    shown = "data/action-lines/ligne-nouvelle.yml"
    text = (data / "action-lines" / "ligne-nouvelle.yml").read_text(encoding="utf-8")
    where = positions(text)
    at = {name: f"{shown}:{where[p][0]}:{where[p][1]}" for p, name in
          ((p, field_name(p)) for p in placeholders(yaml.safe_load(text)))}
    schema = "data/schemas/action-lines.schema.json"
    assert problems_in(data, tmp_path, shown) == sorted([
        f"{at['number']}: « number » doit être un nombre entier, pas une valeur vide — corrigez la valeur (voir {schema})",
        f"{at['lever']}: renvoi vers «  » introuvable dans levers (« lever ») — vérifiez l'identifiant (fiches de data/levers/ : levier-test…)",
        f"{at['page']}: « page » doit être un nombre entier, pas une valeur vide — corrigez la valeur (voir {schema})",
        f"{at['title.fr']}: « title.fr » est vide — remplissez-le ou retirez le champ s'il est facultatif",
        f"{at['title.en']}: « title.en » est vide — remplissez-le ou retirez le champ s'il est facultatif",
        f"{at['summary.fr']}: « summary.fr » est vide — remplissez-le ou retirez le champ s'il est facultatif",
        f"{at['summary.en']}: « summary.en » est vide — remplissez-le ou retirez le champ s'il est facultatif",
        f"{at['proposals[1].fr']}: « proposals[1].fr » est vide — remplissez-le ou retirez le champ s'il est facultatif",
        f"{at['proposals[1].en']}: « proposals[1].en » est vide — remplissez-le ou retirez le champ s'il est facultatif",
        f"{at['sources[1].source']}: renvoi vers «  » introuvable dans sources (« sources[1].source ») — vérifiez l'identifiant (fiches de data/sources/ : livre-blanc, texte-orientation…)",
    ], key=lambda line: (int(line.split(":")[1]), int(line.split(":")[2])))


def test_scaffold_explains_each_field_in_french(tmp_path: Path):
    data = copy_data(MINI, tmp_path / "data")
    run_new("action-lines", "ligne-nouvelle", data_dir=data)
    text = (data / "action-lines" / "ligne-nouvelle.yml").read_text(encoding="utf-8")
    assert comment_above(text, 'lever: ""') == (
        "Levier — Identifiant du levier auquel elle appartient (data/levers/). Exemple\u00a0: cooperative-ressource")
    assert comment_above(text, "number:") == "Numéro de la ligne d'actions. Exemple\u00a0: 6"  # no « Numéro — Numéro »
    assert "# Facultatif (à ajouter si besoin ; dans VS Code, Ctrl+Espace propose les champs) :\n" in text
    assert "# - body\u00a0: Contexte et enjeux." in text
    assert '  en: ""  # traduction anglaise, ou retirez cette ligne\n' in text


def comment_above(text: str, line: str) -> str:
    """The comment just above ``line``, its wrapped lines joined."""
    lines = text.splitlines()
    index = lines.index(line)
    block = []
    while lines[index - 1].startswith("#"):
        index -= 1
        block.insert(0, lines[index].lstrip("#").strip())
    return " ".join(block)


COLLECTIONS_LIST = ", ".join(COLLECTIONS)


@pytest.mark.parametrize("args, message", [
    (["fqa", "capital-minimum"],
     f"✗ collection « fqa » inconnue — vouliez-vous dire « faq » ? collections possibles : {COLLECTIONS_LIST}\n"),
    (["recettes", "tarte"],
     f"✗ collection « recettes » inconnue — collections possibles : {COLLECTIONS_LIST}\n"),
    (["", "capital-minimum"],
     "✗ collection manquante — indiquez-la : make new COLLECTION=faq ID=frais-de-greffe\n"),
    (["faq", ""],
     "✗ identifiant manquant — indiquez-le : make new COLLECTION=faq ID=frais-de-greffe\n"),
    (["faq", "Capital_Minimum"],
     "✗ identifiant « Capital_Minimum » invalide — utilisez seulement des minuscules sans accent, "
     "des chiffres et des tirets, par exemple « capital-minimum »\n"),
    (["faq", "../../etc/passwd"],
     "✗ identifiant « ../../etc/passwd » invalide — utilisez seulement des minuscules sans accent, "
     "des chiffres et des tirets, par exemple « etc-passwd »\n"),
    (["faq", "a" * 81],
     "✗ identifiant trop long (81 caractères, limite 80) — raccourcissez-le\n"),
    (["levers", "levier-test"],
     "✗ la fiche data/levers/levier-test.yml existe déjà — choisissez un autre identifiant, "
     "ou ouvrez ce fichier pour le modifier\n"),
])
def test_refusals_word_for_word(args: list[str], message: str, tmp_path: Path):
    data = copy_data(MINI, tmp_path / "data")
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    result = run_new(*args, data_dir=data)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message)
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before, "nothing written"


def test_existing_record_is_never_overwritten(tmp_path: Path):
    data = copy_data(MINI, tmp_path / "data")
    original = (data / "levers" / "levier-test.yml").read_bytes()
    assert run_new("levers", "levier-test", data_dir=data).returncode == 1
    assert (data / "levers" / "levier-test.yml").read_bytes() == original


def test_help_lists_collections_in_french():
    result = subprocess.run([sys.executable, str(NEW), "--help"], capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0
    assert "Crée data/<collection>/<identifiant>.yml" in result.stdout
    assert f"Collections : {COLLECTIONS_LIST}." in " ".join(result.stdout.split())
    assert "--data-dir" in result.stdout


def test_make_new_calls_the_script():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert '$(PY) scripts/new.py "$(COLLECTION)" "$(ID)"' in makefile
