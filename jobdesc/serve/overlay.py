"""An edited clause, written into the organisation's own overlay file as a ``replace`` operation.

Only files under the first profiles folder's ``organisations/`` are ever written: the bundled
library is never changed. A bundled organisation is copied there first (the user's file of the
same name then wins, as everywhere in jobdesc)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..bundle import Bundle
from ..errors import UsageError
from ..paths import display
from ..safeio import read_inside
from ..writing import write_atomically


def overlay_file(bundle: Bundle, organisation: Path) -> Path:
    """Where the organisation's own clauses go: its file if it is the user's, else its copy."""
    if bundle.is_bundled(bundle.root):
        raise UsageError(
            "the bundled library is never edited: start the studio with --profiles DIR (your own folder), "
            "and edits go into DIR/organisations/"
        )
    folder = bundle.root / "organisations"
    if folder.exists() and not folder.resolve().is_relative_to(bundle.root.resolve()):
        raise UsageError(f"{display(folder)} leads outside {display(bundle.root)}; refused")
    return folder / f"{organisation.stem}.yaml"


def save_clause(
    bundle: Bundle, organisation: Path, clause_id: str, texts: dict[str, str], language: str, text: str
) -> tuple[Path, bytes]:
    """Write ``text`` as the organisation's version of the clause in ``language``, the other
    languages keeping ``texts`` where the file has none; returns the file and what it held
    before ("" when it is new), to undo a change the pipeline refuses."""
    target = overlay_file(bundle, organisation)
    relative = f"organisations/{target.name}"
    before = read_inside(bundle.root, relative) if target.exists() or target.is_symlink() else b""
    source = before or organisation.read_bytes()
    data = yaml.safe_load(source) or {}
    if not isinstance(data, dict):
        raise UsageError(f"{display(target)}: not a mapping of an organisation's fields; edit it by hand")
    operations: list[Any] = data.setdefault("clauses", [])
    if not isinstance(operations, list):
        raise UsageError(f"{display(target)}: clauses: not a list; edit it by hand")
    operation = next((o for o in operations if isinstance(o, dict) and o.get("replace") == clause_id), None)
    if operation is None:
        operation = {"replace": clause_id, "text": {}}
        operations.append(operation)
    held = operation.get("text")
    operation["text"] = {**texts, **(held if isinstance(held, dict) else {}), language: text.strip()}
    target.parent.mkdir(parents=True, exist_ok=True)
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    write_atomically(target, dumped.encode("utf-8"))
    return target, before


def undo(target: Path, before: bytes) -> None:
    """Put back what the file held (or remove the file the edit created)."""
    if before:
        write_atomically(target, before)
    else:
        target.unlink(missing_ok=True)
