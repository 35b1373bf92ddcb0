"""The bad-input catalogue: files from other people, each with one mistake or one attack.

Every case runs the command line on a copy of a small profile library (tests/data/overlays)
with one file changed, and expects what a user needs: a non-zero exit, a message that
names the file, line and field (or the limit and how to raise it), and an output folder
left exactly as it was, an earlier signed file included.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA

from jobdesc.cli import main
from jobdesc.paths import TEMPLATES

ROLE = "roles/clerk.yaml"
ORG = "organisations/bg.yaml"
PAGE = "templates/document.html.j2"
CLERK = (DATA / "overlays" / "roles" / "clerk.yaml").read_text(encoding="utf-8")
BUNDLED_PAGE = (TEMPLATES / "document.html.j2").read_text(encoding="utf-8")
BODY_LINE = BUNDLED_PAGE.splitlines().index("<body>") + 1  # where page_with() puts its snippet
ORG_TEXT = (DATA / "overlays" / "organisations" / "bg.yaml").read_text(encoding="utf-8")


def duty(text: str) -> dict[str, str]:
    """The clerk role with its first duty's English text replaced (written as given, so quote it)."""
    return {ROLE: CLERK.replace("Register incoming mail.", text)}


def page_with(snippet: str) -> dict[str, str]:
    """A templates folder whose page carries ``snippet`` inside the body."""
    return {PAGE: BUNDLED_PAGE.replace("<body>", f"<body>{snippet}", 1)}


@dataclass(frozen=True)
class Case:
    id: str
    expected: str  # a part of the message
    files: dict[str, str | bytes] = field(default_factory=dict)
    args: tuple[str, ...] = ()
    exit_code: int = 1
    env: dict[str, str] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    check: str = ""  # a second part the message must have


def symlinked_page(root: Path) -> None:
    (root / "outside.j2").write_text("{{ doc.title }}", encoding="utf-8")
    (root / "templates").mkdir(exist_ok=True)
    (root / PAGE).symlink_to(root / "outside.j2")


def hard_link(root: Path, name: str) -> None:
    """``name`` in the profiles' folder becomes a second name of a file outside it."""
    outside = root.parent / "outside"
    outside.write_text("{{ doc.title }}", encoding="utf-8")
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    os.link(outside, root / name)


def symlinked_role(root: Path) -> None:
    (root.parent / "role.yaml").write_text(CLERK, encoding="utf-8")
    (root / ROLE).unlink()
    (root / ROLE).symlink_to(root.parent / "role.yaml")


