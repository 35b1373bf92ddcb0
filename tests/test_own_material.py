"""An HR user's own material over the bundled library: their role beside ours, their
jurisdiction file replacing ours, a validate that finds what a render would, industries that
say which roles they fit, and a batch using their organisation file from anywhere."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DATA

from jobdesc.cli import main
from jobdesc.paths import PROFILES

CLERK = (DATA / "overlays" / "roles" / "clerk.yaml").read_text(encoding="utf-8")


def jobdesc(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert isinstance(result.exception, SystemExit | type(None)), result.exception
    return result


@pytest.fixture
def mine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's folder with one role of their own, the clerk (English and Bulgarian)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hr" / "roles").mkdir(parents=True)
    (tmp_path / "hr" / "roles" / "clerk.yaml").write_text(CLERK, encoding="utf-8")
    return tmp_path / "hr"


def test_a_role_of_ones_own_renders_beside_the_bundled_ones(mine: Path) -> None:
    listed = jobdesc("--profiles", str(mine), "list")
    assert "roles: account-manager, clerk (hr), key-account-manager" in listed.output
    assert "jurisdictions: bg, de, es, fr, gb, it, pl, pt, ro, ru, ua" in listed.output  # all ours
    rendered = jobdesc("--profiles", str(mine), "render", "clerk", "--jurisdiction", "gb", "--format", "html")
    assert rendered.exit_code == 0, rendered.output
    assert Path("out/clerk_gb_en-GB.html").is_file()


def test_a_jurisdiction_file_of_ones_own_replaces_the_bundled_one(mine: Path) -> None:
    (mine / "jurisdictions").mkdir()
    ours = (PROFILES / "jurisdictions" / "gb.yaml").read_text(encoding="utf-8")
    changed = ours.replace("from time to time after consulting the post-holder.", "once a year, with the post-holder.")
    (mine / "jurisdictions" / "gb.yaml").write_text(changed, encoding="utf-8")
    explained = jobdesc("--profiles", str(mine), "explain", "--jurisdiction", "gb")
    assert explained.exit_code == 0, explained.output
    assert "hr/jurisdictions/gb.yaml:" in explained.output
    assert "update it once a year, with the post-holder." in explained.output
    listed = json.loads(jobdesc("--profiles", str(mine), "list", "--json").output)
    assert listed["from"]["jurisdictions"]["gb"] == "hr" and listed["from"]["jurisdictions"]["de"] == "bundled"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (  # a misspelt variable in one language only: found although nobody rendered Bulgarian yet
            ("      bg: Регистрира входящата поща.", "      bg: Регистрира пощата на {{ organizaton }}."),
            "hr/roles/clerk.yaml:24: duties[1].text.bg: unknown variable 'organizaton'; the variables a clause can "
            "use are: ",
        ),
        (  # a clause without a language the role is written in: named with the language and its position
            ("      bg: Изисква документи.\n", ""),
            "hr/roles/clerk.yaml:28: rights[1].text: no 'bg' translation (has: en)",
        ),
    ],
    ids=["variable-in-one-language", "missing-translation"],
)
def test_validate_finds_what_a_render_would(mine: Path, change: tuple[str, str], expected: str) -> None:
    role = mine / "roles" / "clerk.yaml"
    text = role.read_text(encoding="utf-8")
    assert change[0] in text
    role.write_text(text.replace(*change), encoding="utf-8")
    result = jobdesc("--profiles", str(mine), "validate")
    assert result.exit_code == 1
    assert expected in result.output


def test_validate_checks_a_role_only_in_its_own_languages_and_sums_up_what_cannot_render(mine: Path) -> None:
    """The clerk is written in English and Bulgarian: not 80 problems for the nine other
    languages; the bundled sample organisations have no occupation code for it, said once each."""
    result = jobdesc("--profiles", str(mine), "validate")
    assert result.exit_code == 0, result.output
    unsupported = [line for line in result.output.splitlines() if line.startswith("not supported: ")]
    assert "not supported: role 'clerk' in jurisdiction 'bg': " in result.output
    assert "positions.clerk.occupation_code: missing" in result.output
    assert len(unsupported) == len({line.split(":")[1] for line in unsupported})  # once per pair
    assert "ok: 1 role(s), 0 industries, 0 jurisdiction(s), 0 organisation(s), 11 languages" in result.output


def test_validate_with_an_organisation_checks_what_it_will_render(mine: Path) -> None:
    organisation = (DATA / "overlays" / "organisations" / "bg.yaml").read_text(encoding="utf-8")
    (mine.parent / "acme.yaml").write_text(organisation, encoding="utf-8")
    result = jobdesc("--profiles", str(mine), "validate", "--org", str(mine.parent / "acme.yaml"))
    assert result.exit_code == 1  # the bundled bg framework asks the organisation for the clerk's code
    assert "acme.yaml" in result.output and "positions.clerk.occupation_code: missing" in result.output


def test_an_industry_says_which_roles_it_fits(mine: Path) -> None:
    result = jobdesc("--profiles", str(mine), "render", "clerk", "--industry", "banking", "--format", "html")
    assert result.exit_code == 1
    assert (
        "industries/banking.yaml:16: roles: written for the role(s) account-manager, whose clauses its operations "
        "name; role 'clerk' is not one of them" in result.output.replace("\n", " ")
    )
    extending = jobdesc("render", "key-account-manager", "--industry", "banking", "--format", "html")
    assert extending.exit_code == 0, extending.output  # it extends account-manager, so it fits


def test_a_batch_uses_an_organisation_file_from_anywhere(mine: Path, tmp_path: Path) -> None:
    shutil.copy(PROFILES / "organisations" / "gb.yaml", tmp_path / "acme.yaml")
    batch = mine / "batches" / "acme.yaml"
    batch.parent.mkdir()
    batch.write_text(
        "roles: [account-manager]\njurisdictions: [gb]\nformats: [html]\norganisation_file: ../../acme.yaml\n"
    )
    result = jobdesc("--profiles", str(mine), "batch", str(batch), "-o", "out", "-j", "1")
    assert result.exit_code == 0, result.output
    assert Path("out/account-manager_gb_en-GB.html").is_file()
    batch.write_text("roles: [account-manager]\njurisdictions: [gb]\norganisation_file: ../nowhere.yaml\n")
    missing = jobdesc("--profiles", str(mine), "batch", str(batch), "-o", "out")
    assert missing.exit_code == 1
    assert "batches/acme.yaml:3: organisation_file: no organisation file '../nowhere.yaml' beside" in missing.output
