"""GitHub configuration: workflows (zizmor, GitHub's schemas), Dependabot,
issue forms, pull-request template, pre-commit and yamllint settings.

zizmor and check-jsonschema run offline, from the pinned PyPI packages.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

BIN = Path(sys.executable).parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
SHA = re.compile(r"^[0-9a-f]{40}$")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_workflows_exist():
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "deploy.yml"]


# -- zizmor ------------------------------------------------------------------------


def zizmor(*inputs, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "zizmor"), "--offline", "--no-progress", "--color=never",
                           "--collect=workflows", "--collect=dependabot", *map(str, inputs)],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def test_zizmor_finds_nothing():
    """Default persona and severity, workflows and dependabot.yml: zero findings."""
    result = zizmor(".")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout
    for name in ("ci.yml", "deploy.yml", "dependabot.yml"):
        assert f"completed ./.github/{'workflows/' if name != 'dependabot.yml' else ''}{name}" in result.stderr


def test_zizmor_would_catch_a_careless_workflow(tmp_path: Path):
    """The audit above is not vacuous: the usual mistakes are reported."""
    careless = tmp_path / ".github" / "workflows" / "careless.yml"
    careless.parent.mkdir(parents=True)
    careless.write_text(
        "on: [pull_request_target]\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n", encoding="utf-8")
    result = zizmor(".", cwd=tmp_path)
    assert result.returncode != 0
    for audit in ("dangerous-triggers", "unpinned-uses", "template-injection", "artipacked", "excessive-permissions"):
        assert audit in result.stdout, audit


# -- GitHub's own schemas (check-jsonschema, vendored, offline) ----------------------


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    return run(BIN / "check-jsonschema", "--builtin-schema", schema, *files)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_workflow_matches_github_schema(workflow: Path):
    result = check_jsonschema("vendor.github-workflows", workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_matches_its_schema():
    result = check_jsonschema("vendor.dependabot", GITHUB / "dependabot.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_forms_match_their_schema():
    assert [p.name for p in FORMS] == ["proposer-un-contenu.yml", "signaler-une-erreur.yml"]
    result = check_jsonschema("vendor.github-issue-forms", *FORMS)
    assert result.returncode == 0, result.stdout + result.stderr
    result = check_jsonschema("vendor.github-issue-config", GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert result.returncode == 0, result.stdout + result.stderr


# -- workflow hygiene (what the brief asks beyond zizmor) --------------------------


def steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


# Pins checked against several public repositories' workflows (see the report of issue #6).
PINS = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
    "actions/upload-artifact": ("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
    "actions/upload-pages-artifact": ("56afc609e74202658d3ffba0e8f6dda462b719fa", "v3.0.1"),
    "actions/deploy-pages": ("d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e", "v4.0.5"),
    "actions/cache": ("0400d5f644dc74513175e3cd8d07132dd4860809", "v4.2.4"),
}


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_workflow_hygiene(path: Path):
    text = path.read_text(encoding="utf-8")
    workflow = load(path)
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads « on » as true
    assert "pull_request_target" not in triggers
    assert workflow["permissions"] == {}, "permissions: {} at the top, granted per job"
    assert "concurrency" in workflow
    for name, job in workflow["jobs"].items():
        assert job.get("permissions"), f"{name}: permissions de la tâche"
        assert "write-all" not in str(job["permissions"]) and "read-all" not in str(job["permissions"])
        assert job.get("timeout-minutes"), f"{name}: timeout-minutes"
    for step in steps(workflow):
        if "uses" not in step:
            continue
        action, _, ref = step["uses"].partition("@")
        assert SHA.match(ref), f"{step['uses']} : épinglez par SHA complet"
        assert action in PINS, f"{action} : action non prévue"
        assert (ref, PINS[action][1]) == PINS[action]
        assert re.search(rf"{action}@{ref}\s+# {re.escape(PINS[action][1])}$", text, re.M), f"{action}: commentaire de version"
        if action == "actions/checkout":
            assert step["with"]["persist-credentials"] is False
            assert step["with"]["fetch-depth"] == 0, "l'historique complet donne les dates de mise à jour"


def test_ci_runs_the_project_commands():
    ci = load(GITHUB / "workflows" / "ci.yml")
    triggers = ci[True]
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    runs = [s.get("run") for s in steps(ci)]
    assert runs.index("make check") < runs.index("make test") < runs.index("make build")
    assert "bash scripts/ensure-chromium.sh" in runs
    setup = next(s for s in steps(ci) if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"
    upload = next(s for s in steps(ci) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"


def test_deploy_publishes_pages_and_deliverables():
    deploy = load(GITHUB / "workflows" / "deploy.yml")
    assert deploy[True]["push"]["branches"] == ["main"]
    build, publish = deploy["jobs"]["build"], deploy["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    assert publish["needs"] == "build" and publish["environment"]["name"] == "github-pages"
    uses = {s["uses"].split("@")[0]: s for s in steps(deploy) if "uses" in s}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site/"
    assert uses["actions/upload-artifact"]["with"]["path"] == "dist/"
    assert "make build" in [s.get("run") for s in build["steps"]]


def test_dependabot_watches_pip_and_actions():
    config = load(GITHUB / "dependabot.yml")
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(ecosystems) == {"pip", "github-actions"}
    for update in ecosystems.values():
        assert update["directory"] == "/"
        assert update["cooldown"]["default-days"] >= 7


def test_pull_request_template_has_a_checklist():
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert text.count("- [ ] ") >= 4
    assert "make check" in text and "CONTRIBUTING.md" in text


def test_issue_forms_are_in_french():
    for path in FORMS:
        form = load(path)
        assert form["name"] in ("Proposer un contenu", "Signaler une erreur")
        assert any(item.get("validations", {}).get("required") for item in form["body"])


# -- pre-commit and yamllint ----------------------------------------------------------


def test_pre_commit_runs_the_same_validator():
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {hook["id"]: (repo["repo"], hook) for repo in config["repos"] for hook in repo["hooks"]}
    repo, check = hooks["cap-check"]
    assert repo == "local" and check["entry"] == "python scripts/check.py"
    assert check["pass_filenames"] is False and check["files"].startswith("^(data/|")
    for watched in ("docs/index.en.md", "macros/strings.json", "mkdocs.yml", "tests/fixtures/seed-excerpts.yml", "data/faq/x.yml"):
        assert re.match(check["files"], watched), watched  # every file the check reads
    for hook in ("yamllint", "check-github-workflows", "check-dependabot", "trailing-whitespace", "end-of-file-fixer"):
        assert hook in hooks, hook
    for repo in config["repos"]:
        if repo["repo"] != "local":
            assert re.fullmatch(r"v?\d+\.\d+\.\d+", repo["rev"]), repo


def test_pre_commit_hook_dependencies_follow_requirements():
    """The hook's own environment must hold what scripts/check.py imports, at the project's versions."""
    config = load(ROOT / ".pre-commit-config.yaml")
    hook = next(h for r in config["repos"] for h in r["hooks"] if h["id"] == "cap-check")
    pinned = dict(line.split("==") for line in hook["additional_dependencies"])
    requirements = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
                        if "==" in line and not line.startswith("#"))
    for name, version in pinned.items():
        assert requirements.get(name) == version, f"{name}: {version} (requirements.txt : {requirements.get(name)})"

    # Which installed distributions does importing scripts/check.py pull in?
    probe = (
        "import importlib.metadata as m, importlib.util, sys\n"
        "before = set(sys.modules)\n"
        "spec = importlib.util.spec_from_file_location('check', 'scripts/check.py')\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "dists = m.packages_distributions()\n"
        "print('\\n'.join(sorted({d for name in set(sys.modules) - before for d in dists.get(name.split('.')[0], [])})))\n")
    result = run(sys.executable, "-c", probe)
    assert result.returncode == 0, result.stderr
    imported = set(result.stdout.split())

    from importlib import metadata

    def closure(names: set[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            key = name.lower().replace("_", "-")
            if key in seen:
                continue
            seen.add(key)
            try:
                requirements = metadata.requires(name) or []
            except metadata.PackageNotFoundError:  # an extra that is not installed
                continue
            for requirement in requirements:  # extras too: their imports are optional
                todo.append(re.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0])
        return seen

    provided = closure(set(pinned))
    missing = sorted(d for d in imported if d.lower().replace("_", "-") not in provided)
    assert not missing, f"à ajouter aux additional_dependencies du crochet cap-check : {missing}"


def test_yamllint_accepts_the_repository():
    """The pre-commit hook must not block editors on today's files (warnings allowed)."""
    result = run(BIN / "yamllint", "--no-warnings", "--format", "parsable", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_yamllint_flags_truthy_values(tmp_path: Path):
    bad = tmp_path / "bad.yml"
    bad.write_text("published: yes\n", encoding="utf-8")
    result = run(BIN / "yamllint", "-c", ROOT / ".yamllint", "--format", "parsable", bad)
    assert result.returncode == 1 and "(truthy)" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_build_caches_are_kept_between_runs(path: Path):
    """.cache/ (compiled templates, the loader's memo, vnu, hypothesis) is restored
    before the first make command, keyed on what those caches depend on."""
    workflow = load(path)
    all_steps = list(steps(workflow))
    cache = [i for i, s in enumerate(all_steps) if s.get("uses", "").startswith("actions/cache@")]
    assert len(cache) == 1, "one actions/cache step"
    step = all_steps[cache[0]]
    assert step["with"]["path"] == ".cache"
    key = step["with"]["key"]
    for depends_on in ("'requirements.txt'", "'requirements-test.txt'", "'macros/**'", "'overrides/**'", "'data/schemas/**'"):
        assert depends_on in key, depends_on
    assert key.startswith("cap-cache-${{ runner.os }}-${{ hashFiles(")
    assert step["with"]["restore-keys"].strip() == "cap-cache-${{ runner.os }}-"
    first_make = min(i for i, s in enumerate(all_steps) if str(s.get("run", "")).startswith("make "))
    assert cache[0] < first_make
