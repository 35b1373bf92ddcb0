"""A profile author's story: every mistake is reported with file, line and field.

Each case under tests/data/bad/ is a small golden input with one mistake; the
message must name the file, the line and the field, as ``file:line: field: message``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA

from jobdesc.assemble import assemble
from jobdesc.errors import ProfileError
from jobdesc.i18n import parse_language
from jobdesc.profile import load_jurisdiction, load_organisation, load_role

ROLE_CASES = [
    ("duplicate_key", 15, "experience_years", "duplicate key: already set on line 14"),
    ("unknown_field", 15, "experiance", "unknown field; did you mean 'experience_years'?"),
    ("duplicate_clause_id", 21, "duties: id", "clause id 'requirements' is used twice (first on line 16)"),
    ("missing_translation", 23, "duties[1].text", "no 'bg' translation (has: en)"),
    ("wrong_type", 14, "experience_years", "expected a whole number, found 'two'"),
    ("list_for_text", 3, "title.en", "expected a text, found a list"),
    (
        "unknown_language",
        30,
        "rights[1].text.xx",
        "unknown language 'xx'; valid: bg, de, en, es, fr, it, pl, pt, ro, ru, uk",
    ),
    ("empty_section", 35, "evaluation", "needs at least 1 item(s), found 0"),
    ("bad_id", 21, "duties[1].id", "'Register Mail' is not an id of lowercase letters, digits and hyphens"),
    ("unknown_variable", 23, "clause 'register-mail' (en)", "'organization' is undefined; the variables a clause"),
    ("template_syntax", 28, "rights[1].text.en", "template syntax: expected name or number"),
    ("sandbox_escape", 23, "clause 'register-mail' (en)", "refused by the template sandbox"),
    ("alias", 14, "", "anchors (&name) are not allowed"),
    ("python_tag", 14, "experience_years", "YAML tags like 'tag:yaml.org,2002:python/object/apply:os.system'"),
    ("two_documents", 15, "", "only one YAML document per file"),
    ("control_character", "23:28", "duties[1].text.en", "U+0007 is a control character; delete it"),
    ("bidi_override", 23, "duties[1].text.en", "U+202E RIGHT-TO-LEFT OVERRIDE at character 15 is a bidirectional"),
]
ORGANISATION_CASES = [
    ("org_impossible_date", 6, "date", "'2026-02-30' is not a real date"),
    ("org_date_format", 6, "date", "expected a date as YYYY-MM-DD, found '05.03.2026'"),
    ("org_unknown_language", 3, "language", "unknown language 'klingon'"),
    ("org_missing_field", 1, "approved_by", "required field is missing"),
]


def load_and_assemble_role(path: Path) -> None:
    """Load a role and build its document in both of its languages, as `jobdesc render` would."""
    role = load_role(path)
    organisation = load_organisation(DATA / "orgs" / "valid.yaml")
    jurisdiction = load_jurisdiction(DATA / "overlays" / "jurisdictions" / "bg.yaml")
    for language in ("en", "bg"):
        assemble(role, organisation, jurisdiction, parse_language(language))


def the_error(load: object, path: Path) -> str:
    with pytest.raises(ProfileError) as caught:
        load(path)  # type: ignore[operator]
    return str(caught.value)


def test_the_minimal_role_is_valid() -> None:
    load_and_assemble_role(DATA / "roles" / "minimal.yaml")


@pytest.mark.parametrize(("case", "line", "field", "message"), ROLE_CASES, ids=[c[0] for c in ROLE_CASES])
def test_a_broken_role_is_reported_with_file_line_and_field(
    case: str, line: int | str, field: str, message: str
) -> None:
    path = DATA / "bad" / f"{case}.yaml"
    error = the_error(load_and_assemble_role, path)
    where = f"bad/{case}.yaml:{line}: " + (f"{field}: " if field else "")
    assert where in error.splitlines()[0], error
    assert message in error


@pytest.mark.parametrize(
    ("case", "line", "field", "message"), ORGANISATION_CASES, ids=[c[0] for c in ORGANISATION_CASES]
)
def test_a_broken_organisation_is_reported_with_file_line_and_field(
    case: str, line: int, field: str, message: str
) -> None:
    path = DATA / "bad" / f"{case}.yaml"
    error = the_error(load_organisation, path)
    assert f"{case}.yaml:{line}: {field}: " in error
    assert message in error


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (DATA / "roles" / "minimal.yaml").read_text(encoding="utf-8")
    broken = text.replace("experience_years: 1", "experience_years: many\nsalary: 3").replace("en: Clerk", "en: ''")
    path = tmp_path / "role.yaml"
    path.write_text(broken, encoding="utf-8")
    error = the_error(load_role, path)
    assert "title.en: must not be empty" in error
    assert "experience_years: expected a whole number" in error
    assert "salary: unknown field" in error


def test_yaml_keeps_scalars_as_text(tmp_path: Path) -> None:
    """YAML 1.1 would read NO as false and 01234 as 668; a document number must stay as written."""
    text = (DATA / "orgs" / "valid.yaml").read_text(encoding="utf-8").replace('number: "7"', "number: 01234")
    path = tmp_path / "org.yaml"
    path.write_text(text.replace("name: Example Ltd", "name: NO"), encoding="utf-8")
    organisation = load_organisation(path)
    assert organisation.number.values == {"*": "01234"}
    assert organisation.name.values == {"*": "NO"}


def test_an_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("title: " + "x" * 1_100_000, encoding="utf-8")
    error = the_error(load_role, path)
    assert "1,100,007 bytes is over the file size limit of 1,000,000 bytes" in error
    assert "to allow more, set JOBDESC_MAX_FILE_BYTES" in error
