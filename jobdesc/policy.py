"""What an output may carry: nothing attached, linked out, scripted or fetched from elsewhere.

One check per format, run on every output before anything is written:

- the page (the HTML output, and the page the PDF is printed from), as a browser parses it:
  no scripts, event handlers, frames, embedded objects, forms, ``<base>`` or meta refresh;
  no attachment links; hyperlinks only inside the document (``#id``); every other address,
  in attributes and in CSS, a relative path inside the templates folder;
- the PDF, as WeasyPrint is about to write it: no embedded files, no annotations that play
  or attach, no actions that leave the document or run something, no XFA or JavaScript;
- the DOCX, as written: no relationship to anything outside the package, no attached
  template, macros, OLE objects, ActiveX controls or imported chunks, and no field that
  fetches or runs something.

Nothing is stripped: a violation is an error that names the template file (and the line,
where the page's markup can be found in it), what it is and what to remove.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from .errors import Diagnostic, Location, ProfileError
from .limits import FILE_BYTES
from .paths import display

MAX_REPORTED = 20  # findings listed in one error; the rest are summed up

# --- the page ------------------------------------------------------------------

FORBIDDEN_ELEMENTS = {
    "script": "runs code",
    "handler": "runs code",
    "iframe": "shows another page inside this one",
    "frame": "shows another page inside this one",
    "frameset": "shows other pages inside this one",
    "portal": "shows another page inside this one",
    "fencedframe": "shows another page inside this one",
    "object": "embeds content from a file or an address",
    "embed": "embeds content from a file or an address",
    "applet": "embeds a program",
    "base": "changes where every relative address points",
    "form": "sends what is typed to an address",
    "animate": "can change an address while the page is shown",
    "set": "can change an address while the page is shown",
}
FETCHED = frozenset(
    {"src", "href", "poster", "data", "action", "formaction", "background", "cite", "longdesc", "lowsrc", "dynsrc"}
    | {"usemap", "manifest", "codebase", "classid", "archive", "profile", "icon"}
)
SOURCE_SETS = frozenset({"srcset", "imagesrcset"})
LINKS = frozenset({"a", "area"})  # their href is followed, not fetched: in the PDF it becomes a link
META_EQUIV_ALLOWED = frozenset({"content-type", "content-language"})

_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
_URL_NOISE = re.compile(r"[\t\n\r]")  # browsers drop these inside an address
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # and these around it
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|(.))", re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CSS_STRING_FUNCTION = re.compile(r"(?:image-set|src)\(([^)]*)\)", re.IGNORECASE)
_CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")
_ELSEWHERE = "a page may use only the templates folder's own files, by a relative path such as fonts/x.ttf"


@dataclass(frozen=True)
class _Finding:
    needles: tuple[str, ...]  # what to look for in the template's source, most precise first
    field: str  # the markup concerned, as the user wrote it: <img src>
    message: str


def check_page(html: str, page: Path, folder: Path, tree: Element, ours: frozenset[str] = frozenset()) -> None:
    """Refuse a page that runs, attaches, links out or fetches from elsewhere; ``page`` is the
    template it was rendered from and ``folder`` the templates folder, searched for the line.
    ``tree``: the page as WeasyPrint parsed it (HTML5, as browsers do), so the tree checked is
    the tree laid out. ``ours``: addresses jobdesc made itself from checked files (the
    organisation's logo as a data: URI), allowed where the page puts them."""
    findings = list(_page_findings(tree, ours))
    if findings:
        templates = (p for p in folder.rglob("*") if p.suffix in (".j2", ".html") and not p.is_symlink())
        readable = (p for p in templates if p != page and p.is_file() and p.stat().st_size <= FILE_BYTES.value)
        sources = [page, *sorted(readable)]
        texts = [(path, path.read_text(encoding="utf-8", errors="replace").splitlines()) for path in sources]
        _refuse([_locate(finding, html, texts) for finding in findings])


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _page_findings(root: Element, ours: frozenset[str]) -> Iterator[_Finding]:
    for element in root.iter():
        if not isinstance(element.tag, str):  # a comment
            continue
        tag = _local(element.tag)
        attributes = {_local(name): value for name, value in element.attrib.items()}
        if tag in FORBIDDEN_ELEMENTS:
            yield _Finding((f"<{tag}",), f"<{tag}>", f"{FORBIDDEN_ELEMENTS[tag]}; remove the <{tag}> element")
        for name in attributes:
            if name.startswith("on"):
                yield _Finding((f"{name}=",), f"<{tag} {name}>", "an event handler runs code; remove the attribute")
        if "attachment" in attributes.get("rel", "").lower().split():
            yield _Finding(
                ('rel="attachment"', "attachment"),
                f'<{tag} rel="attachment">',
                "attaches a file to the PDF, and documents carry no attachments; remove the element",
            )
        if tag == "meta":
            yield from _meta_findings(attributes)
        for name, value in attributes.items():
            for address in _addresses(name, value):
                if tag in LINKS and name == "href":
                    if not address.strip().startswith("#"):
                        yield _Finding(
                            (address, "href="),
                            f"<{tag} href>",
                            f"a link to {address!r} leads out of the document; only links inside it "
                            '(href="#id") are allowed: remove the link, keeping its text',
                        )
                elif outside(address) and address not in ours:
                    yield _Finding((address,), f"<{tag} {name}>", f"refused to fetch {address!r}: {_ELSEWHERE}")
        css = [("style", attributes["style"])] if "style" in attributes else []
        if tag == "style":
            css.append(("", element.text or ""))
        for where, text in css:
            for address in css_addresses(text):
                if outside(address):
                    field = f"<{tag} {where}>" if where else f"<{tag}>"
                    yield _Finding((address,), field, f"refused to fetch {address!r}: {_ELSEWHERE}")


# Keys WeasyPrint copies from <meta name> into the PDF's information dictionary that PDF readers act on.
_PDF_KEYS_IN_META = frozenset({"js", "javascript", "aa", "openaction", "embeddedfiles", "xfa", "uri"})


def _meta_findings(attributes: dict[str, str]) -> Iterator[_Finding]:
    equiv = attributes.get("http-equiv", "").strip().lower()
    if equiv and equiv not in META_EQUIV_ALLOWED:
        yield _Finding(
            ("http-equiv",),
            f'<meta http-equiv="{equiv}">',
            "tells a browser to reload, go elsewhere or change settings; remove the element",
        )
    name = "".join(c for c in attributes.get("name", "") if c.isalnum()).lower()
    if name in _PDF_KEYS_IN_META:
        yield _Finding(
            (attributes.get("name", ""),),
            f'<meta name="{attributes.get("name", "")}">',
            "would become a PDF entry that readers act on; rename or remove the element",
        )


def _addresses(attribute: str, value: str) -> list[str]:
    """The addresses an attribute holds: one, or a list ("a.png 1x, b.png 2x"; ping's "a b")."""
    if attribute in FETCHED:
        return [value]
    if attribute in SOURCE_SETS:
        return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
    return value.split() if attribute == "ping" else []


def css_addresses(css: str) -> list[str]:
    """Every address a stylesheet refers to: url(), @import and the strings of image-set() and src()."""
    text = _CSS_ESCAPE.sub(_css_unescape, _CSS_COMMENT.sub("", css))
    found = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(text)]
    found += [next(g for g in m.groups() if g is not None) for m in _CSS_IMPORT.finditer(text)]
    for function in _CSS_STRING_FUNCTION.finditer(text):
        found += [next(g for g in m.groups() if g is not None) for m in _CSS_STRING.finditer(function.group(1))]
    return found


