"""The bad-input catalogue: files from other people, each with one mistake or one attack.

Every case runs the command line on a copy of a small profile library (tests/data/overlays)
with one file changed, and expects what a user needs: a non-zero exit, a message that
names the file, line and field (or the limit and how to raise it), and an output folder
left exactly as it was, an earlier signed file included.
"""

from __future__ import annotations

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


def symlinked_page(root: Path) -> None:
    (root / "outside.j2").write_text("{{ doc.title }}", encoding="utf-8")
    (root / "templates").mkdir(exist_ok=True)
    (root / PAGE).symlink_to(root / "outside.j2")


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
    Case("missing-translation", "roles/clerk.yaml:23: duties[0].text: no 'bg' translation (has: en)",
         {ROLE: CLERK.replace("      bg: Регистрира входящата поща.\n", "")}, ("--lang", "bg")),
    Case("impossible-date", "organisations/bg.yaml:6: date: '2026-02-30' is not a real date",
         {ORG: (DATA / "orgs" / "valid.yaml").read_text(encoding="utf-8").replace("2026-03-05", "2026-02-30")}),
    Case("control-character", "roles/clerk.yaml:23:19: duties[0].text.en: U+0007 is a control character", duty("Register\x07 mail.")),
    Case("bidi-override", "roles/clerk.yaml:23: duties[0].text.en: U+202E RIGHT-TO-LEFT OVERRIDE at character 10 is a bidirectional control",
         duty('"Register \\u202e0001."')),
    # --- overlays
    Case("overlay-missing-id", "industries/missing-target.yaml:6: insert_after: no clause 'no-such-clause'",
         args=("--industry", "missing-target")),
    Case("extends-cycle", "roles/loop-a.yaml:1: extends: roles extend each other in a cycle", args=("loop-a",)),
    # --- template syntax and the sandbox, in clause text
    Case("clause-template-syntax", "roles/clerk.yaml:23: duties[0].text.en: template syntax", duty('"{{ oops"')),
    Case("clause-unknown-variable", "roles/clerk.yaml:23: clause 'register-mail' (en): 'organization' is undefined",
         duty('"For {{ organization }}."')),
    Case("clause-attribute-trick", "clause 'register-mail' (en): refused by the template sandbox",
         duty("\"{{ ''.__class__.__mro__[1].__subclasses__() }}\"")),
    Case("clause-huge-string", "is over the template output limit of 2,000,000 characters; to allow more, set "
         "JOBDESC_MAX_TEMPLATE_CHARS", duty("\"{{ 'x' * 10**9 }}\"")),
    Case("clause-huge-loop", "over the template output limit",
         duty('"{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"')),
    Case("clause-too-long", "roles/clerk.yaml:23: duties[0].text.en: 6,000 characters is over the clause length "
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
    Case("template-symlink-out", "templates/document.html.j2: a symbolic link, which may lead outside", args=HTML + CUSTOM, setup=symlinked_page),
    Case("stylesheet-symlink-out", "refused to fetch", args=PDF + CUSTOM, setup=symlinked_stylesheet),
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
    role = [] if any(a in ("nobody", "loop-a") for a in args) else ["clerk"]
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["--profiles", str(root), "render", *role, "--lang", "en", *HTML, *args])

    assert result.exit_code == case.exit_code, result.output
    assert case.expected in result.output.replace("\n", " "), result.output
    assert sorted(p.name for p in out.iterdir()) == before
    assert signed.read_bytes() == b"an earlier, signed version"
    assert time.perf_counter() - started < 60  # refused, not rendered for minutes (not a speed test)
