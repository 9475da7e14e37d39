"""Printed formats (issue #17): each kit piece at the size it is used at.

A kit piece declares its ``format`` (data/schemas/kits.schema.json). This
module knows, for each format:

- its geometry: the piece's size in mm and how many go on one sheet of paper
  (``columns`` × ``rows``), the sheet's paper and CSS named page;
- its typography, the same numbers as the « Pieces at their real size »
  section of docs/assets/print.css (tests/test_print_formats.py compares them
  with what Chromium computes);
- its text budget: how many characters of a language fit on one line of each
  kind of text (``cpl``), measured in Chromium by scripts/calibrate-formats.py
  on every text of data/, both languages; the loader (macros/rules.py) counts
  each block of a piece's Markdown as whole lines and refuses a piece whose
  lines do not fit its face.

And :func:`impose`: pieces on sheets, the back of each sheet mirroring the
columns of its front, so that each back lands behind its front when the sheet
is printed double-sided with a long-edge flip (the game's cards use it too).

Nothing here knows MkDocs; the loader imports it, so it imports nothing of
the catalog.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Text:
    """One kind of text on a piece: size and line height (pt), and how many
    characters fit on one of its lines at worst (measured, see the module doc)."""

    size: float
    line_height: float     # unitless, as in CSS
    cpl: int               # characters per line, pessimistic

    @property
    def line(self) -> float:
        """Height of one line, pt."""
        return self.size * self.line_height

    def lines(self, chars: int) -> int:
        return max(1, math.ceil(chars / self.cpl)) if chars else 0


@dataclass(frozen=True)
class Format:
    name: str
    noun: str                     # French, for the editors' messages: « une carte 85 × 55 mm »
    width: float                  # the piece, mm
    height: float
    kinds: tuple[str, ...]        # the pieces' kinds (kits schema, « kind ») this format suits
    columns: int = 1              # pieces per sheet: columns × rows
    rows: int = 1
    paper: str = "A4"             # A4, A4 landscape, A3
    page: str = ""                # CSS named page ("": the default A4 page with its binding margins)
    back: bool = False            # may have a back (« back »), printed on the other side of the sheet
    marks: bool = False           # crop marks around the pieces
    padding: float = 0            # safe margin inside the piece, mm
    title: Text = Text(10, 1.2, 40)
    title_gap: float = 0          # pt, below the title
    meta: Text | None = None      # « Pour … · Quand … » under the title (A4 pieces only)
    meta_gap: float = 0           # pt
    body: Text = Text(10, 1.3, 60)
    item: Text = Text(10, 1.3, 55)     # a list item (bullet, number or checkbox): the body's size, indented
    heading: Text = Text(12, 1.2, 45)  # a heading inside the body (« ## … »)
    gap: float = 0                # pt, between two blocks of the body
    item_gap: float = 0           # pt, between two items of a list
    foot: float = 0               # mm: height of the foot (QR code, address, cooperative); 0: none
    qr: float = 0                 # mm: side of the QR code in the foot
    foot_gap: float = 0           # mm, above the foot
    foot_text: float = 0          # pt: the cooperative's lines in the foot
    foot_always: bool = True      # False: a foot only on pieces that carry the cooperative's block

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def imposed(self) -> bool:
        """Several to a sheet (the sheet has a slug line and crop marks)."""
        return self.per_sheet > 1

    @property
    def inner(self) -> tuple[float, float]:
        """Width and height inside the safe margin, mm."""
        return self.width - 2 * self.padding, self.height - 2 * self.padding

    def has_foot(self, cooperative: bool) -> bool:
        return bool(self.foot) and (self.foot_always or cooperative)

    def size_label(self) -> str:
        return f"{_mm(self.width)} × {_mm(self.height)} mm"


def _mm(value: float) -> str:
    return f"{value:g}".replace(".", ",")


# The numbers below are those of docs/assets/print.css (« Pieces at their real
# size »); the ``cpl`` values were measured by scripts/calibrate-formats.py.
_A4_TEXT = dict(
    padding=0, title=Text(16, 1.2, 54), title_gap=4, meta=Text(9, 1.3, 109), meta_gap=8,
    body=Text(11, 1.45, 86), item=Text(11, 1.45, 86), heading=Text(12.5, 1.25, 72), gap=7, item_gap=3,
    foot=29, qr=25, foot_gap=4, foot_text=10, foot_always=False,
)

FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("card", "une carte 85 × 55 mm", 85, 55, ("card",), columns=2, rows=5, page="a4-sheet",
           back=True, marks=True, padding=3.5,
           title=Text(8.5, 1.15, 45), title_gap=2, body=Text(7, 1.25, 62), item=Text(7, 1.25, 55),
           heading=Text(8, 1.2, 47), gap=2.5, item_gap=1, foot=15, qr=15, foot_gap=1.5, foot_text=5.5),
    Format("pocket", "une carte de poche 95 × 138 mm", 95, 138, ("card", "script", "sheet", "checklist"),
           columns=2, rows=2, page="a4-sheet", back=True, marks=True, padding=5,
           title=Text(10.5, 1.15, 39), title_gap=3, body=Text(8.5, 1.3, 54), item=Text(8.5, 1.3, 47),
           heading=Text(9.5, 1.2, 44), gap=4, item_gap=1.5, foot=20, qr=17, foot_gap=2, foot_text=6.5),
    Format("flyer", "un flyer 138 × 190 mm", 138, 190, ("script", "sheet", "checklist", "poster", "card"),
           columns=2, rows=1, paper="A4 landscape", page="a4-landscape", marks=True, padding=8,
           title=Text(15, 1.15, 39), title_gap=5, body=Text(10.5, 1.35, 64), item=Text(10.5, 1.35, 62),
           heading=Text(12, 1.2, 50), gap=6, item_gap=2, foot=25, qr=22, foot_gap=3, foot_text=8),
    Format("poster", "une affiche A4", 190, 277, ("poster",), page="a4-sheet", padding=10,
           title=Text(40, 1.05, 16), title_gap=14, body=Text(24, 1.25, 30), item=Text(24, 1.25, 29),
           heading=Text(30, 1.1, 23), gap=12, item_gap=5, foot=42, qr=36, foot_gap=5, foot_text=14),
    Format("poster-a3", "une affiche A3", 277, 400, ("poster",), paper="A3", page="a3-sheet", padding=14,
           title=Text(48, 1.05, 22), title_gap=18, body=Text(24, 1.3, 55), item=Text(24, 1.3, 54),
           heading=Text(32, 1.1, 38), gap=12, item_gap=5, foot=50, qr=46, foot_gap=7, foot_text=16),
    Format("sheet", "une fiche A4", 170, 262, ("sheet", "script"), **_A4_TEXT),
    Format("checklist", "une liste à cocher A4", 170, 262, ("checklist",), **_A4_TEXT),
)}

# The game's cards (issue #15): not a kit piece, the same imposition.
QUIZ = Format("quiz", "une carte du jeu 95 × 69 mm", 95, 69, (), columns=2, rows=4, page="a4-sheet",
              back=True, marks=True, padding=4.5)

PAPERS = {"A4": (210, 297), "A4 landscape": (297, 210), "A3": (297, 420)}


def get(name: str) -> Format:
    return QUIZ if name == QUIZ.name else FORMATS[name]


# ---------------------------------------------------------------------------
# Imposition: pieces on sheets
# ---------------------------------------------------------------------------


def impose(items: Sequence[Any], fmt: Format | str) -> list[dict[str, Any]]:
    """``items`` on sheets of ``fmt``: for each sheet, ``front`` and ``back``
    are lists of rows, each row a list of ``columns`` slots (an item or None
    for an empty place). The back's rows are the front's read right to left:
    printed on the other side of the sheet (long-edge flip), each back lands
    behind its front, and the cut lines of both sides coincide."""
    fmt = get(fmt) if isinstance(fmt, str) else fmt
    per_sheet, columns = fmt.per_sheet, fmt.columns
    out = []
    for start in range(0, len(items), per_sheet):
        chunk = list(items[start:start + per_sheet])
        chunk += [None] * (per_sheet - len(chunk))
        front = [chunk[r * columns:(r + 1) * columns] for r in range(fmt.rows)]
        back = [list(reversed(row)) for row in front]
        out.append({"number": start // per_sheet + 1, "front": front, "back": back,
                    "first": start, "last": min(start + per_sheet, len(items)) - 1})
    return out


def copies(piece: Any, fmt: Format | str) -> list[Any]:
    """A sheet full of one piece, as a print shop lays out business cards."""
    fmt = get(fmt) if isinstance(fmt, str) else fmt
    return [piece] * fmt.per_sheet


# ---------------------------------------------------------------------------
# Text budget
# ---------------------------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_ATTRS = re.compile(r"\s*\{:?\s*[#.][^}]*\}\s*$")


def shown(markdown_text: str) -> str:
    """The characters a line of Markdown shows: without its markup, on one line."""
    text = _LINK.sub(r"\1", markdown_text)
    text = re.sub(r"[*_`]+", "", text)
    text = text.replace("\\", "")
    return " ".join(text.split())


def blocks(markdown_text: str, raw: bool = False) -> list[tuple[str, str]]:
    """The blocks of a Markdown text, in order: (kind, shown text), kind being
    ``paragraph``, ``item`` (bullet, number, checkbox, quotation) or ``heading``;
    ``raw``: the block's inline Markdown instead of its shown text."""
    out: list[tuple[str, list[str]]] = []
    current: tuple[str, list[str]] | None = None
    for source in markdown_text.splitlines():
        line = source.rstrip()
        if not line.strip():
            current = None
            continue
        if _HEADING.match(line):
            out.append(("heading", [_ATTRS.sub("", _HEADING.sub("", line))]))
            current = None
        elif _ITEM.match(line):
            current = ("item", [_ITEM.sub("", line)])
            out.append(current)
        elif _QUOTE.match(line):  # a quotation: indented like a list item
            if current is None or current[0] != "quote":
                current = ("quote", [])
                out.append(current)
            current[1].append(_QUOTE.sub("", line))
        elif current is not None:
            current[1].append(line)
        else:
            current = ("paragraph", [line])
            out.append(current)
    return [("item" if kind == "quote" else kind, " ".join(parts) if raw else shown(" ".join(parts)))
            for kind, parts in out]


