"""Layout checks over a rendered PDF, read from its words' positions (issue "Every page right").

Four rules: ``stranded-word`` (a numbered item whose first line holds its number and one word
while the item runs on), ``number-alone`` (a clause number with no text beside it),
``near-empty-page`` (a page before the last with fewer than four lines in its body) and
``outside-content-box`` (body text drawn outside the page's content box).

The page geometry has one source: the ``@page`` margin of ``templates/print.css``, read by
:func:`css_margins` (2cm 2cm 2.2cm 2.5cm on A4 today); the footer lives in the bottom margin.
The page size is the PDF's own. pdfplumber (the ``layout`` extra) is imported inside
:func:`check_pdf` only, so rendering never loads it.

Limits: whatever starts inside the bottom margin counts as footer, so body text pushed wholly
into it goes unseen (a line straddling the edge is reported). A numbered item is a clause
number at a list edge that starts a paragraph; at the top of a page, a run-on line that happens
to begin with a number such as "15." at a nested item's edge would pass for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .paths import TEMPLATES

RULES = ("stranded-word", "number-alone", "near-empty-page", "outside-content-box")
TOLERANCE = 1.0  # points: rounding in WeasyPrint's drawn glyph positions
MIN_LINES = 4  # a page before the last with fewer lines of body text is near-empty
POINTS = {"cm": 72 / 2.54, "mm": 72 / 25.4, "in": 72.0, "pt": 1.0, "px": 0.75}
CLAUSE_NUMBER = re.compile(r"\d{1,3}\.(?:\d{1,3}\.)*")  # "4." or "4.10."
DRAWN_HYPHENS = str.maketrans({"\u00ad": "-", "\u2010": "-"})  # layout hyphens, as printed

Word = dict[str, Any]  # a pdfplumber word: text, x0, x1, top, bottom, size, fontname


@dataclass(frozen=True)
class Finding:
    """One broken rule on one page (1-based); the message quotes the words concerned."""

    page: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class Margins:
    """The @page margins in points: the content box is the page less these."""

    top: float
    right: float
    bottom: float
    left: float


def css_margins(css: str) -> Margins:
    """The margins of a stylesheet's ``@page`` rule: the ``margin`` shorthand, one to four lengths."""
    rule = re.search(r"@page\s*\{([^@}]*)", css)  # the rule's own declarations, before any margin box
    match = rule and re.search(r"(?<![-\w])margin\s*:\s*([^;}]+)", rule.group(1))
    if not match:
        raise ValueError("the stylesheet's @page rule sets no margin")
    lengths = []
    for value in match.group(1).split():
        number = re.fullmatch(r"([\d.]+)(cm|mm|in|pt|px)", value)
        if not number:
            raise ValueError(f"@page margin {value!r}: expected a length in cm, mm, in, pt or px")
        lengths.append(float(number.group(1)) * POINTS[number.group(2)])
    if not 1 <= len(lengths) <= 4:
        raise ValueError(f"@page margin {match.group(1)!r}: expected one to four lengths")
    top, right, bottom, left = (lengths * 4)[:4] if len(lengths) < 3 else [*lengths, lengths[1]][:4]
    return Margins(top, right, bottom, left)


@lru_cache(maxsize=1)
def print_css_margins() -> Margins:
    """The bundled templates/print.css margins: the geometry the checks assume by default."""
    return css_margins((TEMPLATES / "print.css").read_text(encoding="utf-8"))


def _text(words: list[Word], limit: int = 8) -> str:
    shown = " ".join(str(w["text"]) for w in words[:limit]) + (" …" if len(words) > limit else "")
    return '"' + shown.translate(DRAWN_HYPHENS) + '"'


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines (tops within 2pt), top to bottom, each left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and word["top"] - lines[-1][0]["top"] <= 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _pitches(pages: list[list[list[Word]]]) -> dict[float, float]:
    """The tightest top-to-top distance between lines of each font size: a paragraph's line pitch."""
    pitches: dict[float, float] = {}
    for lines in pages:
        for above, below in zip(lines, lines[1:], strict=False):
            size = round(above[0]["size"], 1)
            gap = below[0]["top"] - above[0]["top"]
            if round(below[0]["size"], 1) == size and gap >= 0.9 * size:
                pitches[size] = min(gap, pitches.get(size, gap))
    return pitches


