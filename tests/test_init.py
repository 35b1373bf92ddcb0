"""A new user's first ten minutes: `jobdesc init` their organisation and a role into an empty
folder, validate it, render it as PDF and DOCX, and read their own names back."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from conftest import pdf_text

from jobdesc.cli import main


def jobdesc(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="jobdesc", input=input, catch_exceptions=False)


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's empty working folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# (jurisdiction, what the user types at init's questions, what they expect on the page)
STORIES = {
    "gb": (
        "Acme Trading Ltd\ngb\nLeeds\nManaging Director: Jane Smith\nlegal=Head of Legal: Priya Sharma\n",
        ["Acme Trading Ltd", "Jane Smith", "Priya Sharma", "Managing Director"],
    ),
    "es": (
        "Ibérica de Envases, S.L.\nes\nSevilla\nGerente: Ana Ruiz Gil\nlegal=Asesora jurídica: Eva Mora\n"
        "Convenio colectivo del comercio de Sevilla\nIII\n",
        ["Ibérica de Envases, S.L.", "Ana Ruiz Gil", "Eva Mora", "Convenio colectivo del comercio de Sevilla"],
    ),
}


@pytest.mark.parametrize("jurisdiction", sorted(STORIES))
def test_a_new_user_inits_their_company_and_a_role_validates_and_renders_both_formats(
    empty: Path, jurisdiction: str
) -> None:
    answers, expected = STORIES[jurisdiction]
    role = jobdesc("init", "role", "sales-rep", "--from", "account-manager")
    assert role.exit_code == 0, role.output
    assert role.stdout.startswith("wrote profiles/roles/sales-rep.yaml\n")
    organisation = jobdesc("init", "organisation", "acme", input=answers)  # every question asked and answered
    assert organisation.exit_code == 0, organisation.output
    assert "wrote profiles/organisations/acme.yaml" in organisation.stdout
    assert sorted(str(p.relative_to(empty)) for p in empty.rglob("*.yaml")) == [
        "profiles/organisations/acme.yaml",
        "profiles/roles/sales-rep.yaml",
    ]

    checked = jobdesc("--profiles", "profiles", "validate")
    assert checked.exit_code == 0, checked.output
    mine = "ok: 1 role(s), 0 industries, 0 jurisdiction(s), 1 organisation(s), 11 languages"
    assert f"{mine} (yours, over the bundled library)" in checked.stdout

    rendered = jobdesc("--profiles", "profiles", "render", "sales-rep", "--org", "acme", "--format", "pdf,docx")
    assert rendered.exit_code == 0, rendered.output
    language = {"gb": "en-GB", "es": "es-ES"}[jurisdiction]
    pdf = empty / "out" / f"sales-rep_{jurisdiction}_{language}.pdf"
    page = " ".join(pdf_text(pdf, mode="-raw").split())
    word = " ".join(docx_text(pdf.with_suffix(".docx")).split())
    for text in expected:
        assert text in page, text
        assert text in word, text


def test_a_role_from_the_skeleton_renders_once_its_texts_are_the_users(empty: Path) -> None:
    jobdesc(
        "init", "organisation", "acme", "--name", "Acme Trading Ltd", "--jurisdiction", "gb", "--city", "Leeds",
        "--approved-by", "Managing Director: Jane Smith", "--agreed-by", "hr=Head of HR: Tom Brown",
    )  # fmt: skip
    made = jobdesc("init", "role", "clerk")
    assert made.exit_code == 0, made.output
    skeleton = empty / "profiles" / "roles" / "clerk.yaml"
    written = skeleton.read_text(encoding="utf-8")
    fields = [line for line in written.splitlines() if line and not line.startswith((" ", "#"))]
    assert [f.split(":")[0] for f in fields] == [
        "title", "subject", "supervisor", "education", "experience_years",
        "general", "duties", "rights", "liability", "evaluation",
    ]  # fmt: skip
    assert all("  # " in f for f in fields), "every field has a comment"
    assert "  bg:" not in written, "the texts are in the organisations' language (en) only"
    skeleton.write_text(written.replace('"Account Manager"', '"Accounts Clerk"'), encoding="utf-8")

    rendered = jobdesc("--profiles", "profiles", "render", "clerk", "--org", "acme", "--format", "pdf,docx")
    assert rendered.exit_code == 0, rendered.output
    pdf = empty / "out" / "clerk_gb_en-GB.pdf"
    assert "ACCOUNTS CLERK" in pdf_text(pdf).upper()
    assert "Accounts Clerk" in docx_text(pdf.with_suffix(".docx"))


def test_init_never_overwrites_a_users_file(empty: Path) -> None:
    assert jobdesc("init", "role", "clerk").exit_code == 0
    (empty / "profiles" / "roles" / "clerk.yaml").write_text("# my edits\n", encoding="utf-8")
    again = jobdesc("init", "role", "clerk", "--from", "account-manager")
    assert again.exit_code == 2
    assert "error: profiles/roles/clerk.yaml exists; edit it, or give --force to write it anew" in again.stderr
    assert (empty / "profiles" / "roles" / "clerk.yaml").read_text(encoding="utf-8") == "# my edits\n"


def test_a_role_added_later_names_the_blanks_its_organisation_must_fill(empty: Path) -> None:
    jobdesc(
        "init", "organisation", "iberica", "--name", "Ibérica S.L.", "--jurisdiction", "es", "--city", "Sevilla",
        "--approved-by", "Gerente: Ana Ruiz", "--agreed-by", "legal=Asesora jurídica: Eva Mora",
        "--collective-agreement", "Convenio colectivo del comercio de Sevilla", "--blank", "professional_group=III",
    )  # fmt: skip
    added = jobdesc("init", "role", "buyer", "--from", "account-manager")
    assert added.exit_code == 0, added.output
    expected = "warning: profiles/organisations/iberica.yaml: add positions.buyer.professional_group (es requires it)"
    assert expected in added.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["role", "../x"], "role '../x' is not a name"),
        (["role", "clerk", "--from", "nobody"], "unknown role 'nobody'; valid: account-manager, key-account-manager"),
        (["role", "clerk", "--languages", "en,xx"], "unknown language xx; valid: bg, de, en"),
        (
            ["organisation", "acme", "--name", "A", "--jurisdiction", "mars", "--city", "B", "--approved-by", "C: D",
             "--agreed-by", "hr=E: F"],
            "Invalid value for '--jurisdiction': unknown jurisdiction 'mars'; valid: bg, de, es",
        ),
        (
            ["organisation", "acme", "--name", "A", "--jurisdiction", "gb", "--city", "B", "--approved-by", "Jane",
             "--agreed-by", "hr=E: F"],
            "--approved-by 'Jane': write it as 'POSITION: NAME'",
        ),
        (
            ["organisation", "acme", "--name", "A", "--jurisdiction", "gb", "--city", "B", "--approved-by", "C: D",
             "--agreed-by", "Legal Department=E: F"],
            "--agreed-by 'Legal Department=E: F': the division is an id of lowercase letters, digits and hyphens",
        ),
    ],
)
def test_init_refuses_what_it_cannot_write_and_writes_nothing(empty: Path, args: list[str], message: str) -> None:
    result = jobdesc("init", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(empty.rglob("*.yaml")) == []


def test_init_profiles_makes_a_whole_folder_that_renders(empty: Path) -> None:
    made = jobdesc(
        "init", "profiles", "hr", "--org", "acme", "--role", "clerk", "--from", "account-manager",
        "--name", "Acme Trading Ltd", "--jurisdiction", "gb", "--city", "Leeds",
        "--approved-by", "Managing Director: Jane Smith", "--agreed-by", "hr=Head of HR: Tom Brown",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert made.stdout.splitlines()[-1] == "next: jobdesc --profiles hr render clerk --org acme"
    rendered = jobdesc("--profiles", "hr", "render", "clerk", "--org", "acme", "--format", "html")
    assert rendered.exit_code == 0, rendered.output
    assert "Acme Trading Ltd" in (empty / "out" / "clerk_gb_en-GB.html").read_text(encoding="utf-8")


def test_a_new_folders_first_role_is_written_in_the_organisations_language(empty: Path) -> None:
    made = jobdesc(
        "init", "profiles", "rh", "--org", "iberica", "--role", "comercial",
        "--name", "Ibérica S.L.", "--jurisdiction", "es", "--city", "Sevilla", "--approved-by", "Gerente: Ana Ruiz",
        "--agreed-by", "legal=Asesora jurídica: Eva Mora", "--collective-agreement", "Convenio colectivo",
        "--blank", "professional_group=III",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    role = (empty / "rh" / "roles" / "comercial.yaml").read_text(encoding="utf-8")
    assert '  es: "Gestor/a de cuentas"' in role
    assert "  en:" not in role
    organisation = (empty / "rh" / "organisations" / "iberica.yaml").read_text(encoding="utf-8")
    assert '  comercial: {professional_group: "III"}' in organisation


def test_a_wrong_answer_is_asked_again(empty: Path) -> None:
    answers = "Acme Trading Ltd\nengland\ngb\nLeeds\nManaging Director: Jane Smith\nhr=Head of HR: Tom Brown\n"
    result = jobdesc("init", "organisation", "acme", input=answers)
    assert result.exit_code == 0, result.output
    assert "unknown jurisdiction 'england'; valid: bg, de, es, fr, gb, it, pl, pt, ro, ru, ua" in result.output
    assert result.stdout.count("Jurisdiction (e.g. gb; see jobdesc list): ") == 2
    assert "jurisdiction: gb" in (empty / "profiles" / "organisations" / "acme.yaml").read_text(encoding="utf-8")
