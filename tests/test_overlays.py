"""A lawyer's story: overlays change a role's clauses by id, and every change can be traced.

The bundle under tests/data/overlays/ holds a small role, a role that extends it,
industries that use every operation or make each mistake, a jurisdiction and an
organisation that change a clause too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DATA

from jobdesc.bundle import Bundle
from jobdesc.cli import main
from jobdesc.errors import ProfileError
from jobdesc.i18n import catalog
from jobdesc.model import Document
from jobdesc.pipeline import Request, build_document

BUNDLE = Bundle(DATA / "overlays")


def document(role: str = "clerk", **request: Any) -> Document:
    return build_document(Request(role=role, language="en", **request), BUNDLE)[0]


def numbered(doc: Document, section: str) -> list[tuple[str, str]]:
    part = next(s for s in doc.sections if s.key == section)
    return [(c.number, c.id) for c in part.walk()]


def error_of(**request: Any) -> str:
    with pytest.raises(ProfileError) as caught:
        document(**request)
    return str(caught.value)


def test_every_operation_changes_the_clauses_in_place() -> None:
    doc = document(industry="every-operation")
    assert numbered(doc, "duties") == [
        ("1.", "open-mail"),
        ("2.", "register-mail"),
        ("3.", "file-mail"),
        ("4.", "archive"),
        ("4.1.", "archive-yearly"),
        ("4.2.", "archive-on-request"),
    ]
    assert numbered(doc, "rights") == [("1.", "sign-receipts")]
    register = next(c for c in doc.clauses() if c.id == "register-mail")
    assert register.text == "Register incoming and outgoing mail."


def test_each_clause_knows_the_file_and_line_its_text_comes_from() -> None:
    doc = document(industry="every-operation")
    origins = {c.id: (c.layer, c.origin) for c in doc.clauses()}
    assert origins["register-mail"] == ("industry", "tests/data/overlays/industries/every-operation.yaml:4")
    assert origins["no-backlog"] == ("role", "tests/data/overlays/roles/clerk.yaml:38")


def test_the_merge_order_is_role_industry_jurisdiction_organisation() -> None:
    own_clause = DATA / "overlays" / "organisations" / "own-clause.yaml"
    doc = document(industry="sets-duty", jurisdiction="overrides", organisation=own_clause)
    texts = {c.id: (c.layer, c.text) for c in doc.clauses()}
    assert texts["register-mail"] == ("jurisdiction", "Jurisdiction text.")  # the jurisdiction comes after the industry
    assert texts["improper-performance"] == ("organisation", "Organisation text.")


def test_an_overlay_naming_a_missing_clause_is_an_error_with_its_file_and_line() -> None:
    error = error_of(industry="missing-target")
    path = "tests/data/overlays/industries/missing-target.yaml"
    assert f"{path}:4: replace: no clause 'request-documents' in role 'clerk' (removed at {path}:3)" in error
    assert f"{path}:6: insert_after: no clause 'no-such-clause' in role 'clerk'" in error
    assert f"{path}:9: insert_before: clause id 'requirements' is already in role 'clerk'" in error


def test_an_overlay_may_not_leave_a_section_empty() -> None:
    assert "evaluation: the overlays leave this section empty" in error_of(industry="empties-a-section")


def test_an_operation_names_exactly_one_kind() -> None:
    error = error_of(industry="two-operations")
    assert "two-operations.yaml:3: clauses[1]: needs exactly one of replace, remove, insert_before" in error


def test_a_role_that_extends_another_keeps_its_clauses_and_adds_its_own() -> None:
    doc = document("senior-clerk")
    assert doc.subtitle == catalog("en").gettext("for the position of %(role)s") % {"role": "Senior clerk"}
    assert numbered(doc, "duties") == [("1.", "register-mail"), ("2.", "supervise-clerks")]


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("loop-a", "loop-a.yaml:1: extends: roles extend each other in a cycle: loop-a -> loop-b -> loop-a"),
        ("orphan", "orphan.yaml:1: extends: unknown role 'nobody'; valid: clerk,"),
    ],
)
def test_a_broken_extends_is_an_error(role: str, message: str) -> None:
    assert message in error_of(role=role)


def test_explain_prints_each_clause_with_its_origin(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["--profiles", str(DATA / "overlays"), "explain", "clerk", "--lang", "en", "--industry", "every-operation"],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"II. {catalog('en').gettext('Duties')}" in lines
    assert "  2. [register-mail] industry: tests/data/overlays/industries/every-operation.yaml:4" in lines
    assert "      Register incoming and outgoing mail." in lines


def test_the_organisation_may_choose_the_other_sign_off_form() -> None:
    """Bulgaria's custom is the APPROVED/AGREED block; an organisation can ask for the table."""
    assert document(jurisdiction="bg").approval.form == "approval-block"
    chosen = document(jurisdiction="bg", organisation=DATA / "overlays" / "organisations" / "prefers-table.yaml")
    assert chosen.approval.form == "signature-table"
    assert chosen.approval.approved_label == "Approved by"