def _css_unescape(match: re.Match[str]) -> str:
    code, char = match.groups()
    if char is not None:
        return char
    point = int(code, 16)
    return chr(point) if 0 < point <= 0x10FFFF and not 0xD800 <= point <= 0xDFFF else "\ufffd"


def outside(address: str) -> bool:
    """Whether an address is anything but a relative path inside the templates folder: a
    scheme (http:, file:, data:, javascript:), a host (//), an absolute path or a step up."""
    cleaned = _URL_NOISE.sub("", address).strip(_C0_AND_SPACE)
    if not cleaned or cleaned.startswith("#"):
        return False
    path = unquote(cleaned.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    return bool(_SCHEME.match(cleaned)) or path.startswith("/") or ".." in path.split("/")


def _locate(finding: _Finding, html: str, sources: list[tuple[Path, list[str]]]) -> Diagnostic:
    """The finding at the first template line that holds one of its needles; failing that (the
    markup was computed), the page template and the line of the page it rendered."""
    for needle in (n.lower() for n in finding.needles if n):
        for path, lines in sources:
            for number, line in enumerate(lines, 1):
                if needle in line.lower():
                    return Diagnostic(Location(display(path), number), finding.field, finding.message)
    rendered = html.lower().splitlines()
    at = next((i for n in finding.needles if n for i, text in enumerate(rendered, 1) if n.lower() in text), 0)
    where = f" (line {at} of the page it renders)" if at else ""
    return Diagnostic(Location(display(sources[0][0]), 0), finding.field, finding.message + where)


def _refuse(diagnostics: list[Diagnostic]) -> None:
    unique = list(dict.fromkeys(diagnostics))
    shown = unique[:MAX_REPORTED]
    if len(unique) > MAX_REPORTED:
        last = shown[-1]
        shown[-1] = Diagnostic(last.location, last.field, f"{last.message}; and {len(unique) - MAX_REPORTED} more")
    raise ProfileError(shown)


# --- the PDF ----------------------------------------------------------------------

PDF_ACTIONS = {
    "URI": "a link out of the document",
    "Launch": "an action that starts a program",
    "GoToR": "an action that opens another file",
    "GoToE": "an action that opens an embedded file",
    "JavaScript": "a script",
    "SubmitForm": "an action that sends the form",
    "ImportData": "an action that reads a file",
    "ResetForm": "an action that clears the form",
    "Rendition": "an action that plays media",
    "Sound": "an action that plays a sound",
    "Movie": "an action that plays a movie",
}
PDF_ANNOTATIONS = {
    "FileAttachment": "an attached file",
    "RichMedia": "embedded media",
    "Movie": "a movie",
    "Sound": "a sound",
    "Screen": "a media player",
    "3D": "a 3D model, which may run scripts",
}
PDF_KEYS = {
    "EmbeddedFiles": "attached files",
    "EF": "an embedded file",
    "JS": "a script",
    "JavaScript": "scripts",
    "XFA": "an XFA form",
    "AA": "actions run on events",
    "RichMediaContent": "embedded media",
}


def check_pdf(objects: Iterable[Any], folder: Path) -> None:
    """Refuse a PDF whose objects (pydyf's, as they are about to be written) carry anything
    that attaches, plays, runs or leaves the document. ``folder``: the templates, named in
    the error, since only a template can bring such a thing in."""
    problems = pdf_problems(objects)
    if problems:
        remedy = (
            'remove what makes it from the templates (a link out of the document, a rel="attachment", '
            "a CSS link property)"
        )
        _refuse([Diagnostic(Location(display(folder), 0), "PDF", f"would carry {p}; {remedy}") for p in problems])


def pdf_problems(objects: Iterable[Any]) -> list[str]:
    """What a PDF object graph (dictionaries, lists and streams with ``extra``) carries that
    it may not, each once, in the order found."""
    found: dict[str, None] = {}
    seen: set[int] = set()
    stack = list(objects)
    while stack:
        value = stack.pop()
        value = getattr(value, "extra", value)  # a stream: its dictionary
        if id(value) in seen or not isinstance(value, dict | list):
            continue
        seen.add(id(value))
        if isinstance(value, list):
            stack.extend(value)
            continue
        entries = {_pdf_name(key): item for key, item in value.items()}
        for problem in _pdf_dictionary_problems(entries):
            found[problem] = None
        stack.extend(entries.values())
    return list(found)


def _pdf_dictionary_problems(entries: dict[str, Any]) -> Iterator[str]:
    for key, what in PDF_KEYS.items():
        if key in entries:
            yield f"{what} (/{key})"
    if "OpenAction" in entries and not isinstance(entries["OpenAction"], list):  # a destination is a list
        yield "an action run on opening (/OpenAction)"
    action = _pdf_name(entries.get("S", ""))
    if action in PDF_ACTIONS and ("Type" not in entries or _pdf_name(entries["Type"]) == "Action"):
        target = getattr(entries.get("URI"), "string", entries.get("URI"))
        yield PDF_ACTIONS[action] + (f" to {target!r}" if target else "") + f" (/S /{action})"
    subtype = _pdf_name(entries.get("Subtype", ""))
    if subtype in PDF_ANNOTATIONS and _pdf_name(entries.get("Type", "/Annot")) == "Annot":
        yield f"{PDF_ANNOTATIONS[subtype]} (/Subtype /{subtype})"


def _pdf_name(value: Any) -> str:
    text = value.decode("latin-1") if isinstance(value, bytes) else value if isinstance(value, str) else ""
    return text[1:] if text.startswith("/") else text


# --- the DOCX ------------------------------------------------------------------

# By the last segment of the relationship type: what it is and how to remove it.
DOCX_RELATIONSHIPS = {
    "hyperlink": ("a hyperlink", "remove the hyperlink, keeping its text"),
    "attachedTemplate": (
        "an attached template",
        "delete w:attachedTemplate from word/settings.xml, or copy the styles into a new blank document",
    ),
    "image": ("a linked picture", "insert the picture instead of linking to it"),
    "vbaProject": ("macros", "save it as a .docx without macros"),
    "vbaProjectSignature": ("a macro signature", "save it as a .docx without macros"),
    "wordVbaData": ("macro data", "save it as a .docx without macros"),
    "keyMapCustomizations": ("macro key bindings", "save it as a .docx without macros"),
    "attachedToolbars": ("macro toolbars", "save it as a .docx without macros"),
    "oleObject": ("an OLE object", "delete the object"),
    "package": ("an embedded file", "delete it"),
    "control": ("an ActiveX control", "delete the control"),
    "activeXControlBinary": ("an ActiveX control", "delete the control"),
    "aFChunk": ("an imported file (altChunk)", "delete it"),
    "subDocument": ("a subdocument", "delete it"),
    "frame": ("a frame that shows another file", "delete it"),
}
DOCX_FORBIDDEN_RELATIONSHIPS = frozenset(DOCX_RELATIONSHIPS) - {"hyperlink", "image"}  # even inside the package
DOCX_ELEMENTS = {
    "attachedTemplate": ("an attached template", "delete w:attachedTemplate from word/settings.xml"),
    "altChunk": ("an imported file (w:altChunk)", "delete it"),
    "object": ("an embedded object (w:object)", "delete it"),
    "OLEObject": ("an OLE object", "delete it"),
    "control": ("an ActiveX control", "delete it"),
    "subDoc": ("a subdocument", "delete it"),
}
DOCX_FIELDS = {
    "INCLUDEPICTURE": "fetches a picture",
    "INCLUDETEXT": "fetches text from a file",
    "INCLUDE": "fetches text from a file",
    "LINK": "links to another file",
    "DDE": "asks another program for data",
    "DDEAUTO": "asks another program for data",
    "IMPORT": "fetches a picture",
    "DATABASE": "queries a database",
    "RD": "reads another document",
    "MACROBUTTON": "runs a macro",
    "HYPERLINK": "links out of the document",
}
_PART_NAMES = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|embeddings/|activeX/)", re.IGNORECASE)
_CONTENT_TYPES = re.compile(r"macroEnabled|vbaProject|vbaData|oleObject|activeX", re.IGNORECASE)
# Parts that hold no runs, fields or settings: read by no check, so not decompressed.
_INERT_PARTS = re.compile(r"^word/((styles|stylesWithEffects|numbering|fontTable|webSettings)\.xml|theme/)")
_ELEMENT_BYTES = (b"instrText", b"fldSimple", *(name.encode() for name in DOCX_ELEMENTS))
_LOCAL_BOOKMARK = re.compile(r"^HYPERLINK\s+\\l\s", re.IGNORECASE)


