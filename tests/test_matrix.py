"""Any role in any jurisdiction and any language: every variant of the bundled library
builds, passes the output lint and renders complete in PDF and DOCX, with nothing attached,
linked out or scripted; each country's framework carries its own form."""

from __future__ import annotations

import copy
from itertools import product
from pathlib import Path

import pytest
import yaml
from policy_checks import docx_violations, pdf_violations

from jobdesc.batch import run_batch
from jobdesc.bundle import Bundle
from jobdesc.i18n import LANGUAGES
from jobdesc.languages import rules
from jobdesc.paths import PROFILES
from jobdesc.pipeline import Request, build_document
from jobdesc.profile import load_jurisdiction

BUNDLE = Bundle()
JURISDICTIONS = BUNDLE.jurisdictions()
WESTERN = [j for j in JURISDICTIONS if load_jurisdiction(BUNDLE.jurisdiction_path(j)).tradition == "western"]
DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(("role", "jurisdiction"), list(product(BUNDLE.roles(), JURISDICTIONS)))
def test_a_role_builds_in_every_language_for_a_jurisdiction(role: str, jurisdiction: str) -> None:
    for language in LANGUAGES:  # the lint runs inside: a finding raises
        document, _ = build_document(Request(role=role, language=language, jurisdiction=jurisdiction))
        assert document.clauses()


def assert_policy_kept(out: Path) -> int:
    """Every PDF and DOCX in ``out`` read back: no attachment, action, script or external
    relationship (tests/policy_checks.py). Returns how many files were read."""
    files = sorted([*out.glob("*.pdf"), *out.glob("*.docx")])
    found = {f.name: v for f in files if (v := pdf_violations(f) if f.suffix == ".pdf" else docx_violations(f))}
    assert found == {}
    return len(files)


def test_every_bundled_batch_renders_complete_and_clean(bundled_batches: dict[str, Path]) -> None:
    """The fixture fails on any variant the lint or the completeness check refuses."""
    for batch in (PROFILES / "batches").glob("*.yaml"):
        report = bundled_batches[batch.stem] / "report.json"
        assert report.is_file(), batch.name
        assert assert_policy_kept(bundled_batches[batch.stem]) > 0, batch.name


def test_every_role_jurisdiction_and_language_renders_complete_in_both_formats(tmp_path: Path) -> None:
    spec = {"roles": BUNDLE.roles(), "jurisdictions": JURISDICTIONS, "languages": list(LANGUAGES)}
    batch = tmp_path / "everything.yaml"
    batch.write_text(yaml.safe_dump(spec), encoding="utf-8")
    result = run_batch(batch, tmp_path / "out", workers=2)
    assert len(result.outcomes) == len(BUNDLE.roles()) * len(JURISDICTIONS) * len(LANGUAGES)
    assert [o.error for o in result.failed] == []
    assert assert_policy_kept(tmp_path / "out") == 2 * len(result.outcomes)


@pytest.mark.parametrize("jurisdiction", WESTERN)
def test_western_documents_carry_no_eastern_formula_in_any_language(jurisdiction: str) -> None:
    for language in LANGUAGES:
        document, _ = build_document(Request(language=language, jurisdiction=jurisdiction))
        text = " ".join(c.text for c in document.clauses()).lower()
        struck = [formula for formula in rules(language).struck_formulas if formula in text]
        assert struck == [], (language, struck)
        assert document.familiarization.form == "receipt"


@pytest.mark.parametrize(("jurisdiction", "sign_off", "acknowledgement"), [
    ("ru", "approval-with-visas", "familiarization-sheet"),
    ("ua", "approval-with-visas", "familiarization-sheet"),
    ("bg", "approval-with-visas", "familiarization-sheet"),
    ("es", "signature-table", "receipt"),
    ("de", "signature-table", "receipt"),
    ("gb", "signature-table", "receipt"),
])  # fmt: skip
def test_each_country_signs_off_and_acknowledges_its_own_way(
    jurisdiction: str, sign_off: str, acknowledgement: str
) -> None:
    document, _ = build_document(Request(jurisdiction=jurisdiction))
    assert document.approval.form == sign_off
    assert document.familiarization.form == acknowledgement
    assert document.notice is None  # in the jurisdiction's own language


def test_a_foreign_language_document_says_it_is_a_translation() -> None:
    document, _ = build_document(Request(language="es", jurisdiction="bg"))
    assert document.notice
    assert document.approval.form == "approval-with-visas"  # the country's form, in Spanish


def test_a_role_with_its_own_liability_clauses_renders_in_every_jurisdiction(tmp_path: Path) -> None:
    """The seed's textile-branch instruction: two liability items of its own, no bundled ids."""
    profiles = tmp_path / "profiles"
    for kind in ("jurisdictions", "organisations", "industries"):
        (profiles / kind).mkdir(parents=True)
        for path in (PROFILES / kind).glob("*.yaml"):
            (profiles / kind / path.name).write_bytes(path.read_bytes())
    (profiles / "roles").mkdir()
    role = DATA / "roles" / "textile-branch-manager.yaml"
    (profiles / "roles" / role.name).write_bytes(role.read_bytes())
    for path in (profiles / "organisations").glob("*.yaml"):  # the blanks of the new position
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "account-manager" in data.get("positions", {}):
            data["positions"][role.stem] = copy.deepcopy(data["positions"]["account-manager"])
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    bundle = Bundle(profiles)
    for jurisdiction in JURISDICTIONS:
        framework = load_jurisdiction(bundle.jurisdiction_path(jurisdiction)).framework
        language = load_jurisdiction(bundle.jurisdiction_path(jurisdiction)).language
        document, _ = build_document(Request(role=role.stem, language=language, jurisdiction=jurisdiction), bundle)
        liability = next(s for s in document.sections if s.key == "liability")
        ids = [c.id for c in liability.clauses]
        assert ids == [c.id for c in framework.liability] + ["stock-shortages", "samples"], jurisdiction
