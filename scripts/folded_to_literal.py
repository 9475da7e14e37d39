"""One-off chore (issue #13 merge): turn every folded block scalar (« >- », « > ») of
data/ that holds an empty line into a literal one (« |- », « | »), same indentation,
same lines. With « >- », YAML reads an empty line as a single line break, so the
« short answer, then the detail » paragraphs ran together into one Markdown paragraph;
with « |- » the empty line stays a paragraph break. The loader now refuses such a
block (macros/catalog.py, folded_with_empty_line), so this only serves old branches.

Usage: .venv/bin/python scripts/folded_to_literal.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from macros.catalog import folded_with_empty_line  # noqa: E402


def main() -> int:
    for path in sorted((ROOT / "data").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        found = list(folded_with_empty_line(text))
        for line, column, style in found:
            lines[line - 1] = lines[line - 1][: column - 1] + "|" + lines[line - 1][column:]
            print(f"{path.relative_to(ROOT)}:{line}: {style} → |{style[1:]}")
        if found:
            path.write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
