"""Nothing foreign reaches a page: each rule of the output lint refuses its golden case,
naming the variant, the clause and the file and line the text was written at, in render,
batch and validate alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from jobdesc.bundle import Bundle
from jobdesc.cli import main
from jobdesc.errors import ProfileError
from jobdesc.pipeline import Request, build_document

CASES = Path(__file__).parent / "data" / "lint"
LANGUAGE = {"latin-in-cyrillic": "bg"}  # the others are English documents
NAMES = sorted(p.stem for p in (CASES / "roles").glob("*.yaml"))


@pytest.mark.parametrize("case", NAMES)
def test_each_lint_rule_refuses_its_case_with_clause_file_and_line(case: str) -> None:
    request = Request(role=case, language=LANGUAGE.get(case, "en"), jurisdiction="gb")
    with pytest.raises(ProfileError) as caught:
        build_document(request, Bundle(CASES))
    expected = (CASES / f"{case}.expected").read_text(encoding="utf-8").strip()
    assert str(caught.value) == expected


def test_render_refuses_and_writes_nothing(tmp_path: Path) -> None:
    args = ["--profiles", str(CASES), "render", "template-leak", "--lang", "en", "-o", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "template-leak.yaml:4: template-leak_gb_en-GB: the value of {{ supervisor }}: template code" in result.output
    assert list(tmp_path.iterdir()) == []


def test_validate_reports_every_case() -> None:
    result = CliRunner().invoke(main, ["--profiles", str(CASES), "validate"])
    assert result.exit_code == 1
    for case in NAMES:
        assert f"roles/{case}.yaml:" in result.output, case