def _outside(page: int, line: list[Word], box: tuple[float, float, float, float]) -> Finding | None:
    left, top, right, bottom = box
    excess = [max(left - w["x0"], w["x1"] - right, top - w["top"], w["bottom"] - bottom) for w in line]
    out = [w for w, e in zip(line, excess, strict=True) if e > TOLERANCE]
    if not out:
        return None
    message = f"{_text(out)} drawn up to {max(excess):.1f} pt outside the content box"
    return Finding(page, "outside-content-box", message)


def _page_findings(
    number: int,
    lines: list[list[Word]],
    box: tuple[float, float, float, float],
    pitches: dict[float, float],
    edges: list[float],
) -> list[Finding]:
    """The list rules and the content box, over one page's body lines. ``edges`` are the x where
    numbered items begin (the content box, then each item's text, where its nested items begin);
    this adds the ones it finds, so the next page knows them."""
    findings = [f for line in lines if (f := _outside(number, line, box))]

    def pitch(line: list[Word]) -> float:
        size = round(float(line[0]["size"]), 1)
        return pitches.get(size, 1.2 * size) + TOLERANCE

    def numbered(i: int) -> bool:
        first = lines[i][0]
        starts = i == 0 or first["top"] - lines[i - 1][0]["top"] > pitch(lines[i - 1])
        at_edge = any(abs(first["x0"] - edge) <= TOLERANCE for edge in edges)
        return starts and at_edge and CLAUSE_NUMBER.fullmatch(first["text"]) is not None

    for i, line in enumerate(lines):
        if not numbered(i):
            continue
        if len(line) == 1:
            findings.append(Finding(number, "number-alone", f"{_text(line)} has no text beside it"))
            continue
        if all(abs(line[1]["x0"] - edge) > TOLERANCE for edge in edges):
            edges.append(line[1]["x0"])
        if len(line) != 2 or i + 1 == len(lines):
            continue
        after = lines[i + 1]
        same_size = round(after[0]["size"], 1) == round(line[0]["size"], 1)
        runs_on = same_size and after[0]["top"] - line[0]["top"] <= pitch(line)
        heading = "bold" in str(after[0]["fontname"]).lower()
        if runs_on and not heading and not numbered(i + 1):
            message = f"{_text(line)} alone on the item's first line, before {_text(after, 4)}"
            findings.append(Finding(number, "stranded-word", message))
    return findings


def check_pdf(path: Path, margins: Margins | None = None) -> list[Finding]:
    """Every finding in the PDF, page by page; ``margins`` default to templates/print.css's."""
    import pdfplumber

    margins = margins or print_css_margins()
    boxes, bodies = [], []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            box = (margins.left, margins.top, page.width - margins.right, page.height - margins.bottom)
            words = page.extract_words(extra_attrs=["size", "fontname"])
            # The footer is whatever starts inside the bottom margin; everything above is the body.
            boxes.append(box)
            bodies.append(_lines([w for w in words if w["top"] < box[3] - TOLERANCE]))
    pitches = _pitches(bodies)
    findings: list[Finding] = []
    edges = [margins.left]
    for number, (box, lines) in enumerate(zip(boxes, bodies, strict=True), start=1):
        findings += _page_findings(number, lines, box, pitches, edges)
        if number < len(bodies) and len(lines) < MIN_LINES:
            quoted = " / ".join(_text(line, 4) for line in lines) or "none"
            message = f"{len(lines)} line(s) of text in the body before the last page: {quoted}"
            findings.append(Finding(number, "near-empty-page", message))
    return findings
