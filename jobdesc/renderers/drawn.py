"""The text of laid-out pages as a reader sees it: each piece of text WeasyPrint lays out, and
whether it is drawn where and how it can be read (jobdesc.legibility has the thresholds).

A piece of text is hidden when it is

- invisible (``visibility: hidden`` or ``collapse``);
- not wholly inside the page, or clipped by an ancestor (``overflow`` other than visible,
  ``clip`` on an absolutely positioned one);
- transformed, or under a transformed or masked ancestor: the check reads boxes as laid out,
  not as a transform or mask draws them;
- on a background image, whose colours the check cannot read;
- smaller than the minimum size, or without the minimum contrast against what is painted under
  it: its colour with its alpha, in its ancestors' opacity groups, over their background colours
  and inset shadows, over the paper;
- under a box painted after it: a positioned box with a background, an image or a shadow that
  overlaps it, blended in with its own opacity (an opaque one leaves nothing to read);
- drawn with its letters run together (letter-spacing under ``MIN_LETTER_SPACING_EM``), over
  other text (more than half its height), in a font of symbols, or under a text decoration
  thicker than ``MAX_DECORATION_EM``.

The walk is one pass over each page's boxes without recursion, so it costs a few milliseconds
a document; covering boxes are usually none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from weasyprint.document import Document as LaidOut
from weasyprint.formatting_structure.boxes import MarginBox, PageBox, ParentBox, ReplacedBox, TextBox
from weasyprint.layout.absolute import AbsolutePlaceholder

from ..legibility import MIN_LETTER_SPACING_EM, PAPER, RGBA, SYMBOL_FONTS, Hidden, fade, illegible, over

PT_PER_PX = 0.75
SLACK = 0.5  # CSS pixels: rounding in the laid-out positions
MAX_DECORATION_EM = 0.25  # an underline or line-through thicker than this bars the letters
Rect = tuple[float, float, float, float]  # left, top, right, bottom in CSS pixels
Hides = Callable[[Any], str | None]  # why an element hides its content, or None
EVERYWHERE: Rect = (float("-inf"), float("-inf"), float("inf"), float("inf"))


@dataclass(frozen=True)
class _Context:
    """What the ancestors of a box impose on it."""

    layers: tuple[tuple[RGBA, float], ...] = ()  # (background, opacity) of each painting ancestor, outermost first
    clip: Rect = EVERYWHERE
    problem: str | None = None  # an ancestor's transform, mask or background image
    stack: tuple[float, int] = (0, 0)  # (z-index, positioned?) of the layer the box is painted in
    painters: frozenset[int] = frozenset()  # ids of the ancestors that are positioned or cast a shadow
    opacity: float = 1.0  # the product of the ancestors' opacities


@dataclass(frozen=True)
class _Cover:
    """A box painted over whatever comes before it in painting order."""

    rect: Rect
    key: tuple[float, int, int]
    colour: RGBA | None  # None: an image, opaque as far as the check knows
    owner: int
    name: str
    hole: Rect | None = None  # where it paints nothing: inside an outline or a drop shadow


def _rgba(colour: Any) -> RGBA:
    red, green, blue = colour.to("srgb").coordinates
    return (float(red), float(green), float(blue), float(colour.alpha))


def _name(box: Any) -> str:
    element = getattr(box, "element", None)
    ident = element.get("id") if element is not None else None
    return f"<{box.element_tag}{f' id={ident!r}' if ident else ''}>"


def _px(value: Any) -> float:
    return float(getattr(value, "value", value) or 0)


def _border_rect(box: Any) -> Rect:
    x, y = box.border_box_x(), box.border_box_y()
    return (x, y, x + box.border_width(), y + box.border_height())


def _intersect(a: Rect, b: Rect) -> Rect:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner[0] >= outer[0] - SLACK and inner[1] >= outer[1] - SLACK
        and inner[2] <= outer[2] + SLACK and inner[3] <= outer[3] + SLACK
    )  # fmt: skip


def _overlap(a: Rect, b: Rect) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > SLACK and min(a[3], b[3]) - max(a[1], b[1]) > SLACK


def _enter(box: Any, context: _Context, index: int, hides: Hides | None) -> _Context:
    """The context of ``box``'s children: this box's painting, clipping and stacking added."""
    style = box.style
    problem = context.problem
    if problem is None:
        element = getattr(box, "element", None)
        if hides and element is not None and (hidden := hides(element)):
            problem = hidden
        elif style["transform"]:
            problem = f"transformed (transform on {_name(box)}; the check reads text as laid out)"
        elif style["mask_border_source"][0] != "none":
            problem = f"masked (mask-border on {_name(box)})"
        elif any(kind != "none" for kind, _ in style["background_image"]):
            problem = f"drawn on a background image (on {_name(box)}), whose contrast cannot be checked"
    colour = style["background_color"]
    background = _rgba(colour) if colour.alpha else (0.0, 0.0, 0.0, 0.0)
    for *_, colour, inset in style["box_shadow"]:
        if inset:  # painted inside the box, under its content
            background = over(_rgba(colour), background)
    opacity = float(style["opacity"])
    layers = context.layers
    if background[3] > 0 or opacity < 1:
        layers = (*layers, (background, opacity))
    clip = context.clip
    if style["overflow"] != "visible" and not isinstance(box, PageBox):
        x, y = box.padding_box_x(), box.padding_box_y()
        clip = _intersect(clip, (x, y, x + box.padding_width(), y + box.padding_height()))
    if box.is_absolutely_positioned() and style["clip"]:
        # rect(top, right, bottom, left): offsets from the border box's top and left edges
        top, right, bottom, left = (None if v == "auto" else _px(v) for v in style["clip"])
        x, y, x2, y2 = _border_rect(box)
        shape = (
            x + (left or 0),
            y + (top or 0),
            x2 if right is None else x + right,
            y2 if bottom is None else y + bottom,
        )
        clip = _intersect(clip, shape)
    stack, painters = context.stack, context.painters
    if style["position"] != "static":
        z = style["z_index"]
        stack = (0 if z == "auto" else z, 1)
        if stack[0] < 0 and problem is None:  # painted before the backgrounds of the boxes around it
            problem = f"painted beneath the boxes around it (z-index {z} on {_name(box)})"
    if style["position"] != "static" or style["box_shadow"]:
        painters = painters | {index}
    return _Context(layers, clip, problem, stack, painters, context.opacity * opacity)


def _pixel(layers: tuple[tuple[RGBA, float], ...], top: RGBA, base: RGBA) -> RGBA:
    """The colour seen where ``top`` is painted inside every layer: each layer's background and
    then its content, in an opacity group, from the innermost out, over ``base``."""
    seen = top
    for background, opacity in reversed(layers):
        seen = fade(over(seen, background), opacity)
    return over(seen, base)


def _walk(page: PageBox, hides: Hides | None) -> Iterator[tuple[Any, _Context, int]]:
    """Every box of the page's body (not its margin boxes) with its context and its index in
    tree order, depth first, without recursion."""
    root = _Context()  # the page's own background is the base of every pixel
    todo = [(child, root) for child in reversed(page.children) if not isinstance(child, MarginBox)]
    index = 0
    while todo:
        box, context = todo.pop()
        if isinstance(box, AbsolutePlaceholder):  # where a positioned box left the flow: the box itself
            box = box._box
        index += 1
        yield box, context, index
        if isinstance(box, ParentBox):
            inner = _enter(box, context, index, hides)
            todo.extend((child, inner) for child in reversed(list(box.all_children())))


def _grow(rect: Rect, by: float) -> Rect:
    return (rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by)


def _covers(box: Any, context: _Context, index: int) -> list[_Cover]:
    """What the box paints over content painted before it: its outline (over everything in its
    stacking context) and, for a positioned box, its background, its image or its shadows."""
    style = box.style
    opacity = context.opacity * float(style["opacity"])
    border = EVERYWHERE if style["transform"] else _border_rect(box)  # a transform moves it elsewhere
    hole = None if style["transform"] else border
    covers = []
    width = _px(style["outline_width"])
    if style["outline_style"] != "none" and width > 0:
        colour = style["color"] if style["outline_color"] == "currentcolor" else style["outline_color"]
        offset = _px(style["outline_offset"])
        inner = None if hole is None else _grow(hole, offset)
        ring = fade(_rgba(colour), opacity)
        outline = f"the outline of {_name(box)}"
        covers.append(_Cover(_grow(border, offset + width), (float("inf"), 0, 0), ring, index, outline, inner))
    if style["position"] == "static":
        return covers
    z = style["z_index"]
    key = (0 if z == "auto" else z, 1, index)
    for x, y, blur, spread, colour, inset in style["box_shadow"]:
        if not inset:
            reach = abs(_px(x)) + abs(_px(y)) + _px(blur) + _px(spread)
            covers.append(_Cover(_grow(border, reach), key, fade(_rgba(colour), opacity), index, _name(box), hole))
    if isinstance(box, ReplacedBox):
        covers.append(_Cover(border, key, None, index, _name(box)))
    elif (background := fade(_rgba(style["background_color"]), opacity))[3] > 0:
        covers.append(_Cover(border, key, background, index, _name(box)))
    return covers


def _problem(box: TextBox, context: _Context, index: int, area: Rect, base: RGBA, covers: list[_Cover]) -> str | None:
    style = box.style
    if style["visibility"] != "visible":
        return f"hidden (visibility: {style['visibility']})"
    rect = _text_rect(box)
    if not _inside(rect, area):
        return "drawn wholly or partly outside the page"
    if not _inside(rect, context.clip):
        return "cut off by an ancestor's overflow or clip"
    if context.problem:
        return context.problem
    size = float(style["font_size"])
    spacing = style["letter_spacing"]
    if spacing != "normal" and size and _px(spacing) / size < MIN_LETTER_SPACING_EM:
        return f"drawn with its letters run together (letter-spacing {_px(spacing) * PT_PER_PX:.1f} pt)"
    thickness = style["text_decoration_thickness"]
    if style["text_decoration_line"] not in ("none", ()) and thickness not in ("auto", "from-font") and size:
        drawn = size * thickness.value / 100 if getattr(thickness, "unit", None) == "%" else _px(thickness)
        if drawn > MAX_DECORATION_EM * size:
            return f"struck through by a {drawn * PT_PER_PX:.1f} pt text decoration"
    family = next(iter(style["font_family"]), "")
    if family.lower() in SYMBOL_FONTS:
        return f"set in {family}, a font of symbols, not letters"
    text = _pixel(context.layers, _rgba(style["color"]), base)
    background = _pixel(context.layers, (0.0, 0.0, 0.0, 0.0), base)
    key = (*context.stack, index)
    for cover in covers:
        if cover.hole and _inside(rect, cover.hole):
            continue
        if cover.key > key and cover.owner not in context.painters and _overlap(cover.rect, rect):
            if cover.colour is None or cover.colour[3] >= 1:
                return f"covered by {cover.name}, painted over it"
            text, background = over(cover.colour, text), over(cover.colour, background)
    return illegible(text, background, size * PT_PER_PX)


def _text_rect(box: TextBox) -> Rect:
    return (box.position_x, box.position_y, box.position_x + box.width, box.position_y + box.height)


def _overlapping(boxes: list[TextBox]) -> set[int]:
    """The ids of the text boxes drawn over one another: more than half the lower one's height
    and more than the slack across (adjacent lines of text at line-height 1 only touch)."""
    rects = sorted(((_text_rect(box), id(box)) for box in boxes if box.text.strip()), key=lambda item: item[0][1])
    crowded: set[int] = set()
    for i, (rect, ident) in enumerate(rects):
        for other, other_ident in rects[i + 1 :]:
            if other[1] >= rect[3]:
                break
            vertical = min(rect[3], other[3]) - other[1]
            across = min(rect[2], other[2]) - max(rect[0], other[0])
            if across > SLACK and vertical > 0.5 * min(rect[3] - rect[1], other[3] - other[1]):
                crowded.update((ident, other_ident))
    return crowded


def drawn_text(
    laid_out: LaidOut, hides: Hides | None = None, second: str | None = None
) -> tuple[str, tuple[Hidden, ...]]:
    """The text of the pages' bodies in order, and the stretches of it a reader cannot read.
    Margin boxes (the footer) are left out, or a clause running onto the next page would look
    cut. ``hides`` says why an element hides its content where WeasyPrint shows it (a browser's
    closed ``<details>``), or None. ``second``, a bilingual document's second language: the
    text in it is read after all the rest, as one column, so that a clause running onto the
    next page beside its partner reads whole in its own column."""
    drawn: list[tuple[str, str | None, bool]] = []  # each piece, why it cannot be read, in the second column
    for page in laid_out.pages:
        page_box = page._page_box
        area = (0.0, 0.0, float(page.width), float(page.height))
        base = over(_rgba(page_box.style["background_color"]), PAPER)
        texts: list[tuple[TextBox, _Context, int]] = []
        covers: list[_Cover] = []
        for box, context, index in _walk(page_box, hides):
            if isinstance(box, TextBox):
                texts.append((box, context, index))
            else:
                covers += _covers(box, context, index)
        page_problem = (
            "drawn on the page's background image, whose contrast cannot be checked"
            if any(kind != "none" for kind, _ in page_box.style["background_image"])
            else None
        )
        crowded = _overlapping([box for box, _, _ in texts])
        for box, context, index in texts:
            problem = page_problem or _problem(box, context, index, area, base, covers)
            if problem is None and id(box) in crowded:
                problem = "drawn over other text"
            drawn.append((box.text, problem, box.style["lang"] == second))
    if second is not None:
        drawn.sort(key=lambda piece: piece[2])  # stable: each column in page order
    pieces: list[str] = []
    hidden: list[Hidden] = []
    offset = 0
    for text, problem, _ in drawn:
        if pieces:
            offset += 1  # the space between pieces
        pieces.append(text)
        if problem:
            hidden.append(Hidden(offset, offset + len(text), problem))
        offset += len(text)
    return " ".join(pieces), tuple(hidden)