def fifo_page(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    os.mkfifo(root / PAGE)


def symlinked_stylesheet(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "print.css").symlink_to("/etc/passwd")


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
HTML = ("--format", "html")
PDF = ("--format", "pdf")
CUSTOM = ("--templates", "{root}/templates")

CASES = [
    # --- malformed files
    Case("malformed-yaml", "roles/clerk.yaml:15: YAML syntax", {ROLE: CLERK.replace("experience_years: 1", "x: [1")}),
    Case("not-utf8", "roles/clerk.yaml:1: not valid UTF-8 text", {ROLE: "title: caf\xe9\n".encode("latin-1")}),
    Case("two-documents", "roles/clerk.yaml:40: only one YAML document", {ROLE: CLERK + "---\nx: 1\n"}),
    Case("billion-laughs", "roles/clerk.yaml:1: YAML syntax: anchors (&name) are not allowed", {ROLE: BILLION_LAUGHS}),
    Case("python-tag", "YAML tags like 'tag:yaml.org,2002:python/object/apply:os.system'",
         {ROLE: CLERK.replace("experience_years: 1", "experience_years: !!python/object/apply:os.system [id]")}),
    Case("merge-key", "roles/clerk.yaml:5: title.<<: merge keys are not allowed",
         {ROLE: CLERK.replace("  bg: Деловодител\n", "  bg: Деловодител\n  <<: {en: x}\n")}),
    # --- wrong content
    Case("wrong-type", "roles/clerk.yaml:14: experience_years: expected a whole number, found 'two'",
         {ROLE: CLERK.replace("experience_years: 1", "experience_years: two")}),
    Case("unknown-field", "roles/clerk.yaml:15: salary: unknown field",
         {ROLE: CLERK.replace("experience_years: 1", "experience_years: 1\nsalary: 3")}),
    Case("duplicate-key", "roles/clerk.yaml:15: experience_years: duplicate key: already set on line 14",
         {ROLE: CLERK.replace("experience_years: 1", "experience_years: 1\nexperience_years: 2")}),
    Case("duplicate-clause-id", "roles/clerk.yaml:21: duties: id: clause id 'requirements' is used twice",
         {ROLE: CLERK.replace("- id: register-mail", "- id: requirements")}),
    Case("empty-duties", "roles/clerk.yaml:20: duties: needs at least 1 item(s), found 0",
         {ROLE: CLERK.replace("duties:\n  - id: register-mail\n    text:\n      en: Register incoming mail.\n"
                              "      bg: Регистрира входящата поща.\n", "duties: []\n")}),
    Case("missing-translation", "roles/clerk.yaml:23: duties[1].text: no 'bg' translation (has: en)",
         {ROLE: CLERK.replace("      bg: Регистрира входящата поща.\n", "")}, ("--lang", "bg")),
    Case("impossible-date", "organisations/bg.yaml:6: date: '2026-02-30' is not a real date",
         {ORG: (DATA / "orgs" / "valid.yaml").read_text(encoding="utf-8").replace("2026-03-05", "2026-02-30")}),
    Case("control-character", "roles/clerk.yaml:23:19: duties[1].text.en: U+0007 is a control character",
         duty("Register\x07 mail.")),
    Case("bidi-override", "roles/clerk.yaml:23: duties[1].text.en: U+202E RIGHT-TO-LEFT OVERRIDE at character 10 is a "
         "bidirectional control",
         duty('"Register \\u202e0001."')),
    # --- overlays
    Case("overlay-missing-id", "industries/missing-target.yaml:6: insert_after: no clause 'no-such-clause'",
         args=("--industry", "missing-target")),
    Case("extends-cycle", "roles/loop-a.yaml:1: extends: roles extend each other in a cycle", args=("loop-a",)),
    # --- template syntax and the sandbox, in clause text
    Case("clause-template-syntax", "roles/clerk.yaml:23: duties[1].text.en: template syntax", duty('"{{ oops"')),
    Case("clause-unknown-variable", "roles/clerk.yaml:23: clause 'register-mail' (en): 'organization' is undefined",
         duty('"For {{ organization }}."')),
    Case("clause-attribute-trick", "clause 'register-mail' (en): refused by the template sandbox",
         duty("\"{{ ''.__class__.__mro__[1].__subclasses__() }}\"")),
    Case("clause-huge-string", "is over the template output limit of 2,000,000 characters; to allow more, set "
         "JOBDESC_MAX_TEMPLATE_CHARS", duty("\"{{ 'x' * 10**9 }}\"")),
    Case("clause-huge-loop", "over the template output limit",
         duty('"{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"')),
    Case("clause-too-long", "roles/clerk.yaml:23: duties[1].text.en: 6,000 characters is over the clause length "
         "limit of 5,000 characters; to allow more, set JOBDESC_MAX_CLAUSE_CHARS", duty("x" * 6000)),
    Case("ten-megabyte-clause", "is over the file size limit of 1,000,000 bytes; to allow more, set "
         "JOBDESC_MAX_FILE_BYTES", duty("x" * 10_000_000)),
    Case("too-many-clauses", "5 clauses is over the clauses per document limit of 3 clauses",
         env={"JOBDESC_MAX_CLAUSES": "3"}),
    Case("endless-loop", "the document took too long: over 1 seconds is over the time per document limit",
         duty('"{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"'),
         env={"JOBDESC_TIME_LIMIT": "1"}),
    Case("missing-glyph", 'PDF not written: the fonts have no letter for "🌀" (U+1F300)', duty('"A 🌀 duty."'),
         PDF),
    # --- organisation-supplied templates
    Case("template-file-attachment", "refused to fetch 'file:///etc/passwd'",
         page_with('<link rel="attachment" href="file:///etc/passwd">'), PDF + CUSTOM),
    Case("template-network-image", "refused to fetch 'http://example.com/logo.png'",
         page_with('<img src="http://example.com/logo.png">'), PDF + CUSTOM),
    Case("template-css-import", "refused to fetch 'https://example.com/x.css'",
         page_with('<style>@import url("https://example.com/x.css");</style>'), PDF + CUSTOM),
    Case("template-attribute-trick",
         f"templates/document.html.j2:{BODY_LINE}: SecurityError: access to attribute '__class__'",
         page_with("{{ ''.__class__.__mro__ }}"), HTML + CUSTOM),
    Case("template-huge-string", "over the template output limit", page_with("{{ 'x' * 10**9 }}"), HTML + CUSTOM),
    Case("template-symlink-out", "templates/document.html.j2: a symbolic link, which may lead outside",
         args=HTML + CUSTOM, setup=symlinked_page),
    Case("stylesheet-symlink-out", "refused to fetch", args=PDF + CUSTOM, setup=symlinked_stylesheet),
    # --- depth and recursion, anywhere (JOBDESC_MAX_DEPTH)
    Case("deep-yaml", "roles/clerk.yaml:15: YAML syntax: lists and mappings nest too deep: 51 levels is over the "
         "nesting depth limit of 50 levels; to allow more, set JOBDESC_MAX_DEPTH",
         {ROLE: CLERK.replace("experience_years: 1", "experience_years: 1\nextra: " + "[" * 5000 + "]" * 5000)}),
    Case("deep-yaml-block", "organisations/bg.yaml:", {ORG: ORG_TEXT + "".join(
        f"{'  ' * i}k{i}:\n" for i in range(300)) + "  " * 300 + "v: x\n"}),
    Case("deep-overlay", "industries/deep.yaml:", {"industries/deep.yaml": "name: {en: x}\nclauses: " + "[" * 400
         + "]" * 400}, ("--industry", "deep")),
    Case("template-includes-itself", "templates/document.html.j2:", page_with("{% include 'document.html.j2' %}"),
         HTML + CUSTOM, check="nesting depth limit of 50 levels; to allow more, set JOBDESC_MAX_DEPTH"),
    Case("template-include-cycle", "templates/b.j2:1: SecurityError: templates nest too deep",
         {**page_with("{% include 'a.j2' %}"), "templates/a.j2": "{% include 'b.j2' %}",
          "templates/b.j2": "{% include 'a.j2' %}"}, HTML + CUSTOM),
    Case("recursive-macro", f"templates/document.html.j2:{BODY_LINE}: SecurityError: templates nest too deep",
         page_with("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}"), HTML + CUSTOM),
    Case("recursive-loop", "templates nest too deep", page_with(
        "{% set ns = namespace(x=[]) %}{% set _ = ns.x.append(ns.x) %}"
        "{% for i in ns.x recursive %}{{ loop(i) }}{% endfor %}"), HTML + CUSTOM),
    Case("clause-recursive-macro", "clause 'register-mail' (en): refused by the template sandbox: templates nest too "
         "deep", duty('"{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}"')),
    Case("deep-html-literal", f"templates/document.html.j2:{BODY_LINE}: elements nest too deep: 3,002 levels is over "
         "the nesting depth limit", page_with("<div>" * 3000 + "</div>" * 3000), PDF + CUSTOM),
    Case("deep-html-generated", "templates/document.html.j2: the page it makes nests elements too deep",
         page_with("{% for i in range(3000) %}<span>{% endfor %}x{% for i in range(3000) %}</span>{% endfor %}"),
         PDF + CUSTOM),
    Case("deep-css", "templates/print.css:1:5011: brackets nest too deep: 5,001 levels is over the nesting depth limit",
         {"templates/print.css": "p { color: " + "(" * 5000 + ")" * 5000 + "}"}, PDF + CUSTOM),
    Case("deep-css-blocks", "templates/print.css:1:", {"templates/print.css": "@media print {" * 3000 + "}" * 3000},
         PDF + CUSTOM, check="brackets nest too deep"),
    Case("deep-template-expression", f"templates/document.html.j2:{BODY_LINE}:", page_with(
        "{{ " + "(" * 500 + "1" + ")" * 500 + " }}"), HTML + CUSTOM, check="brackets nest too deep: 502 levels"),
    Case("deep-clause-expression", "roles/clerk.yaml:23:", duty('"{{ ' + "(" * 500 + "1" + ")" * 500 + ' }}"'),
         check="duties[1].text.en: brackets nest too deep"),
    Case("template-extends-itself", "SecurityError: templates nest too deep", page_with(
        "{% extends 'document.html.j2' %}"), HTML + CUSTOM),
    Case("deep-template-statements", f"templates/document.html.j2:{BODY_LINE}:", page_with(
        "{% if true %}" * 300 + "x" + "{% endif %}" * 300), HTML + CUSTOM,
         check="template statements nest too deep: 300 levels is over the nesting depth limit"),
    Case("deep-clause-statements", "roles/clerk.yaml:23:", duty('"' + "{% if 1 %}" * 200 + "x"
         + "{% endif %}" * 200 + '"'), check="duties[1].text.en: template statements nest too deep"),
    Case("template-prints-none", f"templates/document.html.j2:{BODY_LINE}: TemplateRuntimeError: a value the "
         "document does not have (None) would be printed", page_with("{{ doc.identity.industry }}"), HTML + CUSTOM),
    Case("template-code-fails", f"templates/document.html.j2:{BODY_LINE}: ZeroDivisionError: division by zero",
         page_with("{{ 1 / 0 }}"), HTML + CUSTOM),
    Case("template-macro-misused", f"templates/document.html.j2:{BODY_LINE}: TypeError: macro 'm'",
         page_with("{% macro m() %}{% call m() %}{% endcall %}{% endmacro %}{{ m() }}"), HTML + CUSTOM),
    Case("clause-code-fails", "clause 'register-mail' (en): template error: ZeroDivisionError: division by zero",
         duty('"{{ 1 / 0 }}"')),
    Case("depth-limit-lowered", "nest too deep: 4 levels is over the nesting depth limit of 3 levels",
         env={"JOBDESC_MAX_DEPTH": "3"}),
    # --- memory, any way it is spent (JOBDESC_MAX_MEMORY_MB; the cheap checks name the template output limit)
    *(Case(f"template-{name}", "is over the template output limit of 2,000,000 characters; to allow more, set "
           "JOBDESC_MAX_TEMPLATE_CHARS", page_with(snippet), HTML + CUSTOM) for name, snippet in (
        ("ljust", "{{ 'x'.ljust(10**9) }}"),
        ("rjust", "{{ 'x'.rjust(999999999) }}"),
        ("zfill", "{{ '1'.zfill(999999999) }}"),
        ("center-filter", "{{ 'x'|center(999999999) }}"),
        ("indent-filter", "{{ 'x\ny'|indent(999999999) }}"),
        ("format-method", "{{ '{:>999999999}'.format('x') }}"),
        ("format-nested-width", "{{ '{:>{w}}'.format('x', w=999999999) }}"),
        ("percent-format", "{{ '%999999999s' % 'x' }}"),
        ("format-filter", "{{ '%999999999d'|format(1) }}"),
        ("replace-grows", "{% set s = 'x' * 1000000 %}{{ s.replace('x', 'xxxxxxxxxx') }}"),
    )),
    *(Case(f"memory-{fmt}", "the document needed too much memory: over 200 MB is over the memory per document limit "
           "of 200 MB; to allow more, set JOBDESC_MAX_MEMORY_MB", page_with(
               "{% set s = 'x' * 1000000 %}{% set ns = namespace(a=[]) %}"
               "{% for i in range(100000) %}{% set _ = ns.a.append(s ~ i) %}{% endfor %}"),
           ("--format", fmt, *CUSTOM), env={"JOBDESC_MAX_MEMORY_MB": "200"}) for fmt in ("html", "pdf")),
    # --- invisible characters in every input: one check, with file, line and column
    *(Case(f"invisible-{name}", f"roles/clerk.yaml:23:{column}: duties[1].text.en: {described}",
           duty(f"Register{ch} mail.")) for name, ch, column, described in (
        ("nel", "\u0085", 19, "U+0085 NEXT LINE (NEL) is a line or paragraph separator"),
        ("line-separator", "\u2028", 19, "U+2028 LINE SEPARATOR is a line or paragraph separator"),
        ("paragraph-separator", "\u2029", 19, "U+2029 PARAGRAPH SEPARATOR is a line or paragraph separator"),
        ("zero-width-space", "\u200b", 19, "U+200B ZERO WIDTH SPACE is an invisible character"),
        ("bom-inside", "\ufeff", 19, "U+FEFF ZERO WIDTH NO-BREAK SPACE is an invisible character"),
        ("bidi-isolate", "\u2066", 19, "U+2066 LEFT-TO-RIGHT ISOLATE is a bidirectional control"),
        ("tag-character", "\U000e0041", 19, "U+E0041 TAG LATIN CAPITAL LETTER A is an invisible character"),
        ("private-use", "\ue000", 19, "U+E000 is a private-use character"),
    )),
    Case("invisible-in-organisation", "organisations/bg.yaml:1:14: name: U+202E RIGHT-TO-LEFT OVERRIDE is a "
         "bidirectional control", {ORG: ORG_TEXT.replace("name: Example Ltd", "name: Example\u202e Ltd")}),
    Case("invisible-in-a-comment", "roles/clerk.yaml:1:4: U+202E RIGHT-TO-LEFT OVERRIDE",
         {ROLE: "# T\u202ehe" + CLERK[3:]}),
    Case("bidi-in-employee-name", "staff.csv:3:5: U+202E RIGHT-TO-LEFT OVERRIDE is a bidirectional control",
         {"staff.csv": "name,position\nAna Lopez,clerk\nJose\u202e0001,clerk\n"},
         ("--employees", "{root}/staff.csv")),
    Case("control-in-employee-list", "staff.csv:2:4: U+0007 is a control character",
         {"staff.csv": "name,position\nAna\x07 Lopez,clerk\n"}, ("--employees", "{root}/staff.csv")),
    Case("nel-in-employee-list", "staff.csv:2:4: U+0085 NEXT LINE (NEL)",
         {"staff.csv": "name,position\nAna\u0085Lopez,clerk\n"}, ("--employees", "{root}/staff.csv")),
    Case("invisible-in-template", f"templates/document.html.j2:{BODY_LINE}:7: U+202E RIGHT-TO-LEFT OVERRIDE",
         page_with("\u202e"), HTML + CUSTOM),
    Case("invisible-in-role-name", "role 'clerk\\u200b': U+200B ZERO WIDTH SPACE at character 6 is an invisible "
         "character", args=("clerk\u200b",), exit_code=2),
    Case("invisible-in-option", "jurisdiction 'b\\u202eg': U+202E RIGHT-TO-LEFT OVERRIDE at character 2",
         args=("--jurisdiction", "b\u202eg"), exit_code=2),
    Case("homoglyph-key", "roles/clerk.yaml:20: dut\u0456es: unknown field (it has U+0456 CYRILLIC SMALL LETTER "
         "BYELORUSSIAN-UKRAINIAN I at position 4: type the name in plain Latin letters); did you mean 'duties'?",
         {ROLE: CLERK.replace("duties:", "dut\u0456es:")}),
    # --- names, never paths; every file read inside its folder, by inode
    Case("industry-path", "industry '../../elsewhere/x' is not a name", args=("--industry", "../../elsewhere/x"),
         exit_code=2),
    Case("jurisdiction-path", "jurisdiction '../roles/clerk' is not a name",
         args=("--jurisdiction", "../roles/clerk"), exit_code=2),
    Case("role-path", "role '../elsewhere' is not a name", args=("../elsewhere",), exit_code=2),
    Case("template-hard-link", "templates/document.html.j2: has 2 names (a hard link)", args=HTML + CUSTOM,
         setup=lambda root: hard_link(root, PAGE)),
    Case("stylesheet-hard-link", "print.css: has 2 names (a hard link)", args=PDF + CUSTOM,
         setup=lambda root: hard_link(root, "templates/print.css")),
    Case("role-symlink-out", "roles/clerk.yaml: a symbolic link", setup=symlinked_role),
    Case("template-fifo", "templates/document.html.j2: not a regular file", args=HTML + CUSTOM, setup=fifo_page),
    Case("reference-not-a-docx", "templates/reference.docx: not a Word document that can be read",
         {"templates/reference.docx": b"not a zip"}, ("--format", "docx", *CUSTOM)),
    # --- sizes and emptiness
    Case("huge-template", "templates/document.html.j2: the file is too large: 2,00", page_with("x" * 2_000_000),
         HTML + CUSTOM),
    Case("huge-stylesheet", "print.css: the file is too large: 2,500,000 bytes is over the file size limit",
         {"templates/print.css": "p {}\n" * 500_000}, PDF + CUSTOM),
    *(Case(f"empty-{option.strip('-')}", f"{option} is empty", args=(f"{option}=",), exit_code=2)
      for option in ("--lang", "--jurisdiction", "--industry", "--org")),
    # --- the command line
    Case("unknown-language", "unknown language 'xx'", args=("--lang", "xx"), exit_code=2),
    Case("unknown-industry", "unknown industry 'mining'", args=("--industry", "mining"), exit_code=2),
    Case("unknown-format", "unknown format 'odt'", args=("--format", "odt"), exit_code=2),
    Case("unknown-role", "unknown role 'nobody'", args=("nobody",), exit_code=2),
    Case("output-under-a-file", "cannot write into out/blocked/sub: Not a directory", args=("-o", "out/blocked/sub")),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_bad_input_is_refused_clearly_and_changes_nothing(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(shutil.copytree(DATA / "overlays", tmp_path / "profiles"))
    for name, content in case.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if case.setup:
        case.setup(root)
    for variable, value in case.env.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    signed = out / "clerk_bg_en-GB.pdf"
    signed.write_bytes(b"an earlier, signed version")
    (out / "blocked").write_text("a file, not a folder")
    before = sorted(p.name for p in out.iterdir())

    args = [a.replace("{root}", str(root)) for a in case.args]
    role = [] if args and not args[0].startswith("-") else ["clerk"]  # the case names its own role
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["--profiles", str(root), "render", *role, "--lang", "en", *HTML, *args])

    assert result.exit_code == case.exit_code, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a message, never a traceback
    assert "Traceback" not in result.output
    assert case.expected in result.output.replace("\n", " "), result.output
    assert case.check in result.output.replace("\n", " "), result.output
    assert sorted(p.name for p in out.iterdir()) == before
    assert signed.read_bytes() == b"an earlier, signed version"
    assert time.perf_counter() - started < 60  # refused, not rendered for minutes (not a speed test)