@dataclass(frozen=True)
class Fit:
    """What a face of a piece needs and has, in pt, and the same in characters
    of body text (what the editors' message speaks of)."""

    used: float
    room: float
    cpl: int
    line: float

    @property
    def fits(self) -> bool:
        return self.used <= self.room + 0.01

    def chars(self, points: float) -> int:
        return int(math.floor(points / self.line * self.cpl + 1e-9))

    @property
    def over(self) -> int:
        """By how many characters of body text the face is too long."""
        return max(1, math.ceil((self.used - self.room) / self.line * self.cpl - 1e-9))


def body_height(fmt: Format, markdown_text: str) -> float:
    """Height of a Markdown body on ``fmt``, pt: each block in whole lines of
    its kind, the gaps between blocks and between items."""
    height, previous = 0.0, None
    for kind, text in blocks(markdown_text):
        style = {"paragraph": fmt.body, "item": fmt.item, "heading": fmt.heading}[kind]
        if previous is not None:
            height += fmt.item_gap if (kind == previous == "item") else fmt.gap
        height += style.lines(len(text)) * style.line
        previous = kind
    return height


def face(fmt: Format, body: str, title: str | None = None, meta: str | None = None,
         foot: bool = False, extra: float = 0.0) -> Fit:
    """The room and the need of one face: ``title`` and ``meta`` (shown text)
    above the body; ``foot``: the face carries the foot; ``extra``: pt taken by
    something else (an argumentaire card's head line)."""
    room = (fmt.inner[1] - (fmt.foot + fmt.foot_gap if foot else 0)) * PT_PER_MM
    used = extra + body_height(fmt, body)
    if title:
        used += fmt.title.lines(len(title)) * fmt.title.line + fmt.title_gap
    if meta and fmt.meta is not None:
        used += fmt.meta.lines(len(meta)) * fmt.meta.line + fmt.meta_gap
    return Fit(used, room, fmt.body.cpl, fmt.body.line)