def check_docx(data: bytes, reference: Path) -> None:
    """Refuse a DOCX that links outside its package, carries macros, embedded objects or an
    attached template, or has a field that fetches or runs something. Only the reference
    document can bring these in, so the error names it, with the part."""
    problems = docx_problems(data)
    if problems:
        _refuse([Diagnostic(Location(display(reference), 0), part, message) for part, message in problems])


def docx_problems(data: bytes) -> list[tuple[str, str]]:
    """(part, what and how to remove it) for everything a DOCX may not carry."""
    from lxml import etree  # python-docx's parser, already loaded with it

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    problems: list[tuple[str, str]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if _PART_NAMES.search(name):
                problems.append((name, "macros or an embedded object; save the reference as a plain .docx without it"))
            if _INERT_PARTS.match(name):
                continue
            raw = package.read(name)
            try:
                if name.endswith(".rels"):
                    problems += _relationship_problems(name, etree.fromstring(raw, parser))
                elif name == "[Content_Types].xml":
                    for match in sorted(set(_CONTENT_TYPES.findall(raw.decode("utf-8", "replace")))):
                        problems.append((name, f"a content type of {match}; save the reference as a plain .docx"))
                elif name.endswith(".xml") and (not raw.startswith(b"<") or any(b in raw for b in _ELEMENT_BYTES)):
                    problems += [(name, message) for message in _part_problems(etree.fromstring(raw, parser))]
            except etree.XMLSyntaxError as exc:  # what cannot be read cannot be checked
                problems.append((name, f"not well-formed XML ({exc}); save the reference again in Word"))
    return problems


def _relationship_problems(name: str, root: Any) -> Iterator[tuple[str, str]]:
    folder, _, rels = name.rpartition("_rels/")
    source = folder + rels.removesuffix(".rels") or "the package"
    for relationship in root:
        kind = str(relationship.get("Type", "")).rsplit("/", 1)[-1]
        target = relationship.get("Target", "")
        what, remedy = DOCX_RELATIONSHIPS.get(kind, (f"a {kind or 'relationship'} link", "remove it"))
        if relationship.get("TargetMode", "") == "External":
            yield source, f"{what} to {target!r} outside the document; {remedy}"
        elif kind in DOCX_FORBIDDEN_RELATIONSHIPS:
            yield source, f"{what} ({target}); {remedy}"


def _part_problems(root: Any) -> Iterator[str]:
    fields: list[list[str]] = []  # the instructions of the complex fields open here, innermost last
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = element.tag.rsplit("}", 1)[-1]
        if local in DOCX_ELEMENTS:
            what, remedy = DOCX_ELEMENTS[local]
            yield f"{what}; {remedy}"
        elif local == "fldSimple":
            yield from _field_problems(_attribute(element, "instr"))
        elif local == "instrText" and fields:
            fields[-1].append(element.text or "")
        elif local == "fldChar":
            kind = _attribute(element, "fldCharType")
            if kind == "begin":
                fields.append([])
            elif kind in ("separate", "end") and fields:  # the instruction ends at either
                yield from _field_problems("".join(fields[-1]))
                fields[-1].clear()
                if kind == "end":
                    fields.pop()


def _attribute(element: Any, local: str) -> str:
    return next((str(v) for k, v in element.attrib.items() if str(k).rsplit("}", 1)[-1] == local), "")


def _field_problems(instruction: str) -> Iterator[str]:
    words = instruction.split()
    keyword = words[0].upper() if words else ""
    if keyword in DOCX_FIELDS and not (keyword == "HYPERLINK" and _LOCAL_BOOKMARK.match(instruction.strip())):
        shown = " ".join(words)[:80]
        yield f"field {shown!r} {DOCX_FIELDS[keyword]}; delete the field, keeping its text"
