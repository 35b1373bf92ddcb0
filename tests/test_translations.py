"""A translator's story: catalogs complete and compiled, plural forms right in each language."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import DATA, JURISDICTION_OF

from jobdesc.assemble import assemble
from jobdesc.bundle import Bundle
from jobdesc.errors import RenderError
from jobdesc.i18n import DOMAIN, LANGUAGES, catalog, parse_language
from jobdesc.paths import LOCALES, PROFILES
from jobdesc.profile import load_jurisdiction, load_organisation, load_role

TRANSLATED = list(LANGUAGES)  # English included: its catalog says what a British document says
ROOT = Path(__file__).parent.parent


def po_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def test_the_template_lists_every_message_the_code_uses() -> None:
    in_code = {message for _, _, message, _, _ in extract_from_dir(ROOT / "jobdesc", method_map=[("**.py", "python")])}
    in_code = {m[0] if isinstance(m, tuple) else m for m in in_code}
    with (LOCALES / f"{DOMAIN}.pot").open("rb") as handle:
        template = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(handle) if m.id}
    assert template == in_code, "run: pybabel extract -F babel.cfg -o locales/jobdesc.pot . (see README)"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code: str) -> None:
    with po_path(code).open("rb") as handle:
        messages = [m for m in read_po(handle) if m.id]
    untranslated = [m.id for m in messages if not all(m.string if isinstance(m.string, tuple) else [m.string])]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalog_matches_its_source(code: str) -> None:
    with po_path(code).open("rb") as handle:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(handle, locale=code))
    assert po_path(code).with_suffix(".mo").read_bytes() == compiled.getvalue(), (
        "run: pybabel compile -d locales -D jobdesc"
    )


def test_a_message_missing_from_a_catalog_is_an_error_not_english() -> None:
    with pytest.raises(RenderError, match=r"bg/LC_MESSAGES/jobdesc.po: no translation for 'Not in any catalog'"):
        catalog("bg").gettext("Not in any catalog")


EXPERIENCE = {
    ("bg", 1): "най-малко 1 година",
    ("bg", 2): "най-малко 2 години",
    ("bg", 5): "най-малко 5 години",
    ("en", 1): "at least 1 year’s",
    ("en", 5): "at least 5 years’",
    ("es", 1): "al menos 1 año",
    ("es", 2): "al menos 2 años",
    ("it", 1): "almeno 1 anno",
    ("it", 5): "almeno 5 anni",
    ("pt", 1): "um mínimo de 1 ano",
    ("pt", 2): "um mínimo de 2 anos",
    ("ru", 1): "не менее 1 года",
    ("ru", 3): "не менее 3 лет",
    ("ru", 21): "не менее 21 года",
    ("uk", 1): "не менше 1 року",
    ("uk", 5): "не менше 5 років",
    ("pl", 1): "co najmniej 1 rok",
    ("pl", 3): "co najmniej 3 lata",
    ("pl", 5): "co najmniej 5 lat",
    ("pl", 22): "co najmniej 22 lata",
    ("ro", 1): "cel puțin 1 an",
    ("ro", 2): "cel puțin 2 ani",
    ("ro", 20): "cel puțin 20 de ani",
    ("de", 1): "mindestens 1 Jahr",
    ("de", 3): "mindestens 3 Jahre",
    ("fr", 1): "au moins 1 an",
    ("fr", 2): "au moins 2 ans",
}


@pytest.mark.parametrize(("code", "years"), list(EXPERIENCE))
def test_years_of_experience_follow_the_languages_plural_rules(code: str, years: int) -> None:
    role = dataclasses.replace(load_role(PROFILES / "roles" / "account-manager.yaml"), experience_years=years)
    organisation = load_organisation(Bundle().organisation_for(JURISDICTION_OF[code]))
    jurisdiction = load_jurisdiction(PROFILES / "jurisdictions" / f"{JURISDICTION_OF[code]}.yaml")
    document = assemble(role, organisation, jurisdiction, parse_language(code))
    requirements = next(c for c in document.clauses() if c.id == "requirements")
    assert EXPERIENCE[code, years] in requirements.text.replace("\u00a0", " ")  # the number keeps its word


def test_a_role_without_experience_cannot_use_min_experience() -> None:
    role = dataclasses.replace(load_role(DATA / "roles" / "minimal.yaml"), experience_years=None)
    organisation = load_organisation(DATA / "orgs" / "valid.yaml")
    jurisdiction = load_jurisdiction(DATA / "overlays" / "jurisdictions" / "bg.yaml")
    with pytest.raises(Exception, match="'min_experience' is undefined"):
        assemble(role, organisation, jurisdiction, parse_language("en"))
