"""Whatever text a clause holds, it comes out whole in every format, or the run fails with an error.

Hypothesis writes arbitrary Unicode into a clause (right-to-left scripts, combining marks,
emoji, very long words, stray template syntax) and renders the document through the same
pipeline as `jobdesc render`. A silently dropped or cut clause would fail here.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import tempfile
from pathlib import Path

import docx
import yaml
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobdesc.bundle import Bundle
from jobdesc.errors import JobdescError
from jobdesc.pipeline import Request, build_document, render_outputs
from jobdesc.renderers import RenderOptions, get_renderer

WORKDIR = Path(tempfile.mkdtemp(prefix="jobdesc-property-"))
BUNDLE = Bundle(Path(shutil.copytree(DATA / "overlays", WORKDIR / "profiles")))
CLERK = yaml.safe_load((BUNDLE.root / "roles" / "clerk.yaml").read_text(encoding="utf-8"))
NAMES = (f"role{n}" for n in itertools.count())
RENDERERS = {fmt: get_renderer(fmt) for fmt in ("html", "pdf", "docx")}

clause_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=120),
    st.text(st.characters(min_codepoint=0x0590, max_codepoint=0x06FF), min_size=1, max_size=80),  # Hebrew, Arabic
    st.text(st.sampled_from("aeoиуа\u0301\u0308\u0327"), min_size=1, max_size=80),  # combining marks
    st.text(st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), min_size=1, max_size=20),  # emoji
    st.text(st.sampled_from("abcдежxyz"), min_size=150, max_size=400),  # one very long word
    st.sampled_from(["{{ role }} <b>&amp;</b> <!--", "{% if %}", "a\u2028b\u00adc", "}}{{", "\ufeffx"]),
)


def squash(text: str) -> str:
    """Words and their order, without what layout changes: spacing, line breaks, hyphenation."""
    return re.sub(r"[\s\u00ad\u2010\u2011-]+", "", text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=clause_text)
def test_any_clause_text_comes_out_whole_or_the_run_fails_with_an_error(text: str) -> None:
    role = {**CLERK, "duties": [{"id": "the-duty", "text": {"en": text, "bg": "Текст."}}]}
    name = next(NAMES)
    (BUNDLE.root / "roles" / f"{name}.yaml").write_text(yaml.safe_dump(role, allow_unicode=True), encoding="utf-8")
    try:
        document, _ = build_document(Request(role=name, language="en"), BUNDLE)
        outputs = render_outputs(document, RENDERERS, RenderOptions())
    except JobdescError:
        return  # refused with a message: an allowed outcome
    (clause,) = [c for c in document.clauses() if c.id == "the-duty"]
    assert squash(clause.text) or not squash(text)
    assert squash(clause.text) in squash(outputs["html"].text)
    assert squash(clause.text) in squash(outputs["pdf"].text)
    written = docx.Document(io.BytesIO(outputs["docx"].data))  # read back from the file's bytes
    assert squash(clause.text) in squash(" ".join(p.text for p in written.paragraphs))
