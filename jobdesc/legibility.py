"""What counts as readable: the thresholds every output is held to, and the colour maths.

A custom stylesheet or reference document can keep a clause in the text layer while no
reader sees it (white on white, a 1 pt font, off the page). The renderers mark such text
as hidden, with the reason, and the completeness check counts a clause as present only
where none of it is hidden. The thresholds:

- the text is drawn at ``MIN_FONT_PT`` or more;
- its colour, blended by its alpha and its ancestors' opacity over the background painted
  under it (the paper if none), has a WCAG 2 contrast ratio of ``MIN_CONTRAST`` or more
  with that background;
- its letters are not run together: letter spacing of ``MIN_LETTER_SPACING_EM`` or more;
- its font is not one of ``SYMBOL_FONTS``, whose glyphs are pictures.

Where it is drawn (inside the page, not clipped, covered or transformed) is each renderer's to
judge: renderers/drawn.py for the PDF and the HTML, renderers/docx_visible.py for the DOCX.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_FONT_PT = 6.0  # the smallest print a contract is read in; the footer's identity line is 6.5 pt
MIN_CONTRAST = 3.0  # WCAG 2's minimum for large text (1.4.3) and for graphics (1.4.11)
MIN_LETTER_SPACING_EM = -0.1  # tighter, and the letters run into each other
# Fonts whose glyphs are pictures: a clause set in one reads as a row of symbols.
SYMBOL_FONTS = frozenset(
    ("wingdings", "wingdings 2", "wingdings 3", "webdings", "symbol", "marlett", "mt extra", "zapf dingbats",
     "zapfdingbats", "itc zapf dingbats", "dingbats", "bookshelf symbol 7", "ms outlook", "ms reference specialty",
     "opensymbol", "standard symbols ps", "d050000l")
)  # fmt: skip

RGBA = tuple[float, float, float, float]  # sRGB components and alpha, each 0..1, not premultiplied
PAPER: RGBA = (1.0, 1.0, 1.0, 1.0)
_NAMES = {(255, 255, 255): "white", (0, 0, 0): "black"}


@dataclass(frozen=True)
class Hidden:
    """A stretch of an output's text that is there but cannot be read: offsets into
    ``Output.text`` and why, phrased to follow "is" ("drawn at 2 pt (need 6 pt)")."""

    start: int
    end: int
    reason: str


def over(top: RGBA, bottom: RGBA) -> RGBA:
    """Porter-Duff source-over: ``top`` painted on ``bottom``."""
    alpha = top[3] + bottom[3] * (1 - top[3])
    if alpha == 0:
        return (0.0, 0.0, 0.0, 0.0)
    red, green, blue = ((top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / alpha for i in range(3))
    return (red, green, blue, alpha)


def fade(colour: RGBA, opacity: float) -> RGBA:
    return (colour[0], colour[1], colour[2], colour[3] * opacity)


def _luminance(colour: RGBA) -> float:
    """WCAG 2 relative luminance of an opaque sRGB colour."""

    def linear(c: float) -> float:
        c = min(max(c, 0.0), 1.0)
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: RGBA, second: RGBA) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1 to 21."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour_name(colour: RGBA) -> str:
    red, green, blue = (round(min(max(c, 0.0), 1.0) * 255) for c in colour[:3])
    return _NAMES.get((red, green, blue), f"#{red:02x}{green:02x}{blue:02x}")


def illegible(text: RGBA, background: RGBA, size_pt: float) -> str | None:
    """Why text drawn at ``size_pt`` cannot be read, or None. ``text`` and ``background`` are the
    opaque colours a reader sees: the glyphs and the background beside them, everything under and
    over them (opacity, covering layers) already blended in."""
    if size_pt < MIN_FONT_PT - 0.005:
        return f"drawn at {size_pt:.1f} pt (need {MIN_FONT_PT:g} pt or more)"
    ratio = contrast(text, background)
    if ratio < MIN_CONTRAST:
        colours = f"{colour_name(text)} on {colour_name(background)}"
        return f"drawn in {colours} (contrast {ratio:.1f}:1, need {MIN_CONTRAST:g}:1)"
    return None