LANGUAGE_NAMES = {"fr": "français", "en": "anglais"}


def larger(fmt: Format, kind: str) -> list[str]:
    """The formats that suit ``kind`` and hold more text than ``fmt``, smallest first."""
    def area(f: Format) -> float:
        return f.inner[0] * f.inner[1] * (1 if f.foot_always else 1.05)
    return [f.name for f in sorted(FORMATS.values(), key=area) if kind in f.kinds and area(f) > area(fmt)]


def piece_faces(piece: Mapping[str, Any], lang: str) -> Iterator[tuple[str, Fit]]:
    """The faces of a kit piece in ``lang`` (the French where it has no
    translation): ("front", fit) and, with a back, ("back", fit)."""
    fmt = FORMATS[piece["format"]]

    def pick(value: Mapping[str, str] | None) -> str:
        return (value.get(lang) or value.get("fr") or "") if value else ""

    cooperative = bool(piece.get("cooperative_block"))
    on_back = bool(piece.get("back")) and fmt.back
    meta = f"{shown(pick(piece.get('for')))} {shown(pick(piece.get('when')))}" + " " * 30
    yield "front", face(fmt, pick(piece.get("body")), shown(pick(piece.get("title"))), meta,
                        foot=fmt.has_foot(cooperative) and not on_back)
    if on_back:
        yield "back", face(fmt, pick(piece.get("back")), None, None, foot=fmt.has_foot(cooperative))


__all__ = ["Format", "Text", "Fit", "FORMATS", "QUIZ", "PAPERS", "get", "impose", "copies", "shown", "blocks",
           "body_height", "face", "larger", "piece_faces", "LANGUAGE_NAMES", "PT_PER_MM"]
